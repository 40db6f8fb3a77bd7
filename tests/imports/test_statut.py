"""import_enrolments' `statut` column (CONTRACTS.md; REGLEMENT.md DEF / DEM)."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from juries.models import Enrolment

pytestmark = pytest.mark.django_db

HEADER = "numero;nom;prenom;annee;semestre;statut\n"


def run(command: str, *args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(command, *[str(a) for a in args], stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def import_enrolments(tmp_path, text: str, name: str = "inscriptions.csv") -> tuple[int, str, str]:
    p = tmp_path / name
    p.write_bytes(text.encode("utf-8"))
    return run("import_enrolments", p)


def status(numero: str, semestre: int = 1) -> str:
    return Enrolment.objects.get(student__numero=numero, semester__number=semestre).status


@pytest.mark.parametrize("cell, stored", [
    ("", "inscrit"), ("inscrit", "inscrit"), ("DEF", "defaillant"), ("def", "defaillant"),
    ("DEM", "demission"), ("Démission", "demission"), ("défaillant", "defaillant"),
], ids=["empty", "inscrit", "DEF", "def", "DEM", "demission-word", "defaillant-word"])
def test_statut_is_stored_as_the_enrolment_status(maquette, tmp_path, cell, stored):
    code, _, err = import_enrolments(tmp_path, HEADER + f"22000001;Martin;Léa;2026-2027;1;{cell}\n")
    assert code == 0, err
    assert status("22000001") == stored


def test_without_the_column_a_new_enrolment_is_inscrit(maquette, tmp_path):
    code, _, err = import_enrolments(tmp_path, "numero;nom;prenom;annee;semestre\n22000001;Martin;Léa;2026-2027;1\n")
    assert code == 0, err
    assert status("22000001") == "inscrit"


def test_an_unknown_statut_is_refused_in_french_and_nothing_is_written(maquette, tmp_path):
    text = HEADER + "22000001;Martin;Léa;2026-2027;1;DEF\n22000002;Durand;Hugo;2026-2027;1;ABANDON\n"
    code, out, err = import_enrolments(tmp_path, text)
    assert code == 1
    assert ("ligne 3, colonne statut : statut « ABANDON » inconnu (inscrit, DEF pour défaillant, DEM pour démission)"
            in err)
    assert not Enrolment.objects.exists()


def test_changing_the_statut_updates_the_enrolment_and_reimport_changes_nothing(maquette, tmp_path):
    assert import_enrolments(tmp_path, HEADER + "22000001;Martin;Léa;2026-2027;1;\n")[0] == 0
    code, out, _ = import_enrolments(tmp_path, HEADER + "22000001;Martin;Léa;2026-2027;1;DEM\n")
    assert code == 0 and "1 modification" in out
    assert status("22000001") == "demission"
    code, out, _ = import_enrolments(tmp_path, HEADER + "22000001;Martin;Léa;2026-2027;1;DEM\n")
    assert "0 création, 0 modification, 1 ligne inchangée" in out
    # a file without the column leaves the recorded statut alone
    code, out, _ = import_enrolments(tmp_path, "numero;nom;prenom;annee;semestre\n22000001;Martin;Léa;2026-2027;1\n")
    assert "1 ligne inchangée" in out and status("22000001") == "demission"


def test_a_def_student_gets_def_at_the_odd_jury(maquette, tmp_path):
    """DEF / DEM — « the year code DEF/DEM at that semester's jury, odd or even, with passage false »."""
    assert import_enrolments(tmp_path, HEADER + "22000001;Martin;Léa;2026-2027;1;DEF\n")[0] == 0
    code, out, err = run("jury_proposals", "--annee", "2026-2027", "--semestre", "1")
    assert code == 0, err
    student = json.loads(out)["etudiants"][0]
    assert student["decision_annee"] == "DEF" and student["passage"] is False

"""Files as LibreOffice and Excel save them in France (issue 14): Windows-1252 CSV with `;`,
decimal comma and `20/11/26` dates; the export's neutralising quote; every fault in one pass."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command

from juries.models import Absence, Evaluation, Grade, Stage, Student

pytestmark = pytest.mark.django_db


def run(command: str, path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(command, str(path), stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def libreoffice_csv(tmp_path, name: str, text: str):
    """What LibreOffice Calc (French profile) writes by default: Windows-1252, `;`, LF line ends."""
    p = tmp_path / name
    p.write_bytes(text.encode("cp1252"))
    return p


ENROLMENTS = """numero;Nom;Prénom;année;semestre;régime
22000001;Lefèvre;Léa;2026-2027;4;FA
22000002;Cœur;Hélène;2026-2027;4;FI
22000003;O'Neil;Zoé;2026-2027;1;FI
"""


@pytest.fixture
def enrolled(maquette, tmp_path):
    code, _, err = run("import_enrolments", libreoffice_csv(tmp_path, "inscriptions.csv", ENROLMENTS))
    assert code == 0, err


def test_a_windows_1252_csv_is_read_with_its_accents(enrolled):
    # « œ » exists in Windows-1252 but not in Latin-1: the file is read as Windows-1252.
    assert Student.objects.get(numero="22000002").nom == "Cœur"
    assert Student.objects.get(numero="22000001").prenom == "Léa"
    assert Student.objects.get(numero="22000003").nom == "O'Neil"  # an apostrophe that is no escape is kept


def test_grades_with_decimal_comma_and_two_digit_french_dates(enrolled, tmp_path):
    text = ("numero;annee;semestre;code;évaluation;coefficient;date;note\n"
            "22000003;2026-2027;1;R1.01;Contrôle n°1;1,5;20/11/26;12,75\n")
    code, out, err = run("import_grades", libreoffice_csv(tmp_path, "notes.csv", text))
    assert code == 0, err
    ev = Evaluation.objects.get()
    assert ev.label == "Contrôle n°1" and ev.date.isoformat() == "2026-11-20" and ev.weight == Decimal("1.5")
    assert Grade.objects.get().value == Decimal("12.75")


def test_stages_and_absences_with_french_dates_and_times(enrolled, tmp_path):
    code, _, err = run("import_stages", libreoffice_csv(tmp_path, "stages.csv",
                       "numero;annee;semestre;debut;fin;entreprise\n22000001;2026-2027;4;05/04/27;11/06/2027;Société Générale\n"))
    assert code == 0, err
    stage = Stage.objects.get()
    assert (stage.start.isoformat(), stage.end.isoformat(), stage.company) == ("2027-04-05", "2027-06-11", "Société Générale")
    code, _, err = run("import_absences", libreoffice_csv(tmp_path, "absences.csv",
                       "numero;debut;fin;declaree_le;motif\n22000001;06/10/26 08:00;06/10/2026 12:00:00;06/10/26 08:30;maladie\n"))
    assert code == 0, err
    a = Absence.objects.get()
    assert a.start.isoformat() == "2026-10-06T06:00:00+00:00" or a.start.isoformat().startswith("2026-10-06T08:00:00+02")


def test_a_file_in_no_known_encoding_names_the_setting_of_both_programs(maquette, tmp_path):
    p = tmp_path / "x.csv"
    p.write_bytes(b"numero;nom;prenom;annee;semestre\n1;\x81\xe9;x;2026-2027;1\n")  # 0x81: not UTF-8, not Windows-1252
    code, _, err = run("import_enrolments", p)
    assert code == 1
    assert "Jeu de caractères : Unicode (UTF-8)" in err and "CSV UTF-8" in err and "LibreOffice" in err and "Excel" in err


def test_the_export_quote_is_dropped_only_before_a_formula_sign(enrolled, tmp_path):
    text = ("numero;annee;semestre;code;evaluation;note\n"
            "22000003;2026-2027;1;R1.01;'=1+1;10\n"
            "22000003;2026-2027;1;R1.01;'+33 bonus;11\n"
            "22000003;2026-2027;1;R1.01;'-bis;12\n"
            "22000003;2026-2027;1;R1.01;'@note;13\n"
            "22000003;2026-2027;1;R1.01;'quote;14\n")
    code, _, err = run("import_grades", libreoffice_csv(tmp_path, "n.csv", text))
    assert code == 0, err
    assert sorted(Evaluation.objects.values_list("label", flat=True)) == ["'quote", "+33 bonus", "-bis", "=1+1", "@note"]


def test_a_formula_does_not_hide_the_other_faults_of_the_file(enrolled, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["numero", "annee", "semestre", "code", "evaluation", "note"])
    ws.append(["22000003", "2026-2027", 1, "R1.01", "DS1", "=10+2"])
    ws.append(["22000003", "2026-2027", 1, "R1.01", "DS2", "25"])
    ws.append(["22000003", "2026-20", 1, "R1.01", "DS3", "12"])
    path = tmp_path / "f.xlsx"
    wb.save(path)
    code, _, err = run("import_grades", path)
    assert code == 1
    lines = err.strip().splitlines()
    assert "formule refusée en F2" in lines[0]
    assert any(line.startswith("ligne 3, colonne note") for line in lines)
    assert any(line.startswith("ligne 4, colonne annee") for line in lines)
    assert not Grade.objects.exists()


def test_a_text_cell_that_starts_with_equals_is_no_formula(enrolled, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["numero", "annee", "semestre", "code", "evaluation", "note"])
    ws.append(["22000003", "2026-2027", 1, "R1.01", "placeholder", 10])
    ws.cell(2, 5).value = "=1+1"
    ws.cell(2, 5).data_type = "s"  # a text cell, as Excel stores '=1+1 typed by hand
    path = tmp_path / "t.xlsx"
    wb.save(path)
    code, _, err = run("import_grades", path)
    assert code == 0, err
    assert Evaluation.objects.get().label == "=1+1"

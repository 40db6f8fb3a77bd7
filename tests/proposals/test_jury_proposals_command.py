"""`jury_proposals` (CONTRACTS.md): the selector's bounded queries and the JSON/CSV/XLSX exports."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest
from django.core.management import call_command

from juries.selectors.proposals import jury_proposals
from tests.factories import StudentFactory, enrol, grade_all

pytestmark = pytest.mark.django_db


def make_year1(n: int, *, start: int = 0, value="12") -> None:
    for i in range(start, start + n):
        s = StudentFactory(numero=f"2200{i:04d}", nom=f"Nom{i:04d}", prenom="Léa")
        for sem in (1, 2):
            grade_all(enrol(s, sem), value)


def export(fmt: str, tmp_path, semestre: int = 2, **extra) -> bytes:
    out = tmp_path / f"p.{fmt}"
    call_command("jury_proposals", annee="2026-2027", semestre=semestre, format=fmt, output=str(out), **extra)
    return out.read_bytes()


def test_queries_do_not_grow_with_the_number_of_students(maquette, django_assert_max_num_queries):
    make_year1(3)
    with django_assert_max_num_queries(20) as few:
        result = jury_proposals(annee="2026-2027", semester=2).proposals
    assert len(result.students) == 3
    make_year1(12, start=3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        result = jury_proposals(annee="2026-2027", semester=2).proposals
    assert len(result.students) == 15


def test_json_export_follows_the_contract(maquette, tmp_path):
    make_year1(2)
    make_year1(1, start=2, value="8")
    data = json.loads(export("json", tmp_path))
    assert data["annee"] == "2026-2027" and data["semestre"] == 2 and data["etat"] == "proposition"
    numeros = [s["numero"] for s in data["etudiants"]]
    assert numeros == sorted(numeros)
    good = data["etudiants"][0]
    assert [u["ue"] for u in good["ues"]] == ["UE1 S1", "UE2 S1", "UE3 S1", "UE1 S2", "UE2 S2", "UE3 S2"]
    assert good["ues"][0] == {"ue": "UE1 S1", "moyenne": "12.00", "code": "ADM", "ects": 10}
    assert [r["competence"] for r in good["rcues"]] == [1, 2, 3]
    assert good["decision_annee"] == "ADM" and good["passage"] is True and good["ects_acquis"] == 60
    assert good["dut"] is False and good["but"] is False
    weak = data["etudiants"][2]
    assert weak["decision_annee"] in ("RED", "NAR")
    assert weak["passage"] is False and weak["ects_acquis"] == 0
    for s in data["etudiants"]:
        for text in s["motifs"] + s["alertes"]:
            assert text.split(":")[0].isalnum(), text


def test_odd_semester_export(maquette, tmp_path):
    make_year1(1)
    data = json.loads(export("json", tmp_path, semestre=1))
    s = data["etudiants"][0]
    assert s["rcues"] == [] and s["decision_annee"] is None and s["passage"] is True
    assert [u["ue"] for u in s["ues"]] == ["UE1 S1", "UE2 S1", "UE3 S1"]


def test_csv_export_has_bom_semicolons_decimal_commas_and_oui_non(maquette, tmp_path):
    make_year1(1, value="12.5")
    raw = export("csv", tmp_path)
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    header, row = rows[0], rows[1]
    assert header[:6] == ["numero", "nom", "prenom", "UE1 S1 moyenne", "UE1 S1 code", "UE1 S1 ects"]
    assert "C1 N1 moyenne" in header and header[-9:] == [
        "decision_annee", "passage", "ects_acquis", "dut", "but", "absences justifiees",
        "absences injustifiees", "motifs", "alertes"]
    values = dict(zip(header, row, strict=True))
    assert values["UE1 S1 moyenne"] == "12,50" and values["passage"] == "oui" and values["dut"] == "non"


def test_xlsx_export_carries_the_same_facts(maquette, tmp_path):
    make_year1(1)
    wb = openpyxl.load_workbook(io.BytesIO(export("xlsx", tmp_path)))
    ws = wb.active
    header = [c.value for c in ws[1]]
    row = {h: c.value for h, c in zip(header, ws[2], strict=True)}
    assert row["numero"] == "22000000" and float(row["UE1 S1 moyenne"]) == 12.0
    assert row["decision_annee"] == "ADM" and row["ects_acquis"] == 60


def test_export_neutralises_formulas_in_names(maquette, tmp_path):
    s = StudentFactory(numero="22009999", nom="=HYPERLINK(\"http://x\")", prenom="+Léa")
    for sem in (1, 2):
        grade_all(enrol(s, sem), "12")
    rows = list(csv.reader(io.StringIO(export("csv", tmp_path).decode("utf-8-sig")), delimiter=";"))
    assert rows[1][1].startswith("'=") and rows[1][2] == "'+Léa"

"""The import_* commands of CONTRACTS.md: all or nothing, French errors naming line and column, idempotent."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command

from juries.models import Absence, Enrolment, Evaluation, Grade, Mobility, Stage, Student

pytestmark = pytest.mark.django_db


def run(command: str, path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(command, str(path), stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def write(tmp_path, name: str, text: str, *, bom: bool = False):
    p = tmp_path / name
    p.write_bytes((("\ufeff" if bom else "") + text).encode("utf-8"))
    return p


ENROLMENTS = """numero;nom;prenom;email;regime;annee;semestre;parcours;redoublement;amenagement
22000001;Martin;Léa;lea.martin@etu.example.fr;FI;2026-2027;1;OSC;0;0
22000001;Martin;Léa;lea.martin@etu.example.fr;FI;2026-2027;2;OSC;0;0
22000002;Durand;Hugo;;FA;2026-2027;1;;;
"""


def test_enrolments_import_creates_then_is_idempotent(maquette, tmp_path):
    path = write(tmp_path, "inscriptions.csv", ENROLMENTS, bom=True)
    code, out, err = run("import_enrolments", path)
    assert code == 0, err
    assert "3 créations" in out
    assert Student.objects.count() == 2
    assert Enrolment.objects.get(student__numero="22000002").regime == "FA"
    code, out, _ = run("import_enrolments", path)
    assert code == 0 and "0 création, 0 modification, 3 lignes inchangées" in out


def test_enrolments_import_accepts_commas_and_accented_headers(maquette, tmp_path):
    text = "Numéro,NOM,Prénom,Année,Semestre\n22000003,Petit,Zoé,2026-2027,1\n"
    code, out, err = run("import_enrolments", write(tmp_path, "i.csv", text))
    assert code == 0, err
    assert Student.objects.get(numero="22000003").prenom == "Zoé"


def test_enrolments_errors_name_line_and_column_and_write_nothing(maquette, tmp_path):
    text = ENROLMENTS + "22000004;Roux;;;XX;2026/2027;9;;;\n"
    code, out, err = run("import_enrolments", write(tmp_path, "bad.csv", text))
    assert code == 1
    assert "ligne 5, colonne prenom : valeur obligatoire manquante" in err
    assert "ligne 5, colonne regime : régime « XX » inconnu" in err
    assert "ligne 5, colonne annee :" in err
    assert "ligne 5, colonne semestre :" in err
    assert Student.objects.count() == 0  # all or nothing


def test_r3_second_enrolment_in_a_semester_needs_the_repeat_flag(maquette, tmp_path):
    text = ENROLMENTS + "22000001;Martin;Léa;;FI;2027-2028;1;OSC;0;0\n"
    code, _, err = run("import_enrolments", write(tmp_path, "r.csv", text))
    assert code == 1
    assert "ligne 5 : R3 : 22000001 était déjà inscrit en S1 en 2026-2027" in err
    ok = ENROLMENTS + "22000001;Martin;Léa;;FI;2027-2028;1;OSC;1;0\n"
    code, _, err = run("import_enrolments", write(tmp_path, "r.csv", ok))
    assert code == 0, err
    assert Enrolment.objects.filter(student__numero="22000001", redoublement=True).count() == 1


def test_duplicate_rows_are_refused_naming_the_later_line(maquette, tmp_path):
    text = ENROLMENTS + "22000002;Durand;Hugo;;FA;2026-2027;1;;;\n"
    code, _, err = run("import_enrolments", write(tmp_path, "d.csv", text))
    assert code == 1
    assert "ligne 5 : doublon de la ligne 4" in err


@pytest.fixture
def enrolled(maquette, tmp_path):
    code, _, err = run("import_enrolments", write(tmp_path, "i.csv", ENROLMENTS))
    assert code == 0, err


GRADES = """numero;annee;semestre;code;evaluation;coefficient;date;note
22000001;2026-2027;1;R1.01;DS1;2;2026-10-05;12,5
22000001;2026-2027;1;SAÉ 1.01;Livrable;;;15.25
22000002;2026-2027;1;R1.01;DS1;;;ABI
22000002;2026-2027;1;r1.01;DS2;;2026-11-05;ABS
"""


def test_grades_import_reads_french_decimals_marks_and_sae_spellings(enrolled, tmp_path):
    code, out, err = run("import_grades", write(tmp_path, "notes.csv", GRADES))
    assert code == 0, err
    assert "4 créations" in out
    g = Grade.objects.get(enrolment__student__numero="22000001", evaluation__label="DS1")
    assert g.value == Decimal("12.50") and g.evaluation.weight == Decimal("2")
    assert Grade.objects.get(evaluation__enseignement__code="SAE1.01").value == Decimal("15.25")
    assert Grade.objects.get(enrolment__student__numero="22000002", evaluation__label="DS1").mark == "ABI"
    assert Evaluation.objects.get(label="DS2").date.isoformat() == "2026-11-05"
    code, out, _ = run("import_grades", write(tmp_path, "notes.csv", GRADES))
    assert "4 lignes inchangées" in out


def test_grade_changes_are_traced_in_history(enrolled, tmp_path):
    run("import_grades", write(tmp_path, "n.csv", GRADES))
    changed = GRADES.replace(";12,5", ";13")
    code, out, _ = run("import_grades", write(tmp_path, "n.csv", changed))
    assert code == 0 and "1 modification" in out
    g = Grade.objects.get(enrolment__student__numero="22000001", evaluation__label="DS1")
    values = [h.value for h in g.history.order_by("history_date")]
    assert values == [Decimal("12.50"), Decimal("13.00")]


@pytest.mark.parametrize(
    "note, message",
    [
        ("21", "note 21 hors de l'intervalle 0 à 20"),
        ("-1", "n'est pas une note"),
        ("12,555", "n'est pas une note"),
        ("abc", "« abc » n'est pas une note"),
        ("", "note vide"),
    ],
    ids=["above-20", "negative", "three-decimals", "text", "empty"],
)
def test_e2_bad_grades_are_refused_with_line_and_column(enrolled, tmp_path, note, message):
    text = GRADES + f"22000001;2026-2027;1;R1.02;DS1;;;{note}\n"
    code, _, err = run("import_grades", write(tmp_path, "n.csv", text))
    assert code == 1
    assert f"ligne 6, colonne note : {message}" in err or (message in err and "ligne 6, colonne note" in err)
    assert Grade.objects.count() == 0


def test_grade_file_faults(enrolled, tmp_path):
    text = GRADES + (
        "22000001;2026-2027;1;R1.01;DS1;3;;10\n"  # duplicate student+evaluation and another coefficient
        "22000009;2026-2027;1;R1.01;DS1;;;10\n"  # not enrolled
        "22000001;2026-2027;1;R9.99;DS1;;;10\n"  # unknown code
        "22000001;2026-2027;1;SAE2.01;X;;;10\n"  # split SAÉ parent
        "22000002;2026-2027;1;R1.02;Oral;;;ABS\n"  # ABS without a date
    )
    code, _, err = run("import_grades", write(tmp_path, "n.csv", text))
    assert code == 1
    assert "ligne 6, colonne coefficient : coefficient 3 différent de celui de la ligne 2" in err
    assert "ligne 6 : doublon de la ligne 2" in err
    assert "ligne 7, colonne numero : l'étudiant 22000009 n'est pas inscrit en S1 2026-2027" in err
    assert "ligne 8, colonne code : enseignement « R9.99 » inconnu" in err
    assert "ligne 9, colonne code : SAE2.01 est découpée par compétence" in err
    assert "ligne 10, colonne date : A8 : ABS demande la date" in err
    assert Grade.objects.count() == 0 and Evaluation.objects.count() == 0


def test_grades_from_xlsx(enrolled, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["numero", "annee", "semestre", "code", "evaluation", "note"])
    ws.append([22000001, "2026-2027", 1, "R1.03", "DS1", 14.5])
    ws.append(["22000002", "2026-2027", 1, "R1.03", "DS1", "9,75"])
    path = tmp_path / "notes.xlsx"
    wb.save(path)
    code, out, err = run("import_grades", path)
    assert code == 0, err
    assert sorted(Grade.objects.values_list("value", flat=True)) == [Decimal("9.75"), Decimal("14.50")]


def test_xlsx_formula_cells_are_refused_with_their_reference(enrolled, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["numero", "annee", "semestre", "code", "evaluation", "note"])
    ws.append(["22000001", "2026-2027", 1, "R1.03", "DS1", "=10+2"])
    path = tmp_path / "f.xlsx"
    wb.save(path)
    code, _, err = run("import_grades", path)
    assert code == 1 and "formule refusée en F2" in err


def test_stages_mobility_and_absences(enrolled, tmp_path):
    run("import_enrolments", write(tmp_path, "i.csv",
        "numero;nom;prenom;annee;semestre;regime\n22000001;Martin;Léa;2026-2027;4;FA\n22000001;Martin;Léa;2026-2027;3;FA\n"))
    code, out, err = run("import_stages", write(tmp_path, "s.csv",
        "numero;annee;semestre;debut;fin;entreprise;etranger\n22000001;2026-2027;4;2027-04-05;2027-06-11;Bosch;0\n"))
    assert code == 0, err
    assert Stage.objects.get().company == "Bosch"
    code, _, err = run("import_mobility", write(tmp_path, "m.csv",
        "numero;annee;semestre;etablissement\n22000001;2026-2027;1;Zaragoza\n"))
    assert code == 1 and "ligne 2, colonne semestre : M1 : une mobilité d'études se fait en BUT2 ou BUT3" in err
    code, _, err = run("import_mobility", write(tmp_path, "m.csv",
        "numero;annee;semestre;etablissement\n22000001;2026-2027;3;Zaragoza\n"))
    assert code == 0, err and Mobility.objects.count() == 1
    code, out, err = run("import_absences", write(tmp_path, "a.csv",
        "numero;debut;fin;declaree_le;justificatif_le;motif\n"
        "22000001;2026-10-06 08:00;2026-10-06 12:00;2026-10-06 08:30;2026-10-08 08:30;maladie\n"))
    assert code == 0, err
    a = Absence.objects.get()
    assert a.start.utcoffset() is None or a.start.isoformat().startswith("2026-10-06T06:00")
    code, out, _ = run("import_absences", write(tmp_path, "a.csv",
        "numero;debut;fin;declaree_le;justificatif_le;motif\n"
        "22000001;2026-10-06 08:00;2026-10-06 12:00;2026-10-06 08:30;2026-10-08 08:30;maladie\n"))
    assert "1 ligne inchangée" in out


@pytest.mark.parametrize(
    "when, message",
    [("2026-10-25 02:30", "ambiguë"), ("2026-03-29 02:30", "n'existe pas")],
    ids=["october-ambiguous-hour", "march-missing-hour"],
)
def test_a4_wall_clock_times_that_do_not_exist_or_are_ambiguous_are_refused(enrolled, tmp_path, when, message):
    text = f"numero;debut;fin;declaree_le\n22000001;{when};2026-10-26 12:00;2026-10-26 08:00\n"
    code, _, err = run("import_absences", write(tmp_path, "a.csv", text))
    assert code == 1 and "ligne 2, colonne debut" in err and message in err


def test_unreadable_files_get_a_french_message(maquette, tmp_path):
    p = tmp_path / "x.csv"
    p.write_bytes(b"numero;nom\n\xff\xfe\x00bad")
    code, _, err = run("import_enrolments", p)
    assert code == 1 and "UTF-8" in err
    p = tmp_path / "x.pdf"
    p.write_bytes(b"%PDF-1.4")
    code, _, err = run("import_enrolments", p)
    assert code == 1 and "Type de fichier refusé" in err


def test_unicode_digits_in_a_semester_get_a_french_error_not_a_crash(enrolled, tmp_path):
    text = "numero;annee;semestre;code;evaluation;note\n22000001;2026-2027;¹;R1.01;DS1;12\n"
    code, _, err = run("import_grades", write(tmp_path, "n.csv", text))
    assert code == 1 and "ligne 2, colonne semestre : semestre « ¹ » invalide" in err

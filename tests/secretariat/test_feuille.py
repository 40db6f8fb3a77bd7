"""Feuille de notes: download, fill, upload through the shared import path, errors by cell."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest

from juries.importers.errors import ImportFailed
from juries.models import Evaluation, Grade, JurySession
from juries.services import feuille
from juries.services.feuille import DATE_ROW, FIRST_STUDENT_ROW, HEADER_ROW, WEIGHT_ROW
from tests.factories import StudentFactory, enrol

from .conftest import ANNEE

pytestmark = pytest.mark.django_db


def _book(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


def _save(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _row_of(ws, numero: str) -> int:
    for r in range(FIRST_STUDENT_ROW, ws.max_row + 1):
        if ws.cell(r, 1).value == numero:
            return r
    raise AssertionError(numero)


def _upload(r101, data, user, **kw):
    return feuille.upload_feuille(enseignement=r101, annee=ANNEE, data=data, filename="feuille.xlsx", user=user, **kw)


def test_download_lists_enrolled_students_and_one_column_per_evaluation(r101, promo, ds1):
    Grade.objects.create(enrolment=promo[0], evaluation=ds1, value=Decimal("14.5"))
    ws = _book(feuille.build_feuille(enseignement=r101, annee=ANNEE)).worksheets[0]
    assert ws["B1"].value == "R1.01" and ws["B2"].value == ANNEE
    assert [ws.cell(HEADER_ROW, c).value for c in range(1, 5)] == ["Numéro", "Nom", "Prénom", "DS1"]
    assert (ws.cell(DATE_ROW, 1).value, ws.cell(WEIGHT_ROW, 1).value) == ("Date (JJ/MM/AAAA)", "Coefficient")
    assert ws.cell(DATE_ROW, 4).value.date() == date(2026, 10, 5)
    assert ws.cell(WEIGHT_ROW, 4).value == 1
    students = [(ws.cell(r, 1).value, ws.cell(r, 2).value, ws.cell(r, 3).value)
                for r in range(FIRST_STUDENT_ROW, ws.max_row + 1)]
    assert students == [("26000002", "Bernard", "Hugo"), ("26000003", "Durand", "Inès"), ("26000001", "Martin", "Léa")]
    assert ws.cell(_row_of(ws, "26000001"), 4).value == 14.5  # pre-filled with the recorded grade


def test_download_for_one_group_lists_only_that_group(r101, promo, ds1):
    ws = _book(feuille.build_feuille(enseignement=r101, annee=ANNEE, group="G2")).worksheets[0]
    assert [ws.cell(r, 1).value for r in range(FIRST_STUDENT_ROW, ws.max_row + 1)] == ["26000003"]
    assert ws["D2"].value == "G2"


def test_upload_accepts_comma_dot_and_absence_marks(r101, promo, ds1, secretary):
    wb = _book(feuille.build_feuille(enseignement=r101, annee=ANNEE))
    ws = wb.worksheets[0]
    ws.cell(_row_of(ws, "26000001"), 4, "12,5")
    ws.cell(_row_of(ws, "26000002"), 4, 12.75)
    ws.cell(_row_of(ws, "26000003"), 4, "abs")
    outcome = _upload(r101, _save(wb), secretary)
    assert outcome.report.created == 3
    got = {g.enrolment.student.numero: g.display for g in Grade.objects.filter(evaluation=ds1).select_related("enrolment__student")}
    assert got == {"26000001": "12,50", "26000002": "12,75", "26000003": "ABS"}


def test_a_feuille_downloaded_before_the_accents_still_imports(r101, promo, ds1, secretary):
    """The headers were written « numero | nom | prenom », « date », « coefficient »: still read."""
    wb = _book(feuille.build_feuille(enseignement=r101, annee=ANNEE))
    ws = wb.worksheets[0]
    for col, old in enumerate(("numero", "nom", "prenom"), start=1):
        ws.cell(HEADER_ROW, col, old)
    ws.cell(DATE_ROW, 1, "date (JJ/MM/AAAA)")
    ws.cell(WEIGHT_ROW, 1, "coefficient")
    ws.cell(WEIGHT_ROW, 4, 2)
    ws.cell(_row_of(ws, "26000001"), 4, "13,5")
    outcome = _upload(r101, _save(wb), secretary)
    assert outcome.report.created == 1 and outcome.updated_evaluations == []
    assert Grade.objects.get().value == Decimal("13.5") and Evaluation.objects.get().weight == Decimal("2")


def test_upload_with_a_bad_cell_names_the_cell_and_saves_nothing(r101, promo, ds1, secretary):
    wb = _book(feuille.build_feuille(enseignement=r101, annee=ANNEE))
    ws = wb.worksheets[0]
    good, bad = _row_of(ws, "26000001"), _row_of(ws, "26000002")
    ws.cell(good, 4, 15)
    ws.cell(bad, 4, "21")
    with pytest.raises(ImportFailed) as exc:
        _upload(r101, _save(wb), secretary)
    [error] = exc.value.errors
    assert error.cell == f"D{bad}"
    assert str(error) == f"ligne {bad}, colonne DS1 : note 21 hors de l'intervalle 0 à 20"
    assert not Grade.objects.exists()


def test_every_bad_cell_is_reported_at_once(r101, promo, ds1, secretary):
    wb = _book(feuille.build_feuille(enseignement=r101, annee=ANNEE))
    ws = wb.worksheets[0]
    ws.cell(_row_of(ws, "26000001"), 4, "douze")
    ws.cell(_row_of(ws, "26000002"), 4, "12,555")
    ws.cell(WEIGHT_ROW, 4, "-1")
    ws.cell(FIRST_STUDENT_ROW + 5, 1, "99999999")
    ws.cell(FIRST_STUDENT_ROW + 5, 4, "10")
    with pytest.raises(ImportFailed) as exc:
        _upload(r101, _save(wb), secretary)
    cells = {e.cell: e.message for e in exc.value.errors}
    assert set(cells) == {f"D{WEIGHT_ROW}", f"D{_row_of(ws, '26000001')}", f"D{_row_of(ws, '26000002')}",
                          f"A{FIRST_STUDENT_ROW + 5}"}
    assert "n'est pas inscrit en S1 2026-2027" in cells[f"A{FIRST_STUDENT_ROW + 5}"]
    assert "strictement positif" in cells[f"D{WEIGHT_ROW}"]
    assert not Grade.objects.exists()


def test_an_empty_cell_is_skipped_and_never_deletes_a_grade(r101, promo, ds1, secretary):
    Grade.objects.create(enrolment=promo[0], evaluation=ds1, value=Decimal("14"))
    wb = _book(feuille.build_feuille(enseignement=r101, annee=ANNEE))
    ws = wb.worksheets[0]
    ws.cell(_row_of(ws, "26000001"), 4).value = None  # the teacher cleared it
    ws.cell(_row_of(ws, "26000002"), 4, 9)
    outcome = _upload(r101, _save(wb), secretary)
    assert outcome.kept == 1 and outcome.report.created == 1
    assert Grade.objects.get(enrolment=promo[0]).value == Decimal("14")


def test_a_new_column_creates_an_evaluation_with_its_date_and_weight(r101, promo, ds1, secretary):
    wb = _book(feuille.build_feuille(enseignement=r101, annee=ANNEE))
    ws = wb.worksheets[0]
    ws.cell(HEADER_ROW, 5, "TP noté")
    ws.cell(DATE_ROW, 5, "12/11/2026")
    ws.cell(WEIGHT_ROW, 5, "2,5")
    ws.cell(_row_of(ws, "26000003"), 5, "ABI")
    ws.cell(HEADER_ROW, 6, "Oral")  # a new column without grades yet: created too
    outcome = _upload(r101, _save(wb), secretary)
    assert sorted(outcome.created_evaluations) == ["Oral", "TP noté"]
    tp = Evaluation.objects.get(enseignement=r101, annee=ANNEE, label="TP noté")
    assert (tp.date, tp.weight) == (date(2026, 11, 12), Decimal("2.5"))
    assert Grade.objects.get(evaluation=tp).mark == "ABI"
    assert Evaluation.objects.filter(label="Oral").exists()


def test_a_column_without_grades_updates_its_evaluation_with_its_author(r101, promo, ds1, secretary):
    wb = _book(feuille.build_feuille(enseignement=r101, annee=ANNEE))
    ws = wb.worksheets[0]
    ws.cell(WEIGHT_ROW, 4, "3")  # DS1, no grade yet: only its coefficient changes
    outcome = _upload(r101, _save(wb), secretary)
    assert outcome.updated_evaluations == ["DS1"] and outcome.created_evaluations == []
    ds1.refresh_from_db()
    assert (ds1.date, ds1.weight) == (date(2026, 10, 5), Decimal("3"))
    assert ds1.history.latest().history_user == secretary
    again = _upload(r101, _save(wb), secretary)
    assert again.updated_evaluations == []


def test_header_matching_is_case_and_accent_insensitive(r101, promo, ds1, secretary):
    wb = _book(feuille.build_feuille(enseignement=r101, annee=ANNEE))
    ws = wb.worksheets[0]
    ws.cell(HEADER_ROW, 4, "ds1 ")
    ws.cell(_row_of(ws, "26000001"), 4, 11)
    _upload(r101, _save(wb), secretary)
    assert Evaluation.objects.filter(enseignement=r101).count() == 1
    assert Grade.objects.get(enrolment=promo[0]).evaluation == ds1


def test_reuploading_the_same_sheet_changes_nothing(r101, promo, ds1, secretary):
    wb = _book(feuille.build_feuille(enseignement=r101, annee=ANNEE))
    ws = wb.worksheets[0]
    ws.cell(_row_of(ws, "26000001"), 4, "13.5")
    data = _save(wb)
    _upload(r101, data, secretary)
    again = _upload(r101, data, secretary)
    assert (again.report.created, again.report.updated) == (0, 0)
    assert Grade.history.count() == 1


def test_a_grade_changed_online_since_the_download_is_not_overwritten(r101, promo, ds1, secretary):
    grade = Grade.objects.create(enrolment=promo[0], evaluation=ds1, value=Decimal("10"))
    wb = _book(feuille.build_feuille(enseignement=r101, annee=ANNEE))
    grade.value, grade.version = Decimal("16"), grade.version + 1  # someone corrects it online
    grade.save()
    ws = wb.worksheets[0]
    row = _row_of(ws, "26000001")
    # untouched in the sheet: silently kept as it is now
    outcome = _upload(r101, _save(wb), secretary)
    assert outcome.unchanged_since_download == 1
    grade.refresh_from_db()
    assert grade.value == Decimal("16")
    # changed in the sheet too: refused on its cell
    ws.cell(row, 4, 11)
    with pytest.raises(ImportFailed) as exc:
        _upload(r101, _save(wb), secretary)
    assert exc.value.errors[0].cell == f"D{row}"
    assert "modifiée dans l'application depuis le téléchargement" in exc.value.errors[0].message
    grade.refresh_from_db()
    assert grade.value == Decimal("16")


def test_the_sheet_of_another_enseignement_is_refused(r101, promo, ds1, secretary, maquette):
    from juries.models import Enseignement

    other = Enseignement.objects.get(code="R1.02")
    data = feuille.build_feuille(enseignement=other, annee=ANNEE)
    with pytest.raises(ImportFailed) as exc:
        _upload(r101, data, secretary)
    assert "R1.02" in str(exc.value)


def test_formulas_and_duplicates_are_refused_by_cell_in_one_pass(r101, promo, ds1, secretary):
    wb = _book(feuille.build_feuille(enseignement=r101, annee=ANNEE))
    ws = wb.worksheets[0]
    ws.cell(_row_of(ws, "26000001"), 4, "=10+2")
    ws.cell(HEADER_ROW, 5, "DS1")
    with pytest.raises(ImportFailed) as exc:
        _upload(r101, _save(wb), secretary)
    # The formula does not hide the other fault: both are reported by the first upload.
    assert [e.cell for e in exc.value.errors] == [f"E{HEADER_ROW}", f"D{_row_of(ws, '26000001')}"]
    assert "formule refusée" in exc.value.errors[1].message
    ws.cell(_row_of(ws, "26000001"), 4, 10)
    with pytest.raises(ImportFailed) as exc:
        _upload(r101, _save(wb), secretary)
    assert [e.cell for e in exc.value.errors] == [f"E{HEADER_ROW}"]
    assert "en double" in exc.value.errors[0].message


def test_abs_needs_the_evaluation_date_reported_on_the_date_cell(r101, promo, secretary):
    Evaluation.objects.create(enseignement=r101, annee=ANNEE, label="Quiz")
    wb = _book(feuille.build_feuille(enseignement=r101, annee=ANNEE))
    ws = wb.worksheets[0]
    ws.cell(_row_of(ws, "26000001"), 4, "ABS")
    with pytest.raises(ImportFailed) as exc:
        _upload(r101, _save(wb), secretary)
    assert [e.cell for e in exc.value.errors] == [f"D{DATE_ROW}"]
    assert exc.value.errors[0].message.startswith("A8 : ABS demande la date")


def test_a_deliberated_semester_is_refused_once(r101, promo, ds1, secretary, maquette):
    from juries.models import Semester

    JurySession.objects.create(formation=maquette, semester=Semester.objects.get(number=1), annee=ANNEE,
                               date=date(2027, 1, 28), president=secretary, state=JurySession.State.DELIBERATED)
    wb = _book(feuille.build_feuille(enseignement=r101, annee=ANNEE))
    ws = wb.worksheets[0]
    ws.cell(_row_of(ws, "26000001"), 4, 12)
    ws.cell(_row_of(ws, "26000002"), 4, 13)
    with pytest.raises(ImportFailed) as exc:
        _upload(r101, _save(wb), secretary)
    assert len(exc.value.errors) == 1 and exc.value.errors[0].message.startswith("E3")


def test_dry_run_checks_without_writing(r101, promo, ds1, secretary):
    wb = _book(feuille.build_feuille(enseignement=r101, annee=ANNEE))
    ws = wb.worksheets[0]
    ws.cell(_row_of(ws, "26000001"), 4, 12)
    ws.cell(HEADER_ROW, 5, "Oral")
    outcome = _upload(r101, _save(wb), secretary, dry_run=True)
    assert outcome.report.created == 1 and outcome.created_evaluations == ["Oral"]
    assert not Grade.objects.exists() and not Evaluation.objects.filter(label="Oral").exists()


def test_names_starting_like_a_formula_are_text_cells_in_the_sheet(r101, maquette, ds1, secretary):
    enrol(StudentFactory(numero="26000009", nom="=HYPERLINK(\"http://x\")", prenom="+Léa"), 1, ANNEE)
    Evaluation.objects.create(enseignement=r101, annee=ANNEE, label="-Bonus", date=date(2026, 10, 6))
    wb = _book(feuille.build_feuille(enseignement=r101, annee=ANNEE))
    ws = wb.worksheets[0]
    row = _row_of(ws, "26000009")
    # XLSX text cells cannot run: no formula, and no stray quote shown before the name.
    assert ws.cell(row, 2).value == "=HYPERLINK(\"http://x\")" and ws.cell(row, 2).data_type == "s"
    assert ws.cell(row, 3).value == "+Léa" and ws.cell(row, 3).data_type == "s"
    col = [ws.cell(HEADER_ROW, c).value for c in range(1, 6)].index("-Bonus") + 1
    ws.cell(row, col, 1)
    _upload(r101, _save(wb), secretary)  # the quote is not taken as part of the label on the way back
    assert Grade.objects.get(evaluation__label="-Bonus").value == 1


def test_csv_feuille_is_accepted(r101, promo, ds1, secretary):
    text = ("numero;nom;prenom;DS1\ndate;;;05/10/2026\ncoefficient;;;1\n26000001;Martin;Léa;8,25\n")
    outcome = feuille.upload_feuille(enseignement=r101, annee=ANNEE, data=text.encode(), filename="f.csv",
                                     user=secretary)
    assert outcome.report.created == 1
    assert Grade.objects.get().value == Decimal("8.25")


def test_an_ods_file_is_refused_in_french(r101, secretary):
    with pytest.raises(ImportFailed) as exc:
        feuille.upload_feuille(enseignement=r101, annee=ANNEE, data=b"PK\x03\x04...", filename="f.ods", user=secretary)
    assert ".xlsx" in str(exc.value)


def test_a_column_sorted_alone_is_shown_with_a_warning_and_written_only_once_confirmed(client, r101, ds1, secretary):
    """Issue 14: sorting one column in the spreadsheet moves grades away from their students."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    grades = {}
    for i, value in enumerate(["8", "15.5", "11", "19", "4.25", "13"]):
        e = enrol(StudentFactory(numero=f"2600010{i}", nom=f"Nom{i}", prenom="X"), 1, ANNEE)
        grades[e.student.numero] = Grade.objects.create(enrolment=e, evaluation=ds1, value=Decimal(value))
    wb = _book(feuille.build_feuille(enseignement=r101, annee=ANNEE))
    ws = wb.worksheets[0]
    rows = range(FIRST_STUDENT_ROW, ws.max_row + 1)
    column = sorted((ws.cell(r, 4).value for r in rows), reverse=True)  # the grades column sorted alone
    for r, value in zip(rows, column, strict=True):
        ws.cell(r, 4, value)
    client.force_login(secretary)
    url = reverse("secretariat:feuille_upload", args=[ANNEE, "R1.01"])
    before = sorted((g.pk, g.value, g.version) for g in Grade.objects.all())
    preview = client.post(url, {"fichier": SimpleUploadedFile("feuille.xlsx", _save(wb))})
    html = preview.content.decode()
    assert preview.status_code == 200 and 'id="mass-change"' in html
    assert "la colonne a sans doute été triée seule" in html
    mass = preview.context["outcome"].mass_changes
    assert [(m.evaluation, m.permutation) for m in mass] == [("DS1", True)] and mass[0].changed >= 5
    # per student, old → new
    change = next(c for c in preview.context["outcome"].changes if c.numero == "26000100")
    assert change.old == "8,00" and change.new != "8,00"
    assert sorted((g.pk, g.value, g.version) for g in Grade.objects.all()) == before  # nothing written
    cancel = client.post(url, {"etape": "annuler", "token": preview.context["token"]})
    assert cancel.status_code == 302
    assert sorted((g.pk, g.value, g.version) for g in Grade.objects.all()) == before
    # the cancelled file is gone: its token cannot confirm anything
    client.post(url, {"etape": "confirmer", "token": preview.context["token"]})
    assert sorted((g.pk, g.value, g.version) for g in Grade.objects.all()) == before
    preview = client.post(url, {"fichier": SimpleUploadedFile("feuille.xlsx", _save(wb))})
    done = client.post(url, {"etape": "confirmer", "token": preview.context["token"]})
    assert "Feuille enregistrée" in done.content.decode()
    assert sorted((g.pk, g.value, g.version) for g in Grade.objects.all()) != before
    assert Grade.objects.get(enrolment__student__numero="26000100").display == change.new


def test_a_deleted_row_is_reported_as_left_as_it_is(r101, promo, ds1, secretary):
    Grade.objects.create(enrolment=promo[1], evaluation=ds1, value=Decimal("10"))
    wb = _book(feuille.build_feuille(enseignement=r101, annee=ANNEE))
    ws = wb.worksheets[0]
    ws.delete_rows(_row_of(ws, "26000002"))
    outcome = _upload(r101, _save(wb), secretary, dry_run=True)
    assert outcome.removed == ["Bernard Hugo (26000002)"]
    assert Grade.objects.get(enrolment=promo[1]).value == Decimal("10")


def test_the_sheet_prints_one_page_wide_and_validates_grade_cells(r101, promo, ds1):
    ws = _book(feuille.build_feuille(enseignement=r101, annee=ANNEE)).worksheets[0]
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == f"${HEADER_ROW}:${WEIGHT_ROW}"
    [dv] = ws.data_validations.dataValidation
    assert f"D{FIRST_STUDENT_ROW}" in str(dv.sqref) and "ABI" in dv.formula1 and "0 à 20" in dv.prompt
    assert ws.column_dimensions["A"].width >= len("Enseignement") + 2
    assert ws.row_dimensions[3].height >= 60  # the instructions are not cut off


def test_a_feuille_saved_as_csv_by_a_french_libreoffice_is_read(r101, promo, ds1, secretary):
    """LibreOffice « Enregistrer sous… Texte CSV » with its French defaults: Windows-1252, `;`,
    cells as shown (decimal comma, two-digit years in a new column's date)."""
    Grade.objects.create(enrolment=promo[0], evaluation=ds1, value=Decimal("14.5"))
    text = (
        "Enseignement;R1.01;Introduction à la qualité;;\n"
        f"Année;{ANNEE};Groupe;tous;\n"
        "Notes de 0 à 20…;;;;\n"
        ";;;;\n"
        "numero;nom;prenom;DS1;Contrôle n°2\n"
        "date (JJ/MM/AAAA);;;05/10/2026;20/11/26\n"
        "coefficient;;;1;1,5\n"
        "26000002;Bernard;Hugo;12,75;ABI\n"
        "26000003;Durand;Inès;;9,5\n"
        "26000001;Martin;Léa;14,50;11\n"
    )
    outcome = feuille.upload_feuille(enseignement=r101, annee=ANNEE, data=text.encode("cp1252"),
                                     filename="feuille.csv", user=secretary)
    assert outcome.created_evaluations == ["Contrôle n°2"]
    ev = Evaluation.objects.get(label="Contrôle n°2")
    assert ev.date == date(2026, 11, 20) and ev.weight == Decimal("1.5")
    got = {(g.enrolment.student.numero, g.evaluation.label): g.display
           for g in Grade.objects.select_related("enrolment__student", "evaluation")}
    assert got == {("26000001", "DS1"): "14,50", ("26000002", "DS1"): "12,75", ("26000002", "Contrôle n°2"): "ABI",
                   ("26000003", "Contrôle n°2"): "9,50", ("26000001", "Contrôle n°2"): "11,00"}


def test_a_label_like_a_formula_keeps_the_download_versions(r101, promo, secretary):
    ev = Evaluation.objects.create(enseignement=r101, annee=ANNEE, label="=1+1", date=date(2026, 10, 6))
    Grade.objects.create(enrolment=promo[0], evaluation=ev, value=Decimal("10"))
    data = feuille.build_feuille(enseignement=r101, annee=ANNEE)
    assert feuille._downloaded_state(data) == {("26000001", "=1+1"): (1, "10.00")}

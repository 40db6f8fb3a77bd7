"""The secretariat pages as a secretary sees them: text, numbers and files, not just status codes."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from juries.models import Absence, Grade
from juries.services import feuille
from juries.services.absences import declare_absence
from juries.services.feuille import FIRST_STUDENT_ROW
from tests.factories import StudentFactory, enrol

from .conftest import ANNEE

pytestmark = pytest.mark.django_db


def test_index_lists_the_enseignements_of_the_year_by_semester(client, secretary, promo, ds1):
    client.force_login(secretary)
    html = client.get(reverse("secretariat:index")).content.decode()
    assert "Semestre 1" in html and "R1.01" in html and "SAÉ1.01" in html
    assert reverse("secretariat:enseignement", args=[ANNEE, "R1.01"]) in html
    assert "Déclarer une absence" in html


def test_enseignement_page_shows_evaluations_counts_and_the_empty_cell_rule(client, secretary, promo, ds1):
    Grade.objects.create(enrolment=promo[0], evaluation=ds1, value=Decimal("12"))
    client.force_login(secretary)
    html = client.get(reverse("secretariat:enseignement", args=[ANNEE, "R1.01"])).content.decode()
    assert "DS1" in html and "05/10/2026" in html and "1 / 3" in html
    assert "Une case vide n'efface jamais une note déjà enregistrée" in html
    assert '<option value="G1">' in html and '<option value="G2">' in html


def test_feuille_download_is_an_xlsx_named_after_the_enseignement(client, secretary, promo, ds1):
    client.force_login(secretary)
    response = client.get(reverse("secretariat:feuille", args=[ANNEE, "R1.01"]) + "?groupe=G1")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="feuille_R1.01_2026-2027_G1.xlsx"' in response["Content-Disposition"]
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [ws.cell(r, 1).value for r in range(FIRST_STUDENT_ROW, ws.max_row + 1)] == ["26000002", "26000001"]


def _filled(r101, **cells) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(feuille.build_feuille(enseignement=r101, annee=ANNEE)))
    ws = wb.worksheets[0]
    for numero, value in cells.items():
        row = next(r for r in range(FIRST_STUDENT_ROW, ws.max_row + 1) if ws.cell(r, 1).value == numero[1:])
        ws.cell(row, 4, value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_feuille_upload_page_shows_errors_by_cell_then_the_result(client, secretary, promo, ds1, r101):
    client.force_login(secretary)
    url = reverse("secretariat:feuille_upload", args=[ANNEE, "R1.01"])
    bad = client.post(url, {"fichier": SimpleUploadedFile("f.xlsx", _filled(r101, n26000001="12,5", n26000002="x"))})
    html = bad.content.decode()
    assert bad.status_code == 400 and "Feuille refusée : rien n'a été enregistré" in html
    assert ">D8<" in html and "n&#x27;est pas une note" in html
    assert not Grade.objects.exists()
    preview = client.post(url, {"fichier": SimpleUploadedFile("f.xlsx", _filled(r101, n26000001="12,5", n26000002="9"))})
    html = preview.content.decode()
    assert preview.status_code == 200 and "Aperçu avant enregistrement" in html and "2 notes à créer" in html
    assert not Grade.objects.exists()  # nothing written before the confirmation
    good = client.post(url, {"etape": "confirmer", "token": preview.context["token"]})
    html = good.content.decode()
    assert good.status_code == 200 and "Feuille enregistrée" in html and "2 notes créées" in html
    assert Grade.objects.count() == 2


def test_feuille_check_only_saves_nothing(client, secretary, promo, ds1, r101):
    client.force_login(secretary)
    url = reverse("secretariat:feuille_upload", args=[ANNEE, "R1.01"])
    response = client.post(url, {"fichier": SimpleUploadedFile("f.xlsx", _filled(r101, n26000001="12")),
                                 "verifier": "1"})
    html = response.content.decode()
    assert "Vérification de la feuille" in html and "confirm-feuille" not in html  # no confirm button
    assert not Grade.objects.exists()


def test_a_checked_feuille_is_saved_from_its_report_without_choosing_the_file_again(client, secretary, promo, ds1,
                                                                                      r101):
    client.force_login(secretary)
    url = reverse("secretariat:feuille_upload", args=[ANNEE, "R1.01"])
    checked = client.post(url, {"fichier": SimpleUploadedFile("f.xlsx", _filled(r101, n26000001="12,5")),
                                "verifier": "1"})
    html = checked.content.decode()
    assert 'id="save-checked-feuille"' in html and "Enregistrer ce fichier" in html
    assert not Grade.objects.exists()
    token = checked.context["token"]
    saved = client.post(url, {"etape": "confirmer", "token": token})
    assert saved.status_code == 200 and "Feuille enregistrée" in saved.content.decode()
    assert Grade.objects.get(enrolment=promo[0]).value == Decimal("12.5")
    again = client.post(url, {"etape": "confirmer", "token": token}, follow=True)  # one use only
    assert "Aperçu expiré ou déjà utilisé" in again.content.decode() and Grade.objects.count() == 1


def test_a_checked_feuille_that_changes_nothing_offers_nothing_to_save(client, secretary, promo, ds1, r101):
    client.force_login(secretary)
    url = reverse("secretariat:feuille_upload", args=[ANNEE, "R1.01"])
    checked = client.post(url, {"fichier": SimpleUploadedFile("f.xlsx", _filled(r101)), "verifier": "1"})
    html = checked.content.decode()
    assert "save-checked-feuille" not in html and "Rien à enregistrer" in html


def test_declaring_an_absence_then_depositing_the_justificatif(client, secretary, promo):
    client.force_login(secretary)
    response = client.post(reverse("secretariat:absence_new"), {
        "numero": "26000003", "start": "2026-10-05T08:00", "end": "2026-10-05T12:00", "hours": "4",
        "declared_at": "2026-10-05T08:30", "channel": "telephone", "reason": "autre"})
    absence = Absence.objects.get()
    assert response.status_code == 302 and response.url == reverse("secretariat:absence_detail", args=[absence.pk])
    html = client.get(response.url).content.decode()
    assert "Injustifiée" in html and "aucun justificatif déposé" in html
    client.post(response.url, {"deposited_at": "2026-10-06T10:00", "employer_informed": "on"})
    html = client.get(response.url).content.decode()
    # in time (25 h 30) but the student is an alternant and "autre" is not a Code du travail reason (A5)
    assert "Injustifiée" in html and "non recevable (Code du travail)" in html and "25 h 30" in html


def test_declaring_for_an_unknown_student_or_end_before_start_is_refused_in_french(client, secretary, promo):
    client.force_login(secretary)
    base = {"start": "2026-10-05T08:00", "end": "2026-10-05T12:00", "declared_at": "2026-10-05T08:30",
            "channel": "telephone", "reason": "autre"}
    html = client.post(reverse("secretariat:absence_new"), {**base, "numero": "99"}).content.decode()
    assert "Aucun étudiant ne correspond à « 99 »" in html
    html = client.post(reverse("secretariat:absence_new"),
                       {**base, "numero": "26000001", "end": "2026-10-05T07:00"}).content.decode()
    assert "La fin de l&#x27;absence précède son début" in html
    assert not Absence.objects.exists()


def test_every_error_of_the_declaration_is_shown_at_once(client, secretary, promo):
    client.force_login(secretary)
    response = client.post(reverse("secretariat:absence_new"), {
        "numero": "Inconnu", "start": "2026-10-05T08:00", "end": "2026-10-05T07:00", "declared_at": "",
        "channel": "telephone", "reason": "autre", "hours": "beaucoup"})
    html = response.content.decode()
    assert response.status_code == 400 and "Rien n'a été enregistré : 4 champs à corriger" in html
    assert "Aucun étudiant ne correspond à « Inconnu »" in html  # the student
    assert "La fin de l&#x27;absence précède son début" in html  # the order of the times
    assert html.count('class="error"') == 4  # and the declaration date, the hours: each under its field
    assert not Absence.objects.exists()


def test_an_absence_is_declared_by_name_or_by_the_list_choice(client, secretary, promo):
    client.force_login(secretary)
    base = {"start": "2026-10-05T08:00", "end": "2026-10-05T12:00", "declared_at": "2026-10-05T08:30",
            "channel": "telephone", "reason": "maladie"}
    assert client.post(reverse("secretariat:absence_new"), {**base, "numero": "durand"}).status_code == 302
    assert client.post(reverse("secretariat:absence_new"),
                       {**base, "numero": "MARTIN Léa (26000001)"}).status_code == 302
    assert sorted(Absence.objects.values_list("student__numero", flat=True)) == ["26000001", "26000003"]
    StudentFactory(numero="26000099", nom="Martinez", prenom="Luc")
    html = client.post(reverse("secretariat:absence_new"), {**base, "numero": "mart"}).content.decode()
    assert "Plusieurs étudiants correspondent à « mart »" in html and "MARTINEZ Luc (26000099)" in html


def test_the_student_search_answers_the_secretariat_with_a_bounded_list(client, secretary, teacher, promo):
    url = reverse("secretariat:student_search")
    client.force_login(secretary)
    got = client.get(url, {"q": "lé mar"}).json()["results"]
    assert got == [{"numero": "26000001", "nom": "Martin", "prenom": "Léa", "label": "MARTIN Léa (26000001)"}]
    assert client.get(url, {"q": "2600000"}).json()["results"][0]["numero"] == "26000002"  # by number, sorted by name
    for i in range(30):
        StudentFactory(numero=f"2700{i:04d}", nom=f"Dupont{i}", prenom="Jean")
    assert len(client.get(url, {"q": "dupont"}).json()["results"]) == 15
    assert client.get(url, {"q": "d"}).json()["results"] == []  # one letter: no list
    client.force_login(teacher)
    assert client.get(url, {"q": "martin"}).status_code == 403


def test_student_absences_page_shows_the_etat_per_semester(client, secretary, promo):
    declare_absence(student=promo[0].student, start=datetime(2026, 10, 5, 8), end=datetime(2026, 10, 5, 12),
                    declared_at=datetime(2026, 10, 5, 8), justificatif_at=datetime(2026, 10, 6, 8),
                    channel="email", reason="maladie", hours=Decimal("3.5"), by=secretary)
    client.force_login(secretary)
    html = client.get(reverse("secretariat:student_absences", args=["26000001"])).content.decode()
    assert "S1 2026-2027" in html and "3,5" in html and "Justifiée" in html


def test_etat_des_absences_page_and_its_exports(client, secretary, promo):
    declare_absence(student=promo[0].student, start=datetime(2026, 10, 5, 8), end=datetime(2026, 10, 5, 12),
                    declared_at=datetime(2026, 10, 6, 9), channel="email", reason="maladie", hours=Decimal("4"),
                    by=secretary)
    client.force_login(secretary)
    url = reverse("secretariat:etat_absences")
    html = client.get(url, {"annee": ANNEE, "semestre": "1"}).content.decode()
    assert "S1 2026-2027" in html and "Martin" in html and "déclarée tardivement" in html
    response = client.get(url, {"annee": ANNEE, "semestre": "1", "format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:7] == ["numero", "nom", "prenom", "groupe", "regime", "absences justifiees", "absences injustifiees"]
    martin = next(r for r in rows if r[0] == "26000001")
    assert martin[5:9] == ["0", "1", "0", "4"]
    xlsx = client.get(url, {"annee": ANNEE, "semestre": "1", "format": "xlsx"})
    ws = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert ws["A1"].value == "numero" and ws.max_row == 4


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_etat_export_neutralises_formulas(client, secretary, maquette, fmt):
    enrol(StudentFactory(numero="26000090", nom="=cmd|' /C calc'!A0", prenom="@Léa"), 1, ANNEE, group="-G1")
    client.force_login(secretary)
    response = client.get(reverse("secretariat:etat_absences"), {"annee": ANNEE, "semestre": "1", "format": fmt})
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
        assert rows[1][1:4] == ["'=cmd|' /C calc'!A0", "'@Léa", "'-G1"]
    else:
        ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
        # XLSX text cells cannot run: the text as it is, never a formula.
        assert [c.value for c in ws[2]][1:4] == ["=cmd|' /C calc'!A0", "@Léa", "-G1"]
        assert all(c.data_type != "f" for r in ws.iter_rows() for c in r)


def test_register_search(client, secretary, promo):
    for e in promo:
        declare_absence(student=e.student, start=datetime(2026, 10, 5, 8), end=datetime(2026, 10, 5, 12),
                        declared_at=datetime(2026, 10, 5, 8), channel="email", reason="maladie", by=secretary)
    client.force_login(secretary)
    html = client.get(reverse("secretariat:absences"), {"q": "durand"}).content.decode()
    assert "DURAND" in html and "MARTIN" not in html

"""Audit: a grade change through every path leaves a history row with who, when, before and after."""

from __future__ import annotations

import io
from datetime import datetime
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from juries.models import Absence, Enrolment, Grade, Stage
from juries.services import feuille
from juries.services.feuille import FIRST_STUDENT_ROW

from .conftest import ANNEE

pytestmark = pytest.mark.django_db


@pytest.fixture
def grade(promo, ds1):
    """A grade of 10 recorded earlier by someone else."""
    return Grade.objects.create(enrolment=promo[0], evaluation=ds1, value=Decimal("10"))


def _assert_change(grade, user, old: str, new: str) -> None:
    last = grade.history.order_by("-history_date", "-history_id").first()
    assert last.history_user == user
    assert last.history_type == "~"
    delta = last.diff_against(last.prev_record)
    changes = {c.field: (c.old, c.new) for c in delta.changes}
    assert changes["value"] == (Decimal(old), Decimal(new))
    assert last.version == last.prev_record.version + 1


def test_admin_change_is_audited(client, secretary, grade, promo, ds1):
    client.force_login(secretary)
    client.post(reverse("admin:juries_grade_change", args=[grade.pk]),
                {"enrolment": promo[0].pk, "evaluation": ds1.pk, "value": "11", "mark": "", "version": "1"})
    _assert_change(grade, secretary, "10", "11")


def test_grade_entry_page_change_is_audited(client, secretary, grade, ds1):
    client.force_login(secretary)
    e = grade.enrolment
    client.post(reverse("secretariat:saisie", args=[ds1.pk]),
                {f"note-{e.pk}": "12,5", f"version-{e.pk}": "1", f"initial-{e.pk}": "10,00"})
    _assert_change(grade, secretary, "10", "12.5")


def test_feuille_upload_change_is_audited(client, secretary, grade, r101):
    wb = openpyxl.load_workbook(io.BytesIO(feuille.build_feuille(enseignement=r101, annee=ANNEE)))
    ws = wb.worksheets[0]
    row = next(r for r in range(FIRST_STUDENT_ROW, ws.max_row + 1) if ws.cell(r, 1).value == "26000001")
    ws.cell(row, 4, 13)
    out = io.BytesIO()
    wb.save(out)
    client.force_login(secretary)
    url = reverse("secretariat:feuille_upload", args=[ANNEE, "R1.01"])
    preview = client.post(url, {"fichier": SimpleUploadedFile("feuille.xlsx", out.getvalue())})
    response = client.post(url, {"etape": "confirmer", "token": preview.context["token"]})
    assert response.status_code == 200
    _assert_change(grade, secretary, "10", "13")


def test_admin_import_change_is_audited(client, secretary, grade):
    client.force_login(secretary)
    url = reverse("admin:juries_grade_contract_import")
    content = "numero;annee;semestre;code;evaluation;note\n26000001;2026-2027;1;R1.01;DS1;14\n"
    preview = client.post(url, {"fichier": SimpleUploadedFile("n.csv", content.encode())})
    client.post(url, {"step": "confirm", "token": preview.context["token"]})
    _assert_change(grade, secretary, "10", "14")


def test_import_service_records_the_user_it_is_given(secretary, grade):
    from juries.services.imports import import_file

    content = "numero;annee;semestre;code;evaluation;note\n26000001;2026-2027;1;R1.01;DS1;15\n"
    import_file(kind="grades", data=content.encode(), filename="n.csv", user=secretary)
    _assert_change(grade, secretary, "10", "15")


def test_a_grade_loaded_without_history_gets_its_old_value_recorded(secretary, promo, ds1):
    """Bulk loads (the demo) write no history: the first change still shows the value it replaced."""
    from juries.services.imports import import_file

    Grade.objects.bulk_create([Grade(enrolment=promo[0], evaluation=ds1, value=Decimal("10"))])
    grade = Grade.objects.get()
    assert not grade.history.exists()
    content = "numero;annee;semestre;code;evaluation;note\n26000001;2026-2027;1;R1.01;DS1;15\n"
    import_file(kind="grades", data=content.encode(), filename="n.csv", user=secretary)
    _assert_change(grade, secretary, "10", "15")
    assert grade.history.earliest("history_date").history_user is None  # the author of the old state is unknown


def test_the_grade_history_page_shows_who_and_the_old_and_new_values(client, secretary, grade, ds1):
    client.force_login(secretary)
    e = grade.enrolment
    client.post(reverse("secretariat:saisie", args=[ds1.pk]),
                {f"note-{e.pk}": "16", f"version-{e.pk}": "1", f"initial-{e.pk}": "10,00"})
    html = client.get(reverse("admin:juries_grade_history", args=[grade.pk])).content.decode()
    assert "Sophie Vidal (secretaire)" in html and "Modification" in html
    assert "<strong>Note</strong> : 10.00 → 16.00" in html and "R1.01 DS1 (2026-2027): 16,00" in html


def test_absence_enrolment_and_stage_writes_are_audited_with_the_user(client, secretary, promo):
    client.force_login(secretary)
    client.post(reverse("secretariat:absence_new"), {
        "numero": "26000001", "start": "2026-10-05T08:00", "end": "2026-10-05T12:00",
        "declared_at": "2026-10-05T08:30", "channel": "telephone", "reason": "maladie"})
    absence = Absence.objects.get()
    client.post(reverse("secretariat:absence_detail", args=[absence.pk]), {"deposited_at": "2026-10-06T09:00"})
    records = list(absence.history.order_by("history_date"))
    assert [(r.history_type, r.history_user) for r in records] == [("+", secretary), ("~", secretary)]
    assert (records[0].justificatif_at, records[1].justificatif_at.isoformat()) == (None, "2026-10-06T07:00:00+00:00")

    url = reverse("admin:juries_enrolment_contract_import")
    content = "numero;nom;prenom;annee;semestre;regime\n26000001;Martin;Léa;2026-2027;1;FA\n"
    preview = client.post(url, {"fichier": SimpleUploadedFile("i.csv", content.encode())})
    client.post(url, {"step": "confirm", "token": preview.context["token"]})
    last = Enrolment.objects.get(pk=promo[0].pk).history.latest("history_date")
    assert (last.history_user, last.regime, last.prev_record.regime) == (secretary, "FA", "FI")

    from tests.factories import StudentFactory, enrol

    enrol(StudentFactory(numero="26000077"), 4, ANNEE)
    url = reverse("admin:juries_stage_contract_import")
    content = "numero;annee;semestre;debut;fin\n26000077;2026-2027;4;2027-04-05;2027-06-11\n"
    preview = client.post(url, {"fichier": SimpleUploadedFile("s.csv", content.encode())})
    client.post(url, {"step": "confirm", "token": preview.context["token"]})
    assert Stage.objects.get().history.get().history_user == secretary


def test_an_absence_declared_at_an_ambiguous_time_is_refused_on_the_page(client, secretary, promo):
    client.force_login(secretary)
    response = client.post(reverse("secretariat:absence_new"), {
        "numero": "26000001", "start": "2026-10-25T02:30", "end": "2026-10-25T12:00",
        "declared_at": "2026-10-25T09:00", "channel": "telephone", "reason": "maladie"})
    assert response.status_code == 400 and "ambiguë" in response.content.decode()
    assert not Absence.objects.exists()


def test_the_history_of_a_declared_absence_names_the_secretary(secretary, promo):
    from juries.services.absences import declare_absence

    a = declare_absence(student=promo[0].student, start=datetime(2026, 10, 5, 8), end=datetime(2026, 10, 5, 12),
                        declared_at=datetime(2026, 10, 5, 8), channel="email", reason="maladie", by=secretary)
    assert a.history.get().history_user == secretary

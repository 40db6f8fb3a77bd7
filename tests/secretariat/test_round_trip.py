"""Export → import of every admin export that has an import, and of the feuille de notes, changes
nothing (issue 14): names and labels a spreadsheet would run, decimals, marks, dates, date-times."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from juries.models import Absence, Enrolment, Evaluation, Grade, Mobility, Stage, Student
from juries.services import feuille
from juries.services.absences import declare_absence
from juries.services.imports import import_file
from tests.factories import EvaluationFactory, StudentFactory, enrol

from .conftest import ANNEE

pytestmark = pytest.mark.django_db

FORMATS = [pytest.param(0, "csv", id="csv"), pytest.param(1, "xlsx", id="xlsx")]


@pytest.fixture
def cursus(maquette, secretary, r101):
    """Students whose names look like formulas, grades with decimals and marks, a decimal
    coefficient, evaluations whose labels look like formulas, absences, a stage, a mobility."""
    a = StudentFactory(numero="26000001", nom="-Lefèvre", prenom="Léa", email="lea@example.fr")
    b = StudentFactory(numero="26000002", nom="=1+1", prenom="@Hugo")
    c = StudentFactory(numero="26000003", nom="O'Neil", prenom="+Inès")
    ea, eb = enrol(a, 1, ANNEE, group="G1"), enrol(b, 1, ANNEE, group="G1", regime="FA")
    enrol(c, 1, ANNEE, group="G2")
    e4 = enrol(a, 4, "2027-2028", regime="FA")
    e3 = enrol(b, 3, "2027-2028")
    ds1 = EvaluationFactory(enseignement=r101, annee=ANNEE, label="=1+1", date=date(2026, 10, 5), weight=Decimal("1.5"))
    ds2 = EvaluationFactory(enseignement=r101, annee=ANNEE, label="+33 bonus", date=date(2026, 11, 20))
    Grade.objects.create(enrolment=ea, evaluation=ds1, value=Decimal("12.5"))
    Grade.objects.create(enrolment=eb, evaluation=ds1, mark="ABS")
    Grade.objects.create(enrolment=ea, evaluation=ds2, value=Decimal("7.25"))
    Grade.objects.create(enrolment=eb, evaluation=ds2, value=Decimal("20"))
    declare_absence(student=a, start=datetime(2026, 11, 20, 8), end=datetime(2026, 11, 20, 12),
                    declared_at=datetime(2026, 11, 20, 8, 30), justificatif_at=datetime(2026, 11, 21, 9),
                    channel="telephone", reason="maladie", by=secretary)
    declare_absence(student=b, start=datetime(2026, 10, 5, 8), end=datetime(2026, 10, 5, 10),
                    declared_at=datetime(2026, 10, 6, 8), channel="email", reason="autre", by=secretary)
    Stage.objects.create(enrolment=e4, start=date(2028, 4, 5), end=date(2028, 6, 11), company="-Bosch & Fils")
    Mobility.objects.create(enrolment=e3, institution="@Universidad de Zaragoza")


def _state() -> dict:
    return {
        "students": sorted(Student.objects.values_list("numero", "nom", "prenom", "email")),
        "enrolments": sorted(Enrolment.objects.values_list("student__numero", "annee", "semester__number", "regime",
                                                           "redoublement", "amenagement", "parcours__code", "status")),
        "evaluations": sorted(Evaluation.objects.values_list("enseignement__code", "annee", "label", "date", "weight")),
        "grades": sorted(Grade.objects.values_list("enrolment__student__numero", "evaluation__label", "value", "mark",
                                                   "version")),
        "absences": sorted(Absence.objects.values_list("student__numero", "start", "end", "declared_at",
                                                       "justificatif_at", "reason", "channel")),
        "stages": sorted(Stage.objects.values_list("enrolment__student__numero", "start", "end", "company", "abroad")),
        "mobility": sorted(Mobility.objects.values_list("enrolment__student__numero", "institution")),
        "grade_history": Grade.history.count(),
    }


@pytest.mark.parametrize("fmt, ext", FORMATS)
@pytest.mark.parametrize("model, kind, rows", [
    ("enrolment", "enrolments", 5), ("grade", "grades", 4), ("absence", "absences", 2),
    ("stage", "stages", 1), ("mobility", "mobility", 1),
])
def test_an_admin_export_imported_back_changes_nothing(client, secretary, cursus, model, kind, rows, fmt, ext):
    client.force_login(secretary)
    response = client.post(reverse(f"admin:juries_{model}_export"), {"format": str(fmt)})
    assert response.status_code == 200
    before = _state()
    report = import_file(kind=kind, data=response.content, filename=f"export.{ext}", user=secretary)
    assert (report.created, report.updated, report.unchanged) == (0, 0, rows), report.rows
    assert _state() == before


def test_the_xlsx_export_is_typed(client, secretary, cursus):
    client.force_login(secretary)
    response = client.post(reverse("admin:juries_grade_export"), {"format": "1"})
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in ws[1]]
    rows = {(r[0].value, r[header.index("evaluation")].value): r for r in ws.iter_rows(min_row=2)}
    note = rows[("26000001", "=1+1")][header.index("note")]
    assert note.value == 12.5 and note.number_format == "0.00"  # a number a French spreadsheet shows 12,50
    assert rows[("26000002", "=1+1")][header.index("note")].value == "ABS"
    day = rows[("26000001", "=1+1")][header.index("date")]
    assert day.is_date and day.value.date() == date(2026, 10, 5)
    weight = rows[("26000001", "=1+1")][header.index("coefficient")]
    assert weight.value == 1.5
    label = rows[("26000001", "=1+1")][header.index("evaluation")]
    assert label.data_type == "s" and label.value == "=1+1"  # a text cell: it cannot run


def test_a_downloaded_feuille_uploaded_back_changes_nothing(cursus, secretary, r101):
    data = feuille.build_feuille(enseignement=r101, annee=ANNEE)
    before = _state()
    outcome = feuille.upload_feuille(enseignement=r101, annee=ANNEE, data=data, filename="feuille.xlsx",
                                     user=secretary)
    assert outcome.report.created == 0 and outcome.report.updated == 0
    assert not outcome.created_evaluations and not outcome.updated_evaluations
    assert _state() == before

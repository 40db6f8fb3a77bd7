"""E3 — after deliberation no path changes a grade or a decision of that jury without re-opening
it: admin, import command, ORM save/delete, QuerySet update/delete, bulk_update, bulk_create."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from juries.models import Evaluation, Grade, JuryDecision, JurySession
from juries.models.guards import FrozenError
from juries.services.decisions import DecisionError, deliberate, record_decision, reopen

from .conftest import login, student

pytestmark = pytest.mark.django_db


@pytest.fixture
def frozen(jury, people):
    """A deliberated S2 jury with one student: (jury, enrolments, a grade of S2, its decision)."""
    s, enrolments = student("26000100", "Garnier")
    deliberate(jury=jury, by=people["president"])
    grade = Grade.objects.filter(enrolment=enrolments[2]).order_by("pk").first()
    decision = JuryDecision.objects.get(jury=jury)
    return jury, enrolments, grade, decision


def refused(attempt, match: str = "E3") -> None:
    """The attempt raises FrozenError; its own savepoint keeps the test's transaction usable
    (simple-history's bulk helpers open atomic blocks without savepoint)."""
    with pytest.raises(FrozenError, match=match), transaction.atomic():
        attempt()


def unchanged(grade: Grade, decision: JuryDecision) -> None:
    g = Grade.objects.get(pk=grade.pk)
    assert (g.value, g.mark, g.version) == (grade.value, grade.mark, grade.version)
    d = JuryDecision.objects.get(pk=decision.pk)
    assert (d.decision_annee, d.ue_codes, d.version) == (decision.decision_annee, decision.ue_codes, decision.version)


def test_orm_paths_on_grades_are_refused(frozen):
    jury, enrolments, grade, decision = frozen
    qs = Grade.objects.filter(enrolment=enrolments[2])
    g = Grade.objects.get(pk=grade.pk)
    g.value = Decimal("3")
    attempts = {
        "save": g.save,
        "delete": Grade.objects.get(pk=grade.pk).delete,
        "QuerySet.update": lambda: qs.update(value=Decimal("3")),
        "QuerySet.delete": qs.delete,
        "related manager": lambda: enrolments[2].grades.all().update(value=Decimal("1")),
        "bulk_update": lambda: Grade.objects.bulk_update([g], ["value"]),
        "bulk_update_with_history": lambda: bulk_update_with_history([g], Grade, ["value"]),
        "bulk_create": lambda: Grade.objects.bulk_create(
            [Grade(enrolment=enrolments[2], evaluation=Evaluation.objects.create(
                enseignement=grade.evaluation.enseignement, annee="2025-2026", label="X"), value=1)]),
        "create": lambda: Grade.objects.create(enrolment=enrolments[2], evaluation=Evaluation.objects.filter(
            annee="2025-2026").first(), value=1),
    }
    for attempt in attempts.values():
        refused(attempt, "E3 : le jury du S2 2026-2027 a délibéré")
        unchanged(grade, decision)
    assert qs.count() == Grade.objects.filter(enrolment=enrolments[2]).count()


def test_orm_paths_on_evaluations_of_the_semester_are_refused(frozen):
    jury, enrolments, grade, decision = frozen
    ev = Evaluation.objects.get(pk=grade.evaluation_id)
    ev.weight = Decimal("5")
    refused(ev.save)
    refused(lambda: Evaluation.objects.filter(pk=ev.pk).update(weight=Decimal("5")))
    refused(lambda: Evaluation.objects.create(enseignement=ev.enseignement, annee="2026-2027", label="Rattrapage"))
    refused(lambda: bulk_create_with_history(
        [Evaluation(enseignement=ev.enseignement, annee="2026-2027", label="R")], Evaluation))
    assert Evaluation.objects.get(pk=ev.pk).weight == Decimal("1")


def test_orm_paths_on_decisions_and_the_session_are_refused(frozen, people):
    jury, enrolments, grade, decision = frozen
    d = JuryDecision.objects.get(pk=decision.pk)
    d.decision_annee = "RED"
    attempts = {
        "save": d.save,
        "delete": JuryDecision.objects.get(pk=decision.pk).delete,
        "QuerySet.update": lambda: JuryDecision.objects.filter(jury=jury).update(decision_annee="NAR"),
        "QuerySet.delete": lambda: JuryDecision.objects.filter(jury=jury).delete(),
        "bulk_update": lambda: JuryDecision.objects.bulk_update([d], ["decision_annee"]),
        "bulk_create": lambda: JuryDecision.objects.bulk_create(
            [JuryDecision(jury=jury, enrolment=enrolments[1], decided_by=people["president"])]),
        "session save": lambda: JurySession.objects.get(pk=jury.pk).save(),
        "session update": lambda: JurySession.objects.filter(pk=jury.pk).update(state=JurySession.State.OPEN),
    }
    for attempt in attempts.values():
        refused(attempt)
        unchanged(grade, decision)
    assert JurySession.objects.get(pk=jury.pk).is_deliberated
    with pytest.raises(DecisionError, match="a délibéré"):
        record_decision(jury=jury, enrolment=enrolments[2], by=people["president"], accept=True)


def test_import_command_is_refused(frozen, tmp_path):
    jury, enrolments, grade, decision = frozen
    code = grade.evaluation.enseignement.code
    path = tmp_path / "notes.csv"
    path.write_text(f"numero;annee;semestre;code;evaluation;note\n26000100;2026-2027;2;{code};"
                    f"{grade.evaluation.label};3\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("import_grades", str(path), stdout=io.StringIO(), stderr=err)
    assert exc.value.code == 1
    assert "E3 : le jury du S2 2026-2027 a délibéré" in err.getvalue()
    unchanged(grade, decision)


def test_admin_paths_are_refused(frozen, client, people):
    jury, enrolments, grade, decision = frozen
    login(client, people["secretariat"])
    url = f"/admin/juries/grade/{grade.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(url, {"enrolment": grade.enrolment_id, "evaluation": grade.evaluation_id,
                                 "value": "3", "mark": "", "version": grade.version})
    assert response.status_code == 200 and "a délibéré, ses notes sont définitives" in response.content.decode()
    assert client.post(f"/admin/juries/grade/{grade.pk}/delete/", {"post": "yes"}).status_code == 403
    response = client.post("/admin/juries/grade/", {"action": "delete_selected", "_selected_action": [grade.pk],
                                                    "post": "yes"})
    assert response.status_code == 403
    # Decisions are read-only in the admin; the session of a deliberated jury too.
    assert client.post(f"/admin/juries/jurydecision/{decision.pk}/change/", {"decision_annee": "RED"}).status_code == 403
    response = client.post(f"/admin/juries/jurysession/{jury.pk}/change/", {"date": "2027-07-01"})
    assert JurySession.objects.get(pk=jury.pk).date == jury.date
    assert response.status_code == 403
    unchanged(grade, decision)


def test_other_semesters_stay_editable_and_reopening_unfreezes(frozen, people):
    """E3 freezes only the enrolments of that jury's semester and year (here S2, not S1)."""
    jury, enrolments, grade, decision = frozen
    s1 = Grade.objects.filter(enrolment=enrolments[1]).first()
    s1.value = Decimal("15")
    s1.save()
    assert Grade.objects.filter(enrolment=enrolments[1]).update(value=Decimal("14")) > 0
    reopen(jury=jury, by=people["president"], reason="Erreur de saisie en R2.03.")
    g = Grade.objects.get(pk=grade.pk)
    g.value = Decimal("11")
    g.save()
    assert Grade.objects.filter(enrolment=enrolments[2]).update(value=Decimal("12")) > 0
    d = record_decision(jury=jury, enrolment=enrolments[2], by=people["president"], accept=True,
                        expected_version=decision.version)
    assert d.version == decision.version + 1

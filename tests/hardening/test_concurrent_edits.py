"""Two secretaries (or two jury members) saving the same thing at the same moment, on two real
PostgreSQL connections: the second is told, nothing is silently overwritten.

Each thread has its own database connection (Django's connections are per thread); a barrier
makes both saves start together, so the row lock (select_for_update) and the version check are
what decides — not the order of the test's lines.
"""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from juries import roles
from juries.models import Evaluation, Grade, JuryDecision
from juries.services.decisions import DecisionError, record_decision
from juries.services.grade_entry import Entry, save_grades
from tests.factories import JurySessionFactory, StudentFactory, enrol, grade_all, make_user, semester

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="two real connections: PostgreSQL only"),
]


def run_together(*calls):
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def worker(i, fn):
        try:
            barrier.wait()
            results[i] = ("ok", fn())
        except Exception as exc:  # noqa: BLE001 - the test inspects what each side got
            results[i] = ("error", exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, fn)) for i, fn in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def test_two_secretaries_saving_the_same_grade(maquette):
    assert connection.vendor == "postgresql"
    student = StudentFactory(numero="22000001")
    enrolment = enrol(student, 1)
    grade_all(enrolment, "10")
    evaluation = Evaluation.objects.get(enseignement__code="R1.01")
    loaded = Grade.objects.get(enrolment=enrolment, evaluation=evaluation)
    a, b = make_user(roles.SECRETARIAT, "sophie"), make_user(roles.SECRETARIAT, "paul")

    def save(user, note):
        return lambda: save_grades(evaluation=evaluation, user=user, entries=[
            Entry(enrolment_id=enrolment.pk, note=note, version=loaded.version, initial="10")])

    outcomes = run_together(save(a, "14"), save(b, "9"))
    assert all(kind == "ok" for kind, _ in outcomes), outcomes
    saved = [o for _, o in outcomes if o.saved and not o.conflicts]
    refused = [o for _, o in outcomes if o.conflicts]
    assert len(saved) == 1 and len(refused) == 1
    message = refused[0].conflicts[enrolment.pk]
    assert "modifiée" in message or "entre-temps" in message or "par " in message
    final = Grade.objects.get(pk=loaded.pk)
    winner = "14" if outcomes[0][1] is saved[0] else "9"
    assert final.value == Decimal(winner)
    assert final.version == loaded.version + 1
    # The refused value never reached the database, not even in the history.
    loser = Decimal("9" if winner == "14" else "14")
    assert loser not in list(final.history.values_list("value", flat=True))


def test_two_jury_members_deciding_for_the_same_student(maquette):
    president = make_user(roles.JURY, "presidente")
    member = make_user(roles.JURY, "membre")
    student = StudentFactory(numero="22000002")
    for number in (1, 2):
        grade_all(enrol(student, number), "8")
    jury = JurySessionFactory(semester=semester(2), president=president, members=[president, member])
    enrolment = student.enrolments.get(semester__number=2)

    def decide(user, code):
        return lambda: record_decision(jury=jury, enrolment=enrolment, by=user, accept=False,
                                       decision_annee=code, reason=f"décision de {user.username}",
                                       expected_version=0)

    outcomes = run_together(decide(president, "RED"), decide(member, "NAR"))
    kinds = sorted(kind for kind, _ in outcomes)
    assert kinds == ["error", "ok"], outcomes
    error = next(v for k, v in outcomes if k == "error")
    assert isinstance(error, DecisionError)
    decision = JuryDecision.objects.get(jury=jury, enrolment=enrolment)
    assert decision.version == 1
    winner = next(v for k, v in outcomes if k == "ok")
    assert decision.decision_annee == winner.decision_annee

"""Finding 3 of issue 15: on SQLite, two secretaries saving the same grade (or two jury members
deciding for one student) at the same instant. The loser must get the French conflict message,
never 500 "database is locked".

The in-memory test database cannot show it (shared-cache SQLite locks tables, not the file), so the
test copies it into a file with SQLite's backup API and points the two threads at that file, with the
settings' OPTIONS (transaction mode, busy timeout) unchanged.
"""

from __future__ import annotations

import sqlite3
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
    pytest.mark.skipif("connection.vendor != 'sqlite'", reason="SQLite's file locking"),
]


@pytest.fixture
def file_database(tmp_path):
    """Copy the test database into a file; threads started inside the fixture's scope use it."""
    path = tmp_path / "concurrent.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    settings_dict = connections.settings["default"]
    original = settings_dict["NAME"]
    settings_dict["NAME"] = str(path)
    try:
        yield path
    finally:
        settings_dict["NAME"] = original


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


def in_thread(fn):
    (kind, value), = run_together(fn)
    assert kind == "ok", value
    return value


def test_two_secretaries_saving_the_same_grade_on_sqlite(maquette, request):
    student = StudentFactory(numero="22000011")
    enrolment = enrol(student, 1)
    grade_all(enrolment, "10")
    evaluation = Evaluation.objects.get(enseignement__code="R1.01")
    loaded = Grade.objects.get(enrolment=enrolment, evaluation=evaluation)
    a, b = make_user(roles.SECRETARIAT, "sophie"), make_user(roles.SECRETARIAT, "paul")
    request.getfixturevalue("file_database")

    def save(user, note):
        return lambda: save_grades(evaluation=evaluation, user=user, entries=[
            Entry(enrolment_id=enrolment.pk, note=note, version=loaded.version, initial="10")])

    outcomes = run_together(save(a, "14"), save(b, "9"))
    assert all(kind == "ok" for kind, _ in outcomes), outcomes  # no "database is locked"
    saved = [o for _, o in outcomes if o.saved and not o.conflicts]
    refused = [o for _, o in outcomes if o.conflicts]
    assert len(saved) == 1 and len(refused) == 1, outcomes
    message = refused[0].conflicts[enrolment.pk]
    assert "modifiée" in message or "entre-temps" in message or "par " in message
    final = in_thread(lambda: Grade.objects.get(pk=loaded.pk))
    assert final.value in (Decimal("14"), Decimal("9"))
    assert final.version == loaded.version + 1


def test_two_jury_members_deciding_for_the_same_student_on_sqlite(maquette, request):
    president = make_user(roles.JURY, "presidente")
    member = make_user(roles.JURY, "membre")
    student = StudentFactory(numero="22000012")
    for number in (1, 2):
        grade_all(enrol(student, number), "8")
    jury = JurySessionFactory(semester=semester(2), president=president, members=[president, member])
    enrolment = student.enrolments.get(semester__number=2)
    request.getfixturevalue("file_database")

    def decide(user, code):
        return lambda: record_decision(jury=jury, enrolment=enrolment, by=user, accept=False,
                                       decision_annee=code, reason=f"décision de {user.username}",
                                       expected_version=0)

    outcomes = run_together(decide(president, "RED"), decide(member, "NAR"))
    kinds = sorted(kind for kind, _ in outcomes)
    assert kinds == ["error", "ok"], outcomes
    error = next(v for k, v in outcomes if k == "error")
    assert isinstance(error, DecisionError), repr(error)  # not OperationalError("database is locked")
    decision = in_thread(lambda: JuryDecision.objects.get(jury=jury, enrolment=enrolment))
    assert decision.version == 1
    winner = next(v for k, v in outcomes if k == "ok")
    assert decision.decision_annee == winner.decision_annee

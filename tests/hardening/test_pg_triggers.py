"""E3 in the database (migration 0006): on PostgreSQL, raw SQL cannot change or delete the grades
or decisions of a deliberated jury either; a re-opening lifts it. SQLite has no such trigger."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from juries.models import Grade, JuryDecision
from juries.services.decisions import deliberate, reopen
from tests.factories import graded_student, make_jury

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL triggers"),
]


def raw_refused(sql: str, pk: int) -> None:
    with pytest.raises(DatabaseError, match="E3"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [pk])


def test_raw_sql_cannot_change_a_deliberated_jury_s_grades_or_decisions(maquette, people):
    jury = make_jury(people)
    _, enrolments = graded_student("26000100", "Garnier")
    deliberate(jury=jury, by=people["president"])
    grade = Grade.objects.filter(enrolment=enrolments[2]).first()
    decision = JuryDecision.objects.get(jury=jury)
    raw_refused("UPDATE juries_grade SET value = 3 WHERE id = %s", grade.pk)
    raw_refused("DELETE FROM juries_grade WHERE id = %s", grade.pk)
    raw_refused("UPDATE juries_jurydecision SET reason = 'x' WHERE id = %s", decision.pk)
    raw_refused("DELETE FROM juries_jurydecision WHERE id = %s", decision.pk)
    reopen(jury=jury, by=people["president"], reason="Erreur de saisie.")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE juries_grade SET value = 3 WHERE id = %s", [grade.pk])
    assert Grade.objects.get(pk=grade.pk).value == 3

"""The jury's cached run (selectors/proposals.py `cached_jury_proposals`): kept under the inputs'
generation that the database's own triggers move (migration 0010), so no change — a page's save,
a bulk update, raw SQL, a deletion, a decision — is ever followed by the old proposals.

These tests run outside a transaction (`transactional_db`): inside one, nothing is cached."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from juries.models import Absence, Grade, InputsGeneration
from juries.selectors.generation import inputs_generation
from juries.selectors.proposals import cached_jury_proposals, kept_jury_proposals
from tests.factories import ANNEE, graded_student, make_jury

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def jury(maquette):
    # A transactional test's flush removed the generation row the migration made.
    InputsGeneration.objects.get_or_create(id=1, defaults={"epoch": uuid.uuid4()})
    cache.clear()
    graded_student("22600001", "Arnaud", semesters=(1,))
    graded_student("22600002", "Bernard", semesters=(1,))
    return make_jury(None, number=1)


def run_of(jury):
    return cached_jury_proposals(annee=jury.annee, semester=1, formation=jury.formation)


def averages(run, numero: str) -> tuple:
    """The student's UE averages, as the jury table shows them."""
    proposal = next(p for p in run.proposals.students if p.numero == numero)
    return tuple(ue.moyenne for ue in proposal.ues)


def first_grade(numero: str) -> Grade:
    return Grade.objects.filter(enrolment__student__numero=numero, value__isnull=False).order_by("pk").first()


def test_a_second_reading_comes_from_the_cache_and_costs_one_query(jury, django_assert_max_num_queries):
    first = run_of(jury)
    with django_assert_max_num_queries(1):  # the generation only
        again = run_of(jury)
    assert again.proposals == first.proposals
    assert kept_jury_proposals(annee=ANNEE, semester=1, formation=jury.formation) is not None


@pytest.mark.parametrize("how", ["save", "bulk_update", "queryset_update", "raw_sql", "delete"])
def test_every_way_of_changing_a_grade_is_followed_by_new_proposals(jury, how):
    before = averages(run_of(jury), "22600001")
    other = averages(run_of(jury), "22600002")
    grade = first_grade("22600001")
    if how == "save":
        grade.value = Decimal("0")
        grade.save()
    elif how == "bulk_update":
        grade.value = Decimal("0")
        Grade.objects.bulk_update([grade], ["value"])
    elif how == "queryset_update":
        Grade.objects.filter(pk=grade.pk).update(value=Decimal("0"))
    elif how == "raw_sql":
        with connection.cursor() as cursor:
            cursor.execute("UPDATE juries_grade SET value = 0 WHERE id = %s", [grade.pk])
    else:
        Grade.objects.filter(pk=grade.pk).delete()
    after = averages(run_of(jury), "22600001")
    assert after != before
    assert averages(run_of(jury), "22600002") == other


def test_an_absence_declared_changes_the_generation(jury):
    before = inputs_generation()
    student = first_grade("22600001").enrolment.student
    now = timezone.now()
    Absence.objects.create(student=student, start=now, end=now, declared_at=now)
    assert inputs_generation() != before


def test_nothing_is_cached_inside_a_transaction(jury):
    with transaction.atomic():
        assert inputs_generation() is None
        grade = first_grade("22600001")
        Grade.objects.filter(pk=grade.pk).update(value=Decimal("0"))
        inside = averages(run_of(jury), "22600001")
        transaction.set_rollback(True)
    # The rolled-back change was never kept: the committed grade is read again.
    assert averages(run_of(jury), "22600001") != inside


def test_a_database_emptied_and_filled_again_does_not_meet_the_old_keys(jury):
    key_before = inputs_generation()
    InputsGeneration.objects.filter(id=1).delete()
    assert inputs_generation() is None  # no generation: nothing cached
    InputsGeneration.objects.create(id=1, epoch=uuid.uuid4(), n=int(key_before.split(".")[1]))
    assert inputs_generation() != key_before


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_a_releve_downloaded_again_is_not_computed_again_until_a_grade_changes(jury, people, client,
                                                                               django_assert_max_num_queries):
    from django.urls import reverse

    from tests.factories import PASSWORD

    assert client.login(username=people["secretariat"].username, password=PASSWORD)
    grade = first_grade("22600001")
    url = reverse("releves:student_pdf", args=[grade.enrolment_id])
    first = client.get(url)
    assert first.status_code == 200 and first["Content-Type"] == "application/pdf"
    # Session, user, groups, the enrolment, the generation: not the engine's twenty queries.
    with django_assert_max_num_queries(8):
        again = client.get(url)
    assert body(again) == body(first)
    Grade.objects.filter(pk=grade.pk).update(value=Decimal("0"))
    changed = client.get(url)
    assert changed.status_code == 200 and body(changed) != body(first)

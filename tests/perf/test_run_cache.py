"""The jury's cached run (selectors/proposals.py `cached_jury_proposals`): kept under the inputs'
generation that the database's own triggers move (migration 0010), so no change — a page's save,
a bulk update, raw SQL, a deletion, a decision — is ever followed by the old proposals.

These tests run outside a transaction (`transactional_db`): inside one, nothing is cached."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core import serializers
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from juries import generation
from juries.models import Absence, Grade, InputsChange, InputsGeneration
from juries.selectors.generation import inputs_generation
from juries.selectors.proposals import cached_jury_proposals, kept_jury_proposals
from tests.factories import ANNEE, graded_student, make_jury

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def jury(maquette):
    # A flush (the end of a transactional test) empties the row; post_migrate makes it again.
    assert InputsGeneration.objects.filter(id=1).exists()
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
    call_command("migrate", verbosity=0)  # as after a flush: post_migrate makes the row again
    assert inputs_generation() not in {None, key_before}


def test_the_generation_row_loaded_from_a_dump_gets_a_new_epoch(jury):
    dumped = serializers.serialize("json", InputsGeneration.objects.all())
    before = inputs_generation()
    for obj in serializers.deserialize("json", dumped):
        obj.save()  # what loaddata does (raw save)
    assert inputs_generation().split(".")[0] != before.split(".")[0]


def test_every_watched_table_has_its_trigger_even_after_one_is_lost(jury):
    assert generation.missing_triggers(connection) == []
    generation.uninstall(connection)  # as SQLite does when a migration rebuilds a table
    assert generation.missing_triggers(connection) != []
    call_command("migrate", verbosity=0)
    assert generation.missing_triggers(connection) == []


def test_a_renamed_decider_moves_the_generation_a_sign_in_does_not(jury, people):
    user = people["member"]
    before = inputs_generation()
    user.last_login = timezone.now()
    user.save(update_fields=["last_login"])
    assert inputs_generation() == before
    user.last_name = "Langevin-Joliot"
    user.save(update_fields=["last_name"])
    assert inputs_generation() != before


def test_the_engine_reads_no_table_the_triggers_do_not_watch(jury, django_assert_max_num_queries):
    """Every table named by the queries of a jury's run is watched (or is the generation itself)."""
    from django.test.utils import CaptureQueriesContext

    from juries.selectors.proposals import jury_proposals

    with CaptureQueriesContext(connection) as ctx:
        jury_proposals(annee=ANNEE, semester=1, formation=jury.formation).stale  # noqa: B018
    named = {t for q in ctx.captured_queries for t in re.findall(r'"?((?:juries|auth)_[a-z_]+)"?', q["sql"])}
    watched = set(generation.TABLES) | set(generation.COLUMNS) | {"juries_inputsgeneration", "auth_group",
                                                                   "auth_user_groups"}
    assert named - watched == set()


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_postgresql_writers_never_wait_for_each_other_on_the_generation(jury):
    """A flow that locks a row then writes it (grade entry) and one that wrote elsewhere first
    (an import) used to deadlock on a shared counter row; each transaction now logs its own row."""
    import threading
    import time

    import psycopg

    params = connection.get_connection_params()
    a, b = psycopg.connect(**params), psycopg.connect(**params)
    ids = list(Grade.objects.order_by("pk").values_list("pk", flat=True)[:2])
    ca, cb = a.cursor(), b.cursor()
    ca.execute("SELECT id FROM juries_grade WHERE id = %s FOR UPDATE", [ids[0]])
    cb.execute("UPDATE juries_grade SET value = value WHERE id = %s", [ids[1]])
    out: dict[str, str] = {}

    def first():
        try:
            ca.execute("UPDATE juries_grade SET value = value WHERE id = %s", [ids[0]])
            a.commit()
            out["a"] = "ok"
        except Exception as exc:  # noqa: BLE001 — the outcome is what the test reads
            out["a"] = type(exc).__name__
            a.rollback()

    before = inputs_generation()
    thread = threading.Thread(target=first)
    thread.start()
    time.sleep(0.5)
    try:
        cb.execute("UPDATE juries_grade SET value = value WHERE id = %s", [ids[0]])
        b.commit()
        out["b"] = "ok"
    except Exception as exc:  # noqa: BLE001
        out["b"] = type(exc).__name__
        b.rollback()
    thread.join()
    a.close()
    b.close()
    assert out == {"a": "ok", "b": "ok"}
    generation_after = inputs_generation()
    assert int(generation_after.split(".")[1]) == int(before.split(".")[1]) + 2  # one per transaction


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_postgresql_folds_the_log_without_changing_the_generation(jury):
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO juries_inputschange (xact) SELECT -g FROM generate_series(1, %s) g",
                       [generation.FOLD_AT + 5])
    raised = inputs_generation()  # reads, and folds the log into n
    assert InputsChange.objects.count() == 0
    assert inputs_generation() == raised


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

"""Background tasks (Django's tasks API, the django-tasks backport): run by ``manage.py worker``
with the database backend, at once with the immediate one (tests, QLIO_TASKS_BACKEND)."""

from __future__ import annotations

from django_tasks import task


@task()
def run_document_batch(batch_pk: int) -> dict:
    """A jury's relevés, decision letters or PV (juries.services.releve_batch.run_batch)."""
    from juries.services.releve_batch import run_batch

    return run_batch(batch_pk)

"""`python manage.py worker`: runs the background tasks (relevé batches, decision letters) queued in
the database — django-tasks' ``db_worker``, plus the resumption of batches a dead worker left.

A worker killed mid-batch (SIGKILL, a machine restart) leaves its task marked running: when it
starts again under the same ``--worker-id`` (default: QLIO_WORKER_ID, else the host name), it
knows that task is lost and queues its batch again, which resumes where it stopped. A batch whose
worker never comes back is resumed once silent for two minutes (``requeue_interrupted``). Give each
worker of one machine its own ``--worker-id``.
"""

from __future__ import annotations

import os
import socket

from django_tasks.backends.database.management.commands.db_worker import Command as DbWorkerCommand

from juries.services.releve_batch import requeue_interrupted


def default_worker_id() -> str:
    return (os.environ.get("QLIO_WORKER_ID") or socket.gethostname() or "worker")[:64]


class Command(DbWorkerCommand):
    help = "Exécute les tâches de fond (lots de relevés, lettres de décision) ; reprend les lots interrompus."

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        # No autoreload by default: a reloader's child would outlive a killed parent.
        parser.set_defaults(reload=False, worker_id=default_worker_id())

    def handle(self, *args, **options) -> None:
        for batch in requeue_interrupted(worker_id=options["worker_id"]):
            self.stdout.write(f"Lot repris : {batch}")
        super().handle(*args, **options)

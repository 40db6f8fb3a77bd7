"""The inputs' generation: a counter the database itself moves on every change to what the engine reads.

Triggers (migration 0010) on every table a jury's proposals are computed from add one to `n`
whatever writes — a page, an import, the admin, a bulk update, raw SQL — so a jury's run cached
under the generation it was computed at can never be served after a change
(juries/selectors/proposals.py `cached_jury_proposals`). `epoch` is drawn when the row is made:
a database emptied and filled again starts another series of keys.
"""

import uuid

from django.db import models


class InputsGeneration(models.Model):
    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    epoch = models.UUIDField(default=uuid.uuid4)
    n = models.BigIntegerField(default=0)
    #: PostgreSQL: the transaction that last moved `n` (one step per transaction, whatever it writes).
    xact = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = "génération des données du jury"

    def __str__(self) -> str:
        return f"{self.epoch}.{self.n}"

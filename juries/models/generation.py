"""The inputs' generation (juries/generation.py): what a cached jury run or relevé is keyed by."""

import uuid

from django.db import models
from django.db.models.signals import pre_save
from django.dispatch import receiver


class InputsGeneration(models.Model):
    """One row: `n` moved by the database's triggers; `epoch` drawn when the row is made, again
    when a backup is restored or the row loaded from a dump, so that copied data never meet the
    keys of the data they were copied from."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    epoch = models.UUIDField(default=uuid.uuid4)
    n = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "génération des données du jury"

    def __str__(self) -> str:
        return f"{self.epoch}.{self.n}"


class InputsChange(models.Model):
    """PostgreSQL: one row per transaction that changed an input (juries/generation.py)."""

    xact = models.BigIntegerField(primary_key=True)

    class Meta:
        verbose_name = "transaction ayant modifié les données du jury"

    def __str__(self) -> str:
        return str(self.xact)


@receiver(pre_save, sender=InputsGeneration)
def _new_epoch_when_loaded(sender, instance: InputsGeneration, raw: bool, **kwargs) -> None:
    if raw:  # loaddata: the row of another database (or of this one, earlier)
        instance.epoch = uuid.uuid4()

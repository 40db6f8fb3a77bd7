"""Publishing an evaluation: its grades show on the students' « Mes notes » from then on."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from juries.models import Evaluation
from juries.models.history import attribute_change

_FIELDS = ["published_at", "published_by"]


@transaction.atomic
def set_published(*, evaluation: Evaluation, published: bool, by: User) -> bool:
    """Publishes (or withdraws) ``evaluation``; the change goes to its history with its author.

    Returns False when nothing changed (already in that state): no history row is written.
    """
    locked = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if locked.is_published == published:
        return False
    locked.published_at = timezone.now() if published else None
    locked.published_by = by if published else None
    attribute_change(locked, by=by, reason="publication des notes" if published else "publication retirée")
    locked.save(update_fields=_FIELDS)
    evaluation.published_at, evaluation.published_by = locked.published_at, locked.published_by
    return True

"""Who made a change, and why, as django-simple-history records it at the next save()."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import Model


def attribute_change(instance: Model, *, by: User | None, reason: str | None = None) -> None:
    """simple-history reads ``_history_user`` and ``_change_reason`` off the instance it saves (its
    documented way to name the author outside a request). The package ships no type information, so
    these two attributes are set here, in one place, with the only ignores they need."""
    instance._history_user = by  # type: ignore[attr-defined]
    if reason is not None:
        instance._change_reason = reason  # type: ignore[attr-defined]

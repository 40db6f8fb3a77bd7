"""E3 integrity guards: once a jury has deliberated, its grades and decisions are frozen.

Enforced below the UI, on every ORM path: ``save``/``delete`` of an instance and ``update``,
``delete``, ``bulk_create``, ``bulk_update`` of a QuerySet (the admin, the imports, the commands
and django-simple-history's bulk helpers all go through them). Each check is one query whatever
the number of rows. Only ``reopening()``, used by the re-opening service, lets a deliberated
session change state again. A refused write raises ``FrozenError`` (a ``PermissionDenied``, so
that a web request that reaches it answers 403 instead of 500), with a French message.

This module is the shared machinery and imports no model: each guarded model's QuerySet and its
``check_*`` function live beside it (``assessment.py``: grades and evaluations; ``jury.py``:
decisions and sessions) on ``GuardedQuerySet``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.exceptions import PermissionDenied
from django.db import models

_REOPENING: ContextVar[bool] = ContextVar("qlio_jury_reopening", default=False)
#: Ids per query when a bulk write names many rows (SQLite's parameter limit).
CHUNK = 500


class FrozenError(PermissionDenied):
    """E3 — a write refused because the jury concerned has deliberated."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


@contextmanager
def reopening() -> Iterator[None]:
    """Lets a deliberated jury session be saved (re-opened). Used by services.decisions.reopen only."""
    token = _REOPENING.set(True)
    try:
        yield
    finally:
        _REOPENING.reset(token)


def is_reopening() -> bool:
    return _REOPENING.get()


def grades_message(annee: str, semester: int) -> str:
    return (f"E3 : le jury du S{semester} {annee} a délibéré, ses notes sont définitives ; "
            "seule une réouverture motivée du jury permet de les modifier.")


def decisions_message(jury: tuple[str, int]) -> str:
    return (f"E3 : le jury du S{jury[1]} {jury[0]} a délibéré, ses décisions sont définitives ; "
            "seule une réouverture motivée du jury permet de les modifier.")


def jury_message(jury: tuple[str, int]) -> str:
    return (f"E3 : le jury du S{jury[1]} {jury[0]} a délibéré : il ne peut plus être modifié "
            "sans réouverture motivée.")


def printed_message(jury: tuple[str, int]) -> str:
    return (f"E3 : le jury du S{jury[1]} {jury[0]} a délibéré : l'identité de l'étudiant et son inscription "
            "(régime, statut, parcours) sont imprimées sur son relevé officiel ; seule une réouverture motivée "
            "du jury permet de les modifier.")


def target_ids(kwargs: dict, name: str) -> list:
    """The foreign key an update() moves rows to, as ids (`jury=…` or `jury_id=…`)."""
    target = kwargs.get(f"{name}_id", kwargs.get(name))
    return [getattr(target, "pk", target)] if isinstance(target, (int, models.Model)) else []


class GuardedQuerySet(models.QuerySet):
    """Every write path of a QuerySet asks the guard first (E3): `_check_rows` for the rows
    already stored (and the target of an update), `_check_objs` for objects written in bulk."""

    def _check_rows(self, **update_kwargs) -> None:
        raise NotImplementedError

    def _check_objs(self, objs: list) -> None:
        """Objects written in bulk; by default their stored rows are checked by update()."""

    def update(self, **kwargs):
        self._check_rows(**kwargs)
        return super().update(**kwargs)

    # Django's flag (templates never call such a method), lost by overriding; mypy cannot type an
    # attribute set on a function (python/mypy#2087).
    update.alters_data = True  # type: ignore[attr-defined]

    def delete(self):
        self._check_rows()
        return super().delete()

    delete.alters_data = True  # type: ignore[attr-defined]

    def bulk_update(self, objs, fields, batch_size=None):
        objs = list(objs)
        self._check_objs(objs)
        # The stored rows are checked by update(), which bulk_update calls for each batch.
        return super().bulk_update(objs, fields, batch_size=batch_size)

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        self._check_objs(objs)
        return super().bulk_create(objs, *args, **kwargs)


__all__ = [
    "CHUNK", "FrozenError", "GuardedQuerySet", "decisions_message", "grades_message", "is_reopening",
    "jury_message", "printed_message", "reopening", "target_ids",
]

"""E3 integrity guards: once a jury has deliberated, its grades and decisions are frozen.

Enforced below the UI, on every ORM path: ``save``/``delete`` of an instance and ``update``,
``delete``, ``bulk_create``, ``bulk_update`` of a QuerySet (the admin, the imports, the commands
and django-simple-history's bulk helpers all go through them). Each check is one query whatever
the number of rows. Only ``reopening()``, used by the re-opening service, lets a deliberated
session change state again. A refused write raises ``FrozenError`` (a ``PermissionDenied``, so
that a web request that reaches it answers 403 instead of 500), with a French message.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Exists, OuterRef, Q

_REOPENING: ContextVar[bool] = ContextVar("qlio_jury_reopening", default=False)
_CHUNK = 500


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


def _deliberated():
    from .jury import JurySession

    return JurySession.objects.filter(state=JurySession.State.DELIBERATED)


def _grades_message(annee: str, semester: int) -> str:
    return (f"E3 : le jury du S{semester} {annee} a délibéré, ses notes sont définitives ; "
            "seule une réouverture motivée du jury permet de les modifier.")


def _decisions_message(jury) -> str:
    return (f"E3 : le jury du S{jury[1]} {jury[0]} a délibéré, ses décisions sont définitives ; "
            "seule une réouverture motivée du jury permet de les modifier.")


def _jury_message(jury) -> str:
    return (f"E3 : le jury du S{jury[1]} {jury[0]} a délibéré : il ne peut plus être modifié "
            "sans réouverture motivée.")


def _student_deliberated(enrolment_ref: str):
    """A decision deliberated for one student alone (import_decisions), as an Exists()."""
    from .jury import JuryDecision

    return Exists(JuryDecision.objects.filter(enrolment=OuterRef(enrolment_ref), deliberated_at__isnull=False))


def frozen_enrolment(enrolments: models.QuerySet) -> tuple[str, int] | None:
    """(annee, semester number) of the first of these enrolments whose jury has deliberated,
    for every student or for that student alone."""
    return (
        enrolments.filter(Exists(_deliberated().filter(annee=OuterRef("annee"), semester=OuterRef("semester")))
                          | _student_deliberated("pk"))
        .values_list("annee", "semester__number").first()
    )


def _frozen_among_enrolment_ids(ids: Iterable[int | None]) -> tuple[str, int] | None:
    from .students import Enrolment

    wanted = sorted({i for i in ids if i is not None})
    for start in range(0, len(wanted), _CHUNK):
        hit = frozen_enrolment(Enrolment.objects.filter(pk__in=wanted[start:start + _CHUNK]))
        if hit:
            return hit
    return None


# --------------------------------------------------------------------------- grades


def check_grade(grade, *, error=FrozenError) -> None:
    """A grade (new values and, for a stored one, the row as stored) of a deliberated semester."""
    from .students import Enrolment

    if grade.enrolment_id is None:
        return
    where = Q(pk=grade.enrolment_id)
    if grade.pk is not None:
        where |= Q(grades__pk=grade.pk)
    hit = frozen_enrolment(Enrolment.objects.filter(where))
    if hit:
        raise error(_grades_message(*hit))


class _GuardedQuerySet(models.QuerySet):
    """Every write path of a QuerySet asks the guard first (E3): `_check_rows` for the rows
    already stored (and the target of an update), `_check_objs` for objects written in bulk."""

    def _check_rows(self, **update_kwargs) -> None:
        raise NotImplementedError

    def _check_objs(self, objs: list) -> None:
        """Objects written in bulk; by default their stored rows are checked by update()."""

    def update(self, **kwargs):
        self._check_rows(**kwargs)
        return super().update(**kwargs)

    update.alters_data = True

    def delete(self):
        self._check_rows()
        return super().delete()

    delete.alters_data = True

    def bulk_update(self, objs, fields, batch_size=None):
        objs = list(objs)
        self._check_objs(objs)
        # The stored rows are checked by update(), which bulk_update calls for each batch.
        return super().bulk_update(objs, fields, batch_size=batch_size)

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        self._check_objs(objs)
        return super().bulk_create(objs, *args, **kwargs)


def _target_ids(kwargs: dict, name: str) -> list:
    """The foreign key an update() moves rows to, as ids (`jury=…` or `jury_id=…`)."""
    target = kwargs.get(f"{name}_id", kwargs.get(name))
    return [getattr(target, "pk", target)] if isinstance(target, (int, models.Model)) else []


class GradeQuerySet(_GuardedQuerySet):
    def _frozen(self) -> tuple[str, int] | None:
        return (
            self.filter(Exists(_deliberated().filter(
                annee=OuterRef("enrolment__annee"), semester=OuterRef("enrolment__semester")))
                | _student_deliberated("enrolment"))
            .values_list("enrolment__annee", "enrolment__semester__number").first()
        )

    def _check_rows(self, **update_kwargs) -> None:
        hit = self._frozen() or _frozen_among_enrolment_ids(_target_ids(update_kwargs, "enrolment"))
        if hit:
            raise FrozenError(_grades_message(*hit))

    def _check_objs(self, objs: list) -> None:
        hit = _frozen_among_enrolment_ids(o.enrolment_id for o in objs)
        if hit:
            raise FrozenError(_grades_message(*hit))


# --------------------------------------------------------------------------- evaluations


def check_evaluation(evaluation, *, error=FrozenError) -> None:
    """An evaluation's weight, date or existence changes every grade of its enseignement."""
    if evaluation.enseignement_id is None:
        return
    where = Q(annee=evaluation.annee, semester__enseignements=evaluation.enseignement_id)
    if evaluation.pk is not None:
        from .assessment import Evaluation

        where |= Exists(Evaluation.objects.filter(
            pk=evaluation.pk, annee=OuterRef("annee"), enseignement__semester=OuterRef("semester")))
    hit = _deliberated().filter(where).values_list("annee", "semester__number").first()
    if hit:
        raise error(_grades_message(*hit))


class EvaluationQuerySet(_GuardedQuerySet):
    def _check_rows(self, **update_kwargs) -> None:
        hit = (
            self.filter(Exists(_deliberated().filter(
                annee=OuterRef("annee"), semester=OuterRef("enseignement__semester"))))
            .values_list("annee", "enseignement__semester__number").first()
        )
        if hit:
            raise FrozenError(_grades_message(*hit))

    def _check_objs(self, objs) -> None:
        pairs = {(o.annee, o.enseignement_id) for o in objs if o.enseignement_id is not None}
        if not pairs:
            return
        where = Q()
        for annee, ens in pairs:
            where |= Q(annee=annee, semester__enseignements=ens)
        hit = _deliberated().filter(where).values_list("annee", "semester__number").first()
        if hit:
            raise FrozenError(_grades_message(*hit))


# --------------------------------------------------------------------------- jury decisions


def check_decision(decision) -> None:
    where = Q(pk=decision.jury_id)
    if decision.pk is not None:
        where |= Q(decisions__pk=decision.pk)
    hit = _deliberated().filter(where).values_list("annee", "semester__number").first()
    if hit is None and decision.pk is not None and not _REOPENING.get():
        # Deliberated for this student alone (import_decisions): frozen like a deliberated jury's.
        from .jury import JuryDecision

        hit = (JuryDecision.objects.filter(pk=decision.pk, deliberated_at__isnull=False)
               .values_list("jury__annee", "jury__semester__number").first())
    if hit:
        raise FrozenError(_decisions_message(hit))


class JuryDecisionQuerySet(_GuardedQuerySet):
    def _check(self, jury_ids: Iterable[int | None] = ()) -> None:
        from .jury import JurySession

        frozen = Q(jury__state=JurySession.State.DELIBERATED)
        if not _REOPENING.get():
            frozen |= Q(deliberated_at__isnull=False)  # deliberated for that student alone
        hit = self.filter(frozen).values_list("jury__annee", "jury__semester__number").first()
        ids = {i for i in jury_ids if i is not None}
        if hit is None and ids:
            hit = _deliberated().filter(pk__in=ids).values_list("annee", "semester__number").first()
        if hit:
            raise FrozenError(_decisions_message(hit))

    def _check_rows(self, **update_kwargs) -> None:
        self._check(_target_ids(update_kwargs, "jury"))

    def _check_objs(self, objs: list) -> None:
        self.model.objects.filter(pk__in=[o.pk for o in objs if o.pk])._check(o.jury_id for o in objs)


# --------------------------------------------------------------------------- jury sessions


def check_session(session) -> None:
    """A deliberated session (state, date, composition) changes only through a re-opening."""
    if session.pk is None or _REOPENING.get():
        return
    hit = _deliberated().filter(pk=session.pk).values_list("annee", "semester__number").first()
    if hit:
        raise FrozenError(_jury_message(hit))


class JurySessionQuerySet(_GuardedQuerySet):
    def _check_rows(self, **update_kwargs) -> None:
        from .jury import JurySession

        if _REOPENING.get():
            return
        hit = self.filter(state=JurySession.State.DELIBERATED).values_list("annee", "semester__number").first()
        if hit:
            raise FrozenError(_jury_message(hit))


__all__ = [
    "EvaluationQuerySet", "FrozenError", "GradeQuerySet", "JuryDecisionQuerySet", "JurySessionQuerySet",
    "check_decision", "check_evaluation", "check_grade", "check_session", "reopening",
]

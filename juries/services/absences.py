"""Absences (docs/reglement.md §2): declaration and justificatif deposit.

Whether an absence is justified is never stored: it is judged at read time by the pure rules of
``juries.rules.absences`` (A4 48 hours, A5 alternants) in ``juries.selectors.absences``, so a
justificatif arriving later changes every screen at once.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction

from juries.importers.parsing import CellError, make_paris_aware
from juries.models import Absence, Student
from juries.models.history import attribute_change

ZERO = Decimal(0)


class AbsenceRefused(Exception):
    """A declaration or a deposit that cannot be recorded; `errors` maps a form field to a French message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{k} : {v}" for k, v in errors.items()))


# --------------------------------------------------------------------------- writes


def paris(moment: datetime, *, field_name: str) -> datetime:
    """A wall-clock time of Europe/Paris; one that does not exist or is ambiguous is refused (A4)."""
    if moment.tzinfo is not None:
        return moment
    try:
        return make_paris_aware(moment)
    except CellError as exc:
        raise AbsenceRefused({field_name: str(exc)}) from None


def declare_absence(*, student: Student, start: datetime, end: datetime, declared_at: datetime,
                    channel: str, reason: str, by, hours: Decimal | None = None, activity: str = "",
                    justificatif_at: datetime | None = None, employer_informed: bool = False) -> Absence:
    """A1/A2 — records an absence with its declaration's date-time and channel (history kept)."""
    errors: dict[str, str] = {}
    times: dict[str, datetime] = {}
    for name, value in (("start", start), ("end", end), ("declared_at", declared_at),
                        ("justificatif_at", justificatif_at)):
        if value is None:
            continue
        try:
            times[name] = paris(value, field_name=name)
        except AbsenceRefused as exc:
            errors.update(exc.errors)
    if not errors and times["end"] < times["start"]:
        errors["end"] = "la fin de l'absence précède son début"
    if channel not in Absence.Channel.values:
        errors["channel"] = f"moyen de déclaration « {channel} » inconnu"
    if reason not in Absence.Reason.values:
        errors["reason"] = f"motif « {reason} » inconnu"
    if hours is not None and not (ZERO <= hours < Decimal(1000)):
        errors["hours"] = "nombre d'heures invalide"
    if not errors and Absence.objects.filter(student=student, start=times["start"]).exists():
        errors["start"] = "une absence de cet étudiant commence déjà à cette date et heure"
    if errors:
        raise AbsenceRefused(errors)
    absence = Absence(student=student, start=times["start"], end=times["end"], declared_at=times["declared_at"],
                      channel=channel, reason=reason, hours=hours, activity=activity,
                      justificatif_at=times.get("justificatif_at"), employer_informed=employer_informed)
    attribute_change(absence, by=by)
    try:
        with transaction.atomic():
            absence.save()
    except IntegrityError:
        raise AbsenceRefused({"start": "une absence de cet étudiant commence déjà à cette date et heure"}) from None
    return absence


def deposit_justificatif(*, absence: Absence, deposited_at: datetime, by, employer_informed: bool = False) -> Absence:
    """A4 — records the date-time the justificatif was deposited at the secretariat (history kept).

    Whether it is in time is judged at read time (48 elapsed hours after the declaration).
    """
    moment = paris(deposited_at, field_name="justificatif_at")
    absence.justificatif_at = moment
    absence.employer_informed = employer_informed
    attribute_change(absence, by=by)
    absence.save(update_fields=["justificatif_at", "employer_informed"])
    return absence

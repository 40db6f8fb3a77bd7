"""The feuille d'appel: a teacher or the secretariat ticks who is absent for one group and one slot.

Each tick is an absence recorded by the same rules as a declaration (A1): the slot's start and
end, its hours, the enseignement as the activity missed. The call is the absence's declaration
(A2): it is dated when the call is recorded, or at the slot's end when the call is transcribed
later, so a paper sheet typed in the next morning is not a late declaration of the student's.
Whether the absence is justified is judged later, as for every absence (A3–A5), when a
justificatif is deposited.

Untick a student and the absence this sheet created is removed (history kept), unless a
justificatif was deposited for it: then it stays and the page says why. A student already absent
by another declaration covering the slot gets no second absence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from juries.importers.parsing import CellError, make_paris_aware
from juries.models import Absence, AttendanceSheet, Enseignement, Student
from juries.models.history import attribute_change
from juries.rules.french import enseignement_label
from juries.selectors.attendance import covering_absences, groups_of, roster
from juries.selectors.frozen import deliberated_semesters

#: The longest slot a sheet covers: a morning or an afternoon, not a week.
MAX_SLOT_HOURS = 8


class AttendanceRefused(Exception):
    """A sheet that cannot be opened or saved; ``errors`` maps a form field to a French message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{k} : {v}" for k, v in errors.items()))


@dataclass
class CallOutcome:
    created: list[Student] = field(default_factory=list)
    removed: list[Student] = field(default_factory=list)
    already_absent: list[tuple[Student, Absence]] = field(default_factory=list)
    kept_justified: list[Student] = field(default_factory=list)


def open_sheet(*, enseignement: Enseignement, annee: str, group: str, day: date | None, start: time | None,
               end: time | None, by) -> AttendanceSheet:
    """The sheet of that slot, created on first call (the same slot opened twice is one sheet)."""
    errors: dict[str, str] = {}
    if group and group not in groups_of(enseignement, annee):
        errors["group"] = f"aucun étudiant du groupe « {group} » en S{enseignement.semester.number} {annee}"
    if day is None:
        errors["day"] = "date manquante"
    if start is None:
        errors["start"] = "heure de début manquante"
    if end is None:
        errors["end"] = "heure de fin manquante"
    moments: dict[str, datetime] = {}
    if day is not None:
        for name, value in (("start", start), ("end", end)):
            if value is None:
                continue
            try:
                moments[name] = make_paris_aware(datetime.combine(day, value))
            except CellError as exc:
                errors[name] = str(exc)
    if "start" in moments and "end" in moments:
        length = moments["end"] - moments["start"]
        if length.total_seconds() <= 0:
            errors["end"] = "la fin du créneau doit suivre son début"
        elif length.total_seconds() > MAX_SLOT_HOURS * 3600:
            errors["end"] = f"un créneau dure au plus {MAX_SLOT_HOURS} heures"
        if moments["start"] > timezone.now():
            errors["day"] = "l'appel se fait pendant ou après le créneau, pas avant"
    if (annee, enseignement.semester.number) in deliberated_semesters():
        errors["__all__"] = (f"E3 : le jury du S{enseignement.semester.number} {annee} a délibéré ; "
                             "ses absences ne changent plus sans réouverture du jury")
    if errors:
        raise AttendanceRefused(errors)
    sheet, _ = AttendanceSheet.objects.get_or_create(
        enseignement=enseignement, annee=annee, group=group, start=moments["start"],
        defaults={"end": moments["end"]},
    )
    if sheet.end != moments["end"]:
        raise AttendanceRefused({"end": f"ce créneau est déjà ouvert jusqu'à {timezone.localtime(sheet.end):%H:%M}"})
    return sheet


def _hours(sheet: AttendanceSheet) -> Decimal:
    return (Decimal((sheet.end - sheet.start).total_seconds()) / 3600).quantize(Decimal("0.01"))


def _declared_at(sheet: AttendanceSheet, now: datetime) -> datetime:
    # A2: the call declares the absence on the slot's day; a sheet typed in later keeps that day.
    return min(now, sheet.end)


def record_call(sheet: AttendanceSheet, absent_numeros: set[str], *, by) -> CallOutcome:
    """Makes the sheet's absences exactly the ticked students (within the roster), atomically."""
    if (sheet.annee, sheet.enseignement.semester.number) in deliberated_semesters():
        raise AttendanceRefused({"__all__": f"E3 : le jury du S{sheet.enseignement.semester.number} "
                                            f"{sheet.annee} a délibéré ; ses absences ne changent plus"})
    students = {e.student.numero: e.student for e in roster(sheet)}
    unknown = sorted(absent_numeros - students.keys())
    if unknown:
        raise AttendanceRefused({"__all__": "étudiant hors de ce groupe : " + ", ".join(unknown)})
    outcome = CallOutcome()
    now = timezone.now()
    activity = f"{enseignement_label(sheet.enseignement.code)} {sheet.enseignement.name}"[:200]
    with transaction.atomic():
        mine = {a.student_id: a for a in Absence.objects.select_for_update().filter(sheet=sheet)}
        others = covering_absences(sheet, students.values())
        for numero, student in students.items():
            ticked = numero in absent_numeros
            current = mine.get(student.pk)
            if ticked and current is None:
                if student.pk in others:
                    outcome.already_absent.append((student, others[student.pk]))
                    continue
                absence = Absence(
                    student=student, start=sheet.start, end=sheet.end, declared_at=_declared_at(sheet, now),
                    channel=Absence.Channel.APPEL, reason=Absence.Reason.AUTRE, hours=_hours(sheet),
                    activity=activity, sheet=sheet,
                )
                attribute_change(absence, by=by, reason=f"feuille d'appel {sheet.pk}")
                try:
                    with transaction.atomic():
                        absence.save()
                except IntegrityError:
                    # Another absence of the student starts at that very minute (declared meanwhile).
                    existing = Absence.objects.filter(student=student, start=sheet.start).first()
                    if existing is not None:
                        outcome.already_absent.append((student, existing))
                    continue
                outcome.created.append(student)
            elif not ticked and current is not None:
                if current.justificatif_at is not None:
                    outcome.kept_justified.append(student)
                    continue
                attribute_change(current, by=by, reason=f"décoché sur la feuille d'appel {sheet.pk}")
                current.delete()
                outcome.removed.append(student)
        sheet.taken_by = by
        sheet.taken_at = now
        attribute_change(sheet, by=by)
        sheet.save(update_fields=["taken_by", "taken_at"])
    return outcome

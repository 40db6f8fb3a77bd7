"""Absences (REGLEMENT.md §2): declaration and justificatif deposit, and the A4/A5/A8 verdicts.

Whether an absence is justified is never stored: it is judged at read time by the pure rules of
``juries.rules.absences`` (A4 48 hours, A5 alternants), so a justificatif arriving later changes
every screen at once. This module converts models into the rules' inputs and adds what the rules
do not compute (hours per semester, A1).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db import IntegrityError, transaction

from juries.importers.parsing import PARIS, CellError, make_paris_aware
from juries.models import Absence, Enrolment, Student
from juries.rules import absences as rules
from juries.rules.inputs import AbsenceIn
from juries.rules.motifs import Motif
from juries.rules.settings import DEFAULT_SETTINGS, ReglementSettings

ZERO = Decimal(0)


class AbsenceRefused(Exception):
    """A declaration or a deposit that cannot be recorded; `errors` maps a form field to a French message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{k} : {v}" for k, v in errors.items()))


# --------------------------------------------------------------------------- verdicts (read time)


def absence_input(absence: Absence) -> AbsenceIn:
    """The rules' input, in Europe/Paris time (the database gives UTC): the motifs the rules write
    (A2 "déclarée tardivement le …") then show the times the secretary entered."""

    def local(moment: datetime | None) -> datetime | None:
        return moment.astimezone(PARIS) if moment is not None else None

    return AbsenceIn(start=local(absence.start), end=local(absence.end), declared_at=local(absence.declared_at),
                     justificatif_at=local(absence.justificatif_at), reason=absence.reason)


def regimes_of(enrolments: Iterable[Enrolment | tuple[str, int, str]]) -> dict[tuple[str, int], str]:
    """(annee, parity) → régime of the enrolment of that semester period (A5: the enrolment decides)."""
    out: dict[tuple[str, int], str] = {}
    for e in enrolments:
        annee, number, regime = (e.annee, e.semester.number, e.regime) if isinstance(e, Enrolment) else e
        out[(annee, number % 2)] = regime
    return out


def judge(*, absence: Absence | AbsenceIn, regimes: Mapping[tuple[str, int], str],
          settings: ReglementSettings = DEFAULT_SETTINGS) -> rules.AbsenceStatus:
    """A3-A5 through the rules: justified only with a justificatif within 48 h (A4) and, for an
    alternant, one of the reasons of the Code du travail (A5)."""
    a = absence_input(absence) if isinstance(absence, Absence) else absence
    return rules.absence_status(a, regimes, settings)


def regime_for(status: rules.AbsenceStatus, regimes: Mapping[tuple[str, int], str]) -> str:
    return regimes.get((status.annee, status.parity), "FI")


def resolve_mark(*, mark: str, day: date | None, statuses: Iterable[rules.AbsenceStatus],
                 settings: ReglementSettings = DEFAULT_SETTINGS) -> tuple[str | None, bool]:
    """A8 through the rules: an ABS becomes ABJ on a day covered by a justified absence, else ABI.

    Returns (resolved mark, alert); the alert is an explicit ABI on a justified day.
    """
    return rules.resolve_mark(mark, day, rules.justified_days(statuses, settings))


def justified_days(statuses: Iterable[rules.AbsenceStatus],
                   settings: ReglementSettings = DEFAULT_SETTINGS) -> frozenset[date]:
    return rules.justified_days(statuses, settings)


@dataclass(frozen=True)
class SemesterAbsences:
    """A1 — the état des absences of one student for one semester period."""

    annee: str
    parity: int
    semester: int | None  # the enrolled semester of that period, None when not enrolled then
    justified: int = 0
    unjustified: int = 0
    hours_justified: Decimal = ZERO
    hours_unjustified: Decimal = ZERO
    without_hours: int = 0  # absences whose hours were not entered (not counted in the hours)
    alerts: tuple[Motif, ...] = ()

    @property
    def label(self) -> str:
        if self.semester:
            return f"S{self.semester} {self.annee}"
        return f"{self.annee}, semestre {'impair' if self.parity else 'pair'} (pas d'inscription)"

    @property
    def total(self) -> int:
        return self.justified + self.unjustified


def semester_summaries(statuses: Iterable[tuple[rules.AbsenceStatus, Decimal | None]],
                       semesters: Mapping[tuple[str, int], int]) -> list[SemesterAbsences]:
    """A1 — counts and hours, justified / unjustified, per semester period, newest first.

    The counts are the rules' ``etat_des_absences``; the hours are the ones entered on each
    absence (the rules do not count hours: a missing figure is reported, never guessed).
    """
    by_period: dict[tuple[str, int], list[tuple[rules.AbsenceStatus, Decimal | None]]] = {}
    for status, hours in statuses:
        by_period.setdefault((status.annee, status.parity), []).append((status, hours))
    out = []
    # Newest first: in a year the even semester (parity 0) comes after the odd one.
    for (annee, parity), items in sorted(by_period.items(), key=lambda kv: (kv[0][0], 1 - kv[0][1]), reverse=True):
        # etat_des_absences takes a semester number and keeps the statuses of its parity.
        justified, unjustified, alerts = rules.etat_des_absences([s for s, _ in items], annee, 2 - parity)
        hj = sum((h for s, h in items if s.justified and h is not None), ZERO)
        hu = sum((h for s, h in items if not s.justified and h is not None), ZERO)
        out.append(SemesterAbsences(
            annee=annee, parity=parity, semester=semesters.get((annee, parity)),
            justified=justified, unjustified=unjustified, hours_justified=hj, hours_unjustified=hu,
            without_hours=sum(1 for _, h in items if h is None), alerts=alerts,
        ))
    return out


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
    times = {}
    for name, value in (("start", start), ("end", end), ("declared_at", declared_at),
                        ("justificatif_at", justificatif_at)):
        if value is None:
            times[name] = None
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
                      justificatif_at=times["justificatif_at"], employer_informed=employer_informed)
    absence._history_user = by
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
    absence._history_user = by
    absence.save(update_fields=["justificatif_at", "employer_informed"])
    return absence

"""§2 Assiduité: whether an absence is justified, what an ABI / ABJ / ABS does to an average."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from .codes import Mark, Regime
from .inputs import AbsenceIn
from .motifs import Motif, motif
from .settings import DEFAULT_SETTINGS, ReglementSettings


@lru_cache(maxsize=8)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def aware(moment: datetime, tz: ZoneInfo) -> datetime:
    """A naive date-time is a wall-clock time of the règlement's timezone (CONTRACTS imports)."""
    return moment.replace(tzinfo=tz) if moment.tzinfo is None else moment


def local_date(moment: datetime, tz: ZoneInfo) -> date:
    return aware(moment, tz).astimezone(tz).date()


def semester_period_of(day: date, settings: ReglementSettings) -> tuple[str, int]:
    """The (academic year, parity 1 = odd / 0 = even) whose semester period contains ``day``."""
    y = day.year
    if (day.month, day.day) >= settings.odd_semester_start:
        return f"{y}-{y + 1}", 1
    if (day.month, day.day) >= settings.even_semester_start:
        return f"{y - 1}-{y}", 0
    return f"{y - 1}-{y}", 1


@dataclass(frozen=True, slots=True)
class AbsenceStatus:
    """An absence of the register, judged: justified or not, the motifs why, its period."""

    absence: AbsenceIn
    justified: bool
    annee: str
    parity: int
    late_declaration: bool
    motifs: tuple[Motif, ...]


def justificatif_in_time(absence: AbsenceIn, settings: ReglementSettings) -> tuple[bool, Motif]:
    """A4 — « Toute absence doit être justifiée dans les 48 heures qui suivent la déclaration
    d'absence, par le dépôt d'un justificatif (certificat, attestation, convocation) »

    In time when deposit ≤ declaration + 48 h, in elapsed hours (both instants in UTC, so the
    October clock change counts: 47 h 30 on the wall are 48 h 30). A deposit before the
    declaration is in time; a declaration after the first day still starts the 48 hours.
    """
    limit_hours = settings.justification_hours
    if absence.justificatif_at is None:
        return False, motif("A4", "a4_aucun", limit=limit_hours)
    tz = zone(settings.timezone)
    declared = aware(absence.declared_at, tz).astimezone(UTC)
    deposited = aware(absence.justificatif_at, tz).astimezone(UTC)
    elapsed = deposited - declared
    limit = timedelta(hours=limit_hours)
    seconds = int(elapsed.total_seconds())
    if seconds < 0:
        return True, motif("A4", "a4_avant", seconds=-seconds)
    if elapsed <= limit:
        return True, motif("A4", "a4_dans", seconds=seconds, limit=limit_hours)
    return False, motif("A4", "a4_hors", seconds=seconds, limit=limit_hours)


def alternant_reason_accepted(
    absence: AbsenceIn, regime: str, settings: ReglementSettings
) -> tuple[bool, Motif | None]:
    """A5 — « Seules les absences autorisées par le Code du Travail seront recevables : maladie,
    décès d'un proche, mariage, PACS ou naissance, convocation … Toute autre absence sera
    considérée comme injustifiée »

    Applies to alternants only (the régime of the enrolment whose semester covers the absence);
    the justificatif must also go to the employer.
    """
    if regime not in settings.alternant_regimes:
        return True, None
    if absence.reason in settings.alternant_reasons:
        return True, motif("A5", "a5_recevable", reason=absence.reason)
    return False, motif("A5", "a5_refuse", reason=absence.reason or "")


def absence_status(
    absence: AbsenceIn, regimes: Mapping[tuple[str, int], str], settings: ReglementSettings
) -> AbsenceStatus:
    """A3 — « Toute absence est a priori considérée comme injustifiée. »

    Justified only when A4 (justificatif in time) and, for an alternant, A5 both allow it.
    ``regimes`` maps (annee, parity) to the régime of the enrolment of that semester period:
    the enrolment whose semester covers the absence decides (A5); none: FI.
    """
    tz = zone(settings.timezone)
    annee, parity = semester_period_of(local_date(absence.start, tz), settings)
    regime = regimes.get((annee, parity), Regime.FI)
    in_time, a4 = justificatif_in_time(absence, settings)
    allowed, a5 = alternant_reason_accepted(absence, regime, settings)
    motifs = (a4,) if a5 is None else (a4, a5)
    return AbsenceStatus(
        absence=absence,
        justified=in_time and allowed,
        annee=annee,
        parity=parity,
        late_declaration=declared_late(absence, settings),
        motifs=motifs,
    )


def declared_late(absence: AbsenceIn, settings: ReglementSettings) -> bool:
    """A2 — « Les absences imprévues doivent être déclarées … le jour même de la première
    journée d'absence »

    Late when declared on a calendar day (Europe/Paris) after the absence's first day; the
    declaration is still accepted (A4 [interp]) and the jury is told (alert A2).
    """
    tz = zone(settings.timezone)
    return local_date(absence.declared_at, tz) > local_date(absence.start, tz)


def etat_des_absences(
    statuses: Iterable[AbsenceStatus], annee: str, semester: int, settings: ReglementSettings = DEFAULT_SETTINGS
) -> tuple[int, int, tuple[Motif, ...]]:
    """A1 — « Les absences sont relevées. Un état des absences est transmis au jury de semestre
    et au jury de délivrance du diplôme. »

    Counts (justified, unjustified) of the absences starting in the jury's semester period,
    and the A2 alerts of its late declarations.
    """
    parity = semester % 2
    justified = unjustified = 0
    alerts: list[Motif] = []
    tz = zone(settings.timezone)
    for status in statuses:
        if status.annee != annee or status.parity != parity:
            continue
        if status.justified:
            justified += 1
        else:
            unjustified += 1
        if status.late_declaration:
            a = status.absence
            alerts.append(
                motif(
                    "A2",
                    "a2_tardive",
                    start=local_date(a.start, tz),
                    declared=aware(a.declared_at, tz).astimezone(tz),
                )
            )
    return justified, unjustified, tuple(alerts)


def unjustified_absences_motif(unjustified: int) -> Motif | None:
    """A9 — « Les absences injustifiées peuvent donner lieu à une prise en compte dans
    l'évaluation des modules. »

    No automatic penalty: the count is shown to the jury, which may take it into account.
    """
    if unjustified == 0:
        return None
    return motif("A9", "a9", count=unjustified)


def justified_days(statuses: Iterable[AbsenceStatus], settings: ReglementSettings) -> frozenset[date]:
    """The calendar days (Europe/Paris) touched by a justified absence [début, fin] (for A8)."""
    tz = zone(settings.timezone)
    days: set[date] = set()
    for status in statuses:
        if not status.justified:
            continue
        day = local_date(status.absence.start, tz)
        last = local_date(status.absence.end, tz)
        while day <= last:
            days.add(day)
            day += timedelta(days=1)
    return frozenset(days)


#: What an ABI or ABJ does inside an enseignement average (V1 applies it).
ZERO_EVALUATION = "zero_evaluation"
ZERO_ENSEIGNEMENT = "zero_enseignement"
NEUTRALISED = "neutralised"
MISSING = "missing"


def abi_effect(settings: ReglementSettings) -> str:
    """A6 — « En cas d'absence injustifiée lors d'une activité donnant lieu à une évaluation, la
    mention ABI sera indiquée sur le relevé de notes. Pour le calcul de la moyenne d'une unité
    d'enseignement, cette mention équivaut à une note de l'enseignement égale à 0. »

    [interp] ``abi_scope="evaluation"``: a 0 for that evaluation (its weight kept);
    ``"enseignement"``: the whole enseignement average is 0.
    """
    return ZERO_ENSEIGNEMENT if settings.abi_scope == "enseignement" else ZERO_EVALUATION


def abj_effect(settings: ReglementSettings) -> str:
    """A7 — « Toute absence doit être justifiée … » [interp]: an evaluation missed with a
    justified absence is ABJ and neutralised (left out, its weight removed) and flagged.

    ``abj_policy="pending"``: the grade stays missing until a replacement grade is entered.
    """
    return MISSING if settings.abj_policy == "pending" else NEUTRALISED


def resolve_mark(mark: str, day: date | None, justified: frozenset[date]) -> tuple[str | None, bool]:
    """A8 — « la mention ABI sera indiquée sur le relevé de notes » [interp]: an ABS is resolved
    from the register — a justified absence on the evaluation's calendar day → ABJ, else ABI.

    Returns (resolved mark, alert). An explicit ABI or ABJ is kept as entered; an explicit ABI
    on a justified day raises the alert. An ABS without a date cannot be resolved (None: the
    grade is missing).
    """
    if mark == Mark.ABS:
        if day is None:
            return None, False
        return (Mark.ABJ if day in justified else Mark.ABI), False
    if mark == Mark.ABI:
        return Mark.ABI, day is not None and day in justified
    return mark, False


def abi_counted_zero(
    code: str,
    label: str,
    day: date | None,
    statuses: Iterable[AbsenceStatus],
    settings: ReglementSettings,
) -> Motif:
    """The motif of an evaluation an ABI counted 0 in (A6): which evaluation, which absence of
    the register made it unjustified, and why (A4's delay, A5's motif for an alternant)."""
    tz = zone(settings.timezone)
    found: AbsenceStatus | None = None
    if day is not None:
        for status in statuses:
            if status.justified:
                continue
            if local_date(status.absence.start, tz) <= day <= local_date(status.absence.end, tz):
                found = status
                break
    why = () if found is None else tuple(m for m in found.motifs if m.key in _UNJUSTIFIED_KEYS)
    return motif(
        "A6",
        "a6_zero",
        code=code,
        label=label,
        day=day,
        scope=settings.abi_scope,
        start=None if found is None else local_date(found.absence.start, tz),
        why=why,
    )


_UNJUSTIFIED_KEYS = frozenset({"a4_aucun", "a4_hors", "a5_refuse"})

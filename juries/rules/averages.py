"""§5-1 Averages: an enseignement's (V1), a UE's (V2), and how they are rounded (V3)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from operator import attrgetter, mul
from typing import NamedTuple

from .absences import (
    MISSING,
    ZERO_ENSEIGNEMENT,
    abi_effect,
    abj_effect,
    resolve_mark,
)
from .codes import Mark
from .compensation import compensate_within_ue
from .exact import Exact, quotient, ratio
from .inputs import EnseignementSumIn, EvaluationGradeIn
from .settings import ReglementSettings

ZERO = Decimal(0)
_WEIGHT = attrgetter("weight")
_VALUE = attrgetter("value")

# Status of an enseignement average.
OK = "ok"
INCOMPLETE = "missing"
ALL_NEUTRALISED = "neutralised"
NO_EVALUATION = "no_evaluation"
KEPT = "kept"


class EnseignementAverage(NamedTuple):
    moyenne: Exact | None
    status: str
    resolved: tuple[tuple[str, str], ...] = ()
    abi_alerts: tuple[tuple[str, date], ...] = ()
    missing_labels: tuple[str, ...] = ()
    abj_labels: tuple[str, ...] = ()
    #: (label, date) of each evaluation counted 0 by an ABI (A6), explicit or resolved (A8).
    abi_labels: tuple[tuple[str, date | None], ...] = ()


def enseignement_average(
    evaluations: Sequence[EvaluationGradeIn],
    justified: frozenset[date],
    settings: ReglementSettings,
) -> EnseignementAverage:
    """V1 — « Chaque ressource proposera plusieurs évaluations » : the enseignement average is
    Σ(weight × grade) / Σ(weight) over its evaluations, with A6 (ABI), A7 (ABJ) and A8 (ABS)
    applied. An evaluation with no grade entered makes the average missing.
    """
    # Fast path, the common case: every evaluation graded with a number, summed in C (map,
    # attrgetter, operator.mul); a row without a number makes ``mul`` raise, and the general
    # loop below handles it.
    try:
        num = sum(map(mul, map(_WEIGHT, evaluations), map(_VALUE, evaluations)), ZERO)
    except TypeError:
        pass
    else:
        if evaluations:
            return EnseignementAverage(quotient(num, sum(map(_WEIGHT, evaluations), ZERO)), OK)
    num = ZERO
    den = ZERO
    count = 0
    missing: list[str] = []
    resolved: list[tuple[str, str]] = []
    abi_alerts: list[tuple[str, date]] = []
    abj: list[str] = []
    abi: list[tuple[str, date | None]] = []
    zero_all = False
    for ev in evaluations:
        count += 1
        value = ev.value
        if value is not None:
            num += ev.weight * value
            den += ev.weight
            continue
        mark = ev.mark
        if not mark:
            missing.append(ev.label)
            continue
        mark, alert = resolve_mark(mark, ev.date, justified)
        if ev.mark == Mark.ABS and mark is not None:
            resolved.append((ev.label, mark))
        if alert and ev.date is not None:
            abi_alerts.append((ev.label, ev.date))
        if mark is None:
            missing.append(ev.label)
        elif mark == Mark.ABI:
            abi.append((ev.label, ev.date))
            if abi_effect(settings) == ZERO_ENSEIGNEMENT:
                zero_all = True
            den += ev.weight
        elif mark == Mark.ABJ:
            abj.append(ev.label)
            if abj_effect(settings) == MISSING:
                missing.append(ev.label)
    moyenne: Exact | None
    if count == 0:
        moyenne, status = None, NO_EVALUATION
    elif missing:
        moyenne, status = None, INCOMPLETE
    elif zero_all:
        moyenne, status = ZERO, OK
    elif den == 0:
        assert abj, "weights are > 0"
        moyenne, status = None, ALL_NEUTRALISED
    else:
        moyenne, status = quotient(num, den), OK
    return EnseignementAverage(
        moyenne,
        status,
        resolved=tuple(resolved),
        abi_alerts=tuple(abi_alerts),
        missing_labels=tuple(missing),
        abj_labels=tuple(abj),
        abi_labels=tuple(abi) if not missing else (),
    )


def summed_average(summed: EnseignementSumIn) -> EnseignementAverage:
    """V1 for an enseignement summed by the database (every evaluation with a number):
    Σ(weight × grade) / Σ(weight), exactly — the value ``enseignement_average`` gives from the rows."""
    return _summed(summed.points, summed.weights)


@lru_cache(maxsize=16384)
def _summed(points: int, weights: int) -> EnseignementAverage:
    # Sums repeat (a promo's grades fill a narrow range): equal sums share one immutable average.
    return EnseignementAverage(ratio(points, weights * 100), OK)


@dataclass(frozen=True, slots=True)
class UEAverage:
    moyenne: Exact | None
    missing: tuple[str, ...]
    neutralised: tuple[str, ...]


def ue_average(
    coefficients: Iterable[tuple[str, Decimal]],
    averages: dict[str, EnseignementAverage],
    extra: Iterable[tuple[Decimal, Exact]] = (),
) -> UEAverage:
    """V2 — « la moyenne obtenue à l'ensemble « Pôle ressources » et « SAÉ » » : Σ(coef ×
    enseignement average) / Σ(coef) over the enseignements of both poles with a coefficient.

    An enseignement with a missing grade, or no evaluation at all, makes the average
    incomplete (None: the UE is ATT); an enseignement whose every evaluation is ABJ is left
    out (A7); with nothing left to average the UE is ATT. ``extra`` adds (coef, grade) pairs
    that never make the UE incomplete (the BIP, M3).
    """
    pairs: list[tuple[Decimal, Exact]] = []
    missing: list[str] = []
    neutralised: list[str] = []
    for code, coef in coefficients:
        avg = averages.get(code)
        if avg is None or avg.moyenne is None:
            if avg is not None and avg.status == ALL_NEUTRALISED:
                neutralised.append(code)
            else:
                missing.append(code)
            continue
        pairs.append((coef, avg.moyenne))
    if missing:
        return UEAverage(None, tuple(missing), tuple(neutralised))
    pairs.extend(extra)
    return UEAverage(compensate_within_ue(pairs), (), tuple(neutralised))

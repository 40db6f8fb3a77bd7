"""Models turned into the rule engine's inputs, each conversion written once.

Used by the jury's selector (``selectors.jury``) and by the absence register
(``selectors.absences``), so that the engine and the secretariat's screens judge an absence from
the same input.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from juries.importers.parsing import PARIS
from juries.models import Absence, Enrolment
from juries.rules.absences import AbsenceStatus
from juries.rules.codes import Regime
from juries.rules.inputs import AbsenceIn

#: (annee, parity of the semester) → régime of the enrolment of that semester period.
Regimes = dict[tuple[str, int], str]


def _paris(moment: datetime) -> datetime:
    return moment.astimezone(PARIS)


def absence_input(absence: Absence) -> AbsenceIn:
    """The rules' input, in Europe/Paris time (the database gives UTC): the motifs the rules write
    (A2 "déclarée tardivement le …", A4) then show the wall-clock times the secretary entered."""
    return AbsenceIn(start=_paris(absence.start), end=_paris(absence.end), declared_at=_paris(absence.declared_at),
                     justificatif_at=_paris(absence.justificatif_at) if absence.justificatif_at is not None else None,
                     reason=absence.reason)


def regimes_of(enrolments: Iterable[Enrolment | tuple[str, int, str]]) -> Regimes:
    """A5 — the enrolment of a semester period decides whether its absences are an alternant's.

    ``enrolments``: models, or (annee, semester number, régime) rows read with ``values_list``.
    """
    out: Regimes = {}
    for e in enrolments:
        annee, number, regime = (e.annee, e.semester.number, e.regime) if isinstance(e, Enrolment) else e
        out[(annee, number % 2)] = regime
    return out


def regime_for(status: AbsenceStatus, regimes: Mapping[tuple[str, int], str]) -> str:
    """The régime an absence was judged with; FI when the student was not enrolled then (as the rules)."""
    return regimes.get((status.annee, status.parity), Regime.FI.value)

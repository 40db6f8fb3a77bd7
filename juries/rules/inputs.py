"""What the rule engine reads: the maquette and each student's whole cursus, as frozen dataclasses.

The selector builds these from the database; tests build them by hand. Plain values only:
``Decimal`` for grades, coefficients and ECTS, ``datetime.date`` for dates, timezone-aware
``datetime`` for absence times (a naive one is read as Europe/Paris wall-clock time).
Sequences are tuples; their order never changes a result.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, NamedTuple

from .codes import Code, EnrolmentStatus, Regime

#: ``date`` is also a field name below: annotations of those classes use this alias.
_Date = date

ONE = Decimal(1)


# --------------------------------------------------------------------------- maquette


@dataclass(frozen=True, slots=True)
class CoefDef:
    """One enseignement's coefficient in one UE (Annexe 3). ``pole`` is "ressources" or "sae"."""

    enseignement: str
    pole: str
    value: Decimal


@dataclass(frozen=True, slots=True)
class UEDef:
    """One UE: a competence in a semester, e.g. ``key="UE1 S3"``.

    ``level`` is the competence level the UE belongs to (data, never derived from the semester:
    Supply Chain is level 1 in BUT2). ``rcue_coefficient`` is the C3 per-UE RCUE weight.
    Only enseignements with a non-zero coefficient are listed (a "-" in Annexe 3 is absent).
    """

    key: str
    competence: int
    semester: int
    level: int
    ects: Decimal
    ects_ressources: Decimal
    ects_sae: Decimal
    coefficients: tuple[CoefDef, ...]
    rcue_coefficient: Decimal = ONE

    @property
    def but_year(self) -> int:
        return (self.semester + 1) // 2


@dataclass(frozen=True, slots=True)
class CompetenceDef:
    """A competence (Annexe 1): ``levels`` pairs (level, BUT year), ``level_names`` (level, name)."""

    number: int
    name: str
    levels: tuple[tuple[int, int], ...] = ()
    level_names: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True, slots=True)
class EnseignementDef:
    """An enseignement (ressource, SAÉ, portfolio, stage) of one semester."""

    code: str
    semester: int
    kind: str
    name: str = ""


@dataclass(frozen=True)
class Maquette:
    """The whole maquette of one formation and parcours.

    ``stage_codes`` maps a semester to the code of its mandatory stage enseignement
    (``{4: "STAGE4", 6: "STAGE6"}``): the UEs in which that code has a coefficient need the
    stage (S1, V6). ``enseignements`` gives the kind of each code (E1 looks at ressources).
    """

    ues: tuple[UEDef, ...]
    competences: tuple[CompetenceDef, ...]
    enseignements: tuple[EnseignementDef, ...] = ()
    stage_codes: dict[int, str] = field(default_factory=dict, hash=False)

    @property
    def index(self) -> Any:
        """The maquette's ``MaquetteIndex``, for the layers around the engine: built and cached
        by ``index.maquette_index`` (typed: call it directly), which registers itself here when
        index.py is imported — by the package, before any input type can be read. The input
        types neither import nor build their index (no import circle inputs ↔ index)."""
        if _indexer is None:
            raise RuntimeError("juries.rules.index is not loaded")
        return _indexer(self)


_indexer: Callable[[Maquette], Any] | None = None


def register_indexer(indexer: Callable[[Maquette], Any]) -> None:
    global _indexer
    _indexer = indexer


# --------------------------------------------------------------------------- a student's cursus


class EvaluationGradeIn(NamedTuple):
    """One evaluation of an enseignement in the enrolment's year, with the student's grade.

    Every evaluation defined for that enseignement that year is listed; ``value`` and ``mark``
    both ``None`` means the grade is missing (V1). ``mark`` is ``"ABI"``, ``"ABJ"`` or ``"ABS"``.
    A NamedTuple rather than a frozen dataclass: a jury builds millions of them, and a
    NamedTuple is created five times faster while being just as immutable.
    """

    enseignement: str
    label: str
    weight: Decimal = ONE
    date: date | None = None
    value: Decimal | None = None
    mark: str | None = None


class EnseignementSumIn(NamedTuple):
    """V1's sums for one enseignement of the enrolment's year when every evaluation of it has a
    number, computed where the grades are (the database) in integers, hence exact: ``points`` is
    Σ(weight × 100 × grade × 100), ``weights`` is Σ(weight × 100). The average is their exact
    quotient (V3), the same value as from the rows.

    ``evaluations`` are those rows (every evaluation defined, each with its number): the engine
    only takes their count (E1) and hands them to the results for the relevé and the student's
    page, so a caller may give a sequence that reads them only when looked at. An enseignement
    is either summed here or listed in ``EnrolmentIn.evaluations``, never both.
    """

    enseignement: str
    points: int
    weights: int
    evaluations: Sequence[EvaluationGradeIn]


@dataclass(frozen=True, slots=True)
class StageIn:
    """The mandatory stage of an even semester (S1-S4, M2)."""

    start: date
    end: date
    abroad: bool = False


@dataclass(frozen=True, slots=True)
class MobilityIn:
    """M1 — the semester was validated abroad."""

    institution: str


@dataclass(frozen=True, slots=True)
class BipIn:
    """M3 — the student's participation in a Blended Intensive Program during this enrolment.

    ``ue``: the UE it counts in ("UE4 S5"), as recorded with the participation; None: the
    department's setting ``bip_ue``. ``grade`` None: not graded yet.
    """

    grade: Decimal | None = None
    ue: str | None = None
    title: str = ""


@dataclass(frozen=True, slots=True)
class DeliberatedUE:
    """A UE decision recorded by a jury (any UE key: an ADSUP of a lower level included)."""

    ue: str
    code: Code
    moyenne: Decimal | None = None


@dataclass(frozen=True, slots=True)
class DeliberatedRCUE:
    competence: int
    level: int
    code: Code
    moyenne: Decimal | None = None


@dataclass(frozen=True, slots=True)
class DeliberatedIn:
    """What the jury of this enrolment's semester decided (E3, R3: where deliberated, it stands).

    ``decision_annee`` / ``passage`` are the year decision of an even-semester jury (or EXCLU,
    DEM… at any jury). UEs or RCUEs not listed are computed as usual.
    """

    ues: tuple[DeliberatedUE, ...] = ()
    rcues: tuple[DeliberatedRCUE, ...] = ()
    decision_annee: Code | None = None
    passage: bool | None = None


@dataclass(frozen=True, slots=True)
class EnrolmentIn:
    """One enrolment of a student in one semester of one academic year (``annee="2026-2027"``).

    ``jury_date`` is the date of that semester's jury when recorded (stage rule S3 for earlier
    years; the current jury's date is an argument of the engine).
    """

    annee: str
    semester: int
    regime: str = Regime.FI
    redoublement: bool = False
    amenagement: bool = False
    status: str = EnrolmentStatus.INSCRIT
    evaluations: tuple[EvaluationGradeIn, ...] = ()
    stage: StageIn | None = None
    mobility: MobilityIn | None = None
    bip: BipIn | None = None
    deliberated: DeliberatedIn | None = None
    jury_date: date | None = None
    #: enseignements whose every evaluation has a number, already summed (EnseignementSumIn).
    sums: tuple[EnseignementSumIn, ...] = ()

    @property
    def but_year(self) -> int:
        return (self.semester + 1) // 2


@dataclass(frozen=True, slots=True)
class AbsenceIn:
    """One absence of the register (A1-A5). Times are aware datetimes (naive: Europe/Paris)."""

    start: datetime
    end: datetime
    declared_at: datetime
    justificatif_at: datetime | None = None
    reason: str = "autre"


@dataclass(frozen=True, slots=True)
class FraudCaseIn:
    """F1/F2 — a fraud case; ``sanction`` one of codes.Sanction, ``sanction_end`` None = definitive."""

    date: _Date
    closed: bool = False
    sanction: str | None = None
    sanction_start: _Date | None = None
    sanction_end: _Date | None = None
    sursis: bool = False


@dataclass(frozen=True, slots=True)
class RepeatAuthorisationIn:
    """R2 — a repeat beyond the limits authorised by the IUT director (force majeure).

    ``annee``: the academic year of the repeat it allows ("2027-2028"); None when not recorded
    (it then serves the first repeat that needs it, from its date on). ``date``: the decision.
    """

    date: _Date
    annee: str | None = None
    reason: str = ""


@dataclass(frozen=True, slots=True)
class StudentIn:
    """A student and everything on record for the whole cursus.

    ``repeat_authorisations``: the director's authorisations of one more repeat each (R2).
    """

    numero: str
    nom: str
    prenom: str
    enrolments: tuple[EnrolmentIn, ...] = ()
    absences: tuple[AbsenceIn, ...] = ()
    fraud_cases: tuple[FraudCaseIn, ...] = ()
    repeat_authorisations: tuple[RepeatAuthorisationIn, ...] = ()

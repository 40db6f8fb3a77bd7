"""« Ce qu'il te faut » — the smallest grade on the evaluations still to come that would acquire
each UE (V4, C2), each RCUE (C3) and the year (P2/P3, P5), asked of the engine itself.

Pure: the engine's own inputs in, value objects out. For each target the evaluations still to
come (no number, no absence mark: V1's *missing* grade) of the enseignements that matter are all
given one uniform grade g, the engine runs, and the target is read off its proposal. The engine
is monotonic (raising a grade never lowers a result: tests/rules/test_properties.py), so the
smallest g is found by bisection over the hundredths 0.00…20.00 (about a dozen runs per target).

Which evaluations a target's grade is over (its *scope*):
- a UE: the enseignements with a coefficient in it; at an even-semester jury also those of the
  other UE of its RCUE, since a UE below 10 is acquired by compensation (C2) through it;
- an RCUE: the enseignements of its two UEs;
- the year: every evaluation still to come in the year's enrolments.
Evaluations outside the scope stay as they are (still to come: a UE using them stays ATT).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from .codes import ACQUIRED_UE_CODES, VALIDATED_RCUE_CODES, Code
from .compensation import compensate_within_ue
from .engine import compute_proposal
from .exact import Exact, as_decimal
from .index import MaquetteIndex, maquette_index
from .inputs import EnrolmentIn, EvaluationGradeIn, Maquette, StudentIn
from .results import StudentProposal
from .settings import DEFAULT_SETTINGS, ReglementSettings

#: A target's outcome.
ACQUIRED = "deja_acquis"  # acquired whatever comes (the proposal already says so)
ANY = "quelle_que_soit"  # not acquired yet, but any grade (even 0) on what remains acquires it
GRADE = "note"  # `grade` is the smallest grade that acquires it
OUT_OF_REACH = "hors_atteinte"  # not even with 20 everywhere in its scope
NOTHING_TO_COME = "rien_a_venir"  # not acquired, and nothing of its scope is still to come

UE, RCUE, ANNEE = "ue", "rcue", "annee"

_HUNDREDTH = Decimal("0.01")
_TOP = 2000  # 20.00 in hundredths


@dataclass(frozen=True, slots=True)
class Need:
    """One target: ``key`` "UE2 S2", "C2 N1" or "annee"; ``rules`` the rule ids that decide it."""

    kind: str
    key: str
    label: str
    rules: tuple[str, ...]
    outcome: str
    grade: Decimal | None = None
    #: the enseignements whose evaluations still to come the grade is over (sorted codes).
    enseignements: tuple[str, ...] = ()
    #: how many evaluations still to come the grade is over.
    pending: int = 0


@dataclass(frozen=True, slots=True)
class Needs:
    numero: str
    annee: str
    semester: int
    #: (enseignement, label) of every evaluation still to come in the jury's year.
    pending: tuple[tuple[str, str], ...]
    items: tuple[Need, ...]

    @property
    def any_pending(self) -> bool:
        return bool(self.pending)

    @property
    def ues(self) -> tuple[Need, ...]:
        return tuple(n for n in self.items if n.kind == UE)

    @property
    def rcues(self) -> tuple[Need, ...]:
        return tuple(n for n in self.items if n.kind == RCUE)

    @property
    def annee_need(self) -> Need | None:
        return next((n for n in self.items if n.kind == ANNEE), None)


def is_pending(row: EvaluationGradeIn) -> bool:
    """V1 — a grade not entered: neither a number nor an absence mark."""
    return row.value is None and not row.mark


def _in_year(e: EnrolmentIn, annee: str, semester: int) -> bool:
    """The enrolments the jury of ``semester`` decides on: that semester's, and at an even jury
    the odd semester of the same year before it."""
    return e.annee == annee and e.semester <= semester and (e.semester + 1) // 2 == (semester + 1) // 2


def _filled(student: StudentIn, annee: str, semester: int, codes: frozenset[str], grade: Decimal) -> StudentIn:
    """The student with every evaluation still to come of ``codes`` (in the jury's year) graded ``grade``."""
    enrolments = []
    for e in student.enrolments:
        if _in_year(e, annee, semester) and any(is_pending(r) and r.enseignement in codes for r in e.evaluations):
            rows = tuple(
                r._replace(value=grade) if is_pending(r) and r.enseignement in codes else r for r in e.evaluations
            )
            e = replace(e, evaluations=rows)
        enrolments.append(e)
    return replace(student, enrolments=tuple(enrolments))


def _ue_acquired(key: str) -> Callable[[StudentProposal], bool]:
    def test(p: StudentProposal) -> bool:
        return any(u.ue == key and u.code in ACQUIRED_UE_CODES for u in p.ues)

    return test


def _rcue_validated(competence: int, level: int) -> Callable[[StudentProposal], bool]:
    def test(p: StudentProposal) -> bool:
        return any(r.competence == competence and r.level == level and r.code in VALIDATED_RCUE_CODES
                   for r in p.rcues)

    return test


def _year_obtained(final: bool) -> Callable[[StudentProposal], bool]:
    def test(p: StudentProposal) -> bool:
        return p.decision_annee == Code.ADM if final else p.passage is True

    return test


def _codes(index: MaquetteIndex, ue_keys: Iterable[str]) -> frozenset[str]:
    return frozenset(code for k in ue_keys for code, _ in index.coefficients.get(k, ()))


def compute_needs(
    *,
    maquette: Maquette,
    student: StudentIn,
    annee: str,
    semester: int,
    jury_date: date | None = None,
    settings: ReglementSettings = DEFAULT_SETTINGS,
) -> Needs:
    """What ``student`` still needs at the jury of ``semester`` of ``annee`` (the engine's
    arguments, as ``compute_proposal``). Raises ValueError as the engine does for a student
    not enrolled in that semester."""
    index = maquette_index(maquette)
    cache: dict[tuple[frozenset[str], int], StudentProposal] = {}

    def run(codes: frozenset[str], hundredths: int) -> StudentProposal:
        key = (codes, hundredths)
        if key not in cache:
            grade = (Decimal(hundredths) * _HUNDREDTH).quantize(_HUNDREDTH)
            fed = _filled(student, annee, semester, codes, grade) if codes else student
            cache[key] = compute_proposal(maquette=maquette, student=fed, annee=annee, semester=semester,
                                          jury_date=jury_date, settings=settings)
        return cache[key]

    now = run(frozenset(), 0)
    pending_rows = [r for e in student.enrolments if _in_year(e, annee, semester) for r in e.evaluations
                    if is_pending(r)]
    pending_codes = frozenset(r.enseignement for r in pending_rows)

    def need(kind: str, key: str, label: str, rules: tuple[str, ...], scope: frozenset[str],
             test: Callable[[StudentProposal], bool]) -> Need:
        codes = scope & pending_codes
        base = Need(kind=kind, key=key, label=label, rules=rules, outcome=ACQUIRED,
                    enseignements=tuple(sorted(codes)),
                    pending=sum(1 for r in pending_rows if r.enseignement in codes))
        if test(now):
            return base
        if not codes:
            return replace(base, outcome=NOTHING_TO_COME)
        if not test(run(codes, _TOP)):
            return replace(base, outcome=OUT_OF_REACH)
        if test(run(codes, 0)):
            return replace(base, outcome=ANY, grade=Decimal("0.00"))
        low, high = 0, _TOP  # the target is missed at low, reached at high
        while high - low > 1:
            mid = (low + high) // 2
            if test(run(codes, mid)):
                high = mid
            else:
                low = mid
        return replace(base, outcome=GRADE, grade=(Decimal(high) * _HUNDREDTH).quantize(_HUNDREDTH))

    even = semester % 2 == 0
    year = (semester + 1) // 2
    items: list[Need] = []
    rcue_of_ue: dict[str, tuple[str, ...]] = {}
    rcue_keys = index.rcues_by_year.get(year, ()) if even else ()
    for key in rcue_keys:
        pair = tuple(u.key for u in index.rcue_groups[key])
        for k in pair:
            rcue_of_ue[k] = pair
    shown = (semester - 1, semester) if even else (semester,)
    for sem in shown:
        for ue in index.ues_by_semester.get(sem, ()):
            scope = _codes(index, rcue_of_ue.get(ue.key, (ue.key,)))
            rules = ("V4", "C2") if ue.key in rcue_of_ue else ("V4",)
            items.append(need(UE, ue.key, ue.key, rules, scope, _ue_acquired(ue.key)))
    for competence, level in rcue_keys:
        pair = tuple(u.key for u in index.rcue_groups[(competence, level)])
        items.append(need(RCUE, f"C{competence} N{level}", f"RCUE {index.rcue_label(competence, level)}", ("C3",),
                          _codes(index, pair), _rcue_validated(competence, level)))
    if even:
        final = semester == index.final_semester
        year_ues = [u.key for s in shown for u in index.ues_by_semester.get(s, ())]
        label = "Diplôme (année validée)" if final else f"Passage en S{semester + 1}"
        rules = ("P5",) if final else ("P2", "P3") if semester + 1 in settings.p3_required_semesters else ("P2",)
        items.append(need(ANNEE, "annee", label, rules, _codes(index, year_ues) | pending_codes,
                          _year_obtained(final)))
    return Needs(
        numero=student.numero, annee=annee, semester=semester,
        pending=tuple((r.enseignement, r.label) for r in pending_rows), items=tuple(items),
    )


@dataclass(frozen=True, slots=True)
class ProvisionalUE:
    """A UE's average over what has been graded so far (not a decision: the UE is ATT until
    every grade is in, V2). ``counted`` / ``total``: its enseignements with an average / all."""

    key: str
    moyenne: Decimal | None
    counted: tuple[str, ...]
    total: int


def provisional_averages(
    *,
    maquette: Maquette,
    student: StudentIn,
    annee: str,
    semester: int,
    jury_date: date | None = None,
    settings: ReglementSettings = DEFAULT_SETTINGS,
) -> tuple[ProvisionalUE, ...]:
    """The UE averages of ``semester`` of ``annee`` over the evaluations graded so far: the
    engine's enseignement averages (V1, A6-A8 applied) with the evaluations still to come left
    out, then V2's coefficient-weighted mean (C1) over the enseignements that have one."""
    index = maquette_index(maquette)
    enrolments = tuple(
        replace(e, evaluations=tuple(r for r in e.evaluations if not is_pending(r)))
        if e.annee == annee and e.semester == semester else e
        for e in student.enrolments
    )
    proposal = compute_proposal(maquette=maquette, student=replace(student, enrolments=enrolments), annee=annee,
                                semester=semester, jury_date=jury_date, settings=settings)
    averages = {r.code: r.moyenne for r in proposal.enseignements if r.semester == semester}
    out = []
    for ue in index.ues_by_semester.get(semester, ()):
        coefficients = index.coefficients.get(ue.key, ())
        pairs: list[tuple[Decimal, Exact]] = []
        counted: list[str] = []
        for code, coef in coefficients:
            average = averages.get(code)
            if average is not None:
                pairs.append((coef, average))
                counted.append(code)
        out.append(ProvisionalUE(key=ue.key, moyenne=as_decimal(compensate_within_ue(pairs)) if pairs else None,
                                 counted=tuple(counted), total=len(coefficients)))
    return tuple(out)


__all__ = [
    "ACQUIRED",
    "ANNEE",
    "ANY",
    "GRADE",
    "NOTHING_TO_COME",
    "OUT_OF_REACH",
    "RCUE",
    "UE",
    "Need",
    "Needs",
    "ProvisionalUE",
    "compute_needs",
    "is_pending",
    "provisional_averages",
]

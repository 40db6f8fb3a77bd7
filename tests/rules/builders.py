"""Builders of rule inputs over the real QLIO maquette, for hand-computed test cases.

A grade spec is a number (``"12"``: two evaluations with that grade), or a list whose items are
numbers, ``"ABI"``, ``"ABJ"``, ``"ABS"`` or ``None`` (no grade entered: missing), one per
evaluation.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from juries.rules.inputs import (
    AbsenceIn,
    EnrolmentIn,
    EvaluationGradeIn,
    FraudCaseIn,
    StageIn,
    StudentIn,
)

from .qlio_maquette import QLIO

PARIS = ZoneInfo("Europe/Paris")
D = Decimal

#: A straight cursus: BUT1 in 2024-2025, BUT2 in 2025-2026, BUT3 in 2026-2027.
YEAR_OF = {1: "2024-2025", 2: "2024-2025", 3: "2025-2026", 4: "2025-2026", 5: "2026-2027", 6: "2026-2027"}


def paris(*args: int) -> datetime:
    return datetime(*args, tzinfo=PARIS)


def first_year(annee: str) -> int:
    return int(annee[:4])


def evaluation_day(annee: str, semester: int, rank: int) -> date:
    """Odd semesters from 5 October, even ones from 5 March, a week apart."""
    y = first_year(annee)
    start = date(y, 10, 5) if semester % 2 else date(y + 1, 3, 5)
    return start + timedelta(days=7 * rank)


def counted_codes(semester: int) -> list[str]:
    return sorted(QLIO.index.codes_by_semester[semester])


def specific_codes(semester: int, competence: int) -> list[str]:
    """The enseignements that count only in UE``competence`` S``semester``."""
    ix = QLIO.index
    key = f"UE{competence} S{semester}"
    return sorted(
        code for code, _ in ix.coefficients[key] if len(ix.coefficients_by_code[(semester, code)]) == 1
    )


def _spec_items(spec) -> list:
    if isinstance(spec, list | tuple):
        return list(spec)
    return [spec, spec]


def grades(
    semester: int,
    default="12",
    *,
    annee: str | None = None,
    specific: dict[int, object] | None = None,
    codes: dict[str, object] | None = None,
    extra: dict[str, object] | None = None,
) -> tuple[EvaluationGradeIn, ...]:
    """Every counted enseignement of the semester graded ``default``; ``specific`` sets the
    enseignements proper to one competence's UE, ``codes`` single enseignements, ``extra`` adds
    enseignements that do not count (a portfolio)."""
    annee = annee or YEAR_OF[semester]
    spec_of: dict[str, object] = {code: default for code in counted_codes(semester)}
    for competence, spec in (specific or {}).items():
        for code in specific_codes(semester, competence):
            spec_of[code] = spec
    spec_of.update(codes or {})
    spec_of.update(extra or {})
    rows: list[EvaluationGradeIn] = []
    for code, spec in spec_of.items():
        if spec == "none":  # no evaluation defined at all
            continue
        for rank, item in enumerate(_spec_items(spec)):
            value = mark = None
            if isinstance(item, str) and item in ("ABI", "ABJ", "ABS"):
                mark = item
            elif item is not None:
                value = D(str(item))
            rows.append(
                EvaluationGradeIn(
                    enseignement=code,
                    label=f"DS{rank + 1}",
                    date=evaluation_day(annee, semester, rank),
                    value=value,
                    mark=mark,
                )
            )
    return tuple(rows)


def good_stage(annee: str, semester: int) -> StageIn:
    y = first_year(annee) + 1
    return StageIn(start=date(y, 4, 1), end=date(y, 6, 15))


def enrol(semester: int, default="12", *, annee: str | None = None, stage="default", **kwargs) -> EnrolmentIn:
    """An enrolment graded as ``grades`` says; even semesters with a stage get a valid one."""
    annee = annee or YEAR_OF[semester]
    grade_kwargs = {k: kwargs.pop(k) for k in ("specific", "codes", "extra") if k in kwargs}
    evaluations = kwargs.pop("evaluations", None)
    if evaluations is None:
        evaluations = grades(semester, default, annee=annee, **grade_kwargs)
    if stage == "default":
        stage = good_stage(annee, semester) if semester in QLIO.stage_codes else None
    return EnrolmentIn(annee=annee, semester=semester, evaluations=evaluations, stage=stage, **kwargs)


def student(*enrolments: EnrolmentIn, numero: str = "22000001", **kwargs) -> StudentIn:
    return StudentIn(numero=numero, nom="Martin", prenom="Léa", enrolments=tuple(enrolments), **kwargs)


def cursus(up_to: int, default="12", **per_semester) -> tuple[EnrolmentIn, ...]:
    """A straight cursus S1..S``up_to`` graded ``default`` (``s3={...}`` overrides enrol kwargs)."""
    out = []
    for sem in range(1, up_to + 1):
        kwargs = dict(per_semester.get(f"s{sem}", {}))
        value = kwargs.pop("default", default)
        out.append(enrol(sem, value, **kwargs))
    return tuple(out)


def absence(
    start: datetime,
    end: datetime | None = None,
    *,
    declared: datetime | None = None,
    deposit: datetime | None = None,
    reason: str = "maladie",
) -> AbsenceIn:
    return AbsenceIn(
        start=start,
        end=end or start + timedelta(hours=4),
        declared_at=declared or start,
        justificatif_at=deposit,
        reason=reason,
    )


def exclusion(
    start: date, end: date | None, *, sursis: bool = False, sanction: str = "exclusion_etablissement"
) -> FraudCaseIn:
    return FraudCaseIn(
        date=start, closed=True, sanction=sanction, sanction_start=start, sanction_end=end, sursis=sursis
    )


def propose(stu: StudentIn, semester: int, annee: str | None = None, **kwargs):
    """The proposal of ``stu`` at the jury of ``semester`` (default year: the straight cursus)."""
    from juries.rules import compute_proposal

    return compute_proposal(
        maquette=QLIO, student=stu, annee=annee or YEAR_OF[semester], semester=semester, **kwargs
    )


def ue_of(proposal, key: str):
    return next(u for u in proposal.ues if u.ue == key)


def rcue_of(proposal, competence: int):
    return next(r for r in proposal.rcues if r.competence == competence)


def texts(motifs) -> list[str]:
    return [str(m) for m in motifs]

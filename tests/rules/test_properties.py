"""Invariants of the engine, checked by hypothesis over generated grades (real maquette)."""

from __future__ import annotations

import random
from dataclasses import replace
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from juries.rules import compute_jury
from juries.rules.codes import Code
from juries.rules.inputs import EnrolmentIn, EvaluationGradeIn

from .builders import QLIO, counted_codes, evaluation_day, student

S1_CODES = counted_codes(1)
S2_CODES = counted_codes(2)
N_GRADES = 2 * (len(S1_CODES) + len(S2_CODES))
ANNEE = "2024-2025"

# Grades around the thresholds, so that codes and decisions actually move.
grade = st.integers(min_value=300, max_value=1600).map(lambda c: Decimal(c) / 100)
PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _enrolment(semester: int, codes: list[str], values: list[Decimal]) -> EnrolmentIn:
    rows = []
    for i, code in enumerate(codes):
        for k in range(2):
            rows.append(
                EvaluationGradeIn(
                    code, f"DS{k + 1}", Decimal(1), evaluation_day(ANNEE, semester, k), values[2 * i + k]
                )
            )
    return EnrolmentIn(ANNEE, semester, evaluations=tuple(rows))


def _student(values: list[Decimal]):
    split = 2 * len(S1_CODES)
    return student(_enrolment(1, S1_CODES, values[:split]), _enrolment(2, S2_CODES, values[split:]))


def _propose(stu, semester=2):
    from .builders import propose

    return propose(stu, semester, ANNEE)


CONTINUING = {Code.ADM, Code.PASD}


@PROPERTY
@given(
    values=st.lists(grade, min_size=N_GRADES, max_size=N_GRADES), at=st.integers(0, N_GRADES - 1), bump=grade
)
def test_raising_a_grade_never_loses_a_ue_ects_or_passage(values, at, bump):
    before = _propose(_student(values))
    raised = list(values)
    raised[at] = min(Decimal(20), raised[at] + bump)
    after = _propose(_student(raised))
    for old, new in zip(before.ues, after.ues, strict=True):
        if old.acquired:
            assert new.acquired, (old, new)
    assert after.ects_acquis >= before.ects_acquis
    if before.decision_annee in CONTINUING:
        assert after.decision_annee in CONTINUING
    if before.passage:
        assert after.passage


@PROPERTY
@given(values=st.lists(grade, min_size=N_GRADES, max_size=N_GRADES), seed=st.integers(0, 2**32))
def test_row_order_never_matters(values, seed):
    stu = _student(values)
    rng = random.Random(seed)
    shuffled_enrolments = []
    for e in stu.enrolments:
        rows = list(e.evaluations)
        rng.shuffle(rows)
        shuffled_enrolments.append(replace(e, evaluations=tuple(rows)))
    rng.shuffle(shuffled_enrolments)
    other = replace(stu, enrolments=tuple(shuffled_enrolments))
    for semester in (1, 2):
        a, b = _propose(stu, semester), _propose(other, semester)
        assert a.as_contract() == b.as_contract()
        assert [u.moyenne for u in a.ues] == [u.moyenne for u in b.ues]


@PROPERTY
@given(values=st.lists(grade, min_size=N_GRADES, max_size=N_GRADES))
def test_recomputing_is_idempotent(values):
    stu = _student(values)
    first = _propose(stu)
    assert _propose(stu) == first
    jury = compute_jury(maquette=QLIO, students=[stu, stu], annee=ANNEE, semester=2)
    assert jury.students == (first, first)

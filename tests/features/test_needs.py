"""« Ce qu'il te faut » (juries/rules/needs.py) against brute force, and read as the règlement.

Brute force: on a tiny maquette (two competences, S1 and S2, five enseignements, six
evaluations), the test fills the evaluations still to come of each target's enseignements — the
scope derived here from the maquette, independently of needs.py — with every grade of a grid,
runs the engine, and checks that the target is reached exactly from the answer on: at every grid
point, at the answer and not one hundredth below it. One case runs over all 2,001 hundredths.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from juries.rules import compute_proposal
from juries.rules.codes import ACQUIRED_UE_CODES, VALIDATED_RCUE_CODES, Code
from juries.rules.inputs import (
    CoefDef,
    CompetenceDef,
    EnrolmentIn,
    EnseignementDef,
    EvaluationGradeIn,
    Maquette,
    StudentIn,
    UEDef,
)
from juries.rules.needs import ACQUIRED, ANY, GRADE, NOTHING_TO_COME, OUT_OF_REACH, compute_needs
from tests.rules import builders as b
from tests.rules.qlio_maquette import QLIO

D = Decimal
ANNEE = "2026-2027"
PROPERTY = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _ue(competence: int, semester: int, coefs: dict[str, str]) -> UEDef:
    return UEDef(
        key=f"UE{competence} S{semester}", competence=competence, semester=semester, level=1, ects=D(5),
        ects_ressources=D(3), ects_sae=D(2),
        coefficients=tuple(CoefDef(code, "ressources", D(v)) for code, v in sorted(coefs.items())),
    )


TINY = Maquette(
    ues=(
        _ue(1, 1, {"R1": "2"}),
        _ue(2, 1, {"R1": "1", "R2": "2"}),
        _ue(1, 2, {"A": "1", "B": "1"}),
        _ue(2, 2, {"A": "1", "C": "3"}),
    ),
    competences=(CompetenceDef(1, "Qualité", ((1, 1),)), CompetenceDef(2, "Logistique", ((1, 1),))),
    enseignements=tuple(EnseignementDef(c, s, "ressource") for c, s in
                        (("R1", 1), ("R2", 1), ("A", 2), ("B", 2), ("C", 2))),
)
#: (semester, enseignement, label) of the tiny maquette's evaluations.
SLOTS = ((1, "R1", "DS1"), (1, "R1", "DS2"), (1, "R2", "DS1"), (2, "A", "DS1"), (2, "B", "DS1"), (2, "C", "DS1"))
UE_CODES = {u.key: {c.enseignement for c in u.coefficients} for u in TINY.ues}
RCUE_PAIRS = {"C1 N1": ("UE1 S1", "UE1 S2"), "C2 N1": ("UE2 S1", "UE2 S2")}


def tiny_student(values: list) -> StudentIn:
    rows: dict[int, list[EvaluationGradeIn]] = {1: [], 2: []}
    for (sem, code, label), v in zip(SLOTS, values, strict=True):
        value = None if v is None or v == "ABI" else D(v)
        rows[sem].append(EvaluationGradeIn(code, label, value=value, mark="ABI" if v == "ABI" else None))
    return StudentIn("22000001", "Martin", "Léa", enrolments=tuple(
        EnrolmentIn(annee=ANNEE, semester=s, evaluations=tuple(rows[s])) for s in (1, 2)))


def scope_of(kind: str, key: str, semester: int) -> set[str]:
    """The brief's scope, from the maquette: a UE's enseignements (with its RCUE partner's at an
    even jury, C2), an RCUE's two UEs', the year's every one."""
    if kind == "ue":
        if semester % 2 == 0:
            pair = next(p for p in RCUE_PAIRS.values() if key in p)
            return UE_CODES[pair[0]] | UE_CODES[pair[1]]
        return UE_CODES[key]
    if kind == "rcue":
        return set().union(*(UE_CODES[k] for k in RCUE_PAIRS[key]))
    return set().union(*UE_CODES.values())


def reached(maquette, student: StudentIn, semester: int, kind: str, key: str, codes: set[str], grade: Decimal) -> bool:
    filled = tuple(
        replace(e, evaluations=tuple(r._replace(value=grade) if r.value is None and not r.mark
                                     and r.enseignement in codes else r for r in e.evaluations))
        if e.semester <= semester else e
        for e in student.enrolments
    )
    p = compute_proposal(maquette=maquette, student=replace(student, enrolments=filled), annee=student.enrolments[
        [e.semester for e in student.enrolments].index(semester)].annee, semester=semester)
    if kind == "ue":
        return any(u.ue == key and u.code in ACQUIRED_UE_CODES for u in p.ues)
    if kind == "rcue":
        return any(f"C{r.competence} N{r.level}" == key and r.code in VALIDATED_RCUE_CODES for r in p.rcues)
    final = semester == max(u.semester for u in maquette.ues)
    return p.decision_annee == Code.ADM if final else p.passage is True


def check_against_brute_force(maquette, student: StudentIn, semester: int, grid: range) -> None:
    needs = compute_needs(maquette=maquette, student=student, annee=ANNEE, semester=semester)
    pending = {r.enseignement for e in student.enrolments if e.semester <= semester for r in e.evaluations
               if r.value is None and not r.mark}
    for need in needs.items:
        codes = scope_of(need.kind, need.key, semester) & pending
        assert set(need.enseignements) == codes, need
        now = reached(maquette, student, semester, need.kind, need.key, set(), D(0))
        if need.outcome == ACQUIRED:
            assert now
            continue
        assert not now, need
        if need.outcome == NOTHING_TO_COME:
            assert not codes
            continue
        answers = {h: reached(maquette, student, semester, need.kind, need.key, codes, D(h) / 100) for h in grid}
        if need.outcome == OUT_OF_REACH:
            assert not any(answers.values()) and not reached(maquette, student, semester, need.kind, need.key,
                                                             codes, D(20)), need
        elif need.outcome == ANY:
            assert all(answers.values()), need
        else:
            assert need.outcome == GRADE
            h = int(need.grade * 100)
            assert 0 < h <= 2000
            assert all(ok == (x >= h) for x, ok in answers.items()), (need, answers)
            assert reached(maquette, student, semester, need.kind, need.key, codes, need.grade)
            assert not reached(maquette, student, semester, need.kind, need.key, codes, need.grade - D("0.01"))


grade_or_pending = st.one_of(
    st.none(), st.just("ABI"),
    st.integers(min_value=0, max_value=80).map(lambda q: str(D(q) / 4)),
)


@PROPERTY
@given(values=st.lists(grade_or_pending, min_size=len(SLOTS), max_size=len(SLOTS)), semester=st.sampled_from([1, 2]))
def test_needs_agree_with_brute_force_on_a_grid(values, semester):
    """At every quarter point of 0…20 a target is reached iff the grade is at least the answer."""
    check_against_brute_force(TINY, tiny_student(values), semester, range(0, 2001, 25))


def test_needs_agree_with_brute_force_on_every_hundredth():
    student = tiny_student(["9", "8.5", "11", None, "7.25", None])
    check_against_brute_force(TINY, student, 2, range(0, 2001))
    needs = compute_needs(maquette=TINY, student=student, annee=ANNEE, semester=2)
    assert {n.outcome for n in needs.items} >= {GRADE}


# --------------------------------------------------------------------------- read as the règlement


def _need(student: StudentIn, semester: int, key: str, maquette=TINY):
    annee = student.enrolments[0].annee
    needs = compute_needs(maquette=maquette, student=student, annee=annee, semester=semester)
    return next(n for n in needs.items if n.key == key)


CASES = [
    # id, slot values (R1 DS1, R1 DS2, R2 DS1, A, B, C), semester, target, outcome, grade
    ("V4 V3 odd jury: UE1 S1 at 8 with one evaluation to come needs 11,99 (9,995 shows 10,00)",
     ["8", None, "10", None, None, None], 1, "UE1 S1", GRADE, "11.99"),
    ("V4 acquired UE stays acquired: déjà acquis", ["12", "12", "12", None, None, None], 2, "UE1 S1", ACQUIRED, None),
    ("C4 odd jury: no RCUE, UE2 S1 below 10 and nothing of it to come",
     ["12", "12", "8", None, None, None], 1, "UE2 S1", NOTHING_TO_COME, None),
    ("C2 UE1 S1 at 8 is acquired by compensation when the RCUE reaches 10: 11,99 on S2 (V3)",
     ["8", "8", "12", None, None, None], 2, "UE1 S1", GRADE, "11.99"),
    ("C3 RCUE C1 N1 needs the same 11,99", ["8", "8", "12", None, None, None], 2, "C1 N1", GRADE, "11.99"),
    ("C2 UE1 S1 at 0: only 19,99 on S2 brings the RCUE to 9,995, shown 10,00 (V3)",
     ["0", "0", "12", None, None, None], 2, "UE1 S1", GRADE, "19.99"),
    ("C3 hors d'atteinte même avec 20: UE1 S1 at 0 and B already 0", ["0", "0", "12", None, "0", None], 2, "C1 N1",
     OUT_OF_REACH, None),
    ("V4 any grade: UE2 S2's C at 20 with 3 of 4 coefficients, A (coef 1) still to come",
     ["12", "12", "12", None, "12", "20"], 2, "UE2 S2", ANY, None),
    ("P2 passage needs both RCUEs (more than half of 2) at 10: 7,99 brings C2 N1 to 9,995",
     ["12", "12", "12", None, "8", None], 2, "annee", GRADE, "7.99"),
]


@pytest.mark.parametrize("values, semester, key, outcome, grade", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_needs_table(values, semester, key, outcome, grade):
    need = _need(tiny_student(values), semester, key)
    assert need.outcome == outcome, need
    assert need.grade == (D(grade) if grade else None) or outcome == ANY


def test_v3_rounding_on_the_real_maquette():
    """V3 on the real maquette: every grade 10 but two evaluations of R2.01 still to come; a UE
    of S2 shows 10,00 from 9,995, so less than 10 on them is enough — and 9,99 ≠ enough for P2."""
    s1 = b.enrol(1, "10")
    s2 = b.enrol(2, "10", codes={"R2.01": [None, None]})
    student = b.student(s1, s2)
    needs = compute_needs(maquette=QLIO, student=student, annee=b.YEAR_OF[2], semester=2)
    ue = next(n for n in needs.items if n.key == "UE1 S2")
    assert ue.outcome == GRADE and ue.grade < D(10) and ue.enseignements == ("R2.01",) and ue.pending == 2
    assert next(n for n in needs.items if n.key == "annee").label == "Passage en S3"

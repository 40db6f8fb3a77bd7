"""§5-2 Compensation: C1 (inside a UE), C2 (inside an RCUE), C3 (RCUE average), C4 (when)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from juries.rules.codes import Code
from juries.rules.compensation import compensate_within_ue, rcue_average
from juries.rules.settings import ReglementSettings
from juries.rules.state import UEState

from .builders import QLIO, D, enrol, propose, rcue_of, student, ue_of


def test_c1_enseignements_compensate_each_other_inside_a_ue():
    # A 4 in one element is compensated by 16 in a heavier one, no minimum per element.
    assert compensate_within_ue([(D(1), D(4)), (D(3), D(16))]) == D(13)
    assert compensate_within_ue([]) is None


@pytest.mark.parametrize(
    ("s2_specific", "ue1_s2", "rcue", "ue1_s1_code", "ects"),
    [
        # UE1 S1 = 8,6; UE1 S2 = (45 + 5,5 × 14) / 10 = 12,2; RCUE 10,4.
        pytest.param("14", "12.2", "10.4", Code.CMP, 10, id="rcue-10.40-compensates"),
        # UE1 S2 = (45 + 5,5 × 11) / 10 = 10,55; RCUE 9,575 → 9.58.
        pytest.param("11", "10.55", "9.575", Code.AJ, 0, id="rcue-9.58-does-not"),
    ],
)
def test_c2_ue_below_10_is_compensated_when_rcue_reaches_10(s2_specific, ue1_s2, rcue, ue1_s1_code, ects):
    stu = student(enrol(1, "10", specific={1: "8"}), enrol(2, "10", specific={1: s2_specific}))
    p = propose(stu, 2)
    assert ue_of(p, "UE1 S1").moyenne == D("8.6")
    assert ue_of(p, "UE1 S2").moyenne == D(ue1_s2)
    assert rcue_of(p, 1).moyenne == D(rcue)
    assert ue_of(p, "UE1 S1").code == ue1_s1_code
    assert ue_of(p, "UE1 S1").as_contract()["ects"] == ects


def test_c2_motif_names_the_rcue_and_its_average():
    stu = student(enrol(1, "10", specific={1: "8"}), enrol(2, "10", specific={1: "14"}))
    p = propose(stu, 2)
    assert "C2: UE1 S1 compensée dans le RCUE Qualité niveau 1 (10,40)" in p.as_contract()["motifs"]


def test_c2_rcue_at_9995_compensates():
    # UE1 S1 9,99 and UE1 S2 10: the RCUE is 9,995, shown 10.00.
    p = propose(student(enrol(1, "9.99"), enrol(2, "10")), 2)
    assert rcue_of(p, 1).moyenne == D("9.995")
    assert rcue_of(p, 1).code == Code.ADM
    assert ue_of(p, "UE1 S1").code == Code.CMP


def _state(key: str, moyenne: str | None, code: Code = Code.AJ) -> UEState:
    ue = QLIO.index.ue_by_key[key]
    return UEState(ue, "2025-2026", None if moyenne is None else D(moyenne), code)


@pytest.mark.parametrize(
    ("weights", "moyenne", "code"),
    [
        # UE1 S3 (8 ECTS) 9, UE1 S4 (7 ECTS) 11.
        pytest.param("equal", D(10), Code.ADM, id="equal-(9+11)/2"),
        pytest.param("ects", Fraction(149, 15), Code.AJ, id="ects-(8x9+7x11)/15"),
    ],
)
def test_c3_rcue_average_weights(weights, moyenne, code):
    rcue = rcue_average(
        _state("UE1 S3", "9"),
        _state("UE1 S4", "11", Code.ADM),
        ReglementSettings(rcue_weights=weights),
        "Qualité niveau 2",
        "2025-2026",
    )
    assert (rcue.moyenne, rcue.code) == (moyenne, code)


def test_c3_an_rcue_with_an_att_ue_is_att():
    rcue = rcue_average(
        _state("UE1 S3", None, Code.ATT),
        _state("UE1 S4", "15", Code.ADM),
        ReglementSettings(),
        "Q2",
        "2025-2026",
    )
    assert (rcue.moyenne, rcue.code) == (None, Code.ATT)


def test_c4_at_an_odd_jury_a_ue_below_10_is_aj_for_now_and_no_rcue():
    stu = student(enrol(1, "10", specific={1: "8"}), enrol(2, "10", specific={1: "14"}))
    p = propose(stu, 1)
    assert ue_of(p, "UE1 S1").code == Code.AJ
    assert p.rcues == ()
    assert any(m.rule_id == "C4" for m in ue_of(p, "UE1 S1").motifs)
    assert ue_of(propose(stu, 2), "UE1 S1").code == Code.CMP


def test_c2_interp_an_rcue_validated_by_the_jury_validates_its_ues_below_10():
    from juries.rules.codes import Code as C
    from juries.rules.inputs import DeliberatedIn, DeliberatedRCUE
    from tests.rules.builders import enrol, propose, student, ue_of

    delib = DeliberatedIn(rcues=(DeliberatedRCUE(1, 1, C.ADJ),))
    stu = student(enrol(1, "10", specific={1: "7"}), enrol(2, "10", specific={1: "8"}, deliberated=delib))
    p = propose(stu, 2)
    assert p.rcues[0].code == C.ADJ
    assert (ue_of(p, "UE1 S1").code, ue_of(p, "UE1 S2").code) == (C.ADJ, C.ADJ)
    assert p.ects_acquis == 60 and p.decision_annee == C.ADM

"""§5-3 Progression: P1-P5."""

from __future__ import annotations

import pytest

from juries.rules.codes import Code
from juries.rules.progression import may_continue_to_odd
from juries.rules.settings import ReglementSettings
from juries.rules.state import RCUEState

from .builders import D, cursus, enrol, propose, student, ue_of


def test_p1_moving_on_to_an_even_semester_is_a_right():
    p = propose(student(enrol(1, "3")), 1)
    assert (p.decision_annee, p.passage, p.rcues) == (None, True, ())
    c = p.as_contract()
    assert (c["decision_annee"], c["passage"], c["rcues"]) == (None, True, [])
    assert "P1: passage de droit du S1 au S2" in c["motifs"]


def _r(code: Code, moyenne: str | None, competence: int = 1) -> RCUEState:
    return RCUEState(competence, 1, "2024-2025", None if moyenne is None else D(moyenne), code)


ADM, AJ = Code.ADM, Code.AJ


@pytest.mark.parametrize(
    ("rcues", "counts", "ok"),
    [
        pytest.param([_r(ADM, "12"), _r(ADM, "11"), _r(AJ, "9")], "validated", True, id="but1-2-of-3"),
        pytest.param([_r(ADM, "12"), _r(AJ, "9"), _r(AJ, "9")], "validated", False, id="but1-1-of-3"),
        pytest.param(
            [_r(ADM, "12"), _r(ADM, "11"), _r(AJ, "7.99")], "validated", False, id="an-rcue-below-8"
        ),
        pytest.param(
            [_r(ADM, "12"), _r(ADM, "11"), _r(AJ, "7.995")], "validated", True, id="7.995-is-not-below-8"
        ),
        pytest.param(
            [_r(ADM, "12"), _r(ADM, "12"), _r(ADM, "12"), _r(AJ, "9")], "validated", True, id="but2-3-of-4"
        ),
        pytest.param(
            [_r(ADM, "12"), _r(ADM, "12"), _r(AJ, "9"), _r(AJ, "9")],
            "validated",
            False,
            id="but2-2-of-4-not-more-than-half",
        ),
        pytest.param(
            [_r(ADM, None), _r(ADM, "12"), _r(AJ, "9")], "validated", True, id="m1-rcue-without-average"
        ),
        # An RCUE held back by the stage (S1): AJ with 12.
        pytest.param(
            [_r(ADM, "12"), _r(AJ, "12"), _r(AJ, "9")], "validated", False, id="held-back-not-obtained"
        ),
        pytest.param(
            [_r(ADM, "12"), _r(AJ, "12"), _r(AJ, "9")], "average", True, id="held-back-counts-by-average"
        ),
    ],
)
def test_p2_more_than_half_of_rcues_and_none_below_8(rcues, counts, ok):
    assert may_continue_to_odd(rcues, ReglementSettings(p2_counts=counts))[0] is ok


def test_p4_moving_on_with_an_rcue_not_validated_keeps_its_ues_to_acquire():
    # UE1 S1 7,9 and UE1 S2 8,9: RCUE 8,4, the two others validated.
    stu = student(enrol(1, "10", specific={1: "7"}), enrol(2, "10", specific={1: "8"}))
    p = propose(stu, 2)
    assert (p.decision_annee, p.passage) == (Code.PASD, True)
    assert "P4: UE restant à acquérir : UE1 S1, UE1 S2 (ADSUP ou jury)" in p.as_contract()["motifs"]
    assert p.ects_acquis == 40


def test_p2_an_rcue_below_8_means_red():
    # UE1 S1 = (30 + 7 × 5) / 10 = 6,5; UE1 S2 = (45 + 5,5 × 6) / 10 = 7,8: RCUE 7,15.
    stu = student(enrol(1, "10", specific={1: "5"}), enrol(2, "10", specific={1: "6"}))
    p = propose(stu, 2)
    assert (p.decision_annee, p.passage) == (Code.RED, False)
    assert any(m.rule_id == "P2" and "7.15" in m.text for m in p.motifs)


def test_p3_moving_on_to_s5_needs_every_ue_of_s1_and_s2():
    # BUT1 PASD with C1 N1 not validated; BUT2: UE1 S3 = (30 + 5,5 × 6) / 8 = 7,875,
    # UE1 S4 = (60 + 2 × 8) / 7 = 10,857: RCUE 9,37 AJ (no ADSUP), the 3 others validated.
    stu = student(
        enrol(1, "10", specific={1: "7"}),
        enrol(2, "10", specific={1: "8"}),
        enrol(3, "12", specific={1: "6"}),
        enrol(4, "12", specific={1: "8"}),
    )
    p = propose(stu, 4)
    assert ue_of(p, "UE1 S4").code == Code.ADM
    assert (p.decision_annee, p.passage) == (Code.RED, False)
    assert "P3: passage au S5 impossible : UE1 S1, UE1 S2 non acquise(s)" in p.as_contract()["motifs"]


def test_p3_holds_when_the_first_year_was_completed_by_adsup():
    stu = student(enrol(1, "10", specific={1: "7"}), enrol(2, "10", specific={1: "8"}), enrol(3), enrol(4))
    p = propose(stu, 4)
    assert (p.decision_annee, p.passage) == (Code.ADM, True)


def test_p5_at_the_s6_jury_every_rcue_validated_is_adm():
    p = propose(student(*cursus(6)), 6)
    assert (p.decision_annee, p.passage, p.but, p.dut) == (Code.ADM, None, True, True)
    assert p.as_contract()["passage"] is None


def test_p5_at_the_s6_jury_an_rcue_not_validated_is_red():
    p = propose(student(*cursus(5), enrol(6, "4")), 6)
    assert (p.decision_annee, p.passage, p.but) == (Code.RED, None, False)
    assert any(m.rule_id == "P5" for m in p.motifs)

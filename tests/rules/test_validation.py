"""§5-1 Validation: V4 (by average, capitalised), V5 (ADSUP), V6 (stage attached)."""

from __future__ import annotations

import pytest

from juries.rules.codes import Code
from juries.rules.inputs import DeliberatedIn, DeliberatedRCUE, DeliberatedUE
from juries.rules.stage import ue_needs_stage

from .builders import QLIO, D, cursus, enrol, propose, rcue_of, student, ue_of


@pytest.mark.parametrize(
    ("grade", "code", "ects"),
    [
        pytest.param("10", Code.ADM, 6, id="10-acquired-6-ects"),
        pytest.param("9.99", Code.AJ, 0, id="9.99-not-acquired"),
    ],
)
def test_v4_ue_with_average_10_is_acquired_with_its_ects(grade, code, ects):
    stu = student(*cursus(2), enrol(3, grade))
    ue = ue_of(propose(stu, 3), "UE4 S3")
    assert (ue.code, ue.as_contract()["ects"]) == (code, ects)


def _passed_with_c1_n1_missing():
    # BUT1: UE1 S1 = (30 + 7 × 7) / 10 = 7,9; UE1 S2 = (45 + 5,5 × 8) / 10 = 8,9; RCUE 8,4 AJ,
    # the two other RCUEs at 10: PASD.
    return (enrol(1, "10", specific={1: "7"}), enrol(2, "10", specific={1: "8"}))


def test_v5_validating_level_2_makes_level_1_ues_adsup_and_lists_them():
    stu = student(*_passed_with_c1_n1_missing(), enrol(3), enrol(4))
    p2 = propose(stu, 2)
    assert p2.decision_annee == Code.PASD
    p4 = propose(stu, 4)
    ue11 = ue_of(p4, "UE1 S1")
    assert (ue11.code, ue11.moyenne, ue11.ects) == (Code.ADSUP, D("7.9"), D(10))
    assert ue_of(p4, "UE1 S2").code == Code.ADSUP
    keys = [u["ue"] for u in p4.as_contract()["ues"]]
    assert keys[:2] == ["UE1 S1", "UE1 S2"]  # by semester then UE number
    assert "UE2 S1" not in keys  # acquired long ago, not changed by this jury
    assert p4.ects_acquis == 120
    assert p4.dut is True


def test_v5_reaches_every_lower_level_in_one_step():
    s3 = {"specific": {1: "6"}}  # UE1 S3 = (2,5 × 12 + 5,5 × 6) / 8 = 7,875
    s4 = {"specific": {1: "4"}}  # UE1 S4 = (5 × 12 + 2 × 4) / 7 = 9,71; RCUE 8,79 AJ
    stu = student(*_passed_with_c1_n1_missing(), enrol(3, **s3), enrol(4, **s4), enrol(5), enrol(6))
    p4 = propose(stu, 4)
    assert ue_of(p4, "UE1 S3").code == Code.AJ
    p6 = propose(stu, 6)
    for key in ("UE1 S1", "UE1 S2", "UE1 S3", "UE1 S4"):
        assert ue_of(p6, key).code == Code.ADSUP
    assert p6.but is True
    assert p6.ects_acquis == 180


def test_v5_supply_chain_level_2_makes_its_level_1_adsup():
    # UE4 S4 = (5 × 12 + 4 × 4) / 9 = 8,44 and UE4 S3 12: RCUE 10,22 compensates; make both low.
    s3 = {"specific": {4: "4"}}  # UE4 S3 = (2,5 × 12 + 3,5 × 4) / 6 = 7,33
    s4 = {"specific": {4: "4"}}  # RCUE (7,33 + 8,44) / 2 = 7,89 < 8
    stu = student(*cursus(2), enrol(3, **s3), enrol(4, **s4), enrol(5), enrol(6))
    assert propose(stu, 4).decision_annee == Code.RED
    p6 = propose(stu, 6)
    assert ue_of(p6, "UE4 S3").code == Code.ADSUP
    assert ue_of(p6, "UE4 S4").code == Code.ADSUP


def test_v5_acquired_ues_keep_their_code():
    stu = student(enrol(1, "10", specific={1: "8"}), enrol(2, "10", specific={1: "14"}), enrol(3), enrol(4))
    p4 = propose(stu, 4)
    assert "UE1 S1" not in [u.ue for u in p4.ues]  # CMP since S2, unchanged
    assert propose(stu, 2).ues[0].code == Code.CMP


@pytest.mark.parametrize(
    ("key", "needs"),
    [
        ("UE1 S4", True),
        ("UE4 S4", True),
        ("UE1 S6", True),
        ("UE4 S6", True),
        ("UE1 S3", False),
        ("UE1 S2", False),
    ],
)
def test_v6_the_stage_is_needed_by_the_ues_it_is_attached_to(key, needs):
    assert ue_needs_stage(QLIO.index.ue_by_key[key], QLIO.stage_codes) is needs


def _jury_decided(**kwargs) -> DeliberatedIn:
    """The decisions recorded at the S4 jury (UE and RCUE overrides, no year code)."""
    ues = tuple(DeliberatedUE(key, code) for key, code in kwargs.get("ues", {}).items())
    rcues = tuple(DeliberatedRCUE(c, lvl, code) for (c, lvl), code in kwargs.get("rcues", {}).items())
    return DeliberatedIn(ues=ues, rcues=rcues)


# UE1 S3 = (2,5 × 12 + 5,5 × 6) / 8 = 7,875, UE1 S4 = (5 × 12 + 2 × 4) / 7 = 9,71: C1 N2 8,79 AJ,
# and C1 N1 not validated in BUT1 (UE1 S1 7,9, UE1 S2 8,9).
_S3_LOW, _S4_LOW = {"specific": {1: "6"}}, {"specific": {1: "4"}}


# V5 — « La validation des deux unités d'enseignement du niveau d'une compétence emporte la
# validation de l'ensemble des UE du niveau inférieur de cette même compétence. »
@pytest.mark.parametrize(
    ("decided", "rcue", "ue_codes", "lower", "decision"),
    [
        pytest.param(
            {"ues": {"UE1 S3": Code.ADJ, "UE1 S4": Code.ADJ}},
            Code.ADJ,
            {"UE1 S3": Code.ADJ, "UE1 S4": Code.ADJ},
            Code.ADSUP,
            Code.ADM,
            id="two-ues-adj-validate-the-level-and-the-level-below",
        ),
        pytest.param(
            {"rcues": {(1, 2): Code.ADJ}},
            Code.ADJ,
            {"UE1 S3": Code.ADJ, "UE1 S4": Code.ADJ},
            Code.ADSUP,
            Code.ADM,
            id="an-rcue-adj-makes-its-ues-below-10-adj",
        ),
        pytest.param(
            {"ues": {"UE1 S3": Code.ADJ}},
            Code.AJ,
            {"UE1 S3": Code.ADJ, "UE1 S4": Code.AJ},
            Code.AJ,
            Code.RED,
            id="one-ue-adj-is-not-the-level",
        ),
        pytest.param(
            {"ues": {"UE1 S3": Code.ADJ, "UE1 S4": Code.ADJ}, "rcues": {(1, 2): Code.AJ}},
            Code.AJ,
            {"UE1 S3": Code.ADJ, "UE1 S4": Code.ADJ},
            Code.AJ,
            Code.RED,
            id="the-rcue-code-the-jury-recorded-stands",
        ),
    ],
)
def test_v5_the_two_ues_of_a_level_acquired_by_any_code_validate_it(decided, rcue, ue_codes, lower, decision):
    stu = student(
        *_passed_with_c1_n1_missing(), enrol(3, **_S3_LOW), enrol(4, **_S4_LOW, deliberated=_jury_decided(**decided))
    )
    p = propose(stu, 4)
    assert rcue_of(p, 1).code == rcue
    assert {key: ue_of(p, key).code for key in ue_codes} == ue_codes
    assert {ue.ue: ue.code for ue in p.ues if ue.ue in ("UE1 S1", "UE1 S2")} == (
        {"UE1 S1": lower, "UE1 S2": lower} if lower == Code.ADSUP else {}
    )
    assert p.decision_annee == decision  # P3: S1 and S2 acquired by ADSUP, or not


def test_v5_the_level_validated_by_its_ues_says_so():
    decided = _jury_decided(ues={"UE1 S3": Code.ADJ, "UE1 S4": Code.ADJ})
    stu = student(*_passed_with_c1_n1_missing(), enrol(3, **_S3_LOW), enrol(4, **_S4_LOW, deliberated=decided))
    motifs = propose(stu, 4).as_contract()["motifs"]
    assert (
        "V5: RCUE Qualité niveau 2 validé (ADJ) malgré sa moyenne de 8,79 : ses deux UE sont acquises "
        "(UE1 S3 acquise par décision du jury et UE1 S4 acquise par décision du jury)" in motifs
    )
    assert "V5: UE1 S1 acquise par la validation du RCUE Qualité niveau 2 (niveau supérieur)" in motifs


def test_v5_two_ues_acquired_validate_the_level_even_below_10():
    # The S1 jury recorded UE1 S1 ADJ (7,9); UE1 S2 = (45 + 5,5 × 10) / 10 = 10, ADM: both UEs of
    # C1 N1 are acquired, so the RCUE at (7,9 + 10) / 2 = 8,95 is validated: ADJ.
    s1 = enrol(1, "10", specific={1: "7"}, deliberated=DeliberatedIn(ues=(DeliberatedUE("UE1 S1", Code.ADJ),)))
    p = propose(student(s1, enrol(2, "10")), 2)
    assert (ue_of(p, "UE1 S1").code, ue_of(p, "UE1 S2").code) == (Code.ADJ, Code.ADM)
    assert (rcue_of(p, 1).code, rcue_of(p, 1).moyenne) == (Code.ADJ, D("8.95"))
    assert (p.decision_annee, p.passage) == (Code.ADM, True)

"""§6 Mobility: M1 (semester validated abroad), M3 (BIP); M2 is in test_stage."""

from __future__ import annotations

from juries.rules.codes import Code
from juries.rules.inputs import MobilityIn
from juries.rules.settings import ReglementSettings

from .builders import D, cursus, enrol, propose, rcue_of, student, ue_of

ABROAD = MobilityIn("Universidad de Valencia")


def test_m1_a_semester_validated_abroad_gives_every_ue_and_its_ects_without_average():
    stu = student(*cursus(2), enrol(3, evaluations=(), mobility=ABROAD))
    p = propose(stu, 3)
    assert [(u["ue"], u["moyenne"], u["code"], u["ects"]) for u in p.as_contract()["ues"]] == [
        ("UE1 S3", None, "ADM", 8),
        ("UE2 S3", None, "ADM", 8),
        ("UE3 S3", None, "ADM", 8),
        ("UE4 S3", None, "ADM", 6),
    ]
    assert p.ects_acquis == 90


def test_m1_rcue_with_a_ue_abroad_is_adm_when_the_other_is_acquired_else_aj():
    # UE4 S4 = (5 × 12 + 4 × 4) / 9 = 8,44: not acquired, and it cannot be compensated.
    stu = student(*cursus(2), enrol(3, evaluations=(), mobility=ABROAD), enrol(4, specific={4: "4"}))
    p = propose(stu, 4)
    assert (rcue_of(p, 1).code, rcue_of(p, 1).moyenne) == (Code.ADM, None)
    assert (rcue_of(p, 4).code, rcue_of(p, 4).moyenne) == (Code.AJ, None)
    assert ue_of(p, "UE4 S4").code == Code.AJ
    # P2: 3 of 4 validated, the RCUE without average is not tested against 8.
    assert (p.decision_annee, p.passage) == (Code.PASD, True)


def test_m1_rcue_with_a_ue_abroad_is_att_when_the_other_is_att():
    stu = student(
        *cursus(2), enrol(3, evaluations=(), mobility=ABROAD), enrol(4, codes={"R4.07": [None, "12"]})
    )
    p = propose(stu, 4)
    assert rcue_of(p, 1).code == Code.ATT
    assert (p.decision_annee, p.passage) == (Code.ATJ, None)


def test_m1_a_ue_validated_abroad_shows_no_average_even_if_acquired_before():
    first = (enrol(3, "6", specific={1: "16"}), enrol(4, "6"))  # UE1 S3 = (15 + 88) / 8 = 12,875
    again = enrol(3, evaluations=(), annee="2026-2027", redoublement=True, mobility=ABROAD)
    p = propose(student(*cursus(2), *first, again), 3, "2026-2027")
    assert (ue_of(p, "UE1 S3").code, ue_of(p, "UE1 S3").moyenne) == (Code.ADM, None)


def test_m1_a_mobility_in_but1_is_ignored_and_flagged():
    p = propose(student(enrol(1, mobility=ABROAD)), 1)
    assert ue_of(p, "UE1 S1").moyenne == D(12)
    assert any(m.rule_id == "M1" for m in p.alertes)


def test_m3_a_bip_counts_with_coefficient_3_in_the_chosen_ue():
    settings = ReglementSettings(bip_ue="UE4 S5")
    stu = student(*cursus(4), enrol(5, "10", bip_grade=D(20)))
    p = propose(stu, 5, settings=settings)
    # (9 × 10 + 3 × 20) / 12
    assert ue_of(p, "UE4 S5").moyenne == D("12.5")
    assert ue_of(p, "UE1 S5").moyenne == D(10)
    assert any(m.rule_id == "M3" for m in p.motifs)


def test_m3_a_missing_bip_grade_does_not_make_the_ue_att():
    settings = ReglementSettings(bip_ue="UE4 S5")
    p = propose(student(*cursus(4), enrol(5, "10")), 5, settings=settings)
    assert (ue_of(p, "UE4 S5").code, ue_of(p, "UE4 S5").moyenne) == (Code.ADM, D(10))

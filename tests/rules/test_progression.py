"""§5-3 Progression: P1-P5."""

from __future__ import annotations

from datetime import date

import pytest

from juries.rules.codes import Code
from juries.rules.inputs import StageIn
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


ADM, ADJ, AJ = Code.ADM, Code.ADJ, Code.AJ
LABELS = {(c, 1): name for c, name in ((1, "Qualité niveau 1"), (2, "Logistique niveau 1"), (3, "Organisation niveau 1"), (4, "Supply Chain niveau 1"))}


def _year(*rcues: RCUEState) -> list[RCUEState]:
    return [RCUEState(i + 1, r.level, r.annee, r.moyenne, r.code) for i, r in enumerate(rcues)]


# P2 — « la moyenne a été obtenue à plus de la moitié des regroupements cohérents d'unité
# d'enseignement, aucun regroupement cohérent d'unité d'enseignement ne présente une moyenne
# inférieure à 8 sur 20 » : read as written (P2_COUNTS = "average", the default), an RCUE counts
# when its shown average is at least 10 or it is validated; "validated" is the alternative.
@pytest.mark.parametrize(
    ("rcues", "counts", "ok"),
    [
        pytest.param([_r(ADM, "12"), _r(ADM, "11"), _r(AJ, "9")], "average", True, id="but1-2-of-3"),
        pytest.param([_r(ADM, "12"), _r(AJ, "9"), _r(AJ, "9")], "average", False, id="but1-1-of-3"),
        pytest.param([_r(ADM, "12"), _r(ADM, "11"), _r(AJ, "7.99")], "average", False, id="an-rcue-below-8"),
        pytest.param(
            [_r(ADM, "12"), _r(ADM, "11"), _r(AJ, "7.995")], "average", True, id="7.995-is-not-below-8"
        ),
        pytest.param(
            [_r(ADM, "12"), _r(ADM, "12"), _r(ADM, "12"), _r(AJ, "9")], "average", True, id="but2-3-of-4"
        ),
        pytest.param(
            [_r(ADM, "12"), _r(ADM, "12"), _r(AJ, "9"), _r(AJ, "9")],
            "average",
            False,
            id="but2-2-of-4-not-more-than-half",
        ),
        pytest.param([_r(ADM, None), _r(ADM, "12"), _r(AJ, "9")], "average", True, id="m1-rcue-without-average"),
        # An RCUE held back by the stage (S1): AJ with 12 — its average is obtained.
        pytest.param([_r(ADM, "12"), _r(AJ, "12"), _r(AJ, "9")], "average", True, id="held-back-counts"),
        pytest.param(
            [_r(ADM, "12"), _r(AJ, "12"), _r(AJ, "9")], "validated", False, id="validated-held-back-not-obtained"
        ),
        # The jury validated an RCUE at 7 (ADJ): it counts, and its decision stands against 8.
        pytest.param([_r(ADM, "12"), _r(ADJ, "7"), _r(AJ, "9")], "average", True, id="adj-counts-not-tested-8"),
        pytest.param([_r(ADM, "12"), _r(ADJ, "7"), _r(AJ, "9")], "validated", True, id="validated-adj-not-tested-8"),
        pytest.param([_r(ADM, "12"), _r(AJ, "9.99"), _r(AJ, "9")], "average", False, id="9.99-not-obtained"),
        pytest.param([_r(ADM, "12"), _r(AJ, "9.995"), _r(AJ, "9")], "average", True, id="9.995-shown-10-obtained"),
    ],
)
def test_p2_more_than_half_of_rcues_and_none_below_8(rcues, counts, ok):
    assert may_continue_to_odd(_year(*rcues), ReglementSettings(p2_counts=counts), LABELS)[0] is ok


def test_p2_the_default_counts_averages_as_the_seed_writes():
    assert ReglementSettings().p2_counts == "average"


@pytest.mark.parametrize(
    ("rcues", "counts", "text"),
    [
        pytest.param(
            [_r(ADM, "12.4"), _r(ADM, "10.05"), _r(AJ, "9.1")],
            "average",
            "P2: 2 RCUE sur 3 avec une moyenne d'au moins 10 : 12,40 ; 10,05 ; 9,10 ; "
            "plus de la moitié, et aucune moyenne inférieure à 8",
            id="counted-with-the-numbers",
        ),
        pytest.param(
            [_r(ADM, "12.4"), _r(AJ, "9.5"), _r(AJ, "9.1")],
            "average",
            "P2: 1 RCUE sur 3 avec une moyenne d'au moins 10 : 12,40 ; 9,50 ; 9,10 ; il en faut plus de la moitié",
            id="not-more-than-half",
        ),
        pytest.param(
            [_r(ADM, "12"), _r(ADM, "11"), _r(AJ, "7.15")],
            "average",
            "P2: 2 RCUE sur 3 avec une moyenne d'au moins 10 : 12,00 ; 11,00 ; 7,15 ; "
            "moyenne inférieure à 8 : Organisation niveau 1 (7,15)",
            id="below-8-named",
        ),
        pytest.param(
            [_r(ADM, "12"), _r(ADJ, "9"), _r(ADM, None)],
            "average",
            "P2: 3 RCUE sur 3 avec une moyenne d'au moins 10 ou validés : 12,00 ; "
            "9,00 (validé par le jury) ; validé sans moyenne ; plus de la moitié, et aucune moyenne inférieure à 8",
            id="validated-without-the-average",
        ),
        pytest.param(
            [_r(ADM, "12"), _r(AJ, "12"), _r(AJ, "9")],
            "validated",
            "P2: 1 RCUE validé sur 3 : 12,00 ; 12,00 ; 9,00 ; il en faut plus de la moitié",
            id="validated-setting",
        ),
    ],
)
def test_p2_motif_says_what_it_counted_with_the_numbers(rcues, counts, text):
    assert str(may_continue_to_odd(_year(*rcues), ReglementSettings(p2_counts=counts), LABELS)[1]) == text


def test_p2_a_stage_ending_on_the_jury_date_holds_its_ues_back_but_not_the_passage():
    # BUT2, every RCUE at 13,00, the S4 stage ended on the jury's date (S3): the S4 UEs are AJ
    # (S1) and their RCUEs too, but their averages are obtained: PASD, not RED.
    jury = date(2026, 6, 30)
    stu = student(*cursus(3, "13"), enrol(4, "13", stage=StageIn(date(2026, 3, 2), jury)))
    p = propose(stu, 4, jury_date=jury)
    assert [r.code for r in p.rcues] == [Code.AJ] * 4
    assert (p.decision_annee, p.passage) == (Code.PASD, True)
    assert (
        "P2: 4 RCUE sur 4 avec une moyenne d'au moins 10 : 13,00 ; 13,00 ; 13,00 ; 13,00 ; "
        "plus de la moitié, et aucune moyenne inférieure à 8" in p.as_contract()["motifs"]
    )


def test_p4_moving_on_with_an_rcue_not_validated_keeps_its_ues_to_acquire():
    # UE1 S1 7,9 and UE1 S2 8,9: RCUE 8,4, the two others validated.
    stu = student(enrol(1, "10", specific={1: "7"}), enrol(2, "10", specific={1: "8"}))
    p = propose(stu, 2)
    assert (p.decision_annee, p.passage) == (Code.PASD, True)
    assert (
        "P4: UE restant à acquérir : UE1 S1 et UE1 S2 (par le niveau supérieur ou par le jury)"
        in p.as_contract()["motifs"]
    )
    assert p.ects_acquis == 40


def test_p2_an_rcue_below_8_means_red():
    # UE1 S1 = (30 + 7 × 5) / 10 = 6,5; UE1 S2 = (45 + 5,5 × 6) / 10 = 7,8: RCUE 7,15.
    stu = student(enrol(1, "10", specific={1: "5"}), enrol(2, "10", specific={1: "6"}))
    p = propose(stu, 2)
    assert (p.decision_annee, p.passage) == (Code.RED, False)
    assert any(m.rule_id == "P2" and "Qualité niveau 1 (7,15)" in m.text for m in p.motifs)


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
    assert "P3: passage au S5 impossible : UE1 S1 et UE1 S2 non acquises" in p.as_contract()["motifs"]


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

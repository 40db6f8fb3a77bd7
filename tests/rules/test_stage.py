"""§3 Stage: S1 (needed to validate), S2 (duration), S3 (before the jury), S4 (validated); M2."""

from __future__ import annotations

from datetime import date

import pytest

from juries.rules.codes import Code
from juries.rules.inputs import StageIn
from juries.rules.settings import ReglementSettings
from juries.rules.stage import stage_ended_before_jury, stage_meets_minimum, stage_validated

from .builders import D, cursus, enrol, propose, rcue_of, student, ue_of

SETTINGS = ReglementSettings()
MONDAY = date(2026, 4, 6)


@pytest.mark.parametrize(
    ("semester", "end", "ok"),
    [
        pytest.param(4, date(2026, 6, 12), True, id="s4-monday-to-friday-of-10th-week"),
        pytest.param(4, date(2026, 6, 11), False, id="s4-one-day-short"),
        pytest.param(6, date(2026, 4, 10), True, id="s6-no-minimum"),
    ],
)
def test_s2_minimum_duration(semester, end, ok):
    assert stage_meets_minimum(StageIn(MONDAY, end), semester, SETTINGS)[0] is ok


@pytest.mark.parametrize(
    ("end", "ok"),
    [
        pytest.param(date(2026, 6, 29), True, id="ends-the-day-before"),
        pytest.param(date(2026, 6, 30), False, id="ends-on-the-jury-date"),
        pytest.param(date(2026, 7, 15), False, id="ends-after"),
    ],
)
def test_s3_stage_must_end_before_the_jury_date(end, ok):
    assert stage_ended_before_jury(StageIn(MONDAY, end), 4, date(2026, 6, 30))[0] is ok


def test_s4_no_stage_recorded_is_not_validated():
    check = stage_validated(None, 4, date(2026, 6, 30), SETTINGS)
    assert check.validated is False
    assert [str(m) for m in check.alerts] == ["S4: aucun stage enregistré pour le S4"]


def test_s4_a_recorded_stage_meeting_s2_and_s3_is_validated():
    assert stage_validated(StageIn(MONDAY, date(2026, 6, 12)), 4, date(2026, 6, 30), SETTINGS).validated


@pytest.mark.parametrize(
    ("stage", "alert"),
    [
        pytest.param(None, "S4", id="no-stage"),
        pytest.param(StageIn(MONDAY, date(2026, 6, 11)), "S2", id="too-short"),
        pytest.param(StageIn(date(2026, 4, 1), date(2026, 6, 30)), "S3", id="ends-on-jury-date"),
    ],
)
def test_s1_without_a_validated_stage_the_s4_ues_are_aj_whatever_their_average(stage, alert):
    stu = student(*cursus(3), enrol(4, "14", stage=stage))
    p = propose(stu, 4)
    for key in ("UE1 S4", "UE2 S4", "UE3 S4", "UE4 S4"):
        ue = ue_of(p, key)
        assert (ue.code, ue.moyenne, ue.as_contract()["ects"]) == (Code.AJ, D(14), 0)
        assert any(m.rule_id == "S1" for m in ue.motifs)
    assert all(r.code == Code.AJ for r in p.rcues)
    assert rcue_of(p, 1).moyenne == D(13)  # (12 + 14) / 2, shown but held back
    assert any(m.rule_id == alert for m in p.alertes)
    # P2 (P2_COUNTS = "average"): the averages are obtained though the stage holds the UEs back.
    assert p.decision_annee == Code.PASD


def test_s1_a_missing_grade_makes_the_ue_att_first():
    stu = student(*cursus(3), enrol(4, stage=None, codes={"STAGE4": "none"}))
    p = propose(stu, 4)
    assert ue_of(p, "UE1 S4").code == Code.ATT
    assert p.decision_annee == Code.ATJ


def test_s1_a_stage_validated_in_an_earlier_year_stays_validated_but_its_grade_is_entered_again():
    first = [enrol(3, "6"), enrol(4, "6")]  # BUT2 failed: RCUEs at 6
    no_grade = [
        enrol(3, "12", annee="2026-2027", redoublement=True),
        enrol(4, "12", annee="2026-2027", redoublement=True, stage=None, codes={"STAGE4": "none"}),
    ]
    stu = student(*cursus(2), *first, *no_grade)
    assert propose(stu, 4, "2025-2026").decision_annee == Code.RED
    p = propose(stu, 4, "2026-2027")
    # R3: for a UE not acquired only the new year's grades count; S4: no stage grade -> ATT.
    assert ue_of(p, "UE1 S4").code == Code.ATT
    assert p.decision_annee == Code.ATJ
    assert "S4: stage du S4 validé en 2025-2026, conservé" in [str(m) for m in p.motifs]
    assert not any(m.rule_id in ("S2", "S3", "S4") for m in p.alertes)
    regraded = [
        enrol(3, "12", annee="2026-2027", redoublement=True),
        enrol(4, "12", annee="2026-2027", redoublement=True, stage=None),
    ]
    p = propose(student(*cursus(2), *first, *regraded), 4, "2026-2027")
    # The stage stays validated without a new stage (S1 [interp]): the UE is acquired by average.
    assert ue_of(p, "UE1 S4").code == Code.ADM
    assert p.decision_annee == Code.ADM


def test_s1_a_stage_ended_after_its_jury_does_not_count_at_a_later_jury():
    late = StageIn(date(2026, 4, 1), date(2026, 7, 10))  # the 2025-2026 jury is on 30 June
    stu = student(*cursus(3), enrol(4, stage=late), enrol(5))
    p5 = propose(stu, 5)
    assert p5.ects_acquis == 120  # S1, S2, S3, S5: the S4 UEs stay AJ
    on_time = student(*cursus(3), enrol(4), enrol(5))
    assert propose(on_time, 5).ects_acquis == 150


def test_s1_ues_held_back_by_the_stage_can_still_be_adsup():
    stu = student(*cursus(3), enrol(4, stage=None), enrol(5), enrol(6))
    p6 = propose(stu, 6)
    assert ue_of(p6, "UE1 S4").code == Code.ADSUP
    assert p6.but is True


def test_m2_a_stage_abroad_is_evaluated_like_one_in_france():
    abroad_short = StageIn(MONDAY, date(2026, 6, 11), abroad=True)
    p = propose(student(*cursus(3), enrol(4, stage=abroad_short)), 4)
    assert "M2: stage du S4 à l'étranger, évalué comme un stage en France" in [str(m) for m in p.motifs]
    assert any(m.rule_id == "S2" for m in p.alertes)
    ok = propose(student(*cursus(3), enrol(4, stage=StageIn(MONDAY, date(2026, 6, 12), abroad=True))), 4)
    assert ok.decision_annee == Code.ADM

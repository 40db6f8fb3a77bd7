"""§5-1 averages: V1 (enseignement), V2 (UE), V3 (exact Decimal, rounding once)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from juries.rules.averages import enseignement_average
from juries.rules.codes import Code
from juries.rules.exact import at_least, shown
from juries.rules.inputs import EvaluationGradeIn
from juries.rules.settings import ReglementSettings

from .builders import D, enrol, propose, student, ue_of

SETTINGS = ReglementSettings()


def _rows(*items: tuple[str | None, str, str | None]) -> list[EvaluationGradeIn]:
    return [
        EvaluationGradeIn("R1.01", f"DS{i}", D(weight), None, None if value is None else D(value), mark)
        for i, (value, weight, mark) in enumerate(items)
    ]


@pytest.mark.parametrize(
    ("rows", "expected", "status"),
    [
        pytest.param(_rows(("12", "1", None), ("14", "1", None)), D(13), "ok", id="plain-mean"),
        pytest.param(_rows(("8", "1", None), ("12", "3", None)), D(11), "ok", id="weighted-8x1-12x3"),
        pytest.param(_rows(("8", "1.00", None), ("12", "1.00", None)), D(10), "ok", id="weights-1.00"),
        pytest.param(_rows(("14", "1", None), (None, "1", "ABI")), D(7), "ok", id="abi-counts-0"),
        pytest.param(_rows(("14", "1", None), (None, "3", "ABJ")), D(14), "ok", id="abj-weight-removed"),
        pytest.param(_rows((None, "1", "ABJ"), (None, "1", "ABJ")), None, "neutralised", id="all-abj"),
        pytest.param(_rows(("14", "1", None), (None, "1", None)), None, "missing", id="missing-grade"),
        pytest.param([], None, "no_evaluation", id="no-evaluation"),
    ],
)
def test_v1_enseignement_average_is_weighted_mean_of_its_evaluations(rows, expected, status):
    avg = enseignement_average(rows, frozenset(), SETTINGS)
    assert (avg.moyenne, avg.status) == (expected, status)


@pytest.mark.parametrize(
    ("semester", "ue", "shared", "specific", "expected"),
    [
        # (3 × 10 + 7 × 8) / 10: six shared ressources at 0,5, four own elements = 7.
        pytest.param(1, "UE1 S1", "10", "8", D("8.6"), id="UE1-S1-(3x10+7x8)/10"),
        # (4,5 × 10 + 5,5 × 14) / 10: R2.06 (1,5) and PORTFOLIO2 (0,5) are shared too.
        pytest.param(2, "UE1 S2", "10", "14", D("12.2"), id="UE1-S2-(4.5x10+5.5x14)/10"),
        # (2,5 × 10 + 3,5 × 16) / 6
        pytest.param(3, "UE4 S3", "10", "16", D("13.5"), id="UE4-S3-(2.5x10+3.5x16)/6"),
        # (5 × 10 + 4 × 19) / 9: the stage (2) and PORTFOLIO4 (0,25) are shared in S4.
        pytest.param(4, "UE4 S4", "10", "19", D(14), id="UE4-S4-(5x10+4x19)/9"),
    ],
)
def test_v2_ue_average_is_coefficient_weighted_over_both_poles(semester, ue, shared, specific, expected):
    competence = int(ue[2])
    e = enrol(semester, shared, specific={competence: specific})
    p = propose(student(e), semester)
    assert ue_of(p, ue).moyenne == expected


def test_v2_a_missing_grade_makes_the_ue_att():
    p = propose(student(enrol(1, codes={"R1.07": ["12", None]})), 1)
    assert ue_of(p, "UE1 S1").code == Code.ATT
    assert ue_of(p, "UE1 S1").moyenne is None
    assert ue_of(p, "UE2 S1").code == Code.ADM  # R1.07 counts in UE1 only
    assert "V2: UE1 S1 en attente : note manquante en R1.07" in [str(m) for m in p.alertes]


def test_v2_an_enseignement_with_no_evaluation_yet_makes_the_ue_att():
    p = propose(student(enrol(1, codes={"SAE1.03": "none"})), 1)
    assert ue_of(p, "UE2 S1").code == Code.ATT


def test_v2_an_all_abj_enseignement_is_left_out_of_the_ue_average():
    # R1.07 (1,5) all ABJ: the UE averages the 8,5 remaining coefficients.
    p = propose(student(enrol(1, "12", codes={"R1.07": ["ABJ", "ABJ"], "R1.08": "20"})), 1)
    # (12 × 7 + 20 × 1,5) / 8,5 = 114 / 8,5
    moyenne = ue_of(p, "UE1 S1").moyenne
    assert abs(moyenne - D(114) / D("8.5")) < D("1e-20")
    assert ue_of(p, "UE1 S1").as_contract()["moyenne"] == "13.41"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("9.995", "10.00", id="9.995-shows-10.00"),
        pytest.param("9.9949", "9.99", id="9.9949-shows-9.99"),
        pytest.param("7.995", "8.00", id="7.995-shows-8.00"),
        pytest.param("12.005", "12.01", id="half-up"),
    ],
)
def test_v3_rounding_is_half_up_to_two_decimals(value, expected):
    assert f"{shown(Decimal(value)):.2f}" == expected


def test_v3_thresholds_compare_the_shown_value():
    assert at_least(D("9.995"), D(10))
    assert not at_least(D("9.9949"), D(10))
    assert at_least(D("7.995"), D(8))


def test_v3_9995_validates_the_ue():
    p = propose(student(enrol(1, ["9.99", "10"])), 1)
    ue = ue_of(p, "UE1 S1")
    assert ue.moyenne == D("9.995")
    assert ue.code == Code.ADM
    assert ue.as_contract()["moyenne"] == "10.00"


def test_v3_averages_are_never_rounded_before_the_next_computation():
    # Own elements of UE1 S1 average 9,995 (shown 10.00), shared ressources 9,99:
    # exact (3 × 9,99 + 7 × 9,995) / 10 = 9,9935 → 9.99, not acquired. Rounding the
    # enseignement averages first would give (29,97 + 70) / 10 = 9,997 → 10.00.
    p = propose(student(enrol(1, "9.99", specific={1: ["9.99", "10"]})), 1)
    ue = ue_of(p, "UE1 S1")
    assert ue.moyenne == D("9.9935")
    assert ue.code == Code.AJ

"""REGLEMENT.md "DEF / DEM": a défaillant or démissionnaire student keeps what is acquired.

The seed (§5-1): « Une unité d'enseignement est définitivement acquise et capitalisable dès lors
que la moyenne obtenue à l'ensemble « Pôle ressources » et « SAÉ » est égale ou supérieure à
10. » A UE at ≥ 10 stays acquired whatever the student's status; the others of the semester are
DEF / DEM with 0 ECTS, their RCUE is AJ without average and compensates nothing; the year code
is DEF / DEM at that semester's jury, odd or even, passage false (null at S6), under EXCLU.
"""

from __future__ import annotations

from datetime import date

import pytest

from juries.rules.codes import Code

from .builders import D, cursus, enrol, exclusion, propose, rcue_of, student, ue_of

DEF, DEM = "defaillant", "demission"


@pytest.mark.parametrize(
    ("case", "semester", "ues", "decision", "passage", "ects"),
    [
        pytest.param(
            lambda: student(enrol(1, "11.4", status=DEF)),
            1,
            {"UE1 S1": Code.ADM, "UE2 S1": Code.ADM, "UE3 S1": Code.ADM},
            Code.DEF,
            False,
            30,
            id="every-ue-at-11.40-stays-acquired",
        ),
        pytest.param(
            lambda: student(enrol(1, "12", status=DEM, specific={2: "8", 3: [None, "12"]})),
            1,
            {"UE1 S1": Code.ADM, "UE2 S1": Code.DEM, "UE3 S1": Code.DEM},
            Code.DEM,
            False,
            10,
            id="below-10-or-incomplete-is-dem",
        ),
        pytest.param(
            lambda: student(enrol(1), enrol(2, "8", status=DEM)),
            2,
            {"UE1 S1": Code.ADM, "UE1 S2": Code.DEM},
            Code.DEM,
            False,
            30,
            id="even-jury-rcue-does-not-compensate",
        ),
        pytest.param(
            lambda: student(*cursus(3), enrol(4, "12", status=DEF, stage=None)),
            4,
            {"UE1 S3": Code.ADM, "UE1 S4": Code.DEF},
            Code.DEF,
            False,
            90,
            id="held-back-by-the-stage-is-def",
        ),
        pytest.param(
            lambda: student(*cursus(5), enrol(6, "8", status=DEF)),
            6,
            {"UE1 S5": Code.ADM, "UE1 S6": Code.DEF},
            Code.DEF,
            None,
            150,
            id="s6-passage-null",
        ),
        pytest.param(
            lambda: student(enrol(1, "8", status=DEF), fraud_cases=(exclusion(date(2024, 11, 1), None),)),
            1,
            {"UE1 S1": Code.DEF},
            Code.EXCLU,
            False,
            0,
            id="exclu-first",
        ),
    ],
)
def test_def_dem_acquired_ues_stay_acquired(case, semester, ues, decision, passage, ects):
    p = propose(case(), semester)
    assert {key: ue_of(p, key).code for key in ues} == ues
    assert (p.decision_annee, p.passage, p.ects_acquis) == (decision, passage, ects)
    for key, code in ues.items():
        if code in (Code.DEF, Code.DEM):
            assert ue_of(p, key).ects == 0


def test_def_dem_a_ue_with_complete_grades_keeps_its_average_only_the_rcue_loses_it():
    # DEF / DEM: « An RCUE with a DEF/DEM UE is AJ, has no average » — the UE itself shows what
    # its grades give (CONTRACTS.md: null only when there is nothing to average).
    p = propose(student(enrol(1, "12"), enrol(2, "8", status=DEM)), 2)
    assert (ue_of(p, "UE1 S2").code, ue_of(p, "UE1 S2").moyenne, ue_of(p, "UE1 S2").ects) == (Code.DEM, 8, 0)
    assert (rcue_of(p, 1).code, rcue_of(p, 1).moyenne) == (Code.AJ, None)


def test_def_dem_an_rcue_with_a_dem_ue_is_aj_without_average_and_compensates_nothing():
    # UE1 S1 at 9 would be compensated by UE1 S2 at 14 — but UE1 S2 is DEM.
    p = propose(student(enrol(1, "12", specific={1: "9"}), enrol(2, "8", status=DEM)), 2)
    assert (rcue_of(p, 1).code, rcue_of(p, 1).moyenne) == (Code.AJ, None)
    assert ue_of(p, "UE1 S1").code == Code.AJ
    motifs = p.as_contract()["motifs"]
    assert "DEM: UE1 S2 non acquise (démission) : 0 ECTS" in motifs
    assert (
        "DEM: RCUE Qualité niveau 1 non validé, sans moyenne ni compensation : UE1 S2 DEM (démission)" in motifs
    )
    assert (
        "DEM: démission en S2 : décision DEM, pas de passage ; les UE déjà acquises le restent" in motifs
    )


def test_def_dem_motifs_are_filed_under_their_own_id():
    p = propose(student(enrol(1, "11.4", status=DEF)), 1)
    motifs = p.as_contract()["motifs"]
    assert "DEF: UE1 S1 acquise malgré la défaillance : notes complètes, 11,40 ≥ 10" in motifs
    assert not [m for m in motifs if m.startswith("V4:")]


def test_def_dem_a_ue_acquired_earlier_stays_acquired_in_a_repeat():
    first = enrol(1, "12", specific={2: "8"})  # UE1 S1 12 ADM, UE2 S1 AJ
    again = enrol(1, "8", annee="2025-2026", redoublement=True, status=DEF)
    p = propose(student(first, again), 1, "2025-2026")
    assert (ue_of(p, "UE1 S1").code, ue_of(p, "UE1 S1").moyenne) == (Code.ADM, D(12))
    assert ue_of(p, "UE2 S1").code == Code.DEF
    assert "DEF: UE1 S1 acquise en 2024-2025 (12,00), reste acquise malgré la défaillance" in [
        str(m) for m in p.ues[0].motifs
    ]

"""§5-4 Redoublement: R1 (proposed, not a right), R2 (limits), R3 (best average kept), R4."""

from __future__ import annotations

from datetime import date

import pytest

from juries.rules.codes import Code
from juries.rules.inputs import EnrolmentIn, RepeatAuthorisationIn
from juries.rules.redoublement import may_repeat
from juries.rules.settings import ReglementSettings

from .builders import D, enrol, propose, student, ue_of

REPEAT = "2025-2026"


JURY = "2026-2027"  # a repeat proposed at this jury happens in 2027-2028


def _flagged(*years: tuple[int, ...]) -> list[EnrolmentIn]:
    """Enrolments flagged ``redoublement``, one academic year per tuple, from 2021-2022 on."""
    return [
        EnrolmentIn(f"{2021 + i}-{2022 + i}", s, redoublement=True) for i, sems in enumerate(years) for s in sems
    ]


def _auth(day: date, annee: str | None = None) -> RepeatAuthorisationIn:
    return RepeatAuthorisationIn(date=day, annee=annee, reason="force majeure")


JUNE = date(2027, 6, 12)


# R2 — « l'étudiant peut être autorisé à redoubler une seule fois chaque semestre dans la limite
# de 4 redoublements. Le directeur de l'IUT peut autoriser un redoublement supplémentaire en cas
# de force majeure » : the authorisation lifts both limits for that one repeat.
@pytest.mark.parametrize(
    ("done", "year", "authorisations", "allowed", "text"),
    [
        pytest.param(
            (), (1, 2), (), True,
            "R2: aucun redoublement utilisé ; 4 possibles : redoublement possible (il en compte 2)",
            id="first-repeat",
        ),
        pytest.param(
            ((1,),), (1, 2), (), False,
            "R2: 1 utilisé sur 4 ; S1 déjà redoublé (un semestre ne se redouble qu'une fois) : "
            "redoublement impossible sans autorisation du directeur",
            id="s1-already-repeated",
        ),
        pytest.param(
            ((1, 2),), (3, 4), (), True,
            "R2: 2 utilisés sur 4 ; 2 possibles : redoublement possible (il en compte 2)",
            id="2-done-plus-2-is-4",
        ),
        pytest.param(
            ((1, 2), (3,)), (5, 6), (), False,
            "R2: 3 utilisés sur 4 ; 1 possible : un redoublement en compte 2, "
            "impossible sans autorisation du directeur",
            id="3-done-plus-2-over-4",
        ),
        pytest.param(
            ((1, 2), (3,)), (5, 6), (_auth(JUNE, "2027-2028"),), True,
            "R2: 3 utilisés sur 4 ; autorisation du directeur du 12/06/2027 : redoublement possible",
            id="director-authorises-one-more",
        ),
        pytest.param(
            ((1, 2), (3, 4)), (5, 6), (_auth(JUNE, "2027-2028"),), True,
            "R2: 4 utilisés sur 4 ; autorisation du directeur du 12/06/2027 : redoublement possible",
            id="authorisation-lifts-the-total-by-the-whole-year",
        ),
        pytest.param(
            ((1, 2), (3, 4)), (3, 4), (_auth(JUNE),), True,
            "R2: 4 utilisés sur 4 ; S3 et S4 déjà redoublés (un semestre ne se redouble qu'une fois) ; "
            "autorisation du directeur du 12/06/2027 : redoublement possible",
            id="authorisation-without-year-lifts-both-limits",
        ),
        pytest.param(
            ((1,),), (1, 2), (_auth(JUNE, "2027-2028"),), True,
            "R2: 1 utilisé sur 4 ; S1 déjà redoublé (un semestre ne se redouble qu'une fois) ; "
            "autorisation du directeur du 12/06/2027 : redoublement possible",
            id="authorisation-allows-a-semester-again",
        ),
        pytest.param(
            ((1, 2), (3,)), (5, 6), (_auth(JUNE, "2028-2029"),), False,
            "R2: 3 utilisés sur 4 ; 1 possible : un redoublement en compte 2, "
            "impossible sans autorisation du directeur",
            id="authorisation-for-another-year",
        ),
        pytest.param(
            ((1, 2), (3, 4), (5, 6)), (5, 6), (_auth(date(2023, 6, 12), "2023-2024"),), False,
            "R2: 6 utilisés sur 6 ; S5 et S6 déjà redoublés (un semestre ne se redouble qu'une fois) : "
            "redoublement impossible sans autorisation du directeur",
            id="an-authorisation-serves-one-repeat-only",
        ),
    ],
)
def test_r2_each_semester_once_and_at_most_4_repeats(done, year, authorisations, allowed, text):
    result, motif = may_repeat(_flagged(*done), year, authorisations, JURY, ReglementSettings())
    assert (result, str(motif)) == (allowed, text)


def _failed_year_one():
    # UE1 S1 = (30 + 7 × 8) / 10 = 8,6, UE2 S1 = (30 + 7 × 5) / 10 = 6,5;
    # UE1 S2 = 12,2, UE2 S2 = (45 + 5,5 × 6) / 10 = 7,8: C1 N1 10,4 (UE1 S1 CMP), C2 N1 7,15 < 8.
    return (
        enrol(1, "10", specific={1: "8", 2: "5", 3: "5"}),
        enrol(2, "10", specific={1: "14", 2: "6", 3: "6"}),
    )


def test_r1_repeating_is_proposed_not_granted():
    p = propose(student(*_failed_year_one()), 2)
    assert (p.decision_annee, p.passage) == (Code.RED, False)
    assert ue_of(p, "UE1 S1").code == Code.CMP
    motifs = p.as_contract()["motifs"]
    assert "R1: redoublement proposé, soumis à la décision du jury" in motifs
    assert "R2: aucun redoublement utilisé ; 4 possibles : redoublement possible (il en compte 2)" in motifs


def test_r2_a_student_who_may_not_repeat_gets_nar():
    again = (
        enrol(1, "10", annee=REPEAT, redoublement=True, specific={2: "5"}),
        enrol(2, "10", annee=REPEAT, redoublement=True, specific={2: "6"}),
    )
    p = propose(student(*_failed_year_one(), *again), 2, REPEAT)
    assert (p.decision_annee, p.passage) == (Code.NAR, False)
    assert any(m.rule_id == "R2" for m in p.alertes)


@pytest.mark.parametrize(
    ("new_specific", "moyenne", "code"),
    [
        pytest.param("7", "8.6", Code.CMP, id="worse-new-average-old-kept"),
        pytest.param("9", "9.3", Code.CMP, id="better-below-10-keeps-its-code"),
        pytest.param("12", "11.4", Code.ADM, id="better-above-10-becomes-adm"),
    ],
)
def test_r3_an_acquired_ue_keeps_the_better_average(new_specific, moyenne, code):
    repeat = enrol(1, "10", annee=REPEAT, redoublement=True, specific={1: new_specific})
    p = propose(student(*_failed_year_one(), repeat), 1, REPEAT)
    ue = ue_of(p, "UE1 S1")
    assert (ue.moyenne, ue.code, ue.ects) == (D(moyenne), code, D(10))
    assert any(m.rule_id == "R3" for m in ue.motifs)


def test_r3_incomplete_new_grades_leave_an_acquired_ue_acquired_not_att():
    repeat = enrol(1, "10", annee=REPEAT, redoublement=True, codes={"R1.07": [None, "12"]})
    ue = ue_of(propose(student(*_failed_year_one(), repeat), 1, REPEAT), "UE1 S1")
    assert (ue.code, ue.moyenne) == (Code.CMP, D("8.6"))


def test_r3_for_a_ue_not_acquired_only_the_new_grades_count():
    repeat = enrol(1, "10", annee=REPEAT, redoublement=True, specific={2: "4"})
    ue = ue_of(propose(student(*_failed_year_one(), repeat), 1, REPEAT), "UE2 S1")
    assert (ue.code, ue.moyenne) == (Code.AJ, D("5.8"))  # lower than 6,5, still the one kept


def test_r3_the_kept_average_is_used_in_the_rcue():
    # Repeat: UE1 S1 new 9 (< 12,8 kept), S2 all 11: C1 N1 (12,8 + 11) / 2 = 11,9.
    first = (
        enrol(1, "10", specific={1: "14", 2: "7", 3: "7"}),
        enrol(2, "10", specific={2: "6", 3: "6"}),
    )
    repeat = (enrol(1, "9", annee=REPEAT, redoublement=True), enrol(2, "11", annee=REPEAT, redoublement=True))
    p = propose(student(*first, *repeat), 2, REPEAT)
    assert p.rcues[0].moyenne == D("11.9")
    assert ue_of(p, "UE2 S1").code == Code.CMP  # (9 + 11) / 2 = 10
    assert (p.decision_annee, p.passage) == (Code.ADM, True)


def test_r4_with_an_amenagement_acquired_ues_are_not_re_enrolled_and_keep_their_grade():
    repeat = enrol(1, "10", annee=REPEAT, redoublement=True, amenagement=True, specific={1: "12", 2: "12"})
    p = propose(student(*_failed_year_one(), repeat), 1, REPEAT)
    kept = ue_of(p, "UE1 S1")
    assert (kept.code, kept.moyenne, kept.annee) == (Code.CMP, D("8.6"), "2024-2025")
    assert any(m.rule_id == "R4" for m in kept.motifs)
    assert ue_of(p, "UE2 S1").moyenne == D("11.4")  # not acquired: enrolled, graded anew


def _repeated_but1_and_but2(*authorisations: RepeatAuthorisationIn):
    # BUT1 in 2021-2022 and again in 2022-2023, BUT2 in 2023-2024 and again in 2024-2025
    # (4 repeats), BUT3 in 2025-2026 with S6 failed.
    years = {1: ("2021-2022", "2022-2023"), 2: ("2021-2022", "2022-2023"), 3: ("2023-2024", "2024-2025")}
    years[4] = years[3]
    enrolments = [
        enrol(s, "12", annee=annee, redoublement=again)
        for s in (1, 2, 3, 4)
        for annee, again in zip(years[s], (False, True), strict=True)
    ]
    enrolments += [enrol(5, annee="2025-2026"), enrol(6, "4", annee="2025-2026")]
    return student(*enrolments, repeat_authorisations=authorisations)


@pytest.mark.parametrize(
    ("authorisations", "decision", "r2"),
    [
        pytest.param(
            (),
            Code.NAR,
            "R2: 4 utilisés sur 4 ; aucun possible : un redoublement en compte 2, "
            "impossible sans autorisation du directeur",
            id="four-repeats-nar",
        ),
        pytest.param(
            (_auth(date(2026, 6, 12), "2026-2027"),),
            Code.RED,
            "R2: 4 utilisés sur 4 ; autorisation du directeur du 12/06/2026 : redoublement possible",
            id="the-director-s-authorisation-gives-red",
        ),
        pytest.param(
            (_auth(date(2026, 6, 12)),),
            Code.RED,
            "R2: 4 utilisés sur 4 ; autorisation du directeur du 12/06/2026 : redoublement possible",
            id="an-authorisation-without-year-too",
        ),
    ],
)
def test_r2_the_director_s_authorisation_takes_effect(authorisations, decision, r2):
    p = propose(_repeated_but1_and_but2(*authorisations), 6, "2025-2026")
    assert p.decision_annee == decision
    assert r2 in p.as_contract()["motifs"]
    assert any(m.rule_id == "R2" for m in p.alertes) is (decision == Code.NAR)

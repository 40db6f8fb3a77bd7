"""§4 Évaluation: E1 (several evaluations per ressource), E2 (grade input), E3 (deliberation)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from juries.rules import compute_jury
from juries.rules.codes import Code
from juries.rules.evaluation import parse_grade
from juries.rules.inputs import DeliberatedIn, DeliberatedRCUE, DeliberatedUE

from .builders import QLIO, D, enrol, propose, student, ue_of


def test_e1_a_ressource_with_fewer_than_2_evaluations_is_flagged():
    p = propose(student(enrol(1), enrol(2, codes={"R2.03": ["12"], "SAE2.02": ["12"]})), 2)
    alerts = p.as_contract()["alertes"]
    assert "E1: R2.03 n'a qu'une évaluation ce semestre" in alerts
    assert not any("SAE2.02" in a for a in alerts)  # SAÉs are not ressources


def test_e1_a_ressource_without_evaluation_is_flagged():
    p = propose(student(enrol(1, codes={"R1.05": "none"})), 1)
    assert "E1: R1.05 n'a aucune évaluation ce semestre" in p.as_contract()["alertes"]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        pytest.param("12,5", Decimal("12.5"), id="comma"),
        pytest.param("12.50", Decimal("12.50"), id="dot"),
        pytest.param("0", Decimal("0"), id="zero"),
        pytest.param("20", Decimal("20"), id="twenty"),
        pytest.param(" 7,25 ", Decimal("7.25"), id="spaces"),
    ],
)
def test_e2_grades_on_20_with_comma_or_dot(text, value):
    assert parse_grade(text) == value


@pytest.mark.parametrize("text", ["20,01", "21", "-1", "12.345", "abc", "", "1e1"])
def test_e2_other_grades_are_refused(text):
    with pytest.raises(ValueError):
        parse_grade(text)


def test_e3_decisions_of_a_deliberated_jury_stand():
    # Computed: UE1 S1 7,9 and RCUE C1 N1 8,4 (AJ); the S2 jury decided ADJ for both.
    delib = DeliberatedIn(
        ues=(DeliberatedUE("UE1 S1", Code.ADJ, D("7.9")), DeliberatedUE("UE1 S2", Code.ADJ, D("8.9"))),
        rcues=(DeliberatedRCUE(1, 1, Code.ADJ, D("8.4")),),
        decision_annee=Code.ADM,
        passage=True,
    )
    stu = student(
        enrol(1, "10", specific={1: "7"}),
        enrol(2, "10", specific={1: "8"}, deliberated=delib),
        enrol(3, "12", specific={1: "6"}),  # C1 N2 (7,875 + 10,857) / 2 = 9,37: no ADSUP
        enrol(4, "12", specific={1: "8"}),
    )
    p2 = propose(stu, 2)
    assert (p2.decision_annee, ue_of(p2, "UE1 S1").code, p2.rcues[0].code) == (Code.ADM, Code.ADJ, Code.ADJ)
    assert p2.deliberated is True
    # At the S4 jury the ADJ stands: the first year is complete for P3 (compare test_p3).
    p4 = propose(stu, 4)
    assert (p4.decision_annee, p4.passage) == (Code.PASD, True)
    assert p4.ects_acquis == 60 + 52  # BUT2: every UE but UE1 S3 (8 ECTS)


def test_e3_the_export_says_delibere_once_the_jury_has_deliberated():
    delib = DeliberatedIn(decision_annee=Code.PAS1NCI, passage=True)
    stu = student(enrol(1), enrol(2, deliberated=delib))
    jury = compute_jury(maquette=QLIO, students=[stu], annee="2024-2025", semester=2)
    c = jury.as_contract()
    assert c["etat"] == "delibere"
    assert (c["etudiants"][0]["decision_annee"], c["etudiants"][0]["passage"]) == ("PAS1NCI", True)
    open_jury = compute_jury(
        maquette=QLIO, students=[student(enrol(1), enrol(2))], annee="2024-2025", semester=2
    )
    assert open_jury.as_contract()["etat"] == "proposition"


def test_e1_an_enrolment_without_any_grade_is_flagged_too():
    p = propose(student(enrol(1, evaluations=())), 1)
    assert "E1: R1.01 n'a aucune évaluation ce semestre" in p.as_contract()["alertes"]
    assert p.ues[0].code == Code.ATT

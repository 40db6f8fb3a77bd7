"""The engine as a whole: the CONTRACTS.md export shape, one hand-computed case per code."""

from __future__ import annotations

import json
from datetime import date

import pytest

from juries.rules import compute_jury, default_jury_date
from juries.rules.codes import Code

from .builders import QLIO, D, cursus, enrol, exclusion, propose, student, ue_of


def test_contract_shape_of_an_even_semester_jury():
    stu = student(enrol(1, "10", specific={1: "8"}), enrol(2, "10", specific={1: "14"}))
    jury = compute_jury(maquette=QLIO, students=[stu], annee="2024-2025", semester=2)
    c = json.loads(json.dumps(jury.as_contract()))
    assert list(c) == ["annee", "semestre", "etat", "etudiants"]
    assert (c["annee"], c["semestre"], c["etat"]) == ("2024-2025", 2, "proposition")
    e = c["etudiants"][0]
    assert list(e) == [
        "numero", "nom", "prenom", "ues", "rcues", "decision_annee", "passage", "ects_acquis",
        "dut", "but", "absences", "motifs", "alertes", "etat",
    ]  # fmt: skip
    assert e["etat"] == "proposition"  # CONTRACTS.md: each student's own etat
    assert e["ues"][0] == {"ue": "UE1 S1", "moyenne": "8.60", "code": "CMP", "ects": 10}
    assert [u["ue"] for u in e["ues"]] == ["UE1 S1", "UE2 S1", "UE3 S1", "UE1 S2", "UE2 S2", "UE3 S2"]
    assert e["rcues"][0] == {"competence": 1, "niveau": 1, "moyenne": "10.40", "code": "ADM"}
    assert [r["competence"] for r in e["rcues"]] == [1, 2, 3]
    assert (e["decision_annee"], e["passage"], e["ects_acquis"]) == ("ADM", True, 60)
    assert all(m.split(":")[0] in {"C2", "C3", "V4", "P2"} for m in e["motifs"])


def test_students_are_ordered_by_numero():
    students = [student(enrol(1), numero=n) for n in ("22000003", "22000001", "22000002")]
    jury = compute_jury(maquette=QLIO, students=students, annee="2024-2025", semester=1)
    assert [s["numero"] for s in jury.as_contract()["etudiants"]] == ["22000001", "22000002", "22000003"]


def test_ects_are_ints_when_integral():
    p = propose(student(*cursus(3)), 3)
    assert [u["ects"] for u in p.as_contract()["ues"]] == [8, 8, 8, 6]
    assert isinstance(p.as_contract()["ects_acquis"], int)


def test_a_student_not_enrolled_in_the_jury_semester_is_refused():
    with pytest.raises(ValueError, match="n'est pas inscrit"):
        propose(student(enrol(1)), 2)


def test_default_jury_date_is_30_june_of_the_second_year():
    assert default_jury_date("2026-2027") == date(2027, 6, 30)


def _bad_year_one():
    return (enrol(1, "10", specific={1: "5"}), enrol(2, "10", specific={1: "6"}))


@pytest.mark.parametrize(
    ("case", "semester", "annee", "ue", "ue_code", "decision", "passage"),
    [
        pytest.param(lambda: student(*cursus(2)), 2, None, "UE1 S1", Code.ADM, Code.ADM, True, id="ADM"),
        pytest.param(
            lambda: student(enrol(1, "10", specific={1: "8"}), enrol(2, "10", specific={1: "14"})),
            2,
            None,
            "UE1 S1",
            Code.CMP,
            Code.ADM,
            True,
            id="CMP",
        ),
        pytest.param(
            lambda: student(
                enrol(1, "10", specific={1: "7"}), enrol(2, "10", specific={1: "8"}), enrol(3), enrol(4)
            ),
            4,
            None,
            "UE1 S1",
            Code.ADSUP,
            Code.ADM,
            True,
            id="ADSUP",
        ),
        pytest.param(
            lambda: student(enrol(1, "10", specific={1: "7"}), enrol(2, "10", specific={1: "8"})),
            2,
            None,
            "UE1 S1",
            Code.AJ,
            Code.PASD,
            True,
            id="AJ-PASD",
        ),
        pytest.param(
            lambda: student(*_bad_year_one()), 2, None, "UE1 S1", Code.AJ, Code.RED, False, id="RED"
        ),
        pytest.param(
            lambda: student(
                *_bad_year_one(),
                enrol(1, "10", annee="2025-2026", redoublement=True, specific={1: "5"}),
                enrol(2, "10", annee="2025-2026", redoublement=True, specific={1: "6"}),
            ),
            2,
            "2025-2026",
            "UE1 S1",
            Code.AJ,
            Code.NAR,
            False,
            id="NAR",
        ),
        pytest.param(
            lambda: student(enrol(1), enrol(2, codes={"R2.08": ["12", None]})),
            2,
            None,
            "UE1 S2",
            Code.ATT,
            Code.ATJ,
            None,
            id="ATT-ATJ",
        ),
        pytest.param(
            lambda: student(*cursus(2), fraud_cases=(exclusion(date(2025, 5, 1), None),)),
            2,
            None,
            "UE1 S1",
            Code.ADM,
            Code.EXCLU,
            False,
            id="EXCLU",
        ),
        pytest.param(
            lambda: student(enrol(1), enrol(2, "8", status="demission")),
            2,
            None,
            "UE1 S2",
            Code.DEM,
            Code.DEM,
            False,
            id="DEM",
        ),
        pytest.param(
            lambda: student(enrol(1, "8", status="defaillant")),
            1,
            None,
            "UE1 S1",
            Code.DEF,
            Code.DEF,
            False,
            id="DEF",
        ),
    ],
)
def test_each_code_hand_computed(case, semester, annee, ue, ue_code, decision, passage):
    p = propose(case(), semester, annee)
    assert ue_of(p, ue).code == ue_code
    assert (p.decision_annee, p.passage) == (decision, passage)
    c = p.as_contract()
    assert c["decision_annee"] == (None if decision is None else str(decision))


def test_atj_lists_the_missing_grade_in_the_alerts():
    p = propose(student(enrol(1), enrol(2, codes={"R2.08": ["12", None]})), 2)
    assert "V2: UE1 S2 en attente : note manquante en R2.08" in p.as_contract()["alertes"]
    assert p.as_contract()["passage"] is None


def test_dem_keeps_the_ues_acquired_before():
    p = propose(student(*cursus(2), enrol(3, "8", status="demission")), 3)
    assert p.ects_acquis == 60
    assert ue_of(p, "UE1 S3").code == Code.DEM


def test_enseignement_results_for_the_releve():
    p = propose(student(enrol(1, codes={"R1.01": ["14", "ABI"]}, extra={"PORTFOLIO1": "15"})), 1)
    r101 = next(e for e in p.enseignements if e.code == "R1.01")
    assert (r101.moyenne, r101.status) == (D(7), "ok")
    assert [m for _, _, _, _, _, m in r101.evaluations] == [None, "ABI"]
    assert dict(r101.coefficients) == {"UE1 S1": D("0.5"), "UE2 S1": D("0.5"), "UE3 S1": D("0.5")}
    portfolio = next(e for e in p.enseignements if e.code == "PORTFOLIO1")
    assert portfolio.status == "not_counted"


def test_future_enrolments_are_ignored():
    stu = student(*cursus(4))
    assert propose(stu, 2).ects_acquis == 60
    assert propose(stu, 1).ects_acquis == 30

"""§7 Fraud: F1 (open cases shown), F2 (a running exclusion: EXCLU overrides everything)."""

from __future__ import annotations

from datetime import date

import pytest

from juries.rules.codes import Code
from juries.rules.inputs import FraudCaseIn

from .builders import cursus, enrol, exclusion, propose, student

JURY = date(2025, 6, 30)


def test_f1_open_fraud_cases_are_shown_to_the_jury():
    case = FraudCaseIn(date=date(2025, 3, 12))
    p = propose(student(*cursus(2), fraud_cases=(case,)), 2)
    assert "F1: dossier de fraude ouvert (faits du 12/03/2025)" in p.as_contract()["alertes"]
    closed = FraudCaseIn(date=date(2025, 3, 12), closed=True, sanction="blame")
    assert not propose(student(*cursus(2), fraud_cases=(closed,)), 2).alertes


@pytest.mark.parametrize(
    ("case", "excluded"),
    [
        pytest.param(exclusion(date(2025, 1, 10), date(2026, 1, 9)), True, id="running"),
        pytest.param(
            exclusion(date(2025, 1, 10), None, sanction="exclusion_definitive"), True, id="definitive"
        ),
        pytest.param(
            exclusion(date(2025, 1, 10), date(2026, 1, 9), sanction="exclusion_tous"),
            True,
            id="every-establishment",
        ),
        pytest.param(exclusion(date(2025, 1, 10), date(2026, 1, 9), sursis=True), False, id="with-sursis"),
        pytest.param(exclusion(date(2024, 1, 10), date(2025, 1, 9)), False, id="ended-before-the-jury"),
        pytest.param(exclusion(date(2025, 7, 1), date(2026, 1, 9)), False, id="starts-after-the-jury"),
        pytest.param(
            exclusion(date(2025, 1, 10), date(2026, 1, 9), sanction="avertissement"),
            False,
            id="not-an-exclusion",
        ),
    ],
)
def test_f2_a_running_exclusion_makes_the_proposal_exclu(case, excluded):
    p = propose(student(*cursus(2), fraud_cases=(case,)), 2, jury_date=JURY)
    if excluded:
        assert (p.decision_annee, p.passage) == (Code.EXCLU, False)
        assert any(m.rule_id == "F2" for m in p.motifs)
    else:
        assert (p.decision_annee, p.passage) == (Code.ADM, True)


def test_f2_exclu_at_an_odd_jury_too():
    p = propose(
        student(enrol(1), fraud_cases=(exclusion(date(2025, 1, 10), None),)), 1, jury_date=date(2025, 1, 20)
    )
    c = p.as_contract()
    assert (c["decision_annee"], c["passage"], c["rcues"]) == ("EXCLU", False, [])


def test_f2_exclu_overrides_atj():
    stu = student(
        enrol(1), enrol(2, codes={"R2.03": [None, "12"]}), fraud_cases=(exclusion(date(2025, 1, 10), None),)
    )
    p = propose(stu, 2)
    assert (p.decision_annee, p.passage) == (Code.EXCLU, False)


def test_f2_exclu_at_s6_has_no_passage():
    p = propose(student(*cursus(6), fraud_cases=(exclusion(date(2027, 1, 10), None),)), 6)
    assert (p.decision_annee, p.passage) == (Code.EXCLU, None)

"""selectors/proposals.py: the one entry point — the export's proposals, the decisions fed at an
open jury, the pure proposal each decision is compared to, stale decisions; and the RCUE key."""

from __future__ import annotations

import pytest

from juries.models import Grade
from juries.rules.codes import Code
from juries.selectors.jury import RcueKey
from juries.selectors.proposals import jury_proposals
from juries.services.decisions import deliberate, record_decision

from .conftest import ANNEE, student

pytestmark = pytest.mark.django_db


def run():
    return jury_proposals(annee=ANNEE, semester=2)


def adj_c1_n1(jury, enrolment, by):
    return record_decision(jury=jury, enrolment=enrolment, by=by, accept=False, rcue_overrides={"C1 N1": "ADJ"},
                           reason="Décision du jury.")


def test_an_open_jury_decision_shows_its_consequences_but_the_export_keeps_the_proposal(jury, people):
    _, e = student("26000021", "Girard", low={1: {"UE1 S1": "7"}, 2: {"UE1 S2": "7"}})
    student("26000022", "Roux")
    adj_c1_n1(jury, e[2], people["president"])
    r = run()
    assert r.proposals.etat == "proposition"
    assert [p.decision_annee for p in r.proposals.students] == [Code.PASD, Code.ADM]
    assert [p.decision_annee for p in r.decided.students] == [Code.ADM, Code.ADM]   # the ADJ's consequence
    assert r.pure("26000021").decision_annee == Code.PASD
    assert r.decided_for("26000021").decision_annee == Code.ADM
    assert r.decided_for("26000022") is None                                       # no decision yet
    assert r.decision_for("26000021").overridden and r.stale == ()


def test_a_decision_made_before_the_grades_changed_is_stale(jury, people):
    _, e = student("26000023", "Blanc")
    _, other = student("26000024", "Garnier")
    for enrolment in (e[2], other[2]):
        record_decision(jury=jury, enrolment=enrolment, by=people["president"], accept=True)
    Grade.objects.filter(enrolment=e[2]).update(value=3)
    assert run().stale == ("26000023",)


def test_once_deliberated_the_decisions_stand_and_are_compared_with_the_engine_alone(jury, people):
    _, e = student("26000025", "Faure", low={1: {"UE1 S1": "7"}, 2: {"UE1 S2": "7"}})
    adj_c1_n1(jury, e[2], people["president"])
    deliberate(jury=jury, by=people["president"])
    r = run()
    assert r.proposals.etat == "delibere" and r.decided is r.proposals
    assert r.proposals.students[0].decision_annee == Code.ADM
    assert r.pure("26000025").decision_annee == Code.PASD
    assert r.stale == ()


def test_rcue_key_reads_and_writes_the_contract_form():
    key = RcueKey.parse("C1 N2")
    assert (key.competence, key.level) == (1, 2) and str(key) == "C1 N2"
    assert RcueKey.parse(str(RcueKey(3, 1))) == RcueKey(3, 1)
    with pytest.raises(ValueError):
        RcueKey.parse("UE1 S2")

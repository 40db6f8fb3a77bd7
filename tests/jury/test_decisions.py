"""services/decisions.py: record_decision (accept, override through the engine, optimistic
locking), deliberate and reopen (E3), and the export once deliberated."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from django.core.management import call_command

from juries.models import Enrolment, Grade, JuryDecision, JuryEvent, JurySession, Stage
from juries.rules.codes import Code
from juries.selectors.proposals import jury_proposals
from juries.services.decisions import DecisionError, DecisionErrorCode, deliberate, record_decision, reopen
from tests.factories import enrol

from .conftest import PREVIOUS, grade, make_jury, promo, student

pytestmark = pytest.mark.django_db


def decide(jury, enrolment, by, **kwargs):
    kwargs.setdefault("accept", False)
    kwargs.setdefault("reason", "")
    return record_decision(jury=jury, enrolment=enrolment, by=by, **kwargs)


def test_accepting_records_the_proposal_with_who_and_the_snapshot(jury, people):
    _, e = student("26000001", "Martin")
    d = decide(jury, e[2], people["member"], accept=True, expected_version=0)
    assert d.version == 1 and not d.overridden and d.decided_by == people["member"]
    assert d.decision_annee == Code.ADM and d.passage is True
    assert d.ue_codes["UE1 S1"] == {"code": "ADM", "moyenne": "12.00"}
    assert d.rcue_codes["C2 N1"] == {"code": "ADM", "moyenne": "12.00"}
    assert d.proposal["decision_annee"] == "ADM" and d.proposal["ects_acquis"] == 60
    assert d.history.first().history_user == people["member"]


def test_rcue_adj_goes_through_the_engine_and_changes_the_year_decision(jury, people):
    # C1 N1: UE1 S1 ≈ 8.5, UE1 S2 ≈ 9.25 → RCUE AJ; 2 RCUEs of 3 → PASD (P2).
    _, e = student("26000002", "Durand", low={1: {"UE1 S1": "7"}, 2: {"UE1 S2": "7"}})
    d = decide(jury, e[2], people["president"], rcue_overrides={"C1 N1": Code.ADJ},
               reason="Assiduité et progression remarquables au second semestre.", expected_version=0)
    assert d.overridden and d.proposal["decision_annee"] == "PASD"
    assert d.rcue_codes["C1 N1"]["code"] == "ADJ" and d.rcue_codes["C1 N1"]["moyenne"] == "8.88"
    assert d.decision_annee == Code.ADM and d.passage is True     # every RCUE validated now
    assert d.reason.startswith("Assiduité")


def test_ue_adj_brings_its_ects(jury, people):
    _, e = student("26000003", "Petit", low={1: {"UE1 S1": "7"}, 2: {"UE1 S2": "7"}})
    d = decide(jury, e[2], people["president"], ue_overrides={"UE1 S1": "ADJ", "UE1 S2": "ADJ"},
               reason="Jury : UE acquises.", expected_version=0)
    assert d.ue_codes["UE1 S1"]["code"] == "ADJ" and d.ue_codes["UE1 S2"]["code"] == "ADJ"
    assert d.proposal["ects_acquis"] == 40
    assert d.history.count() == 1


def test_p3_rcue_adj_at_the_s4_jury_makes_the_lower_level_adsup(maquette, people):
    """V5 through the engine: an ADJ on C1 N2 turns UE1 S1 and UE1 S2 ADSUP, then P3 holds."""
    jury = make_jury(people, number=4)
    s, _ = student("25000010", "Roux", semesters=(1, 2), annee=PREVIOUS,
                   low={1: {"UE1 S1": "7"}, 2: {"UE1 S2": "7"}})
    e3, e4 = enrol(s, 3), enrol(s, 4)
    grade(e3, low={"UE1 S3": "6"})
    grade(e4, low={"UE1 S4": "0"})
    Stage.objects.create(enrolment=e4, start=date(2027, 3, 29), end=date(2027, 6, 11))
    proposal = jury_proposals(annee="2026-2027", semester=4).proposals.students[0]
    assert proposal.decision_annee == Code.RED                   # P2 holds, P3 fails
    assert any(m.rule_id == "P3" for m in proposal.motifs)

    d = decide(jury, e4, people["president"], rcue_overrides={"C1 N2": "ADJ"}, reason="Niveau 2 acquis en stage.",
               expected_version=0)
    assert d.ue_codes["UE1 S1"]["code"] == "ADSUP" and d.ue_codes["UE1 S2"]["code"] == "ADSUP"
    assert d.decision_annee == Code.ADM and d.passage is True
    assert d.proposal["ects_acquis"] < 120

    d = decide(jury, e4, people["president"], passage=True, reason="Passage en S5 décidé par le jury (P3).",
               expected_version=1)
    assert d.decision_annee == Code.PAS1NCI and d.passage is True
    assert "UE1 S1" not in d.ue_codes                  # without the ADJ, no ADSUP: the UE stays to acquire (P4)


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        pytest.param({"rcue_overrides": {"C1 N1": "ADJ"}}, DecisionErrorCode.REASON_REQUIRED, id="no-reason"),
        pytest.param({"ue_overrides": {"UE2 S1": "ADJ"}, "reason": "x"}, DecisionErrorCode.ALREADY_ACQUIRED,
                     id="adj-on-acquired-ue"),
        pytest.param({"ue_overrides": {"UE9 S1": "ADJ"}, "reason": "x"}, DecisionErrorCode.UNKNOWN_UE, id="unknown-ue"),
        pytest.param({"ue_overrides": {"UE1 S1": "CMP"}, "reason": "x"}, DecisionErrorCode.INVALID_CODE,
                     id="not-adj"),
        pytest.param({"decision_annee": "ADM", "reason": "x"}, DecisionErrorCode.INVALID_CODE, id="year-not-allowed"),
        pytest.param({"decision_annee": "PASD", "reason": "x"}, DecisionErrorCode.INVALID_CODE, id="pasd-by-jury"),
        pytest.param({"reason": "rien"}, DecisionErrorCode.NOTHING_CHANGED, id="nothing"),
        pytest.param({"accept": True, "rcue_overrides": {"C1 N1": "ADJ"}}, DecisionErrorCode.NOTHING_CHANGED,
                     id="accept-and-override"),
    ],
)
def test_invalid_decisions_are_refused_in_french_and_write_nothing(jury, people, kwargs, code):
    _, e = student("26000004", "Moreau", low={1: {"UE1 S1": "7"}, 2: {"UE1 S2": "7"}})
    with pytest.raises(DecisionError) as exc:
        decide(jury, e[2], people["president"], expected_version=0, **kwargs)
    assert exc.value.code == code
    assert JuryDecision.objects.count() == 0


def test_year_decision_equal_to_the_proposal_is_not_an_override(jury, people):
    _, e = student("26000005", "Bernard", low={1: {"UE1 S1": "2", "UE2 S1": "2"}, 2: {"UE1 S2": "2", "UE2 S2": "2"}})
    with pytest.raises(DecisionError, match="déjà la proposition"):
        decide(jury, e[2], people["president"], decision_annee="RED", reason="x")
    d = decide(jury, e[2], people["president"], decision_annee="PAS1NCI", reason="Passage accordé par le jury.")
    assert d.decision_annee == Code.PAS1NCI and d.passage is True


def test_no_year_decision_at_an_odd_jury(maquette, people):
    jury = make_jury(people, number=1)
    _, e = student("26000006", "Thomas", semesters=(1,), low={1: {"UE1 S1": "5"}})
    with pytest.raises(DecisionError, match="impossible à ce jury"):
        decide(jury, e[1], people["president"], decision_annee="RED", reason="x")
    d = decide(jury, e[1], people["president"], ue_overrides={"UE1 S1": "ADJ"}, reason="ADJ au jury de S1.")
    assert d.decision_annee == "" and d.passage is True and d.ue_codes["UE1 S1"]["code"] == "ADJ"


def test_stale_version_is_refused_with_who_decided(jury, people):
    _, e = student("26000007", "Richard")
    decide(jury, e[2], people["member"], accept=True, expected_version=0)
    with pytest.raises(DecisionError) as exc:
        decide(jury, e[2], people["president"], accept=True, expected_version=0)
    assert exc.value.code == DecisionErrorCode.STALE
    assert "Paul Langevin a enregistré une décision" in exc.value.message and "rechargez la page" in exc.value.message
    d = decide(jury, e[2], people["president"], accept=True, expected_version=1)
    assert d.version == 2 and d.decided_by == people["president"]


def test_only_the_jury_records_decisions(jury, people):
    _, e = student("26000008", "Dubois")
    for who in ("secretariat", "outsider"):
        with pytest.raises(DecisionError) as exc:
            decide(jury, e[2], people[who], accept=True)
        assert exc.value.code == DecisionErrorCode.NOT_ALLOWED


def test_deliberation_accepts_the_rest_freezes_and_is_recorded(jury, people):
    students = promo(4)
    first = Enrolment.objects.get(student=students[0], semester__number=2)
    decide(jury, first, people["president"], rcue_overrides={"C1 N1": "ADJ"}, reason="Décision du jury.")
    with pytest.raises(DecisionError):
        deliberate(jury=jury, by=people["member"])                  # only the president
    report = deliberate(jury=jury, by=people["president"])
    assert (report.students, report.created, report.recorded) == (4, 3, 1)
    jury.refresh_from_db()
    assert jury.state == JurySession.State.DELIBERATED and jury.deliberated_at is not None
    assert JuryDecision.objects.filter(jury=jury).count() == 4
    assert JuryDecision.objects.filter(jury=jury, overridden=False).first().decided_by == people["president"]
    event = JuryEvent.objects.get(jury=jury)
    assert event.kind == JuryEvent.Kind.DELIBERATED and event.by == people["president"]
    with pytest.raises(DecisionError, match="déjà délibéré"):
        deliberate(jury=jury, by=people["president"])
    with pytest.raises(DecisionError, match="a délibéré"):
        decide(jury, first, people["president"], accept=True)


def test_deliberation_refuses_decisions_made_against_an_outdated_proposal(jury, people):
    s, e = student("26000009", "Laurent")
    decide(jury, e[2], people["president"], accept=True)
    Grade.objects.filter(enrolment=e[2]).update(value=3)              # grades entered after the decision
    with pytest.raises(DecisionError) as exc:
        deliberate(jury=jury, by=people["president"])
    assert exc.value.code == DecisionErrorCode.STALE_PROPOSALS and "26000009" in exc.value.message
    assert not JurySession.objects.get(pk=jury.pk).is_deliberated


def test_reopening_needs_a_reason_and_is_recorded(jury, people):
    _, e = student("26000010", "Simon")
    deliberate(jury=jury, by=people["president"])
    with pytest.raises(DecisionError) as exc:
        reopen(jury=jury, by=people["president"], reason="  ")
    assert exc.value.code == DecisionErrorCode.REASON_REQUIRED
    with pytest.raises(DecisionError):
        reopen(jury=jury, by=people["member"], reason="erreur")
    event = reopen(jury=jury, by=people["president"], reason="Note de R1.03 erronée (copie égarée).")
    jury.refresh_from_db()
    assert jury.state == JurySession.State.OPEN and event.kind == JuryEvent.Kind.REOPENED
    assert event.reason.startswith("Note de R1.03")
    d = decide(jury, e[2], people["president"], accept=True, expected_version=1)   # editable again
    assert d.version == 2


def test_export_shows_the_decisions_once_deliberated(jury, people):
    _, e = student("26000011", "Michel", low={1: {"UE1 S1": "7"}, 2: {"UE1 S2": "7"}})
    student("26000012", "Lefebvre")
    decide(jury, e[2], people["president"], rcue_overrides={"C1 N1": "ADJ"}, reason="Décision du jury.")

    def export():
        out = io.StringIO()
        call_command("jury_proposals", "--annee", "2026-2027", "--semestre", "2", stdout=out)
        return json.loads(out.getvalue())

    before = export()
    assert before["etat"] == "proposition"
    assert before["etudiants"][0]["decision_annee"] == "PASD"        # a proposal, the jury has not deliberated
    deliberate(jury=jury, by=people["president"])
    after = export()
    assert after["etat"] == "delibere"
    first = after["etudiants"][0]
    assert first["numero"] == "26000011" and first["decision_annee"] == "ADM"
    assert {"competence": 1, "niveau": 1, "moyenne": "8.88", "code": "ADJ"} in first["rcues"]
    assert any(m.startswith("E3:") for m in first["motifs"])

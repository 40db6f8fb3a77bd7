"""What a student reads: greeted by their own name, the portal's provisional semesters without any
proposed year decision; and on the jury's student page, a diploma only where one can be awarded."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from juries import roles
from tests.factories import ANNEE, but1_student, deliberate, graded_student, make_jury, make_user
from tests.releves.conftest import overrides

pytestmark = pytest.mark.django_db


def flat(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def _camille():
    user = make_user(roles.ETUDIANT, username="etudiant", first_name="", last_name="")
    # RCUE 3 below 8: the engine proposes RED.
    student = but1_student("26000301", "Martin", "Camille", user=user, s1=overrides(1, ue3="4"),
                           s2=overrides(2, ue3="4"))
    client = Client()
    client.force_login(user)
    return student, client


def test_the_student_is_greeted_by_name_not_by_login(maquette):
    _, client = _camille()
    home = flat(client.get("/"))
    assert "Bonjour Camille Martin" in home and "Bonjour etudiant" not in home
    assert '<span class="who">Camille Martin</span>' in home


def test_the_portal_shows_provisional_semesters_without_a_year_decision(maquette):
    _, client = _camille()
    make_jury(2)
    page = flat(client.get("/mes-releves/"))
    assert page.count('class="card portal-card"') == 2
    assert "Télécharger le relevé provisoire (PDF)" in page
    assert "Jury prévu le 24/06/2027" in page
    for proposal in ("RED", "Redoublement", "Décision de l'année", "Passage en S"):
        assert proposal not in page


def test_after_deliberation_the_card_says_deliberated(maquette):
    _, client = _camille()
    deliberate(make_jury(2))
    page = flat(client.get("/mes-releves/"))
    assert "Délibéré</span> Jury réuni le 24/06/2027" in page
    assert "Télécharger le relevé officiel (PDF)" in page and "Code de vérification : QLIO-" in page
    # the jury's decision, in the wording of a decision
    assert "Décision du jury pour l'année : <strong>RED — Redoublement</strong>" in page.replace("&#x27;", "'")
    assert "proposé" not in page


def _proposal_box(jury, numero: str) -> str:
    client = Client()
    client.force_login(jury.president)
    page = flat(client.get(f"/jurys/{jury.pk}/etudiants/{numero}/"))
    return page[page.index("<h3>Proposition</h3>"):page.index('id="decision"')]


def test_the_jury_page_names_a_diploma_only_where_one_can_be_awarded(maquette):
    # S2: neither the DUT (120 ECTS, S1-S4) nor the BUT can be awarded, so neither is printed.
    but1_student("26000302", "Durand", "Hugo")
    box = _proposal_box(make_jury(2), "26000302")
    assert "DUT" not in box and "BUT" not in box
    # S4 (first 120 ECTS): the DUT can be, the BUT not yet.
    graded_student("26000303", "Roux", semesters=(3, 4), annee=ANNEE)
    box = _proposal_box(make_jury(4), "26000303")
    assert "<dt>DUT</dt><dd>obtenu</dd>" in box and "<dt>BUT</dt>" not in box

"""The public verification page: a code confirms its relevé (name, semester, year, decision, ECTS,
issue date — nothing more); an unknown code says so in French."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from juries.presenters.releve import releve_for
from juries.views import releves as views

from .conftest import but1_student, deliberate, make_jury, overrides, reopen

pytestmark = pytest.mark.django_db


@pytest.fixture
def official(maquette):
    student = but1_student("26000501", "Garnier", "Inès", ine="0987654321B",
                           s1=overrides(1, ue1="8", ue2="8"), s2=overrides(2, ue2="8"))
    jury = deliberate(make_jury(2))
    doc = releve_for(student.enrolments.get(semester__number=2))
    return student, jury, doc


def test_a_valid_code_shows_only_the_allowed_facts(client, official):
    student, _, doc = official
    response = client.get(reverse("releves:verify", args=[doc.code]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Code valide" in html
    for shown in ("Inès GARNIER", "S2 — année universitaire 2026-2027", "PASD — Passage de droit",
                  "20 / 30", "<dd>40</dd>", timezone.localdate().strftime("%d/%m/%Y")):
        assert shown in html, shown
    # nothing more: no student number, no INE, no average, no UE detail
    for hidden in ("26000501", "0987654321B", "9,20", "12,00", "UE1", "R2.0"):
        assert hidden not in html, hidden


def test_the_form_accepts_the_code_as_people_type_it(client, official):
    _, _, doc = official
    typed = doc.code.lower().replace("-", " ")
    response = client.get(reverse("releves:verify_form"), {"code": typed})
    assert response.status_code == 302
    assert response["Location"] == reverse("releves:verify", args=[doc.code])


@pytest.mark.parametrize("code", ["QLIO-2222-2222", "QLIO-ABCD", "n'importe quoi"])
def test_an_unknown_code_is_said_so_in_french(client, official, code):
    response = client.get(reverse("releves:verify_form"), {"code": code}, follow=True)
    assert response.status_code == 404
    html = response.content.decode()
    assert "Code inconnu" in html and "ne correspond à aucun relevé officiel" in html
    assert "GARNIER" not in html


def test_a_reopened_jury_withdraws_the_releve(client, official):
    _, jury, doc = official
    reopen(jury)
    html = client.get(reverse("releves:verify", args=[doc.code])).content.decode()
    assert "Relevé retiré" in html and "le jury a été rouvert" in html
    assert "PASD" not in html


def test_an_odd_semester_releve_states_the_passage(client, maquette):
    student = but1_student("26000502", "Henry", with_s2=False)
    deliberate(make_jury(1))
    doc = releve_for(student.enrolments.get(semester__number=1))
    html = client.get(reverse("releves:verify", args=[doc.code])).content.decode()
    assert "Passage en S2 : autorisé" in html and "30 / 30" in html


def test_guessing_codes_is_throttled(client, official, monkeypatch):
    monkeypatch.setattr(views, "VERIFY_LIMIT", 3)
    statuses = [client.get(reverse("releves:verify", args=["QLIO-2222-2222"])).status_code for _ in range(5)]
    assert statuses == [404, 404, 404, 429, 429]
    assert "Trop de vérifications" in client.get(reverse("releves:verify", args=["QLIO-2222-2222"])).content.decode()

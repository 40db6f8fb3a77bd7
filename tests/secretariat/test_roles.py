"""Least privilege: what each role reaches in the secretariat space (403 logged in, login page anonymous)."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.urls import reverse

from juries.models import Enseignement, Evaluation
from juries.services.absences import declare_absence

from .conftest import ANNEE

pytestmark = pytest.mark.django_db


@pytest.fixture
def places(promo, ds1, r101, secretary):
    r102 = Enseignement.objects.get(code="R1.02")
    other = Evaluation.objects.create(enseignement=r102, annee=ANNEE, label="DS1")
    absence = declare_absence(student=promo[0].student, start=datetime(2026, 10, 5, 8), end=datetime(2026, 10, 5, 12),
                              declared_at=datetime(2026, 10, 5, 8), channel="email", reason="maladie", by=secretary)
    return {
        "index": reverse("secretariat:index"),
        "own_enseignement": reverse("secretariat:enseignement", args=[ANNEE, "R1.01"]),
        "own_feuille": reverse("secretariat:feuille", args=[ANNEE, "R1.01"]),
        "own_saisie": reverse("secretariat:saisie", args=[ds1.pk]),
        "other_enseignement": reverse("secretariat:enseignement", args=[ANNEE, "R1.02"]),
        "other_feuille": reverse("secretariat:feuille", args=[ANNEE, "R1.02"]),
        "other_saisie": reverse("secretariat:saisie", args=[other.pk]),
        "absences": reverse("secretariat:absences"),
        "absence_new": reverse("secretariat:absence_new"),
        "absence_detail": reverse("secretariat:absence_detail", args=[absence.pk]),
        "student_absences": reverse("secretariat:student_absences", args=[promo[0].student.numero]),
        "etat": reverse("secretariat:etat_absences") + f"?annee={ANNEE}&semestre=1",
    }


ALL = ["index", "own_enseignement", "own_feuille", "own_saisie", "other_enseignement", "other_feuille",
       "other_saisie", "absences", "absence_new", "absence_detail", "student_absences", "etat"]


def test_anonymous_is_sent_to_the_login_page_everywhere(client, places):
    for name in ALL:
        response = client.get(places[name])
        assert response.status_code == 302, name
        assert response.url.startswith(reverse("login") + "?next="), name


def test_secretariat_reaches_everything(client, places, secretary):
    client.force_login(secretary)
    for name in ALL:
        assert client.get(places[name]).status_code == 200, name
    assert client.get(reverse("admin:juries_grade_changelist")).status_code == 200
    assert client.get(reverse("admin:juries_grade_contract_import")).status_code == 200


def test_a_teacher_reaches_only_the_grades_of_their_own_enseignements(client, places, teacher, r101):
    r101.teachers.add(teacher)
    client.force_login(teacher)
    for name in ("index", "own_enseignement", "own_feuille", "own_saisie"):
        assert client.get(places[name]).status_code == 200, name
    for name in ("other_enseignement", "other_feuille", "other_saisie", "absences", "absence_new", "absence_detail",
                 "student_absences", "etat"):
        assert client.get(places[name]).status_code == 403, name
    index = client.get(places["index"]).content.decode()
    assert "R1.01" in index and "R1.02" not in index
    upload = reverse("secretariat:feuille_upload", args=[ANNEE, "R1.02"])
    assert client.post(upload, {}).status_code == 403
    assert client.post(places["other_saisie"], {}).status_code == 403
    assert client.get(reverse("admin:index")).status_code == 302  # not staff: no admin


def test_a_teacher_without_enseignement_sees_an_empty_list_and_nothing_else(client, places, teacher):
    client.force_login(teacher)
    assert "Aucun enseignement ne vous est confié" in client.get(places["index"]).content.decode()
    for name in ("own_enseignement", "own_feuille", "own_saisie"):
        assert client.get(places[name]).status_code == 403, name


@pytest.mark.parametrize("who", ["jury_member", "student_user"])
def test_jury_and_student_reach_nothing_here(client, places, who, request):
    user = request.getfixturevalue(who)
    client.force_login(user)
    for name in ALL:
        assert client.get(places[name]).status_code == 403, name
    assert client.get(reverse("admin:juries_grade_changelist")).status_code == 302  # admin login page


def test_a_staff_teacher_in_the_admin_sees_only_their_grades(client, teacher, promo, ds1, r101):
    from juries.models import Grade

    r102 = Enseignement.objects.get(code="R1.02")
    other = Evaluation.objects.create(enseignement=r102, annee=ANNEE, label="DS9")
    Grade.objects.create(enrolment=promo[0], evaluation=ds1, value=12)
    Grade.objects.create(enrolment=promo[0], evaluation=other, value=13)
    r101.teachers.add(teacher)
    teacher.is_staff = True
    teacher.save()
    client.force_login(teacher)
    html = client.get(reverse("admin:juries_grade_changelist")).content.decode()
    assert "12,00" in html and "13,00" not in html
    assert client.get(reverse("admin:juries_absence_changelist")).status_code == 403

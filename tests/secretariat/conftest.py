"""Fixtures of the secretariat tests: people in each role, a small promo of S1 and one evaluation."""

from __future__ import annotations

from datetime import date

import pytest

from juries import roles
from juries.models import Enseignement, Evaluation
from tests.factories import ANNEE, PASSWORD, EvaluationFactory, StudentFactory, enrol, make_user

__all__ = ["ANNEE", "PASSWORD"]  # imported by this folder's test modules


@pytest.fixture
def secretary(maquette):
    return make_user(roles.SECRETARIAT, username="secretaire", first_name="Sophie", last_name="Vidal", is_staff=True)


@pytest.fixture
def teacher(maquette):
    return make_user(roles.ENSEIGNANT, username="enseignant", first_name="Paul", last_name="Prof")


@pytest.fixture
def jury_member(maquette):
    return make_user(roles.JURY, username="jury", first_name="Marc", last_name="Lacombe")


@pytest.fixture
def student_user(maquette):
    return make_user(roles.ETUDIANT, username="etudiant")


@pytest.fixture
def r101(maquette) -> Enseignement:
    return Enseignement.objects.get(code="R1.01")


@pytest.fixture
def promo(maquette):
    """Three students enrolled in S1 2026-2027: two in G1, one in G2 (alternant)."""
    people = [
        StudentFactory(numero="26000001", nom="Martin", prenom="Léa"),
        StudentFactory(numero="26000002", nom="Bernard", prenom="Hugo"),
        StudentFactory(numero="26000003", nom="Durand", prenom="Inès"),
    ]
    return [
        enrol(people[0], 1, ANNEE, group="G1"),
        enrol(people[1], 1, ANNEE, group="G1"),
        enrol(people[2], 1, ANNEE, group="G2", regime="FA"),
    ]


@pytest.fixture
def ds1(r101) -> Evaluation:
    return EvaluationFactory(enseignement=r101, annee=ANNEE, label="DS1", date=date(2026, 10, 5))

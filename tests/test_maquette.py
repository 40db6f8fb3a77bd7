"""The shipped maquette fixture holds Annexes 1-3 of the seed as docs/MAQUETTE.md reads them.

Expected figures are transcribed here a second time, independently of fixtures/build_maquette.py.
"""

import importlib.util
import json
import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import Sum

from juries.models import (
    UE,
    Coefficient,
    Competence,
    Enseignement,
    Formation,
    Level,
    Parcours,
    ReglementSettings,
    Semester,
)

FIXTURE = "maquette_but_qlio_osc"
FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"
# fmt: off
MAQUETTE_MODELS = [Formation, Parcours, Competence, Level, Semester, UE, Enseignement, Coefficient,
                   ReglementSettings]


def ues(semester: int, *competences: int) -> set[str]:
    return {f"UE{c} S{semester}" for c in competences}


# Annexe 3: UE → (ECTS, pôle Ressources, pôle SAÉ). S4's SAÉ pole ECTS sits on the last
# ressource's row in the extraction ("Amélioration de la performance 1 3,25").
UE_ECTS = {
    "UE1 S1": ("10", "6", "4"), "UE2 S1": ("10", "6", "4"), "UE3 S1": ("10", "6", "4"),
    "UE1 S2": ("10", "6", "4"), "UE2 S2": ("10", "6", "4"), "UE3 S2": ("10", "6", "4"),
    "UE1 S3": ("8", "4.5", "3.5"), "UE2 S3": ("8", "4.5", "3.5"), "UE3 S3": ("8", "4.5", "3.5"),
    "UE4 S3": ("6", "3.5", "2.5"),
    "UE1 S4": ("7", "3.75", "3.25"), "UE2 S4": ("7", "3.75", "3.25"), "UE3 S4": ("7", "3.75", "3.25"),
    "UE4 S4": ("9", "4.75", "4.25"),
    "UE1 S5": ("7", "4", "3"), "UE2 S5": ("7", "4", "3"), "UE3 S5": ("7", "4", "3"),
    "UE4 S5": ("9", "4.5", "4.5"),
    "UE1 S6": ("8", "4", "4"), "UE2 S6": ("8", "4", "4"), "UE3 S6": ("8", "4", "4"),
    "UE4 S6": ("6", "3.25", "2.75"),
}

# Annexe 2's TOTAL row: CM, TD, TP, projet, total.
SEMESTER_HOURS = {
    1: ("63.75", "120.5", "190.5", "120", "494.75"),
    2: ("70", "105", "229", "120", "524"),
    3: ("83.75", "136.25", "163", "12", "395"),
    4: ("45", "120", "118.75", "12", "295.75"),
    5: ("56", "165", "162", "12", "395"),
    6: ("20.5", "57.5", "66", "6", "150"),
}

# Every code of MAQUETTE.md: name, Annexe 2 row total (hours), UEs it has a coefficient in
# (Annexe 3). A split SAÉ holds the hours and no coefficient; its parts the reverse.
MAQUETTE = {
    "R1.01": ("Anglais", "30", ues(1, 1, 2, 3)),
    "R1.02": ("Expression Communication 1", "23.75", ues(1, 1, 2, 3)),
    "R1.03": ("Bases des mathématiques et des statistiques", "30", ues(1, 1, 2, 3)),
    "R1.04": ("Connaissance technologique et socio-économique des entreprises", "30", ues(1, 1, 2, 3)),
    "R1.05": ("Outils numériques", "26.5", ues(1, 1, 2, 3)),
    "R1.06": ("Projet Personnel et Professionnel 1", "12.5", ues(1, 1, 2, 3)),
    "R1.07": ("Outils, méthodes et communication pour la qualité", "30", ues(1, 1)),
    "R1.08": ("Introduction aux Systèmes de Management de la Qualité", "30", ues(1, 1)),
    "R1.09": ("Identification des flux physiques et d'information", "30", ues(1, 2)),
    "R1.10": ("Approvisionnements et exécution de planning", "30", ues(1, 2)),
    "R1.11": ("Organisation du système de production", "30", ues(1, 3)),
    "R1.12": ("Organisation d'un projet", "30", ues(1, 3)),
    "SAE1.01": ("Résolution de problèmes", "12", ues(1, 1)),
    "SAE1.02": ("Immersion - Qualité", "35", ues(1, 1)),
    "SAE1.03": ("Exécution de gestion de stocks", "12", ues(1, 2)),
    "SAE1.04": ("Immersion - Logistique", "35", ues(1, 2)),
    "SAE1.05": ("Organisation d'une situation de production", "12", ues(1, 3)),
    "SAE1.06": ("Immersion - Organisation", "35", ues(1, 3)),
    "PORTFOLIO1": ("Portfolio 1", "21", set()),
    "R2.01": ("Anglais de l'entreprise", "30", ues(2, 1, 2, 3)),
    "R2.02": ("Expression Communication 2", "25", ues(2, 1, 2, 3)),
    "R2.03": ("Statistiques", "30", ues(2, 1, 2, 3)),
    "R2.04": ("Connaissance technologique et gestion de l'entreprise", "30", ues(2, 1, 2, 3)),
    "R2.05": ("Algorithmique, Programmation et Systèmes d'Information", "25", ues(2, 1, 2, 3)),
    "R2.06": ("Projet Personnel et Professionnel 2", "12", ues(2, 1, 2, 3)),
    "R2.07": ("Documentation et notions d'audit", "24", ues(2, 1)),
    "R2.08": ("Mesure et surveillance de la conformité", "30", ues(2, 1)),
    "R2.09": ("Digitalisation des données techniques", "30", ues(2, 2)),
    "R2.10": ("Exécution d'un planning de production", "30", ues(2, 2)),
    "R2.11": ("Organisation d'un poste et d'un atelier", "30", ues(2, 3)),
    "R2.12": ("Organisation des données techniques et économiques", "30", ues(2, 3)),
    "SAE2.01": ("Projet opérationnel", "123", set()),
    "SAE2.01-Q": ("Projet opérationnel - Qualité", "0", ues(2, 1)),
    "SAE2.01-L": ("Projet opérationnel - Logistique", "0", ues(2, 2)),
    "SAE2.01-O": ("Projet opérationnel - Organisation", "0", ues(2, 3)),
    "SAE2.02": ("Audit d'un poste de travail", "18", ues(2, 1)),
    "SAE2.03": ("Exécution d'un planning de production", "18", ues(2, 2)),
    "SAE2.04": ("Evolution de l'organisation d'un système de production", "18", ues(2, 3)),
    "PORTFOLIO2": ("Portfolio 2", "21", ues(2, 1, 2, 3)),
    "R3.01": ("Anglais des affaires", "22.25", ues(3, 1, 2, 3, 4)),
    "R3.02": ("Expression Communication 1", "15", ues(3, 1, 2, 3, 4)),
    "R3.03": ("Mathématiques", "18.75", ues(3, 1, 2, 3, 4)),
    "R3.04": ("Gestion de l'entreprise", "18.75", ues(3, 1, 2, 3, 4)),
    "R3.05": ("Algorithmique et programmation avancées", "27", ues(3, 1, 2, 3, 4)),
    "R3.06": ("Projet Personnel et Professionnel 1", "9", ues(3, 1, 2, 3, 4)),
    "R3.07": ("Outils statistiques de pilotage d'un process", "25", ues(3, 1)),
    "R3.08": ("Démarches d'amélioration", "25", ues(3, 1)),
    "R3.09": ("Coordination approvisionnements – production", "25", ues(3, 2)),
    "R3.10": ("Ordonnancement, lancement et pilotage", "25", ues(3, 2)),
    "R3.11": ("Amélioration d'un poste et d'un atelier", "25", ues(3, 3)),
    "R3.12": ("Conduite d'un projet d'amélioration", "25", ues(3, 3)),
    "R3.13": ("Activités d'un site logistique", "23", ues(3, 4)),
    "R3.14": ("Introduction au management", "20.5", ues(3, 4)),
    "SAE3.01": ("Déploiement des outils QLIO en tant que technicien", "29.25", set()),
    "SAE3.01-Q": ("Déploiement des outils QLIO en tant que technicien – Qualité", "0", ues(3, 1)),
    "SAE3.01-L": ("Déploiement des outils QLIO en tant que technicien – Logistique", "0", ues(3, 2)),
    "SAE3.01-O": ("Déploiement des outils QLIO en tant que technicien – Organisation", "0", ues(3, 3)),
    "SAE3.02": ("Dimensionnement d'un site logistique", "7.75", ues(3, 4)),
    "SAE3.03": ("Projet Supply Chain en tant que technicien", "32", set()),
    "SAE3.03-Q": ("Projet Supply Chain en tant que technicien – Qualité", "0", ues(3, 1)),
    "SAE3.03-L": ("Projet Supply Chain en tant que technicien – Logistique", "0", ues(3, 2)),
    "SAE3.03-O": ("Projet Supply Chain en tant que technicien – Organisation", "0", ues(3, 3)),
    "SAE3.03-SC": ("Projet Supply Chain en tant que technicien – Supply Chain", "0", ues(3, 4)),
    "PORTFOLIO3": ("Portfolio 1", "21.75", set()),
    "R4.01": ("Anglais professionnel et technique et certification", "33", ues(4, 1, 2, 3, 4)),
    "R4.02": ("Expression Communication 2", "15", ues(4, 1, 2, 3, 4)),
    "R4.03": ("Mathématiques et statistiques avancées", "15", ues(4, 1, 2, 3, 4)),
    "R4.04": ("Bases du contrôle de gestion industriel", "15", ues(4, 1, 2, 3, 4)),
    "R4.05": ("Base de données", "15", ues(4, 1, 2, 3, 4)),
    "R4.06": ("Projet Personnel et Professionnel 2", "11.25", ues(4, 1, 2, 3, 4)),
    "R4.07": ("Amélioration de la performance", "23", ues(4, 1)),
    "R4.08": ("Planification de la production et prévision de la demande à moyen et long terme", "23",
              ues(4, 2)),
    "R4.09": ("Modélisation pour amélioration du système de production", "23", ues(4, 3)),
    "R4.10": ("Prévision et planification de la distribution", "23", ues(4, 4)),
    "R4.11": ("Mesure de la performance tout au long de la supply chain", "22", ues(4, 4)),
    "R4.12": ("Les fondamentaux de l'animation d'équipe", "22", ues(4, 4)),
    "SAE4.01": ("Déploiement des outils QLIO en tant que technicien", "13.5", set()),
    "SAE4.01-Q": ("Déploiement des outils QLIO en tant que technicien – Qualité", "0", ues(4, 1)),
    "SAE4.01-L": ("Déploiement des outils QLIO en tant que technicien – Logistique", "0", ues(4, 2)),
    "SAE4.01-O": ("Déploiement des outils QLIO en tant que technicien – Organisation", "0", ues(4, 3)),
    "SAE4.02": ("Pilotage d'un réseau de distribution", "4.5", ues(4, 4)),
    "SAE4.03": ("Projet Supply Chain en tant que technicien", "18", set()),
    "SAE4.03-Q": ("Projet Supply Chain en tant que technicien – Qualité", "0", ues(4, 1)),
    "SAE4.03-L": ("Projet Supply Chain en tant que technicien – Logistique", "0", ues(4, 2)),
    "SAE4.03-O": ("Projet Supply Chain en tant que technicien – Organisation", "0", ues(4, 3)),
    "SAE4.03-SC": ("Projet Supply Chain en tant que technicien – Supply Chain", "0", ues(4, 4)),
    "PORTFOLIO4": ("Portfolio 2", "19.5", ues(4, 1, 2, 3, 4)),
    "STAGE4": ("Stage obligatoire (10 semaines minimum)", "0", ues(4, 1, 2, 3, 4)),
    "R5.01": ("Anglais de spécialité 1", "22", ues(5, 1, 2, 3, 4)),
    "R5.02": ("Expression Communication 1", "17", ues(5, 1, 2, 3, 4)),
    "R5.03": ("Fondamentaux de la Recherche Opérationnelle", "30", ues(5, 1, 2, 3, 4)),
    "R5.04": ("Analyse stratégique et financière de l'entreprise", "16", ues(5, 1, 2, 3, 4)),
    "R5.05": ("Modélisation des systèmes d'information", "30", ues(5, 1, 2, 3, 4)),
    "R5.06": ("Projet Personnel et Professionnel", "11.5", ues(5, 1, 2, 3, 4)),
    "R5.07": ("Mise en place d'une certification système", "25", ues(5, 1)),
    "R5.08": ("Pérennisation d'une certification système", "25", ues(5, 1)),
    "R5.09": ("Choix et paramétrage d'un progiciel logistique", "25", ues(5, 2)),
    "R5.10": ("Aide à la décision face aux aléas", "25", ues(5, 2)),
    "R5.11": ("Outils de pilotage d'une unité de production", "25", ues(5, 3)),
    "R5.12": ("Démarche Lean Management", "25", ues(5, 3)),
    "R5.13": ("Achats dans la Supply Chain", "23", ues(5, 4)),
    "R5.14": ("Distribution, transport et Supply Chain", "23", ues(5, 4)),
    "SAE5.01": ("Sélection des outils QLIO en tant que cadre intermédiaire 1", "21", set()),
    "SAE5.01-Q": ("Sélection des outils QLIO en tant que cadre intermédiaire 1 - Qualité", "0", ues(5, 1)),
    "SAE5.01-L": ("Sélection des outils QLIO en tant que cadre intermédiaire 1 - Logistique", "0", ues(5, 2)),
    "SAE5.01-O": ("Sélection des outils QLIO en tant que cadre intermédiaire 1 - Organisation", "0",
                  ues(5, 3)),
    "SAE5.02": ("Définition d'un réseau logistique", "5", ues(5, 4)),
    "SAE5.03": ("Projet Supply Chain en tant que cadre intermédiaire", "28", set()),
    "SAE5.03-Q": ("Projet Supply Chain en tant que cadre intermédiaire - Qualité", "0", ues(5, 1)),
    "SAE5.03-L": ("Projet Supply Chain en tant que cadre intermédiaire - Logistique", "0", ues(5, 2)),
    "SAE5.03-O": ("Projet Supply Chain en tant que cadre intermédiaire - Organisation", "0", ues(5, 3)),
    "SAE5.03-SC": ("Projet Supply Chain en tant que cadre intermédiaire - Supply Chain", "0", ues(5, 4)),
    "PORTFOLIO5": ("Portfolio 1", "18.5", set()),
    "R6.01": ("Anglais de spécialité 2", "10.5", ues(6, 1, 2, 3, 4)),
    "R6.02": ("Expression Communication 2", "8", ues(6, 1, 2, 3, 4)),
    "R6.03": ("Recherche Opérationnelle pour les systèmes de production", "14.5", ues(6, 1, 2, 3, 4)),
    "R6.04": ("Connaissances juridiques de l'entreprise", "12", ues(6, 1, 2, 3, 4)),
    "R6.05": ("Amélioration des systèmes d'information", "16", ues(6, 1, 2, 3, 4)),
    "R6.06": ("Mise en œuvre et exploitation d'un audit système", "13.5", ues(6, 1)),
    "R6.07": ("Pilotage de la production par les contraintes", "13.5", ues(6, 2)),
    "R6.08": ("Pilotage de projet", "13.5", ues(6, 3)),
    "R6.09": ("Reverse Supply Chain", "13.5", ues(6, 4)),
    "SAE6.01": ("Sélection des outils QLIO en tant que cadre intermédiaire 2", "18", set()),
    "SAE6.01-Q": ("Sélection des outils QLIO en tant que cadre intermédiaire 2 - Qualité", "0", ues(6, 1)),
    "SAE6.01-L": ("Sélection des outils QLIO en tant que cadre intermédiaire 2 - Logistique", "0", ues(6, 2)),
    "SAE6.01-O": ("Sélection des outils QLIO en tant que cadre intermédiaire 2 - Organisation", "0",
                  ues(6, 3)),
    "SAE6.02": ("Organisation d'une logistique de retours de produits", "11", ues(6, 4)),
    "PORTFOLIO6": ("Portfolio 2", "6", ues(6, 1, 2, 3, 4)),
    "STAGE6": ("Stage obligatoire / Période entreprise", "0", ues(6, 1, 2, 3, 4)),
}

# fmt: on

SPLIT_SAE = {"SAE2.01", "SAE3.01", "SAE3.03", "SAE4.01", "SAE4.03", "SAE5.01", "SAE5.03", "SAE6.01"}


@pytest.fixture
def maquette(db):
    call_command("loaddata", FIXTURE, verbosity=0)
    return Formation.objects.get(code="BUT-QLIO")


def snapshot() -> dict[str, list[dict]]:
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in MAQUETTE_MODELS}


def coefficient_sums() -> dict[tuple[str, str], Decimal]:
    sums: dict[tuple[str, str], Decimal] = {}
    for c in Coefficient.objects.select_related("ue__competence", "ue__semester"):
        sums[c.ue.key, c.pole] = sums.get((c.ue.key, c.pole), Decimal(0)) + c.value
    return sums


# --- Annexe 1: formation, parcours, competences, levels, UEs ------------------------------------


def test_formation_parcours_and_reglement_settings(maquette):
    assert maquette.name == "BUT Qualité, Logistique Industrielle et Organisation"
    assert maquette.establishment == "IUT de Rodez"
    assert list(maquette.parcours.values_list("code", "name")) == [("OSC", "Organisation et Supply Chain")]
    reglement = ReglementSettings.objects.get(formation=maquette)
    for field in ReglementSettings._meta.concrete_fields:
        if field.has_default():
            assert getattr(reglement, field.attname) == field.get_default(), field.name


def test_competences_and_levels_follow_annexe_1(maquette):
    assert list(maquette.competences.values_list("number", "name")) == [
        (1, "Qualité"),
        (2, "Logistique"),
        (3, "Organisation"),
        (4, "Supply Chain"),
    ]
    levels = {(lv.competence.number, lv.number): lv for lv in Level.objects.select_related("competence")}
    assert sorted((c, n, lv.but_year) for (c, n), lv in levels.items()) == [
        (1, 1, 1),
        (1, 2, 2),
        (1, 3, 3),
        (2, 1, 1),
        (2, 2, 2),
        (2, 3, 3),
        (3, 1, 1),
        (3, 2, 2),
        (3, 3, 3),
        (4, 1, 2),
        (4, 2, 3),
    ]
    assert levels[4, 1].title == "Réaliser les opérations de logistique externe"
    assert levels[4, 2].title == "Participer à l'amélioration de la chaîne logistique"
    assert levels[2, 3].title == (
        "Améliorer la circulation des flux pour rendre le système plus efficient en qualité de cadre intermédiaire"
    )


def test_ues_common_core_then_parcours_osc(maquette):
    osc = Parcours.objects.get(formation=maquette, code="OSC")
    all_ues = list(UE.objects.select_related("competence", "semester", "level__competence", "parcours"))
    assert {ue.key for ue in all_ues} == set(UE_ECTS)
    assert list(maquette.semesters.values_list("number", flat=True)) == [1, 2, 3, 4, 5, 6]
    for ue in all_ues:
        assert ue.parcours == (None if ue.semester.number <= 2 else osc), ue.key
        assert ue.level.competence == ue.competence, ue.key
        assert ue.level.but_year == ue.semester.but_year, ue.key


# --- Annexe 3: coefficients and ECTS ------------------------------------------------------------


@pytest.mark.parametrize(("key", "ects"), UE_ECTS.items(), ids=list(UE_ECTS))
def test_each_pole_adds_up_to_its_ects_and_the_poles_to_the_ue(maquette, key, ects):
    expected_ue, expected_ressources, expected_sae = (Decimal(v) for v in ects)
    number, semester = key.removeprefix("UE").split(" S")
    ue = UE.objects.get(competence__number=number, semester__number=semester)
    sums = coefficient_sums()
    assert (ue.ects, ue.ects_ressources, ue.ects_sae) == (expected_ue, expected_ressources, expected_sae)
    assert sums[key, "ressources"] == ue.ects_ressources
    assert sums[key, "sae"] == ue.ects_sae
    assert ue.ects_ressources + ue.ects_sae == ue.ects


def test_every_semester_is_30_ects_and_the_but_180(maquette):
    per_semester = {
        s.number: sum(ue.ects for ue in s.ues.all()) for s in maquette.semesters.prefetch_related("ues")
    }
    assert per_semester == dict.fromkeys(range(1, 7), Decimal(30))
    assert sum(per_semester.values()) == 180


def test_poles_follow_the_kind_of_enseignement(maquette):
    for c in Coefficient.objects.select_related("enseignement", "ue__semester"):
        expected = "ressources" if c.enseignement.kind == Enseignement.Kind.RESSOURCE else "sae"
        assert c.pole == expected, str(c)
        assert c.ue.semester_id == c.enseignement.semester_id, str(c)
        assert c.value > 0, str(c)


def test_r1_10_is_in_ue2_s1_only(maquette):
    r110 = Enseignement.objects.get(code="R1.10")
    assert [
        (c.ue.key, c.pole, c.value)
        for c in r110.coefficients.select_related("ue__competence", "ue__semester")
    ] == [
        ("UE2 S1", "ressources", Decimal("1.5")),
    ]


def test_r4_12_is_a_ressource_of_ue4_s4(maquette):
    (c,) = Enseignement.objects.get(code="R4.12").coefficients.all()
    assert (c.ue.key, c.pole, c.value) == ("UE4 S4", "ressources", Decimal("0.5"))


# --- Annexe 2: hours ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("semester", "totals"), SEMESTER_HOURS.items(), ids=[f"S{s}" for s in SEMESTER_HOURS]
)
def test_hours_add_up_to_annexe_2_semester_totals(maquette, semester, totals):
    sums = Enseignement.objects.filter(semester__number=semester).aggregate(
        cm=Sum("hours_cm"), td=Sum("hours_td"), tp=Sum("hours_tp"), projet=Sum("hours_projet")
    )
    got = [sums["cm"], sums["td"], sums["tp"], sums["projet"]]
    assert [*got, sum(got)] == [Decimal(v) for v in totals]


# --- MAQUETTE.md: every code, its name, hours and UEs -------------------------------------------


def test_the_codes_are_exactly_those_of_maquette_md(maquette):
    assert sorted(Enseignement.objects.values_list("code", flat=True)) == sorted(MAQUETTE)
    assert Enseignement.objects.count() == 129
    assert UE.objects.count() == 22
    assert Coefficient.objects.count() == 225


@pytest.mark.parametrize(("code", "expected"), MAQUETTE.items(), ids=list(MAQUETTE))
def test_enseignement_as_in_the_annexes(maquette, code, expected):
    name, row_total, ue_keys = expected
    e = Enseignement.objects.select_related("semester", "parent").get(code=code)
    assert e.name == name
    assert e.hours_total == Decimal(row_total)
    assert {ue.key for ue in e.ues.select_related("competence", "semester")} == ue_keys
    assert e.semester.number == int(re.search(r"\d", code).group())
    kind = {"R": "ressource", "S": "stage" if code.startswith("STAGE") else "sae", "P": "portfolio"}[code[0]]
    assert e.kind == kind
    base, _, suffix = code.partition("-")
    if suffix:
        # A part of a split SAÉ: grades and coefficient, the hours stay on the SAÉ it points to.
        assert e.parent is not None and e.parent.code == base and e.parent.semester == e.semester
        assert e.hours_total == 0
    else:
        assert e.parent is None
    if code in SPLIT_SAE:
        assert e.hours_total > 0 and not ue_keys
        assert {p.code for p in e.parts.all()} == {c for c in MAQUETTE if c.startswith(f"{code}-")}
    assert e.min_weeks == {"STAGE4": 10}.get(code)


def test_portfolio_of_odd_semesters_has_hours_and_no_coefficient(maquette):
    for e in Enseignement.objects.filter(kind=Enseignement.Kind.PORTFOLIO).select_related("semester"):
        assert e.hours_total > 0, e.code
        assert e.coefficients.exists() == (e.semester.number % 2 == 0), e.code


# --- Loading: idempotence, settings, generator --------------------------------------------------


def test_loading_twice_changes_nothing(maquette):
    before = snapshot()
    call_command("loaddata", FIXTURE, verbosity=0)
    after = snapshot()
    assert {k: len(v) for k, v in after.items()} == {k: len(v) for k, v in before.items()}
    assert after == before


def test_settings_find_the_shipped_fixture():
    """`manage.py loaddata maquette_but_qlio_osc` finds fixtures/ through FIXTURE_DIRS."""
    assert FIXTURES_DIR.resolve() in [Path(d).resolve() for d in settings.FIXTURE_DIRS]
    assert (FIXTURES_DIR / f"{FIXTURE}.json").is_file()


def test_migrate_then_loaddata_twice_in_a_fresh_database(tmp_path):
    """docs/CONTRACTS.md: `migrate && loaddata maquette_but_qlio_osc`, run twice, changes nothing."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "qlio.settings"),
    }
    models = [f"juries.{m._meta.model_name}" for m in MAQUETTE_MODELS]

    def manage(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    dumps = []
    for _ in range(2):
        manage("migrate", "--noinput", "-v0")
        manage("loaddata", FIXTURE, "-v0")
        dumps.append(json.loads(manage("dumpdata", *models)))
    assert dumps[0] == dumps[1]
    assert len(dumps[0]) == 400


def test_the_shipped_json_is_what_build_maquette_generates():
    spec = importlib.util.spec_from_file_location("build_maquette", FIXTURES_DIR / "build_maquette.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    records = module.build()
    module.check(records)
    assert json.loads((FIXTURES_DIR / f"{FIXTURE}.json").read_text(encoding="utf-8")) == records

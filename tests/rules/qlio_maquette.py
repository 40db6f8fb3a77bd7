"""The real BUT QLIO maquette (parcours OSC) as pure dataclasses of ``juries.rules.inputs``.

Numbers from Annexe 3 of the seed (coefficients and ECTS), read as MAQUETTE.md says: the S4
cells shifted by the extraction are put back (e.g. R4.07 coefficient 1, SAÉ pole 3,25 ECTS),
"-" coefficients (Portfolio in S1, S3, S5) are left out. ``check_sums`` proves that each pole's
coefficients add up to its ECTS, the poles to the UE, and the UEs of a semester to 30.
Codes and names from MAQUETTE.md; no Django import, usable by any test or script.
"""

from __future__ import annotations

from decimal import Decimal

from juries.rules.inputs import CoefDef, CompetenceDef, EnseignementDef, Maquette, UEDef

D = Decimal

COMPETENCES: tuple[CompetenceDef, ...] = (
    CompetenceDef(
        1,
        "Qualité",
        levels=((1, 1), (2, 2), (3, 3)),
        level_names=(
            (1, "Comprendre la qualité dans une entreprise en tant qu'opérateur"),
            (2, "Maîtriser la qualité dans une entreprise en qualité de technicien"),
            (3, "Piloter l'entreprise par la qualité en tant que cadre intermédiaire"),
        ),
    ),
    CompetenceDef(
        2,
        "Logistique",
        levels=((1, 1), (2, 2), (3, 3)),
        level_names=(
            (1, "Comprendre les flux et les expliquer en tant qu'opérateur"),
            (2, "Appliquer les techniques de gestion des flux en qualité de technicien"),
            (
                3,
                "Améliorer la circulation des flux pour rendre le système plus efficient "
                "en qualité de cadre intermédiaire",
            ),
        ),
    ),
    CompetenceDef(
        3,
        "Organisation",
        levels=((1, 1), (2, 2), (3, 3)),
        level_names=(
            (1, "Décrire et analyser les activités de production"),
            (2, "Organiser et améliorer un système de production en qualité de technicien"),
            (3, "Faire évoluer un système de production en qualité de cadre intermédiaire"),
        ),
    ),
    CompetenceDef(
        4,
        "Supply Chain",
        levels=((1, 2), (2, 3)),
        level_names=(
            (1, "Réaliser les opérations de logistique externe"),
            (2, "Participer à l'amélioration de la chaîne logistique"),
        ),
    ),
)

#: (semester, code, name); the kind follows from the code's prefix.
ENSEIGNEMENTS: tuple[tuple[int, str, str], ...] = (
    (1, "R1.01", "Anglais"),
    (1, "R1.02", "Expression Communication 1"),
    (1, "R1.03", "Bases des mathématiques et des statistiques"),
    (1, "R1.04", "Connaissance technologique et socio-économique des entreprises"),
    (1, "R1.05", "Outils numériques"),
    (1, "R1.06", "Projet Personnel et Professionnel 1"),
    (1, "R1.07", "Outils, méthodes et communication pour la qualité"),
    (1, "R1.08", "Introduction aux Systèmes de Management de la Qualité"),
    (1, "R1.09", "Identification des flux physiques et d'information"),
    (1, "R1.10", "Approvisionnements et exécution de planning"),
    (1, "R1.11", "Organisation du système de production"),
    (1, "R1.12", "Organisation d'un projet"),
    (1, "SAE1.01", "Résolution de problèmes"),
    (1, "SAE1.02", "Immersion - Qualité"),
    (1, "SAE1.03", "Exécution de gestion de stocks"),
    (1, "SAE1.04", "Immersion - Logistique"),
    (1, "SAE1.05", "Organisation d'une situation de production"),
    (1, "SAE1.06", "Immersion - Organisation"),
    (1, "PORTFOLIO1", "Portfolio 1"),
    (2, "R2.01", "Anglais de l'entreprise"),
    (2, "R2.02", "Expression Communication 2"),
    (2, "R2.03", "Statistiques"),
    (2, "R2.04", "Connaissance technologique et gestion de l'entreprise"),
    (2, "R2.05", "Algorithmique, Programmation et Systèmes d'Information"),
    (2, "R2.06", "Projet Personnel et Professionnel 2"),
    (2, "R2.07", "Documentation et notions d'audit"),
    (2, "R2.08", "Mesure et surveillance de la conformité"),
    (2, "R2.09", "Digitalisation des données techniques"),
    (2, "R2.10", "Exécution d'un planning de production"),
    (2, "R2.11", "Organisation d'un poste et d'un atelier"),
    (2, "R2.12", "Organisation des données techniques et économiques"),
    (2, "SAE2.01-Q", "Projet opérationnel - Qualité"),
    (2, "SAE2.01-L", "Projet opérationnel - Logistique"),
    (2, "SAE2.01-O", "Projet opérationnel - Organisation"),
    (2, "SAE2.02", "Audit d'un poste de travail"),
    (2, "SAE2.03", "Exécution d'un planning de production"),
    (2, "SAE2.04", "Evolution de l'organisation d'un système de production"),
    (2, "PORTFOLIO2", "Portfolio 2"),
    (3, "R3.01", "Anglais des affaires"),
    (3, "R3.02", "Expression Communication 1"),
    (3, "R3.03", "Mathématiques"),
    (3, "R3.04", "Gestion de l'entreprise"),
    (3, "R3.05", "Algorithmique et programmation avancées"),
    (3, "R3.06", "Projet Personnel et Professionnel 1"),
    (3, "R3.07", "Outils statistiques de pilotage d'un process"),
    (3, "R3.08", "Démarches d'amélioration"),
    (3, "R3.09", "Coordination approvisionnements – production"),
    (3, "R3.10", "Ordonnancement, lancement et pilotage"),
    (3, "R3.11", "Amélioration d'un poste et d'un atelier"),
    (3, "R3.12", "Conduite d'un projet d'amélioration"),
    (3, "R3.13", "Activités d'un site logistique"),
    (3, "R3.14", "Introduction au management"),
    (3, "SAE3.01-Q", "Déploiement des outils QLIO en tant que technicien – Qualité"),
    (3, "SAE3.01-L", "Déploiement des outils QLIO en tant que technicien – Logistique"),
    (3, "SAE3.01-O", "Déploiement des outils QLIO en tant que technicien – Organisation"),
    (3, "SAE3.02", "Dimensionnement d'un site logistique"),
    (3, "SAE3.03-Q", "Projet Supply Chain en tant que technicien – Qualité"),
    (3, "SAE3.03-L", "Projet Supply Chain en tant que technicien – Logistique"),
    (3, "SAE3.03-O", "Projet Supply Chain en tant que technicien – Organisation"),
    (3, "SAE3.03-SC", "Projet Supply Chain en tant que technicien – Supply Chain"),
    (3, "PORTFOLIO3", "Portfolio 1"),
    (4, "R4.01", "Anglais professionnel et technique et certification"),
    (4, "R4.02", "Expression Communication 2"),
    (4, "R4.03", "Mathématiques et statistiques avancées"),
    (4, "R4.04", "Bases du contrôle de gestion industriel"),
    (4, "R4.05", "Base de données"),
    (4, "R4.06", "Projet Personnel et Professionnel 2"),
    (4, "R4.07", "Amélioration de la performance"),
    (4, "R4.08", "Planification de la production et prévision de la demande à moyen et long terme"),
    (4, "R4.09", "Modélisation pour amélioration du système de production"),
    (4, "R4.10", "Prévision et planification de la distribution"),
    (4, "R4.11", "Mesure de la performance tout au long de la supply chain"),
    (4, "R4.12", "Les fondamentaux de l'animation d'équipe"),
    (4, "SAE4.01-Q", "Déploiement des outils QLIO en tant que technicien - Qualité"),
    (4, "SAE4.01-L", "Déploiement des outils QLIO en tant que technicien – Logistique"),
    (4, "SAE4.01-O", "Déploiement des outils QLIO en tant que technicien – Organisation"),
    (4, "SAE4.02", "Pilotage d'un réseau de distribution"),
    (4, "SAE4.03-Q", "Projet Supply Chain en tant que technicien – Qualité"),
    (4, "SAE4.03-L", "Projet Supply Chain en tant que technicien – Logistique"),
    (4, "SAE4.03-O", "Projet Supply Chain en tant que technicien - Organisation"),
    (4, "SAE4.03-SC", "Projet Supply Chain en tant que technicien – Supply Chain"),
    (4, "PORTFOLIO4", "Portfolio 2"),
    (4, "STAGE4", "Stage obligatoire (10 semaines minimum)"),
    (5, "R5.01", "Anglais de spécialité 1"),
    (5, "R5.02", "Expression Communication 1"),
    (5, "R5.03", "Fondamentaux de la Recherche Opérationnelle"),
    (5, "R5.04", "Analyse stratégique et financière de l'entreprise"),
    (5, "R5.05", "Modélisation des systèmes d'information"),
    (5, "R5.06", "Projet Personnel et Professionnel"),
    (5, "R5.07", "Mise en place d'une certification système"),
    (5, "R5.08", "Pérennisation d'une certification système"),
    (5, "R5.09", "Choix et paramétrage d'un progiciel logistique"),
    (5, "R5.10", "Aide à la décision face aux aléas"),
    (5, "R5.11", "Outils de pilotage d'une unité de production"),
    (5, "R5.12", "Démarche Lean Management"),
    (5, "R5.13", "Achats dans la Supply Chain"),
    (5, "R5.14", "Distribution, transport et Supply Chain"),
    (5, "SAE5.01-Q", "Sélection des outils QLIO en tant que cadre intermédiaire 1 - Qualité"),
    (5, "SAE5.01-L", "Sélection des outils QLIO en tant que cadre intermédiaire 1 - Logistique"),
    (5, "SAE5.01-O", "Sélection des outils QLIO en tant que cadre intermédiaire 1 - Organisation"),
    (5, "SAE5.02", "Définition d'un réseau logistique"),
    (5, "SAE5.03-Q", "Projet Supply Chain en tant que cadre intermédiaire - Qualité"),
    (5, "SAE5.03-L", "Projet Supply Chain en tant que cadre intermédiaire - Logistique"),
    (5, "SAE5.03-O", "Projet Supply Chain en tant que cadre intermédiaire - Organisation"),
    (5, "SAE5.03-SC", "Projet Supply Chain en tant que cadre intermédiaire – Supply Chain"),
    (5, "PORTFOLIO5", "Portfolio 1"),
    (6, "R6.01", "Anglais de spécialité 2"),
    (6, "R6.02", "Expression Communication 2"),
    (6, "R6.03", "Recherche Opérationnelle pour les systèmes de production"),
    (6, "R6.04", "Connaissances juridiques de l'entreprise"),
    (6, "R6.05", "Amélioration des systèmes d'information"),
    (6, "R6.06", "Mise en œuvre et exploitation d'un audit système"),
    (6, "R6.07", "Pilotage de la production par les contraintes"),
    (6, "R6.08", "Pilotage de projet"),
    (6, "R6.09", "Reverse Supply Chain"),
    (6, "SAE6.01-Q", "Sélection des outils QLIO en tant que cadre intermédiaire 2 - Qualité"),
    (6, "SAE6.01-L", "Sélection des outils QLIO en tant que cadre intermédiaire 2 - Logistique"),
    (6, "SAE6.01-O", "Sélection des outils QLIO en tant que cadre intermédiaire 2 - Organisation"),
    (6, "SAE6.02", "Organisation d'une logistique de retours de produits"),
    (6, "PORTFOLIO6", "Portfolio 2"),
    (6, "STAGE6", "Stage obligatoire / Période entreprise"),
)

_SUFFIX = {1: "Q", 2: "L", 3: "O", 4: "SC"}

# Shared ressources of each semester: (code, coefficient) in every UE of the semester.
_SHARED = {
    1: (
        ("R1.01", "0.5"),
        ("R1.02", "0.5"),
        ("R1.03", "0.5"),
        ("R1.04", "0.5"),
        ("R1.05", "0.5"),
        ("R1.06", "0.5"),
    ),
    2: (
        ("R2.01", "0.5"),
        ("R2.02", "0.5"),
        ("R2.03", "0.5"),
        ("R2.04", "0.5"),
        ("R2.05", "0.5"),
        ("R2.06", "1.5"),
    ),
    3: (
        ("R3.01", "0.5"),
        ("R3.02", "0.25"),
        ("R3.03", "0.5"),
        ("R3.04", "0.5"),
        ("R3.05", "0.5"),
        ("R3.06", "0.25"),
    ),
    4: (
        ("R4.01", "0.5"),
        ("R4.02", "0.5"),
        ("R4.03", "0.5"),
        ("R4.04", "0.5"),
        ("R4.05", "0.5"),
        ("R4.06", "0.25"),
    ),
    5: (
        ("R5.01", "0.5"),
        ("R5.02", "0.25"),
        ("R5.03", "0.5"),
        ("R5.04", "0.5"),
        ("R5.05", "0.5"),
        ("R5.06", "0.25"),
    ),
    6: (("R6.01", "0.5"), ("R6.02", "0.5"), ("R6.03", "0.5"), ("R6.04", "0.5"), ("R6.05", "0.5")),
}

# (semester, competence) → (ECTS ressources, ECTS SAÉ, own ressources, SAÉ pole).
_UES: dict[tuple[int, int], tuple[str, str, tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]] = {
    (1, 1): ("6", "4", (("R1.07", "1.5"), ("R1.08", "1.5")), (("SAE1.02", "2"), ("SAE1.01", "2"))),
    (1, 2): ("6", "4", (("R1.09", "1.5"), ("R1.10", "1.5")), (("SAE1.04", "2"), ("SAE1.03", "2"))),
    (1, 3): ("6", "4", (("R1.11", "1.5"), ("R1.12", "1.5")), (("SAE1.06", "2"), ("SAE1.05", "2"))),
    (2, 1): (
        "6",
        "4",
        (("R2.07", "0.5"), ("R2.08", "1.5")),
        (("SAE2.01-Q", "1.5"), ("SAE2.02", "2"), ("PORTFOLIO2", "0.5")),
    ),
    (2, 2): (
        "6",
        "4",
        (("R2.09", "0.5"), ("R2.10", "1.5")),
        (("SAE2.01-L", "1.5"), ("SAE2.03", "2"), ("PORTFOLIO2", "0.5")),
    ),
    (2, 3): (
        "6",
        "4",
        (("R2.11", "0.5"), ("R2.12", "1.5")),
        (("SAE2.01-O", "1.5"), ("SAE2.04", "2"), ("PORTFOLIO2", "0.5")),
    ),
    (3, 1): ("4.5", "3.5", (("R3.07", "1"), ("R3.08", "1")), (("SAE3.01-Q", "2"), ("SAE3.03-Q", "1.5"))),
    (3, 2): ("4.5", "3.5", (("R3.09", "1"), ("R3.10", "1")), (("SAE3.01-L", "2"), ("SAE3.03-L", "1.5"))),
    (3, 3): ("4.5", "3.5", (("R3.11", "1"), ("R3.12", "1")), (("SAE3.01-O", "2"), ("SAE3.03-O", "1.5"))),
    (3, 4): ("3.5", "2.5", (("R3.13", "0.5"), ("R3.14", "0.5")), (("SAE3.02", "1"), ("SAE3.03-SC", "1.5"))),
    (4, 1): (
        "3.75",
        "3.25",
        (("R4.07", "1"),),
        (("SAE4.01-Q", "0.5"), ("SAE4.03-Q", "0.5"), ("PORTFOLIO4", "0.25"), ("STAGE4", "2")),
    ),
    (4, 2): (
        "3.75",
        "3.25",
        (("R4.08", "1"),),
        (("SAE4.01-L", "0.5"), ("SAE4.03-L", "0.5"), ("PORTFOLIO4", "0.25"), ("STAGE4", "2")),
    ),
    (4, 3): (
        "3.75",
        "3.25",
        (("R4.09", "1"),),
        (("SAE4.01-O", "0.5"), ("SAE4.03-O", "0.5"), ("PORTFOLIO4", "0.25"), ("STAGE4", "2")),
    ),
    (4, 4): (
        "4.75",
        "4.25",
        (("R4.10", "0.75"), ("R4.11", "0.75"), ("R4.12", "0.5")),
        (("SAE4.02", "1"), ("SAE4.03-SC", "1"), ("PORTFOLIO4", "0.25"), ("STAGE4", "2")),
    ),
    (5, 1): ("4", "3", (("R5.07", "0.75"), ("R5.08", "0.75")), (("SAE5.01-Q", "1.5"), ("SAE5.03-Q", "1.5"))),
    (5, 2): ("4", "3", (("R5.09", "0.75"), ("R5.10", "0.75")), (("SAE5.01-L", "1.5"), ("SAE5.03-L", "1.5"))),
    (5, 3): ("4", "3", (("R5.11", "0.75"), ("R5.12", "0.75")), (("SAE5.01-O", "1.5"), ("SAE5.03-O", "1.5"))),
    (5, 4): ("4.5", "4.5", (("R5.13", "1"), ("R5.14", "1")), (("SAE5.02", "2"), ("SAE5.03-SC", "2.5"))),
    (6, 1): ("4", "4", (("R6.06", "1.5"),), (("SAE6.01-Q", "1"), ("STAGE6", "2.75"), ("PORTFOLIO6", "0.25"))),
    (6, 2): ("4", "4", (("R6.07", "1.5"),), (("SAE6.01-L", "1"), ("STAGE6", "2.75"), ("PORTFOLIO6", "0.25"))),
    (6, 3): ("4", "4", (("R6.08", "1.5"),), (("SAE6.01-O", "1"), ("STAGE6", "2.75"), ("PORTFOLIO6", "0.25"))),
    (6, 4): (
        "3.25",
        "2.75",
        (("R6.09", "0.75"),),
        (("SAE6.02", "0.5"), ("STAGE6", "2"), ("PORTFOLIO6", "0.25")),
    ),
}


def _level(competence: int, semester: int) -> int:
    """The level from Annexe 1 (COMPETENCES): Supply Chain starts at level 1 in BUT2."""
    year = (semester + 1) // 2
    levels = next(c.levels for c in COMPETENCES if c.number == competence)
    return next(level for level, but_year in levels if but_year == year)


def _kind(code: str) -> str:
    if code.startswith("STAGE"):
        return "stage"
    if code.startswith("PORTFOLIO"):
        return "portfolio"
    if code.startswith("SAE"):
        return "sae"
    return "ressource"


def _ue(semester: int, competence: int) -> UEDef:
    ects_r, ects_s, own, sae = _UES[(semester, competence)]
    coefs = tuple(CoefDef(code, "ressources", D(v)) for code, v in (*_SHARED[semester], *own)) + tuple(
        CoefDef(code, "sae", D(v)) for code, v in sae
    )
    return UEDef(
        key=f"UE{competence} S{semester}",
        competence=competence,
        semester=semester,
        level=_level(competence, semester),
        ects=D(ects_r) + D(ects_s),
        ects_ressources=D(ects_r),
        ects_sae=D(ects_s),
        coefficients=coefs,
    )


def build_qlio_maquette() -> Maquette:
    """The maquette of Annexes 1-3, parcours Organisation et Supply Chain."""
    return Maquette(
        ues=tuple(_ue(s, c) for (s, c) in sorted(_UES)),
        competences=COMPETENCES,
        enseignements=tuple(EnseignementDef(code, s, _kind(code), name) for s, code, name in ENSEIGNEMENTS),
        stage_codes={4: "STAGE4", 6: "STAGE6"},
    )


def check_sums(maquette: Maquette) -> list[str]:
    """The Annexe 3 checks of MAQUETTE.md; returns the faults found (empty when right)."""
    faults: list[str] = []
    for ue in maquette.ues:
        for pole, expected in (("ressources", ue.ects_ressources), ("sae", ue.ects_sae)):
            total = sum((c.value for c in ue.coefficients if c.pole == pole), D(0))
            if total != expected:
                faults.append(f"{ue.key} {pole}: {total} != {expected}")
        if ue.ects_ressources + ue.ects_sae != ue.ects:
            faults.append(f"{ue.key}: poles {ue.ects_ressources} + {ue.ects_sae} != {ue.ects}")
    for semester in sorted({ue.semester for ue in maquette.ues}):
        total = sum((ue.ects for ue in maquette.ues if ue.semester == semester), D(0))
        if total != 30:
            faults.append(f"S{semester}: {total} ECTS != 30")
    return faults


QLIO = build_qlio_maquette()

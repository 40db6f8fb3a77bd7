"""The columns of every import (docs/formats.md), in one place: the importers take their required
columns from here, the admin's import page its help, and the template files their headers."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    help: str  # French, shown to the secretary


DATE = "date JJ/MM/AAAA (ou AAAA-MM-JJ)"
DATETIME = "date et heure JJ/MM/AAAA HH:MM, heure de Paris"

COLUMNS: dict[str, tuple[Column, ...]] = {
    "enrolments": (
        Column("numero", True, "numéro étudiant : 1 à 20 lettres ou chiffres"),
        Column("nom", True, "nom de famille"),
        Column("prenom", True, "prénom"),
        Column("email", False, "adresse électronique"),
        Column("regime", False, "FI (défaut), FA (alternance), FC"),
        Column("annee", True, "année universitaire, ex. 2026-2027"),
        Column("semestre", True, "1 à 6"),
        Column("parcours", False, "OSC (défaut)"),
        Column("redoublement", False, "0 ou 1 : cette inscription redouble le semestre"),
        Column("amenagement", False, "0 ou 1 : aménagement du §5-4"),
        Column("statut", False, "inscrit (défaut), DEF (défaillant), DEM (démission)"),
    ),
    "grades": (
        Column("numero", True, "numéro d'un étudiant inscrit"),
        Column("annee", True, "année universitaire de l'inscription, ex. 2026-2027"),
        Column("semestre", True, "semestre de l'inscription, 1 à 6"),
        Column("code", True, "code de l'enseignement, ex. R1.01, SAÉ1.01, STAGE4"),
        Column("evaluation", True, "intitulé de l'évaluation (créée si elle n'existe pas)"),
        Column("coefficient", False, "poids de l'évaluation, > 0 (vide : inchangé, 1 pour une nouvelle)"),
        Column("date", False, f"{DATE} ; obligatoire pour ABS si non enregistrée"),
        Column("note", True, "0 à 20, deux décimales au plus, « , » ou « . » ; ou ABI, ABJ, ABS"),
    ),
    "absences": (
        Column("numero", True, "numéro étudiant"),
        Column("debut", True, DATETIME),
        Column("fin", True, DATETIME),
        Column("declaree_le", True, f"déclaration : {DATETIME}"),
        Column("justificatif_le", False, f"dépôt du justificatif : {DATETIME}"),
        Column("motif", False, "maladie, deces, mariage_pacs_naissance, convocation, autre (défaut)"),
        Column("canal", False, "ecrit, telephone, email, guichet"),
    ),
    "stages": (
        Column("numero", True, "numéro étudiant"),
        Column("annee", True, "année universitaire, ex. 2026-2027"),
        Column("semestre", True, "4 ou 6"),
        Column("debut", True, DATE),
        Column("fin", True, DATE),
        Column("entreprise", False, "nom de l'entreprise"),
        Column("etranger", False, "0 ou 1 : stage à l'étranger"),
    ),
    "mobility": (
        Column("numero", True, "numéro étudiant"),
        Column("annee", True, "année universitaire, ex. 2026-2027"),
        Column("semestre", True, "3 à 6"),
        Column("etablissement", True, "établissement d'accueil"),
    ),
    "decisions": (
        Column("numero", True, "numéro étudiant"),
        Column("annee", True, "année universitaire du jury, ex. 2025-2026"),
        Column("semestre", True, "semestre du jury, 1 à 6"),
        Column("objet", True, "une UE « UE1 S1 », un RCUE « C1 N1 », ou « annee »"),
        Column("code", True, "UE : ADM, CMP, ADSUP, ADJ, AJ, DEF, DEM ; RCUE : ADM, ADJ, AJ ; annee : ADM, PASD, "
                             "PAS1NCI, RED, NAR, DEF, DEM, ABAN, EXCLU"),
        Column("moyenne", False, "moyenne délibérée, 0 à 20"),
        Column("date_jury", False, DATE),
    ),
}


def required(kind: str) -> tuple[str, ...]:
    return tuple(c.name for c in COLUMNS[kind] if c.required)


def help_lines(kind: str) -> tuple[str, str]:
    """(required, optional) columns with their values, for the import page."""
    def text(cols):
        return " ; ".join(f"{c.name} ({c.help})" for c in cols)
    cols = COLUMNS.get(kind, ())
    return text([c for c in cols if c.required]), text([c for c in cols if not c.required])

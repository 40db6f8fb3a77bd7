"""The decision codes of the règlement (one enumeration) and the small vocabularies of the inputs.

Models derive their ``choices`` from these enumerations; nobody compares against a bare literal.
"""

from __future__ import annotations

from enum import StrEnum


class Code(StrEnum):
    """Every decision code: UE, RCUE and year (national BUT codes, as ScoDoc and Apogée)."""

    ADM = "ADM"
    CMP = "CMP"
    ADSUP = "ADSUP"
    ADJ = "ADJ"
    AJ = "AJ"
    ATT = "ATT"
    DEF = "DEF"
    DEM = "DEM"
    PASD = "PASD"
    PAS1NCI = "PAS1NCI"
    RED = "RED"
    NAR = "NAR"
    ATJ = "ATJ"
    ABAN = "ABAN"
    EXCLU = "EXCLU"

    @property
    def label(self) -> str:
        """The French label shown to people."""
        return _LABELS[self]


_LABELS: dict[Code, str] = {
    Code.ADM: "Admis",
    Code.CMP: "Acquis par compensation",
    Code.ADSUP: "Acquis par niveau supérieur",
    Code.ADJ: "Acquis par décision de jury",
    Code.AJ: "Ajourné",
    Code.ATT: "En attente",
    Code.DEF: "Défaillant",
    Code.DEM: "Démission",
    Code.PASD: "Passage de droit",
    Code.PAS1NCI: "Passage par décision de jury avec un niveau non validé",
    Code.RED: "Redoublement proposé",
    Code.NAR: "Non autorisé à redoubler",
    Code.ATJ: "En attente (notes manquantes)",
    Code.ABAN: "Abandon",
    Code.EXCLU: "Exclu",
}

UE_CODES: frozenset[Code] = frozenset(
    {Code.ADM, Code.CMP, Code.ADSUP, Code.ADJ, Code.AJ, Code.ATT, Code.DEF, Code.DEM}
)
RCUE_CODES: frozenset[Code] = frozenset({Code.ADM, Code.ADJ, Code.AJ, Code.ATT})
YEAR_CODES: frozenset[Code] = frozenset(
    {
        Code.ADM,
        Code.PASD,
        Code.PAS1NCI,
        Code.RED,
        Code.NAR,
        Code.ATJ,
        Code.DEF,
        Code.DEM,
        Code.ABAN,
        Code.EXCLU,
    }
)
#: UE codes that mean "acquired" (V4, C2, V5, jury): the UE brings its ECTS and is never lost.
ACQUIRED_UE_CODES: frozenset[Code] = frozenset({Code.ADM, Code.CMP, Code.ADSUP, Code.ADJ})
#: RCUE codes that mean "validated" (C3, jury, M1): they trigger V5.
VALIDATED_RCUE_CODES: frozenset[Code] = frozenset({Code.ADM, Code.ADJ})


class Pole(StrEnum):
    RESSOURCES = "ressources"
    SAE = "sae"


class EnseignementKind(StrEnum):
    RESSOURCE = "ressource"
    SAE = "sae"
    PORTFOLIO = "portfolio"
    STAGE = "stage"


class Regime(StrEnum):
    FI = "FI"
    FA = "FA"
    FC = "FC"


class EnrolmentStatus(StrEnum):
    INSCRIT = "inscrit"
    DEMISSION = "demission"
    DEFAILLANT = "defaillant"


class Mark(StrEnum):
    """A grade sheet's absence mark instead of a number (A6, A7, A8)."""

    ABI = "ABI"
    ABJ = "ABJ"
    ABS = "ABS"


class AbsenceReason(StrEnum):
    MALADIE = "maladie"
    DECES = "deces"
    MARIAGE_PACS_NAISSANCE = "mariage_pacs_naissance"
    CONVOCATION = "convocation"
    AUTRE = "autre"


class Sanction(StrEnum):
    """F2 — the disciplinary sanctions, in the seed's order."""

    AVERTISSEMENT = "avertissement"
    BLAME = "blame"
    RESPONSABILISATION = "responsabilisation"
    EXCLUSION_ETABLISSEMENT = "exclusion_etablissement"
    EXCLUSION_DEFINITIVE = "exclusion_definitive"
    EXCLUSION_TOUS = "exclusion_tous"
    EXCLUSION_TOUS_DEFINITIVE = "exclusion_tous_definitive"


EXCLUSION_SANCTIONS: frozenset[Sanction] = frozenset(
    {
        Sanction.EXCLUSION_ETABLISSEMENT,
        Sanction.EXCLUSION_DEFINITIVE,
        Sanction.EXCLUSION_TOUS,
        Sanction.EXCLUSION_TOUS_DEFINITIVE,
    }
)

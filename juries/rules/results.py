"""What the rule engine returns: proposals as value objects carrying their codes and motifs.

``as_contract()`` gives the JSON structure of CONTRACTS.md "Jury proposals export".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from .codes import Code
from .exact import Exact, shown_text
from .inputs import EvaluationGradeIn
from .motifs import Motif

__all__ = [
    "EnseignementResult",
    "JuryProposals",
    "Motif",
    "RCUEResult",
    "StudentProposal",
    "UEResult",
    "format_ects",
    "format_moyenne",
]


def format_moyenne(value: Exact | None) -> str | None:
    """ "12.50" (shown as V3 says), or None when there is nothing to average."""
    return None if value is None else f"{shown_text(value)}"


def format_ects(value: Decimal) -> int | float:
    """ECTS as a JSON number: an int when integral (10), else a float (3.5)."""
    integral = value.to_integral_value()
    return int(integral) if integral == value else float(value)


class EnseignementResult(NamedTuple):
    """One enseignement's average in one enrolment (V1), for the relevé and the jury page.

    ``status``: "ok", "missing" (a grade missing: the UEs using it are ATT), "neutralised"
    (every evaluation ABJ, A7), "no_evaluation" (nothing defined yet), "kept" (stage grade of an
    earlier year, S1), "not_counted" (no coefficient in any UE: kept but never averaged).
    ``evaluations`` are the input rows (read lazily for an enseignement summed by the database); ``resolved`` gives (label, "ABI"|"ABJ") for each ABS
    row resolved from the register (A8). ``coefficients`` is (UE key, coefficient) per UE.
    A NamedTuple, immutable and cheap: a jury makes one per student and enseignement.
    """

    code: str
    annee: str
    semester: int
    moyenne: Decimal | None
    status: str
    evaluations: Sequence[EvaluationGradeIn]
    resolved: tuple[tuple[str, str], ...]
    coefficients: tuple[tuple[str, Decimal], ...]


@dataclass(frozen=True, slots=True)
class UEResult:
    """One UE as this jury sees it. ``moyenne`` is exact (rounded only when shown, V3)."""

    ue: str
    competence: int
    level: int
    semester: int
    annee: str
    moyenne: Decimal | None
    code: Code
    ects: Decimal
    motifs: tuple[Motif, ...] = ()
    mobility: bool = False

    @property
    def acquired(self) -> bool:
        return self.ects > 0

    def as_contract(self) -> dict[str, Any]:
        return {
            "ue": self.ue,
            "moyenne": format_moyenne(self.moyenne),
            "code": str(self.code),
            "ects": format_ects(self.ects),
        }


@dataclass(frozen=True, slots=True)
class RCUEResult:
    competence: int
    level: int
    annee: str
    moyenne: Decimal | None
    code: Code
    motifs: tuple[Motif, ...] = ()

    def as_contract(self) -> dict[str, Any]:
        return {
            "competence": self.competence,
            "niveau": self.level,
            "moyenne": format_moyenne(self.moyenne),
            "code": str(self.code),
        }


@dataclass(frozen=True, slots=True)
class StudentProposal:
    """The proposal for one student at one jury, with every reason as data."""

    numero: str
    nom: str
    prenom: str
    annee: str
    semester: int
    ues: tuple[UEResult, ...]
    rcues: tuple[RCUEResult, ...]
    decision_annee: Code | None
    passage: bool | None
    ects_acquis: Decimal
    dut: bool
    but: bool
    absences_justifiees: int
    absences_injustifiees: int
    motifs: tuple[Motif, ...]
    alertes: tuple[Motif, ...]
    enseignements: tuple[EnseignementResult, ...] = ()
    deliberated: bool = False

    def as_contract(self) -> dict[str, Any]:
        return {
            "numero": self.numero,
            "nom": self.nom,
            "prenom": self.prenom,
            "ues": [ue.as_contract() for ue in self.ues],
            "rcues": [rcue.as_contract() for rcue in self.rcues],
            "decision_annee": None if self.decision_annee is None else str(self.decision_annee),
            "passage": self.passage,
            "ects_acquis": format_ects(self.ects_acquis),
            "dut": self.dut,
            "but": self.but,
            "absences": {
                "justifiees": self.absences_justifiees,
                "injustifiees": self.absences_injustifiees,
            },
            "motifs": [str(m) for m in self.motifs],
            "alertes": [str(m) for m in self.alertes],
            "etat": "delibere" if self.deliberated else "proposition",
        }


@dataclass(frozen=True, slots=True)
class JuryProposals:
    """Every proposal of one jury (semester ``semester`` of ``annee``), students by numero."""

    annee: str
    semester: int
    jury_date: date
    etat: str
    students: tuple[StudentProposal, ...]

    def as_contract(self) -> dict[str, Any]:
        return {
            "annee": self.annee,
            "semestre": self.semester,
            "etat": self.etat,
            "etudiants": [s.as_contract() for s in self.students],
        }

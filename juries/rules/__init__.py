"""The règlement of the BUT QLIO as pure functions over frozen dataclasses (no Django, no I/O).

Entry points: ``compute_proposal`` (one student) and ``compute_jury`` (a whole jury). Inputs
are in ``inputs``, the department's [interp] choices in ``settings``, results in ``results``.
"""

from .codes import Code
from .engine import compute_jury, compute_proposal, default_jury_date
from .evaluation import parse_grade
from .index import MaquetteIndex, maquette_index
from .inputs import (
    AbsenceIn,
    BipIn,
    CoefDef,
    CompetenceDef,
    DeliberatedIn,
    DeliberatedRCUE,
    DeliberatedUE,
    EnrolmentIn,
    EnseignementDef,
    EnseignementSumIn,
    EvaluationGradeIn,
    FraudCaseIn,
    Maquette,
    MobilityIn,
    RepeatAuthorisationIn,
    StageIn,
    StudentIn,
    UEDef,
)
from .motifs import Motif
from .results import EnseignementResult, JuryProposals, RCUEResult, StudentProposal, UEResult
from .settings import DEFAULT_SETTINGS, ReglementSettings

__all__ = [
    "DEFAULT_SETTINGS",
    "AbsenceIn",
    "BipIn",
    "CoefDef",
    "Code",
    "CompetenceDef",
    "DeliberatedIn",
    "DeliberatedRCUE",
    "DeliberatedUE",
    "EnrolmentIn",
    "EnseignementDef",
    "EnseignementResult",
    "EnseignementSumIn",
    "EvaluationGradeIn",
    "FraudCaseIn",
    "JuryProposals",
    "Maquette",
    "MaquetteIndex",
    "MobilityIn",
    "Motif",
    "RCUEResult",
    "RepeatAuthorisationIn",
    "ReglementSettings",
    "StageIn",
    "StudentIn",
    "StudentProposal",
    "UEDef",
    "UEResult",
    "compute_jury",
    "compute_proposal",
    "default_jury_date",
    "maquette_index",
    "parse_grade",
]

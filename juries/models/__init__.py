"""Domain model, one module per concept, re-exported here."""

from .assessment import Evaluation, Grade
from .cursus import Absence, AttendanceSheet, BipParticipation, FraudCase, Mobility, Stage
from .generation import InputsChange, InputsGeneration
from .jury import JuryDecision, JuryEvent, JurySession
from .maquette import UE, Coefficient, Competence, Enseignement, Formation, Level, Parcours, Semester
from .reglement import ReglementSettings
from .releve import DocumentBatch, Releve, SentMail
from .students import Enrolment, RepeatAuthorisation, Student

__all__ = [
    "Absence", "AttendanceSheet", "BipParticipation", "Coefficient", "Competence", "DocumentBatch", "Enrolment",
    "Enseignement",
    "Evaluation", "Formation", "FraudCase", "Grade", "InputsChange", "InputsGeneration", "JuryDecision", "JuryEvent", "JurySession",
    "Level", "Mobility", "Parcours", "ReglementSettings", "Releve", "RepeatAuthorisation", "Semester",
    "SentMail", "Stage", "Student", "UE",
]

"""The pré-jury checks: what the secretariat must settle before the jury (bounded queries).

Mostly the engine's own alertes (selectors/proposals.py), grouped by rule; plus the two reads of
selectors/prejury.py: absences inside their justification delay (A4), open fraud cases (F1).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from juries.models import JurySession
from juries.rules.averages import INCOMPLETE, NO_EVALUATION
from juries.rules.motifs import Motif
from juries.selectors.prejury import open_fraud_cases, pending_absences
from juries.selectors.proposals import jury_proposals

#: The sections of the page, by rule id of docs/reglement.md (docs/formats.md "alertes").
STAGE_RULES = ("S2", "S3", "S4")
ABSENCE_RULES = ("A2", "A8")
SECTIONS = {"V2", "E1", "F1", "R2", "M3", *STAGE_RULES, *ABSENCE_RULES}


@dataclass(frozen=True)
class StudentAlert:
    numero: str
    nom: str
    prenom: str
    motif: Motif


@dataclass(frozen=True)
class MissingGrade:
    enseignement: str
    name: str
    labels: tuple[str, ...]
    numero: str
    nom: str
    prenom: str


@dataclass(frozen=True)
class PendingAbsence:
    numero: str
    nom: str
    prenom: str
    start: datetime
    end: datetime
    declared_at: datetime
    deadline: datetime
    hours_left: int


@dataclass
class PreJuryChecks:
    jury: JurySession
    students: int
    missing: list[MissingGrade] = field(default_factory=list)
    no_evaluation: list[tuple[str, str]] = field(default_factory=list)
    e1: list[Motif] = field(default_factory=list)
    pending_absences: list[PendingAbsence] = field(default_factory=list)
    absence_alerts: list[StudentAlert] = field(default_factory=list)
    stages: list[StudentAlert] = field(default_factory=list)
    fraud_cases: list[dict] = field(default_factory=list)
    repeat_limits: list[StudentAlert] = field(default_factory=list)
    bips: list[StudentAlert] = field(default_factory=list)
    others: list[StudentAlert] = field(default_factory=list)
    has_stage: bool = False
    justification_hours: int = 48

    @property
    def missing_students(self) -> int:
        return len({m.numero for m in self.missing})

    @property
    def total(self) -> int:
        return (len(self.missing) + len(self.no_evaluation) + len(self.e1) + len(self.pending_absences)
                + len(self.absence_alerts) + len(self.stages) + len(self.fraud_cases)
                + len(self.repeat_limits) + len(self.bips) + len(self.others))


def load_prejury_checks(jury: JurySession, *, now: datetime) -> PreJuryChecks:
    """Every check of the pré-jury for `jury`, as of `now` (A4 delays run from the declaration)."""
    semester = jury.semester.number
    run = jury_proposals(annee=jury.annee, semester=semester, formation=jury.formation)
    inputs, proposals = run.inputs, run.proposals
    names = {e.code: e.name for e in inputs.maquette.enseignements}
    checks = PreJuryChecks(jury=jury, students=len(proposals.students),
                           has_stage=any(s in inputs.maquette.stage_codes for s in (semester - 1, semester)))

    no_evaluation: dict[str, None] = {}
    e1: dict[Motif, None] = {}
    for p in proposals.students:
        for ens in p.enseignements:
            if ens.status == INCOMPLETE:
                labels = tuple(ev.label for ev in ens.evaluations if ev.value is None and not ev.mark)
                checks.missing.append(MissingGrade(ens.code, names.get(ens.code, ""), labels or ("ABJ/ABS à résoudre",),
                                                   p.numero, p.nom, p.prenom))
            elif ens.status == NO_EVALUATION:
                no_evaluation.setdefault(ens.code, None)
        for a in p.alertes:
            alert = StudentAlert(p.numero, p.nom, p.prenom, a)
            if a.rule_id == "E1":
                e1.setdefault(a, None)
            elif a.rule_id in STAGE_RULES:
                checks.stages.append(alert)
            elif a.rule_id in ABSENCE_RULES:
                checks.absence_alerts.append(alert)
            elif a.rule_id == "R2":
                checks.repeat_limits.append(alert)
            elif a.rule_id == "M3":  # a BIP with no UE to count in: never silently ignored
                checks.bips.append(alert)
            elif a.rule_id not in SECTIONS:
                checks.others.append(alert)
    checks.missing.sort(key=lambda m: (m.enseignement, m.nom, m.prenom))
    checks.no_evaluation = [(code, names.get(code, "")) for code in sorted(no_evaluation)]
    checks.e1 = list(e1)

    hours = checks.justification_hours = inputs.settings.justification_hours
    for absence in pending_absences(jury, now=now, hours=hours):
        deadline = absence.declared_at + timedelta(hours=hours)
        checks.pending_absences.append(PendingAbsence(
            absence.student.numero, absence.student.nom, absence.student.prenom, absence.start, absence.end,
            absence.declared_at, deadline,
            hours_left=max(0, int((deadline - now).total_seconds() // 3600)),
        ))
    for f in open_fraud_cases(jury):
        checks.fraud_cases.append({
            "numero": f.student.numero, "nom": f.student.nom, "prenom": f.student.prenom, "date": f.date,
            "facts": f.facts, "referred": f.referred, "sanction": f.get_sanction_display(),
            "evaluation": str(f.evaluation) if f.evaluation_id else "",
        })
    return checks


def missing_by_enseignement(missing: list[MissingGrade]) -> list[dict]:
    groups: dict[str, list[MissingGrade]] = defaultdict(list)
    for m in missing:
        groups[m.enseignement].append(m)
    return [{"code": code, "name": items[0].name, "items": items} for code, items in sorted(groups.items())]

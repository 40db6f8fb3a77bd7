"""The pré-jury checks: what the secretariat must settle before the jury (bounded queries).

Mostly the engine's own alertes (selectors/proposals.py), grouped by rule; plus the reads of
selectors/prejury.py: absences inside their justification delay (A4), open fraud cases (F1), the
evaluations' ids. Each item carries the links to the page that fixes it (a grade entry, an absence,
the administration's stage…), for whoever may open that page; the others read the jury's page.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlencode

from django.urls import reverse

from juries.models import JurySession
from juries.rules.averages import INCOMPLETE, NO_EVALUATION
from juries.rules.french import enseignement_label
from juries.rules.motifs import Motif
from juries.selectors.prejury import evaluation_ids, open_fraud_cases, pending_absences
from juries.selectors.proposals import cached_jury_proposals

#: The sections of the page, by rule id of docs/reglement.md (docs/formats.md "alertes").
STAGE_RULES = ("S2", "S3", "S4")
ABSENCE_RULES = ("A2", "A8")
SECTIONS = {"V2", "E1", "F1", "R2", "M3", *STAGE_RULES, *ABSENCE_RULES}


@dataclass(frozen=True)
class Fix:
    """A link to the page where the item is settled, and what the link says."""

    url: str
    label: str


@dataclass(frozen=True)
class Access:
    """Which fixing pages the reader may open: the secretariat's, the administration's."""

    secretariat: bool = False
    admin: bool = False


@dataclass(frozen=True)
class StudentAlert:
    numero: str
    nom: str
    prenom: str
    motif: Motif
    fixes: tuple[Fix, ...] = ()


@dataclass(frozen=True)
class JuryAlert:
    motif: Motif
    fixes: tuple[Fix, ...] = ()


@dataclass(frozen=True)
class NoEvaluation:
    code: str
    name: str
    fixes: tuple[Fix, ...] = ()


@dataclass(frozen=True)
class MissingGrade:
    enseignement: str
    name: str
    labels: tuple[str, ...]
    numero: str
    nom: str
    prenom: str
    annee: str = ""
    fixes: tuple[Fix, ...] = ()


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
    fixes: tuple[Fix, ...] = ()


@dataclass
class PreJuryChecks:
    jury: JurySession
    students: int
    missing: list[MissingGrade] = field(default_factory=list)
    no_evaluation: list[NoEvaluation] = field(default_factory=list)
    e1: list[JuryAlert] = field(default_factory=list)
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


def load_prejury_checks(jury: JurySession, *, now: datetime, access: Access | None = None) -> PreJuryChecks:
    """Every check of the pré-jury for `jury`, as of `now` (A4 delays run from the declaration);
    `access`: the fixing pages the reader may open (none: every item reads the jury's page)."""
    access = access or Access()
    semester = jury.semester.number
    run = cached_jury_proposals(annee=jury.annee, semester=semester, formation=jury.formation)
    inputs, proposals = run.inputs, run.proposals
    names = {e.code: e.name for e in inputs.maquette.enseignements}
    checks = PreJuryChecks(jury=jury, students=len(proposals.students),
                           has_stage=any(s in inputs.maquette.stage_codes for s in (semester - 1, semester)))

    no_evaluation: dict[str, str] = {}
    e1: dict[Motif, None] = {}
    missing = []  # (enseignement, student, labels): turned into links once every evaluation id is read
    for p in proposals.students:
        for ens in p.enseignements:
            if ens.status == INCOMPLETE:
                labels = tuple(ev.label for ev in ens.evaluations if ev.value is None and not ev.mark)
                missing.append((ens, p, labels))
            elif ens.status == NO_EVALUATION:
                no_evaluation.setdefault(ens.code, ens.annee)
    links = _Links(access, evaluation_ids(
        {ens.annee for ens, _p, _l in missing} | {jury.annee},
        {ens.code for ens, _p, _l in missing} | {str(a.data.get("code", "")) for p in proposals.students
                                                 for a in p.alertes if a.rule_id == "A8"}))
    for ens, p, labels in missing:
        checks.missing.append(MissingGrade(
            ens.code, names.get(ens.code, ""), labels or ("ABJ/ABS à résoudre",), p.numero, p.nom, p.prenom,
            annee=ens.annee, fixes=links.missing(ens.code, ens.annee, labels, p.numero)))
    for p in proposals.students:
        for a in p.alertes:
            alert = StudentAlert(p.numero, p.nom, p.prenom, a, links.alert(a, p.numero, jury.annee))
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
    checks.no_evaluation = [NoEvaluation(code, names.get(code, ""), links.enseignement(annee, code))
                            for code, annee in sorted(no_evaluation.items())]
    checks.e1 = [JuryAlert(a, links.enseignement(jury.annee, str(a.data.get("code", "")))) for a in e1]

    hours = checks.justification_hours = inputs.settings.justification_hours
    for absence in pending_absences(jury, now=now, hours=hours):
        deadline = absence.declared_at + timedelta(hours=hours)
        checks.pending_absences.append(PendingAbsence(
            absence.student.numero, absence.student.nom, absence.student.prenom, absence.start, absence.end,
            absence.declared_at, deadline,
            hours_left=max(0, int((deadline - now).total_seconds() // 3600)),
            fixes=links.secretariat(reverse("secretariat:absence_detail", args=[absence.pk]), "Ouvrir l'absence"),
        ))
    for f in open_fraud_cases(jury):
        checks.fraud_cases.append({
            "numero": f.student.numero, "nom": f.student.nom, "prenom": f.student.prenom, "date": f.date,
            "facts": f.facts, "referred": f.referred, "sanction": f.get_sanction_display(),
            "evaluation": (f"{enseignement_label(f.evaluation.enseignement.code)} {f.evaluation.label}"
                           if f.evaluation is not None else ""),
            "fixes": links.admin(reverse("admin:juries_fraudcase_change", args=[f.pk]), "Ouvrir le dossier de fraude"),
        })
    return checks


class _Links:
    """The fixing links of the items, as far as the reader may open their pages."""

    def __init__(self, access: Access, evaluations: dict[tuple[str, str, str], int]):
        self.access = access
        self.evaluations = evaluations

    def secretariat(self, url: str, label: str) -> tuple[Fix, ...]:
        return (Fix(url, label),) if self.access.secretariat else ()

    def admin(self, url: str, label: str) -> tuple[Fix, ...]:
        return (Fix(url, label),) if self.access.admin else ()

    def grade_entry(self, code: str, annee: str, label: str) -> tuple[Fix, ...]:
        pk = self.evaluations.get((code, annee, label))
        if pk is None:
            return ()
        return self.secretariat(reverse("secretariat:saisie", args=[pk]),
                                f"Saisir {enseignement_label(code)} {label}")

    def enseignement(self, annee: str, code: str) -> tuple[Fix, ...]:
        if not code:
            return ()
        return self.secretariat(reverse("secretariat:enseignement", args=[annee, code]),
                                f"Évaluations de {enseignement_label(code)}")

    def student_absences(self, numero: str) -> tuple[Fix, ...]:
        return self.secretariat(reverse("secretariat:student_absences", args=[numero]), "Absences de l'étudiant")

    def missing(self, code: str, annee: str, labels: tuple[str, ...], numero: str) -> tuple[Fix, ...]:
        if not labels:  # every grade is in, an ABS waits for the register (A8)
            return self.student_absences(numero)
        return tuple(f for label in labels for f in self.grade_entry(code, annee, label))

    def alert(self, a: Motif, numero: str, annee: str) -> tuple[Fix, ...]:
        search = "?" + urlencode({"q": numero})
        if a.rule_id == "A8":  # an ABI on a day the register justifies: the grade entry's mark
            return self.grade_entry(str(a.data.get("code", "")), annee, str(a.data.get("label", ""))) or (
                self.student_absences(numero))
        if a.rule_id == "A2":
            return self.student_absences(numero)
        if a.rule_id in STAGE_RULES:
            return self.admin(reverse("admin:juries_stage_changelist") + search, "Stage dans l'administration")
        if a.rule_id == "M3":
            return self.admin(reverse("admin:juries_bipparticipation_changelist"), "BIP dans l'administration")
        return ()


def missing_by_enseignement(missing: list[MissingGrade]) -> list[dict]:
    groups: dict[str, list[MissingGrade]] = defaultdict(list)
    for m in missing:
        groups[m.enseignement].append(m)
    return [{"code": code, "name": items[0].name, "items": items} for code, items in sorted(groups.items())]

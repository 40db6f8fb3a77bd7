"""One student at one jury, as the student's page shows it: the proposal explained (UEs with
their coefficients, RCUEs with their parts, every evaluation), the decision and its
consequences, the choices of the decision form, and the student's records around the jury."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from juries.models import Absence, Enrolment, JuryDecision, JurySession
from juries.presenters.cells import EMPTY, Cell, cell, code_or_none
from juries.presenters.jury_table import as_decided, decided_label
from juries.rules.absences import absence_status
from juries.rules.averages import ALL_NEUTRALISED, INCOMPLETE, KEPT, NO_EVALUATION, OK
from juries.rules.codes import ACQUIRED_UE_CODES, VALIDATED_RCUE_CODES, Code
from juries.rules.french import enseignement_label, moyenne_fr, nombre_fr
from juries.rules.inputs import StudentIn
from juries.rules.motifs import Motif
from juries.rules.results import StudentProposal
from juries.selectors.jury import JuryInputs, RcueKey
from juries.selectors.proposals import jury_proposals, kept_jury_proposals
from juries.selectors.student import load_student_records

#: An enseignement's status in words, and the rule that says so (shown apart, as a link to it).
_STATUS_LABELS = {
    OK: "", INCOMPLETE: "note manquante", ALL_NEUTRALISED: "neutralisé : toutes évaluations ABJ",
    NO_EVALUATION: "aucune évaluation saisie", KEPT: "note de stage conservée",
    "not_counted": "sans coefficient : ne compte pas",  # EnseignementResult's own status (results.py)
}
_STATUS_RULES = {INCOMPLETE: "V2", ALL_NEUTRALISED: "A7", NO_EVALUATION: "V2", KEPT: "S1"}
_POLE_LABELS = {"ressources": "Ressources", "sae": "SAÉ"}


@dataclass(slots=True)
class EvaluationLine:
    label: str
    date: date | None
    weight: str
    grade: str
    mark: str
    resolved: str
    missing: bool


@dataclass(slots=True)
class EnseignementBlock:
    code: str
    display: str
    name: str
    semester: int
    moyenne: str
    status: str
    status_label: str
    status_rule: str
    problem: bool
    coefficients: str
    evaluations: list[EvaluationLine]


@dataclass(slots=True)
class CoefLine:
    display: str
    name: str
    pole: str
    coefficient: str
    moyenne: str
    status_label: str
    status_rule: str = ""


@dataclass(slots=True)
class UEBlock:
    key: str
    title: str
    proposal: Cell
    decision: Cell | None
    lines: list[CoefLine]
    motifs: tuple[Motif, ...]
    decided_motifs: tuple[Motif, ...]
    annee: str
    mobility: bool


@dataclass(slots=True)
class RCUEBlock:
    key: str
    title: str
    proposal: Cell
    decision: Cell | None
    parts: list[tuple[str, str, str]]  # (UE key, average, weight)
    weighting: str
    motifs: tuple[Motif, ...]


@dataclass
class StudentFile:
    jury: JurySession
    inputs: JuryInputs
    student: StudentIn
    enrolment_id: int
    proposal: StudentProposal
    decided: StudentProposal | None
    decision: JuryDecision | None
    stale: bool
    ues: list[UEBlock]
    rcues: list[RCUEBlock]
    enseignements: list[EnseignementBlock]
    proposal_year: Cell | None
    decided_year: Cell | None
    ue_choices: list[tuple[str, str]]
    rcue_choices: list[tuple[str, str]]

    def chosen_adj(self) -> tuple[list[str], list[str]]:
        """The UEs and RCUEs the jury itself set to ADJ, as its form ticked them: an RCUE's ADJ
        makes its UEs ADJ too (a consequence the engine records), which the jury did not tick."""
        rcues = [r for r in self.rcues if r.decision and r.decision.proposed and r.decision.code == Code.ADJ]
        implied = {key for r in rcues for key, _avg, _weight in r.parts}
        ues = [u.key for u in self.ues if u.decision and u.decision.proposed and u.decision.code == Code.ADJ
               and u.key not in implied]
        return ues, [r.key for r in rcues]


def load_student_file(jury: JurySession, numero: str) -> StudentFile | None:
    """One student at one jury: the proposal (pure engine), the decision and its consequences."""
    # The whole jury's run when a page has just kept it (the table, the student before), else
    # this student alone: the engine's proposal of a student does not depend on the others.
    run = kept_jury_proposals(annee=jury.annee, semester=jury.semester.number, formation=jury.formation)
    if run is None or numero not in run.inputs.enrolment_ids:
        run = jury_proposals(annee=jury.annee, semester=jury.semester.number, formation=jury.formation,
                             numeros=[numero])
    inputs = run.inputs
    student = run.student(numero)
    pure = run.pure(numero)
    if student is None or pure is None or numero not in inputs.enrolment_ids:
        return None
    decision = run.decision_for(numero)
    decided = run.decided_for(numero)
    index = inputs.maquette.index
    names = {e.code: e.name for e in inputs.maquette.enseignements}
    proposal_year = cell("proposition", None, pure.decision_annee) if pure.decision_annee else None
    decided_year = None
    if decided is not None and decided.decision_annee is not None:
        decided_year = cell("decision", None, decided.decision_annee, pure.decision_annee)
    sf = StudentFile(
        jury=jury, inputs=inputs, student=student, enrolment_id=inputs.enrolment_ids[numero], proposal=pure,
        decided=decided, decision=decision, stale=numero in run.stale,
        ues=_ues(inputs, pure, decided, names), rcues=_rcues(inputs, pure, decided),
        enseignements=_enseignements(pure, names), proposal_year=proposal_year, decided_year=decided_year,
        ue_choices=[(u.ue, f"{u.ue} — {u.code} {moyenne_fr(u.moyenne)}".strip())
                    for u in pure.ues if u.code not in ACQUIRED_UE_CODES],
        rcue_choices=[(str(RcueKey(r.competence, r.level)),
                       f"{RcueKey(r.competence, r.level)} {index.rcue_label(r.competence, r.level)} — "
                       f"{r.code} {moyenne_fr(r.moyenne)}".strip())
                      for r in pure.rcues if r.code not in VALIDATED_RCUE_CODES],
    )
    if jury.is_deliberated:  # worded as decisions from now on ("Redoublement", not "proposé")
        for c in (sf.proposal_year, sf.decided_year, *(b.proposal for b in sf.ues), *(b.decision for b in sf.ues),
                  *(b.proposal for b in sf.rcues), *(b.decision for b in sf.rcues)):
            as_decided(c)
    return sf


def _ues(inputs: JuryInputs, pure: StudentProposal, decided: StudentProposal | None,
         names: dict[str, str]) -> list[UEBlock]:
    index = inputs.maquette.index
    results = {e.code: e for e in pure.enseignements}
    decided_ues = {u.ue: u for u in decided.ues} if decided else {}
    ues = []
    for u in pure.ues:
        d = decided_ues.get(u.ue)
        definition = index.ue_by_key.get(u.ue)
        lines = []
        for c in (definition.coefficients if definition else ()):
            res = results.get(c.enseignement)
            lines.append(CoefLine(
                display=enseignement_label(c.enseignement), name=names.get(c.enseignement, ""),
                pole=_POLE_LABELS.get(c.pole, c.pole), coefficient=nombre_fr(c.value),
                moyenne=moyenne_fr(res.moyenne) if res else "",
                status_label=_STATUS_LABELS.get(res.status, "") if res else "",
                status_rule=_STATUS_RULES.get(res.status, "") if res else "",
            ))
        ues.append(UEBlock(
            key=u.ue, title=f"{index.competence_names.get(u.competence, '')} — niveau {u.level}",
            proposal=cell(u.ue, u.moyenne, u.code, ects=u.ects),
            decision=cell(u.ue, d.moyenne, d.code, u.code, d.ects) if d else None,
            lines=lines, motifs=u.motifs, decided_motifs=d.motifs if d and d.code != u.code else (),
            annee=u.annee, mobility=u.mobility,
        ))
    # ADSUP UEs that only the decision's consequences brought in (V5).
    for key, d in decided_ues.items():
        if key not in {b.key for b in ues}:
            ues.append(UEBlock(key=key, title=index.competence_names.get(d.competence, ""),
                               proposal=EMPTY, decision=cell(key, d.moyenne, d.code, None, d.ects),
                               lines=[], motifs=(), decided_motifs=d.motifs, annee=d.annee, mobility=d.mobility))
    return ues


def _rcues(inputs: JuryInputs, pure: StudentProposal, decided: StudentProposal | None) -> list[RCUEBlock]:
    index, settings = inputs.maquette.index, inputs.settings
    decided_rcues = {RcueKey(r.competence, r.level): r for r in decided.rcues} if decided else {}
    ue_avgs = {u.ue: u for u in pure.ues}
    rcues = []
    for r in pure.rcues:
        key = RcueKey(r.competence, r.level)
        d = decided_rcues.get(key)
        parts = []
        for ue_def in index.rcue_groups.get((r.competence, r.level), ()):
            weight = ue_def.ects if settings.rcue_weights == "ects" else ue_def.rcue_coefficient
            ue = ue_avgs.get(ue_def.key)
            parts.append((ue_def.key, moyenne_fr(ue.moyenne) if ue else "", nombre_fr(weight)))
        rcues.append(RCUEBlock(
            key=str(key), title=index.rcue_label(r.competence, r.level),
            proposal=cell(str(key), r.moyenne, r.code),
            decision=cell(str(key), d.moyenne, d.code, r.code) if d else None,
            parts=parts,
            weighting="pondérée par les ECTS des UE" if settings.rcue_weights == "ects" else "moyenne des deux UE",
            motifs=r.motifs,
        ))
    return rcues


def _enseignements(pure: StudentProposal, names: dict[str, str]) -> list[EnseignementBlock]:
    blocks = []
    for e in pure.enseignements:
        resolved = dict(e.resolved)
        evaluations = [
            EvaluationLine(
                label=ev.label, date=ev.date, weight=nombre_fr(ev.weight),
                grade=moyenne_fr(ev.value), mark=ev.mark or "",
                resolved=resolved.get(ev.label, ""), missing=ev.value is None and not ev.mark,
            )
            for ev in sorted(e.evaluations, key=lambda ev: (ev.date or date.max, ev.label))
        ]
        blocks.append(EnseignementBlock(
            code=e.code, display=enseignement_label(e.code), name=names.get(e.code, ""), semester=e.semester,
            moyenne=moyenne_fr(e.moyenne), status=e.status, status_label=_STATUS_LABELS.get(e.status, e.status),
            status_rule=_STATUS_RULES.get(e.status, ""),
            problem=e.status in (INCOMPLETE, NO_EVALUATION),
            coefficients=", ".join(f"{k} × {nombre_fr(v)}" for k, v in e.coefficients),
            evaluations=evaluations,
        ))
    return blocks


# --------------------------------------------------------------------------- the records around the jury


@dataclass(slots=True)
class CursusLine:
    annee: str
    semester: int
    regime: str
    redoublement: bool
    amenagement: bool
    status: str
    mobility: str
    current: bool
    decision: str
    decision_label: str
    jury_state: str


@dataclass(slots=True)
class AbsenceLine:
    start: datetime
    end: datetime
    declared_at: datetime
    justificatif_at: datetime | None
    reason: str
    justified: bool
    late: bool
    motifs: tuple[Motif, ...]


@dataclass
class StudentExtras:
    cursus: list[CursusLine]
    repeats: int
    stages: list
    mobilities: list
    fraud_cases: list
    absences: list[AbsenceLine]
    history: list
    previous: str | None
    next: str | None


def load_student_extras(sf: StudentFile) -> StudentExtras:
    """Cursus, stage, mobility, fraud cases, absences, decision history, neighbours (6 queries)."""
    jury, student = sf.jury, sf.student
    records = load_student_records(jury=jury, numero=student.numero, decision=sf.decision)
    regime_labels = dict(Enrolment.Regime.choices)
    status_labels = dict(Enrolment.Status.choices)
    institutions = {m.enrolment_id: m.institution for m in records.mobilities}
    cursus = []
    for e in records.enrolments:
        d = records.decisions.get(e.pk)
        code = code_or_none(d.decision_annee) if d else None
        cursus.append(CursusLine(
            annee=e.annee, semester=e.semester.number, regime=regime_labels.get(e.regime, e.regime),
            redoublement=e.redoublement, amenagement=e.amenagement, status=status_labels.get(e.status, e.status),
            mobility=institutions.get(e.pk, ""), current=e.pk == sf.enrolment_id,
            decision=str(code) if code else "",
            decision_label=(decided_label(code) if d.jury.is_deliberated else code.label) if d and code else "",
            jury_state=d.jury.get_state_display() if d else "",
        ))

    settings = sf.inputs.settings
    regimes = {(e.annee, e.semester % 2): e.regime for e in student.enrolments}
    parity = jury.semester.number % 2
    reasons = dict(Absence.Reason.choices)
    absences = []
    for a in student.absences:
        status = absence_status(a, regimes, settings)
        if status.annee != jury.annee or status.parity != parity:
            continue
        absences.append(AbsenceLine(start=a.start, end=a.end, declared_at=a.declared_at,
                                    justificatif_at=a.justificatif_at, reason=reasons.get(a.reason, a.reason),
                                    justified=status.justified, late=status.late_declaration, motifs=status.motifs))
    absences.sort(key=lambda a: a.start)
    order = records.order
    i = order.index(student.numero) if student.numero in order else -1
    return StudentExtras(
        cursus=cursus, repeats=sum(1 for e in records.enrolments if e.redoublement), stages=records.stages,
        mobilities=records.mobilities, fraud_cases=records.fraud_cases, absences=absences, history=records.history,
        previous=order[i - 1] if i > 0 else None, next=order[i + 1] if 0 <= i < len(order) - 1 else None,
    )

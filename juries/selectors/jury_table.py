"""The jury's read model: every student's proposal and decision, as rows ready to display.

One engine run per page, in a fixed number of queries: the selector of the engine's inputs
(selectors/jury.py), one query for the jury's decisions. Decisions recorded at an open jury are
fed to the engine like deliberated ones (EnrolmentIn.deliberated), so that their consequences
(V5 ADSUP, ECTS, passage) show in the table before the deliberation; the proposal they were
made against is the snapshot kept on each decision.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal

from django.utils.safestring import SafeString

from juries.models import JuryDecision, JurySession
from juries.pdf.charts import distribution_svg
from juries.rules.averages import ALL_NEUTRALISED, INCOMPLETE, KEPT, NO_EVALUATION, OK
from juries.rules.codes import ACQUIRED_UE_CODES, VALIDATED_RCUE_CODES, Code
from juries.rules.engine import compute_jury, compute_proposal
from juries.rules.inputs import DeliberatedIn, StudentIn
from juries.rules.motifs import Motif
from juries.rules.results import JuryProposals, StudentProposal, format_ects, format_moyenne
from juries.selectors.jury import JuryInputs, decision_to_input, load_jury_inputs

#: E1 concerns a ressource's evaluations, which are common to every student of the semester
#: (V1): it is a check of the whole jury, shown once above the table, not a student's alert.
JURY_LEVEL_RULES = frozenset({"E1"})

#: Families of codes, for the colours and the legend (acquired / compensated / failed / waiting).
FAMILIES: dict[str, tuple[Code, ...]] = {
    "acquis": (Code.ADM, Code.ADSUP, Code.ADJ, Code.PASD),
    "compense": (Code.CMP, Code.PAS1NCI),
    "ajourne": (Code.AJ, Code.RED, Code.NAR, Code.EXCLU, Code.DEF, Code.DEM, Code.ABAN),
    "attente": (Code.ATT, Code.ATJ),
}
FAMILY_LABELS = {
    "acquis": "acquis", "compense": "acquis par compensation / passage par décision",
    "ajourne": "non acquis", "attente": "en attente",
}
_FAMILY_OF = {code: family for family, codes in FAMILIES.items() for code in codes}


def shown_fr(moyenne: Decimal | None) -> str:
    """"12,50" (V3 display, decimal comma), "" when there is no average."""
    text = format_moyenne(moyenne)
    return "" if text is None else text.replace(".", ",")


def ects_fr(value: Decimal) -> str:
    return str(format_ects(value)).replace(".", ",")


def rcue_key(competence: int, level: int) -> str:
    return f"C{competence} N{level}"


def code_or_none(value: str | None) -> Code | None:
    return Code(value) if value else None


# --------------------------------------------------------------------------- feeding decisions


def with_decision(student: StudentIn, annee: str, semester: int, deliberated: DeliberatedIn | None) -> StudentIn:
    """The same student, with `deliberated` as this jury's decision (None: the pure proposal)."""
    enrolments = tuple(
        replace(e, deliberated=deliberated) if e.annee == annee and e.semester == semester else e
        for e in student.enrolments
    )
    return replace(student, enrolments=enrolments)


def proposal_for(inputs: JuryInputs, student: StudentIn, deliberated: DeliberatedIn | None) -> StudentProposal:
    return compute_proposal(
        maquette=inputs.maquette, student=with_decision(student, inputs.annee, inputs.semester, deliberated),
        annee=inputs.annee, semester=inputs.semester, jury_date=inputs.jury_date, settings=inputs.settings,
    )


def fingerprint(contract: Mapping) -> tuple:
    """What a decision is made against: UE and RCUE averages and codes, year decision, passage."""
    if not contract:
        return ()
    return (
        tuple((u["ue"], u["moyenne"], u["code"]) for u in contract.get("ues", ())),
        tuple((r["competence"], r["niveau"], r["moyenne"], r["code"]) for r in contract.get("rcues", ())),
        contract.get("decision_annee"),
        contract.get("passage"),
    )


def decision_codes(result: StudentProposal) -> dict:
    """The JuryDecision fields that record a result of the engine (codes as in CONTRACTS.md)."""
    return {
        "ue_codes": {u.ue: {"code": str(u.code), "moyenne": format_moyenne(u.moyenne)} for u in result.ues},
        "rcue_codes": {
            rcue_key(r.competence, r.level): {"code": str(r.code), "moyenne": format_moyenne(r.moyenne)}
            for r in result.rcues
        },
        "decision_annee": "" if result.decision_annee is None else str(result.decision_annee),
        "passage": result.passage,
    }


def compute_with_decisions(inputs: JuryInputs, decisions: Mapping[int, JuryDecision], *,
                           feed_open: bool) -> JuryProposals:
    """The whole jury through the engine; `feed_open`: this (open) jury's decisions count."""
    students: Iterable[StudentIn] = inputs.students
    if feed_open and decisions:
        fed = []
        for s in inputs.students:
            d = decisions.get(inputs.enrolment_ids.get(s.numero))
            fed.append(with_decision(s, inputs.annee, inputs.semester, decision_to_input(d)) if d else s)
        students = fed
    return compute_jury(maquette=inputs.maquette, students=students, annee=inputs.annee,
                        semester=inputs.semester, jury_date=inputs.jury_date, settings=inputs.settings)


# --------------------------------------------------------------------------- rows


@dataclass(slots=True)
class Cell:
    """One code with its average, as shown: `title` is the tooltip (label, and the proposal
    when the jury decided otherwise)."""

    key: str
    moyenne: str
    value: Decimal | None
    code: str
    label: str
    family: str
    proposed: str = ""
    proposed_label: str = ""
    ects: str = ""
    title: str = ""

    @property
    def shown(self) -> str:
        return self.moyenne or "—"


def _cell(key: str, moyenne: Decimal | None, code: Code | None, proposed: Code | None = None,
          ects: Decimal | None = None) -> Cell:
    differs = proposed is not None and proposed != code
    label = "" if code is None else code.label
    title = f"{key} : {label or '—'}"
    if differs:
        title += f" (proposé : {proposed}, {proposed.label})"
    text = format_moyenne(moyenne)
    return Cell(
        key=key, moyenne="" if text is None else text.replace(".", ","),
        value=None if text is None else Decimal(text),
        code="" if code is None else str(code), label=label,
        family=_FAMILY_OF.get(code, "") if code else "",
        proposed=str(proposed) if differs else "", proposed_label=proposed.label if differs else "",
        ects="" if ects is None else ects_fr(ects), title=title,
    )


_EMPTY = Cell(key="", moyenne="", value=None, code="", label="", family="", title="—")


@dataclass(slots=True)
class Row:
    numero: str
    nom: str
    prenom: str
    ues: list[Cell]
    extra_ues: list[Cell]
    rcues: list[Cell]
    proposal: Cell | None
    decision: Cell | None
    final: Cell | None
    decided: bool
    overridden: bool
    decided_by: str
    decided_at: datetime | None
    reason: str
    passage: bool | None
    ects: str
    ects_value: Decimal
    absences_justifiees: int
    absences_injustifiees: int
    alertes: tuple[Motif, ...]
    alert_rules: tuple[str, ...]
    alert_text: str
    dut: bool
    but: bool
    url: str = ""

    @property
    def has_alerts(self) -> bool:
        return bool(self.alertes)


@dataclass(slots=True)
class Column:
    key: str
    title: str
    chart: SafeString
    n: int
    mean: str
    passed: int


@dataclass
class JuryTable:
    jury: JurySession
    inputs: JuryInputs
    proposals: JuryProposals
    decisions: dict[int, JuryDecision]
    rows: list[Row]
    ue_columns: list[Column]
    rcue_columns: list[Column]
    jury_alerts: tuple[Motif, ...]
    even: bool
    has_year_decision: bool
    summary: dict = field(default_factory=dict)

    @property
    def students(self) -> int:
        return len(self.rows)


def load_jury_table(jury: JurySession) -> JuryTable:
    """Every student of the jury, proposal and decision side by side (bounded queries)."""
    semester = jury.semester.number
    inputs = load_jury_inputs(annee=jury.annee, semester=semester, formation=jury.formation)
    decisions = {
        d.enrolment_id: d for d in JuryDecision.objects.filter(jury=jury).select_related("decided_by")
    }
    proposals = compute_with_decisions(inputs, decisions, feed_open=not jury.is_deliberated)
    index = inputs.maquette.index
    even = semester % 2 == 0
    semesters = (semester - 1, semester) if even else (semester,)
    ue_keys = [u.key for s in semesters for u in index.ues_by_semester.get(s, ())]
    rcue_keys = [rcue_key(*k) for k in index.rcues_by_year.get((semester + 1) // 2, ())] if even else []
    final_semester = semester == index.final_semester

    rows: list[Row] = []
    jury_alerts: dict[Motif, None] = {}
    for p in proposals.students:
        d = decisions.get(inputs.enrolment_ids.get(p.numero))
        rows.append(_row(p, d, ue_keys, rcue_keys, jury_alerts))
    ue_titles = {u.key: index.competence_names.get(u.competence, "") for u in index.all_ues}
    ue_columns = [_column(k, ue_titles.get(k, ""), [r.ues[i] for r in rows], inputs)
                  for i, k in enumerate(ue_keys)]
    rcue_columns = [_column(k, index.competence_names.get(_rcue_tuple(k)[0], ""), [r.rcues[i] for r in rows], inputs)
                    for i, k in enumerate(rcue_keys)]
    table = JuryTable(
        jury=jury, inputs=inputs, proposals=proposals, decisions=decisions, rows=rows,
        ue_columns=ue_columns, rcue_columns=rcue_columns, jury_alerts=tuple(jury_alerts), even=even,
        has_year_decision=even,
    )
    table.summary = _summary(rows, final_semester)
    return table


def _rcue_tuple(key: str) -> tuple[int, int]:
    comp, level = key.replace("C", "").replace("N", "").split()
    return int(comp), int(level)


def _row(p: StudentProposal, d: JuryDecision | None, ue_keys: list[str], rcue_keys: list[str],
         jury_alerts: dict[Motif, None]) -> Row:
    snapshot = d.proposal if d is not None else None
    proposed_ue = {u["ue"]: code_or_none(u["code"]) for u in snapshot.get("ues", ())} if snapshot else {}
    proposed_rcue = (
        {rcue_key(r["competence"], r["niveau"]): code_or_none(r["code"]) for r in snapshot.get("rcues", ())}
        if snapshot else {}
    )
    by_ue = {}
    for u in p.ues:
        by_ue[u.ue] = _cell(u.ue, u.moyenne, u.code, proposed_ue.get(u.ue) if d else None, u.ects)
    by_rcue = {}
    for r in p.rcues:
        key = rcue_key(r.competence, r.level)
        by_rcue[key] = _cell(key, r.moyenne, r.code, proposed_rcue.get(key) if d else None)
    if d is not None:
        proposed_year = code_or_none(snapshot.get("decision_annee")) if snapshot else None
        decided_year = code_or_none(d.decision_annee)
        proposal = _cell("proposition", None, proposed_year) if proposed_year else None
        decision = _cell("decision", None, decided_year) if decided_year else None
    else:
        proposal = _cell("proposition", None, p.decision_annee) if p.decision_annee else None
        decision = None
    alertes = []
    for a in p.alertes:
        if a.rule_id in JURY_LEVEL_RULES:
            jury_alerts.setdefault(a, None)
        else:
            alertes.append(a)
    return Row(
        numero=p.numero, nom=p.nom, prenom=p.prenom,
        ues=[by_ue.get(k, _EMPTY) for k in ue_keys],
        extra_ues=[c for k, c in by_ue.items() if k not in ue_keys],
        rcues=[by_rcue.get(k, _EMPTY) for k in rcue_keys],
        proposal=proposal, decision=decision, final=decision or proposal,
        decided=d is not None, overridden=bool(d and d.overridden),
        decided_by=(d.decided_by.get_full_name() or d.decided_by.username) if d else "",
        decided_at=d.decided_at if d else None, reason=d.reason if d else "",
        passage=p.passage, ects=ects_fr(p.ects_acquis), ects_value=p.ects_acquis,
        absences_justifiees=p.absences_justifiees, absences_injustifiees=p.absences_injustifiees,
        alertes=tuple(alertes), alert_rules=tuple(dict.fromkeys(a.rule_id for a in alertes)),
        alert_text="\n".join(str(a) for a in alertes),
        dut=p.dut, but=p.but,
    )


def _column(key: str, title: str, cells: list[Cell], inputs: JuryInputs) -> Column:
    values = [c.value for c in cells if c.value is not None]
    threshold = inputs.settings.validation_threshold
    mean = sum(values, Decimal(0)) / len(values) if values else None
    return Column(
        key=key, title=title, n=len(values), mean=shown_fr(mean),
        passed=sum(1 for v in values if v >= threshold),
        chart=distribution_svg(values, threshold=threshold, title=f"{key} : répartition des moyennes",
                               width=72, height=32),
    )


def _summary(rows: list[Row], final_semester: bool) -> dict:
    finals = Counter(r.final.code for r in rows if r.final)
    labels = {str(c): c.label for c in Code}
    return {
        "students": len(rows),
        "decided": sum(1 for r in rows if r.decided),
        "overridden": sum(1 for r in rows if r.overridden),
        "alerts": sum(1 for r in rows if r.alertes),
        "codes": [
            {"code": code, "label": labels[code], "count": n, "family": _FAMILY_OF.get(Code(code), "")}
            for code, n in sorted(finals.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
        "final_semester": final_semester,
    }


# --------------------------------------------------------------------------- filters and sorting


@dataclass(frozen=True)
class TableQuery:
    alerts_only: bool = False
    undecided_only: bool = False
    code: str = ""
    q: str = ""
    sort: str = "nom"
    desc: bool = False


SORTS = ("nom", "numero", "proposition", "decision", "ects", "absences", "alertes")


def filter_and_sort(table: JuryTable, query: TableQuery) -> list[Row]:
    rows = table.rows
    if query.alerts_only:
        rows = [r for r in rows if r.alertes]
    if query.undecided_only:
        rows = [r for r in rows if not r.decided]
    if query.code:
        rows = [r for r in rows if r.final and r.final.code == query.code]
    if query.q:
        needle = query.q.casefold()
        rows = [r for r in rows if needle in f"{r.numero} {r.nom} {r.prenom}".casefold()]
    return sorted(rows, key=_sort_key(table, query.sort), reverse=query.desc)


def _sort_key(table: JuryTable, sort: str):
    ue_index = {c.key: i for i, c in enumerate(table.ue_columns)}
    rcue_index = {c.key: i for i, c in enumerate(table.rcue_columns)}
    low = Decimal(-1)
    if sort in ue_index:
        i = ue_index[sort]
        return lambda r: (r.ues[i].value if r.ues[i].value is not None else low, r.nom, r.prenom)
    if sort in rcue_index:
        i = rcue_index[sort]
        return lambda r: (r.rcues[i].value if r.rcues[i].value is not None else low, r.nom, r.prenom)
    return {
        "numero": lambda r: r.numero,
        "proposition": lambda r: (r.proposal.code if r.proposal else "", r.nom, r.prenom),
        "decision": lambda r: (r.final.code if r.final else "", r.nom, r.prenom),
        "ects": lambda r: (r.ects_value, r.nom, r.prenom),
        "absences": lambda r: (r.absences_injustifiees, r.absences_justifiees, r.nom, r.prenom),
        "alertes": lambda r: (len(r.alertes), r.nom, r.prenom),
    }.get(sort, lambda r: (r.nom.casefold(), r.prenom.casefold(), r.numero))


def valid_sort(sort: str, table: JuryTable) -> str:
    keys = set(SORTS) | {c.key for c in table.ue_columns} | {c.key for c in table.rcue_columns}
    return sort if sort in keys else "nom"


# --------------------------------------------------------------------------- helpers for the pages


def is_acquired(code: Code) -> bool:
    return code in ACQUIRED_UE_CODES


def is_validated(code: Code) -> bool:
    return code in VALIDATED_RCUE_CODES


def jury_date_label(d: date) -> str:
    return d.strftime("%d/%m/%Y")


# --------------------------------------------------------------------------- one student's file

_STATUS_LABELS = {
    OK: "", INCOMPLETE: "note manquante (V2)", ALL_NEUTRALISED: "neutralisé : toutes évaluations ABJ (A7)",
    NO_EVALUATION: "aucune évaluation saisie (V2)", KEPT: "note de stage conservée (S1)",
    "not_counted": "sans coefficient : ne compte pas",  # EnseignementResult's own status (results.py)
}
_POLE_LABELS = {"ressources": "Ressources", "sae": "SAÉ"}


def display_code(code: str) -> str:
    return code.replace("SAE", "SAÉ", 1) if code.startswith("SAE") else code


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


def load_student_file(jury: JurySession, numero: str) -> StudentFile | None:
    """One student at one jury: the proposal (pure engine), the decision and its consequences."""
    inputs = load_jury_inputs(annee=jury.annee, semester=jury.semester.number, formation=jury.formation,
                              numeros=[numero])
    student = next((s for s in inputs.students if s.numero == numero), None)
    if student is None or numero not in inputs.enrolment_ids:
        return None
    enrolment_id = inputs.enrolment_ids[numero]
    decision = (JuryDecision.objects.filter(jury=jury, enrolment_id=enrolment_id)
                .select_related("decided_by").first())
    pure = proposal_for(inputs, student, None)
    decided = proposal_for(inputs, student, decision_to_input(decision)) if decision else None
    index = inputs.maquette.index
    settings = inputs.settings

    results = {e.code: e for e in pure.enseignements}
    names = {e.code: e.name for e in inputs.maquette.enseignements}
    decided_ues = {u.ue: u for u in decided.ues} if decided else {}
    ues = []
    for u in pure.ues:
        d = decided_ues.get(u.ue)
        definition = index.ue_by_key.get(u.ue)
        lines = []
        for c in (definition.coefficients if definition else ()):
            res = results.get(c.enseignement)
            lines.append(CoefLine(
                display=display_code(c.enseignement), name=names.get(c.enseignement, ""),
                pole=_POLE_LABELS.get(c.pole, c.pole), coefficient=_num(c.value),
                moyenne=shown_fr(res.moyenne) if res else "", status_label=_STATUS_LABELS.get(res.status, "") if res else "",
            ))
        ues.append(UEBlock(
            key=u.ue, title=f"{index.competence_names.get(u.competence, '')} — niveau {u.level}",
            proposal=_cell(u.ue, u.moyenne, u.code, ects=u.ects),
            decision=_cell(u.ue, d.moyenne, d.code, u.code, d.ects) if d else None,
            lines=lines, motifs=u.motifs, decided_motifs=d.motifs if d and d.code != u.code else (),
            annee=u.annee, mobility=u.mobility,
        ))
    # ADSUP UEs that only the decision's consequences brought in (V5).
    for key, d in decided_ues.items():
        if key not in {b.key for b in ues}:
            ues.append(UEBlock(key=key, title=index.competence_names.get(d.competence, ""),
                               proposal=_EMPTY, decision=_cell(key, d.moyenne, d.code, None, d.ects),
                               lines=[], motifs=(), decided_motifs=d.motifs, annee=d.annee, mobility=d.mobility))

    decided_rcues = {rcue_key(r.competence, r.level): r for r in decided.rcues} if decided else {}
    ue_avgs = {u.ue: u for u in pure.ues}
    rcues = []
    for r in pure.rcues:
        key = rcue_key(r.competence, r.level)
        d = decided_rcues.get(key)
        parts = []
        for ue_def in index.rcue_groups.get((r.competence, r.level), ()):
            weight = ue_def.ects if settings.rcue_weights == "ects" else ue_def.rcue_coefficient
            ue = ue_avgs.get(ue_def.key)
            parts.append((ue_def.key, shown_fr(ue.moyenne) if ue else "", _num(weight)))
        rcues.append(RCUEBlock(
            key=key, title=index.rcue_label(r.competence, r.level),
            proposal=_cell(key, r.moyenne, r.code), decision=_cell(key, d.moyenne, d.code, r.code) if d else None,
            parts=parts,
            weighting="pondérée par les ECTS des UE" if settings.rcue_weights == "ects" else "moyenne des deux UE",
            motifs=r.motifs,
        ))

    enseignements = []
    for e in pure.enseignements:
        resolved = dict(e.resolved)
        evaluations = [
            EvaluationLine(
                label=ev.label, date=ev.date, weight=_num(ev.weight),
                grade="" if ev.value is None else shown_fr(ev.value), mark=ev.mark or "",
                resolved=resolved.get(ev.label, ""), missing=ev.value is None and not ev.mark,
            )
            for ev in sorted(e.evaluations, key=lambda ev: (ev.date or date.max, ev.label))
        ]
        enseignements.append(EnseignementBlock(
            code=e.code, display=display_code(e.code), name=names.get(e.code, ""), semester=e.semester,
            moyenne=shown_fr(e.moyenne), status=e.status, status_label=_STATUS_LABELS.get(e.status, e.status),
            problem=e.status in (INCOMPLETE, NO_EVALUATION),
            coefficients=", ".join(f"{k} × {_num(v)}" for k, v in e.coefficients),
            evaluations=evaluations,
        ))

    proposal_year = _cell("proposition", None, pure.decision_annee) if pure.decision_annee else None
    decided_year = None
    if decided is not None and decided.decision_annee is not None:
        decided_year = _cell("decision", None, decided.decision_annee, pure.decision_annee)
    return StudentFile(
        jury=jury, inputs=inputs, student=student, enrolment_id=enrolment_id, proposal=pure, decided=decided,
        decision=decision, stale=bool(decision and fingerprint(decision.proposal) != fingerprint(pure.as_contract())),
        ues=ues, rcues=rcues, enseignements=enseignements, proposal_year=proposal_year, decided_year=decided_year,
        ue_choices=[(u.ue, f"{u.ue} — {u.code} {shown_fr(u.moyenne)}".strip())
                    for u in pure.ues if u.code not in ACQUIRED_UE_CODES],
        rcue_choices=[(rcue_key(r.competence, r.level),
                       f"{rcue_key(r.competence, r.level)} {index.rcue_label(r.competence, r.level)} — "
                       f"{r.code} {shown_fr(r.moyenne)}".strip())
                      for r in pure.rcues if r.code not in VALIDATED_RCUE_CODES],
    )


def _num(value: Decimal) -> str:
    text = f"{value.normalize():f}" if value == value.to_integral_value() else f"{value.normalize()}"
    return text.replace(".", ",")


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
    from juries.models import Absence, Enrolment, FraudCase, Mobility, Stage
    from juries.rules.absences import absence_status

    jury, student = sf.jury, sf.student
    enrolments = list(
        Enrolment.objects.filter(student__numero=student.numero)
        .select_related("semester").order_by("annee", "semester__number")
    )
    decisions = {
        d.enrolment_id: d
        for d in JuryDecision.objects.filter(enrolment__in=enrolments).select_related("jury")
    }
    regime_labels = dict(Enrolment.Regime.choices)
    status_labels = dict(Enrolment.Status.choices)
    cursus = []
    for e in enrolments:
        d = decisions.get(e.pk)
        code = code_or_none(d.decision_annee) if d else None
        cursus.append(CursusLine(
            annee=e.annee, semester=e.semester.number, regime=regime_labels.get(e.regime, e.regime),
            redoublement=e.redoublement, amenagement=e.amenagement, status=status_labels.get(e.status, e.status),
            mobility="", current=e.pk == sf.enrolment_id,
            decision=str(code) if code else "", decision_label=code.label if code else "",
            jury_state=d.jury.get_state_display() if d else "",
        ))
    ids = [e.pk for e in enrolments]
    mobilities = list(Mobility.objects.filter(enrolment_id__in=ids).select_related("enrolment__semester"))
    by_enrolment = {m.enrolment_id: m.institution for m in mobilities}
    for line, e in zip(cursus, enrolments, strict=True):
        line.mobility = by_enrolment.get(e.pk, "")
    stages = list(Stage.objects.filter(enrolment_id__in=ids).select_related("enrolment__semester")
                  .order_by("enrolment__annee", "enrolment__semester__number"))
    frauds = list(FraudCase.objects.filter(student__numero=student.numero)
                  .select_related("evaluation__enseignement").order_by("-date"))

    settings = sf.inputs.settings
    regimes = {(e.annee, e.semester % 2): e.regime for e in student.enrolments}
    parity = jury.semester.number % 2
    absences = []
    for a in student.absences:
        status = absence_status(a, regimes, settings)
        if status.annee != jury.annee or status.parity != parity:
            continue
        absences.append(AbsenceLine(start=a.start, end=a.end, declared_at=a.declared_at,
                                    justificatif_at=a.justificatif_at,
                                    reason=dict(Absence.Reason.choices).get(a.reason, a.reason),
                                    justified=status.justified, late=status.late_declaration, motifs=status.motifs))
    absences.sort(key=lambda a: a.start)
    history = list(sf.decision.history.select_related("history_user").order_by("-history_date")) if sf.decision else []
    order = list(
        Enrolment.objects.filter(annee=jury.annee, semester=jury.semester)
        .order_by("student__nom", "student__prenom", "student__numero").values_list("student__numero", flat=True)
    )
    i = order.index(student.numero) if student.numero in order else -1
    return StudentExtras(
        cursus=cursus, repeats=sum(1 for e in enrolments if e.redoublement), stages=stages, mobilities=mobilities,
        fraud_cases=frauds, absences=absences, history=history,
        previous=order[i - 1] if i > 0 else None, next=order[i + 1] if 0 <= i < len(order) - 1 else None,
    )


def stale_decisions(table: JuryTable) -> list[str]:
    """Numeros whose recorded decision was made against a proposal that has changed since."""
    if not table.decisions or table.jury.is_deliberated:
        return []
    pure = compute_with_decisions(table.inputs, {}, feed_open=False)
    out = []
    for p in pure.students:
        d = table.decisions.get(table.inputs.enrolment_ids.get(p.numero))
        if d is not None and fingerprint(d.proposal) != fingerprint(p.as_contract()):
            out.append(p.numero)
    return out

"""The jury table: every student's proposal and decision as rows, one histogram per column,
filters and sorting (the view model of the jury's main page, of the deliberation page and the PV).

One engine run per page through selectors/proposals.py: the cells show the proposals with this
open jury's decisions fed (their consequences), the proposed code being the snapshot kept on
each decision.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from html import escape
from urllib.parse import quote

from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from juries.models import JuryDecision, JurySession
from juries.presenters.cells import EMPTY, FAMILY_OF, Cell, cell, code_or_none
from juries.presenters.charts import distribution_svg
from juries.presenters.reglement import rule_ids
from juries.roles import display_name
from juries.rules.codes import Code
from juries.rules.french import datetime_fr, moyenne_fr, nombre_fr
from juries.rules.motifs import Motif
from juries.rules.results import StudentProposal
from juries.selectors.jury import JuryInputs, RcueKey
from juries.selectors.proposals import JuryRun, cached_jury_proposals

#: E1 concerns a ressource's evaluations, which are common to every student of the semester
#: (V1): it is a check of the whole jury, shown once above the table, not a student's alert.
JURY_LEVEL_RULES = frozenset({"E1"})

#: A code's label once the jury has deliberated: a decision, not a proposal ("Redoublement",
#: not "Redoublement proposé"); also the wording of what the decision form lets the jury choose.
DECIDED_LABELS: dict[str, str] = {Code.RED: "Redoublement"}


def decided_label(code: str | Code) -> str:
    return DECIDED_LABELS.get(str(code)) or Code(code).label


def as_decided(c: Cell | None) -> Cell | None:
    """The cell worded as a decision (in place): its label and the tooltip that repeats it."""
    if c is not None and c.code in DECIDED_LABELS:
        old, c.label = c.label, DECIDED_LABELS[c.code]
        c.title = c.title.replace(old, c.label)
    return c


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
    run: JuryRun
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
    run = cached_jury_proposals(annee=jury.annee, semester=semester, formation=jury.formation)
    inputs = run.inputs
    index = inputs.maquette.index
    even = semester % 2 == 0
    semesters = (semester - 1, semester) if even else (semester,)
    ue_keys = [u.key for s in semesters for u in index.ues_by_semester.get(s, ())]
    rcues = [RcueKey(*k) for k in index.rcues_by_year.get((semester + 1) // 2, ())] if even else []
    rcue_keys = [str(k) for k in rcues]

    rows: list[Row] = []
    jury_alerts: dict[Motif, None] = {}
    for p in run.decided.students:
        rows.append(_row(p, run.decision_for(p.numero), ue_keys, rcue_keys, jury_alerts))
    deliberated = jury.is_deliberated
    if deliberated:
        for r in rows:
            for c in (*r.ues, *r.extra_ues, *r.rcues, r.proposal, r.decision):
                as_decided(c)
    ue_titles = {u.key: index.competence_names.get(u.competence, "") for u in index.all_ues}
    ue_columns = [_column(k, ue_titles.get(k, ""), [r.ues[i] for r in rows], inputs, first=i == 0)
                  for i, k in enumerate(ue_keys)]
    rcue_columns = [_column(str(k), index.competence_names.get(k.competence, ""), [r.rcues[i] for r in rows], inputs,
                            first=not ue_keys and i == 0)
                    for i, k in enumerate(rcues)]
    return JuryTable(
        jury=jury, run=run, rows=rows, ue_columns=ue_columns, rcue_columns=rcue_columns,
        jury_alerts=tuple(jury_alerts), even=even, has_year_decision=even,
        summary=_summary(rows, semester == index.final_semester, deliberated),
    )


def _row(p: StudentProposal, d: JuryDecision | None, ue_keys: list[str], rcue_keys: list[str],
         jury_alerts: dict[Motif, None]) -> Row:
    snapshot = d.proposal if d is not None else None
    proposed_ue = {u["ue"]: code_or_none(u["code"]) for u in snapshot.get("ues", ())} if snapshot else {}
    proposed_rcue = (
        {str(RcueKey(r["competence"], r["niveau"])): code_or_none(r["code"]) for r in snapshot.get("rcues", ())}
        if snapshot else {}
    )
    by_ue = {u.ue: cell(u.ue, u.moyenne, u.code, proposed_ue.get(u.ue) if d else None, u.ects) for u in p.ues}
    by_rcue = {}
    for r in p.rcues:
        key = str(RcueKey(r.competence, r.level))
        by_rcue[key] = cell(key, r.moyenne, r.code, proposed_rcue.get(key) if d else None)
    if d is not None:
        proposed_year = code_or_none(snapshot.get("decision_annee")) if snapshot else None
        decided_year = code_or_none(d.decision_annee)
        proposal = cell("proposition", None, proposed_year) if proposed_year else None
        decision = cell("decision", None, decided_year) if decided_year else None
    else:
        proposal = cell("proposition", None, p.decision_annee) if p.decision_annee else None
        decision = None
    alertes = []
    for a in p.alertes:
        if a.rule_id in JURY_LEVEL_RULES:
            jury_alerts.setdefault(a, None)
        else:
            alertes.append(a)
    return Row(
        numero=p.numero, nom=p.nom, prenom=p.prenom,
        ues=[by_ue.get(k, EMPTY) for k in ue_keys],
        extra_ues=[c for k, c in by_ue.items() if k not in ue_keys],
        rcues=[by_rcue.get(k, EMPTY) for k in rcue_keys],
        proposal=proposal, decision=decision, final=decision or proposal,
        decided=d is not None, overridden=bool(d and d.overridden),
        decided_by=display_name(d.decided_by) if d else "",
        decided_at=d.decided_at if d else None, reason=d.reason if d else "",
        passage=p.passage, ects=nombre_fr(p.ects_acquis), ects_value=p.ects_acquis,
        absences_justifiees=p.absences_justifiees, absences_injustifiees=p.absences_injustifiees,
        alertes=tuple(alertes), alert_rules=tuple(dict.fromkeys(a.rule_id for a in alertes)),
        alert_text="\n".join(str(a) for a in alertes),
        dut=p.dut, but=p.but,
    )


def _column(key: str, title: str, cells: list[Cell], inputs: JuryInputs, *, first: bool) -> Column:
    values = [c.value for c in cells if c.value is not None]
    threshold = inputs.settings.validation_threshold
    mean = sum(values, Decimal(0)) / len(values) if values else None
    return Column(
        key=key, title=title, n=len(values), mean=moyenne_fr(mean),
        passed=sum(1 for v in values if v >= threshold),
        chart=distribution_svg(values, threshold=threshold, title=f"{key} : répartition des moyennes",
                               width=70, height=32, axes_id="chart-axes", axes_drawn=not first, dense=True),
    )


def _summary(rows: list[Row], final_semester: bool, deliberated: bool = False) -> dict:
    finals = Counter(r.final.code for r in rows if r.final)
    labels = {str(c): decided_label(c) if deliberated else c.label for c in Code}
    return {
        "students": len(rows),
        "decided": sum(1 for r in rows if r.decided),
        "overridden": sum(1 for r in rows if r.overridden),
        "alerts": sum(1 for r in rows if r.alertes),
        "codes": [
            {"code": code, "label": labels[code], "count": n, "family": FAMILY_OF.get(Code(code), "")}
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


@dataclass(frozen=True)
class Neighbours:
    previous: str | None
    next: str | None
    position: int  # 1-based place of the student in the list; 0 when the filters leave them out
    count: int


def neighbours(table: JuryTable, query: TableQuery, numero: str) -> Neighbours:
    """The students before and after `numero` in the table as filtered and sorted by `query`.

    A student the filters leave out (decided since the list was filtered by "non encore décidés")
    still gets the nearest listed students on either side, in the list's own order.
    """
    listed = {r.numero for r in filter_and_sort(table, query)}
    everyone = [r.numero for r in filter_and_sort(table, TableQuery(sort=query.sort, desc=query.desc))]
    i = everyone.index(numero) if numero in everyone else -1
    before = [n for n in everyone[:max(i, 0)] if n in listed]
    after = [n for n in everyone[i + 1:] if n in listed] if i >= 0 else []
    return Neighbours(previous=before[-1] if before else None, next=after[0] if after else None,
                      position=len(before) + 1 if numero in listed else 0, count=len(listed))


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


#: Proposals the jury must not seal without looking: a repeat, a refusal, a wait or an exclusion.
REVIEW_CODES = frozenset({Code.RED, Code.NAR, Code.ATJ, Code.EXCLU})


def to_review(table: JuryTable) -> list[Row]:
    """The students whose proposal is RED, NAR, ATJ or EXCLU and who have no recorded decision
    yet: deliberating would accept those proposals as they are (none once deliberated)."""
    if table.run.deliberated:
        return []
    return [r for r in sorted(table.rows, key=lambda r: (r.nom.casefold(), r.prenom.casefold(), r.numero))
            if not r.decided and r.proposal is not None and r.proposal.code in REVIEW_CODES]


def stale_decisions(table: JuryTable) -> tuple[str, ...]:
    """The decisions to review before deliberating (none once the jury has deliberated)."""
    return () if table.run.deliberated else table.run.stale


# --------------------------------------------------------------------------- the rows as HTML
# The table's 150 rows × 17 cells are written here rather than by the template language, whose
# per-variable cost made the page slow (about 100 ms for the rows alone), and with the lightest
# markup that keeps every piece of information: a cell is one <td> with its text, its look comes
# from static/jury.css (the column, the cell's family class), end tags the HTML parser implies are
# left out. Every text from the database is escaped.

#: The class of a code's family on a cell. None for "acquis", the usual case: its tint comes from
#: the column (<col class="marks">), so that most cells carry no attribute at all.
FAMILY_CLASS = {"acquis": "", "compense": "cmp", "ajourne": "ko", "attente": "att", "": "nc"}
#: Pads "9,50" to the width of "12,50" (a digit's width): the averages and the codes line up.
FIGURE_SPACE = "\u2007"
#: The code a UE's or RCUE's average goes without: "12,50" is "12,50 ADM".
IMPLIED_CODE = str(Code.ADM)


def _mark_td(c: Cell, title_prefix: str = "") -> str:
    cls = FAMILY_CLASS.get(c.family, "")
    avg = c.moyenne or "—"
    if len(avg) == 4:
        avg = FIGURE_SPACE + avg
    # ADM, two cells in three, goes without saying (the legend says it): the other codes stand out.
    text = f"{avg} {c.code}" if c.code and (c.code != IMPLIED_CODE or not c.moyenne) else avg
    if c.proposed:
        # A code the jury changed: the proposal stays visible, struck, and told in the tooltip.
        return (f'<td class="{(cls + " changed").strip()}" title="{escape(title_prefix + c.title)}">{text} '
                f'<s class="was">{c.proposed}</s>')
    return f"<td class={cls}>{text}" if cls else f"<td>{text}"


def _code_td(c: Cell | None, title: str = "") -> str:
    if c is None:
        return "<td>—"
    cls = FAMILY_CLASS.get(c.family, "")
    attrs = (f" class={cls}" if cls else "") + (f' title="{escape(title)}"' if title else "")
    return f"<td{attrs}>{c.code}"


def _decision_td(r: Row) -> str:
    if not r.decided:
        return "<td>à décider"  # styled by its column (the row is not .decided)
    when = f"par {r.decided_by}" + (f" le {datetime_fr(timezone.localtime(r.decided_at))}" if r.decided_at else "")
    if r.decision is not None:
        out = _code_td(r.decision, when)  # the code's label is in the legend
    else:
        out = f'<td><span class="done" title="{escape(when)}">✓ enregistrée</span>'
    if r.overridden:
        out += f' <span class="overridden" title="{escape(r.reason)}">✎ modifiée</span>'
    for c in r.extra_ues:
        out += (f' <span class="extra" title="{escape(c.key)} : {escape(c.label)}">{escape(c.key)} '
                f'<span class="code code-{c.code}">{c.code}</span></span>')
    return out


def _alert_line(r: Row, columns: int, rule_html: dict[str, str]) -> str:
    items = "".join(f"<li>{escape(_capfirst(a.text))} {rule_html[a.rule_id]}" for a in r.alertes)
    return f'<tr class="alert-line" data-alerts-of="{escape(r.numero)}"><td colspan="{columns}"><ul>{items}</ul></tr>\n'


def _capfirst(text: str) -> str:
    return text[:1].upper() + text[1:]


def _rule_badge(rule_id: str, known: frozenset[str], page: str) -> str:
    """A rule's id as a link to its entry on the Règlement page (its id alone when it has none)."""
    return f'<a class="rule" href="{page}#{rule_id}">{rule_id}</a>' if rule_id in known else escape(rule_id)


def rows_html(rows: list[Row], *, year: bool, columns: int) -> SafeString:
    """The <tbody> rows of the table: a student's row, then the line of their alerts if any.

    The link to a student is relative ("etudiants/<numero>/", the table being at /jurys/<pk>/) and
    carries no filters: the table carries them once (data-kept, static/jury.js)."""
    known, page = rule_ids(), reverse("reglement")
    rule_html = {rule: _rule_badge(rule, known, page) for r in rows for rule in r.alert_rules}
    out = []
    for r in rows:
        n = escape(r.numero)
        parts = ['<tr class="decided">' if r.decided else "<tr>",
                 f"<th>{n}<th><a href=etudiants/{quote(r.numero)}/>{escape(r.nom)}</a> {escape(r.prenom)}"]
        parts += [_mark_td(c) for c in r.ues]
        parts += [_mark_td(c, "RCUE ") for c in r.rcues]
        if year:
            parts.append(_code_td(r.proposal))
        parts.append(_decision_td(r))
        passage = "—" if r.passage is None else "oui" if r.passage else "non"
        parts.append(f"<td>{r.ects}<td>{passage}<td>{r.absences_justifiees} / {r.absences_injustifiees}")
        parts.append(f'<td class="alerts">{" ".join(r.alert_rules)}\n' if r.alert_rules else "<td>\n")
        out.append("".join(parts))
        if r.alertes:
            out.append(_alert_line(r, columns, rule_html))
    return mark_safe("".join(out))  # noqa: S308 — every text from the database is escaped above


@dataclass(frozen=True, slots=True)
class LegendCode:
    code: str
    label: str
    note: str = ""


def code_legend(rows: list[Row]) -> list[LegendCode]:
    """Every code shown in the rows (UE, RCUE, year) with its label, in the codes' order: what a
    code means is said once, here, rather than in a tooltip on every cell."""
    seen: dict[str, str] = {}
    for r in rows:
        for c in (*r.ues, *r.rcues, *r.extra_ues, r.proposal, r.decision):
            if c is not None and c.code and c.code not in seen:
                seen[c.code] = c.label
    order = {str(code): i for i, code in enumerate(Code)}
    return [LegendCode(code, label, "une moyenne sans code" if code == IMPLIED_CODE else "")
            for code, label in sorted(seen.items(), key=lambda kv: order.get(kv[0], len(order)))]

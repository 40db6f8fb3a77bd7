"""The PV de jury (procès-verbal): the jury's composition and date, one line per student with
UE/RCUE codes, decision and ECTS, and the signature block — as PDF (WeasyPrint) and XLSX."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from juries.models import JurySession
from juries.pdf.pv import render_pv_pdf
from juries.presenters.cells import Cell
from juries.presenters.jury_table import Column, JuryTable, Row, load_jury_table
from juries.roles import display_name
from juries.rules.codes import Code
from juries.rules.french import date_fr, datetime_fr
from juries.services.exports import write_xlsx


@dataclass(frozen=True)
class PVLine:
    """One student's line of the PDF, as the template prints it: each UE/RCUE cell is one text and
    its code's family (the cell's class), so the PDF lays out one box per cell, not three."""

    numero: str
    nom: str
    prenom: str
    cells: list[tuple[str, str]]
    final: str
    final_family: str
    overridden: bool
    extra: list[str]
    passage: str
    ects: str

    @property
    def detail(self) -> bool:
        return self.overridden or bool(self.extra)


def _cell_text(cell: Cell) -> tuple[str, str]:
    if not cell.code:
        return (f"{cell.moyenne} —" if cell.moyenne else "—"), ""
    return (f"{cell.moyenne} {cell.code}" if cell.moyenne else str(cell.code)), cell.family


def _line(r: Row) -> PVLine:
    return PVLine(
        numero=r.numero, nom=r.nom.upper(), prenom=r.prenom,
        cells=[_cell_text(c) for c in (*r.ues, *r.rcues)],
        final=str(r.final.code) if r.final else "—", final_family=r.final.family if r.final else "",
        overridden=bool(r.final) and r.overridden, extra=[f"{c.key} {c.code}" for c in r.extra_ues],
        passage="—" if r.passage is None else ("oui" if r.passage else "non"), ects=r.ects,
    )


@dataclass
class PV:
    jury: JurySession
    table: JuryTable
    rows: list[Row]
    ue_columns: list[Column]
    rcue_columns: list[Column]
    president: str
    members: list[str]
    deliberated: bool
    deliberated_at: datetime | None
    generated_at: datetime
    legend: list[tuple[str, str]]
    summary: dict

    @property
    def lines(self) -> list[PVLine]:
        return [_line(r) for r in self.rows]

    @property
    def title(self) -> str:
        return f"Procès-verbal du jury du semestre S{self.jury.semester.number} — {self.jury.annee}"


def build_pv(jury: JurySession, *, now: datetime) -> PV:
    table = load_jury_table(jury)
    rows = sorted(table.rows, key=lambda r: (r.nom.casefold(), r.prenom.casefold(), r.numero))
    members = [display_name(u) for u in jury.members.exclude(pk=jury.president_id).order_by("last_name", "first_name")]
    used: dict[str, str] = {}
    for r in rows:
        for cell in (*r.ues, *r.extra_ues, *r.rcues, r.final):
            if cell is not None and cell.code:
                used.setdefault(cell.code, cell.label)
    order = {str(c): i for i, c in enumerate(Code)}
    return PV(
        jury=jury, table=table, rows=rows, ue_columns=table.ue_columns, rcue_columns=table.rcue_columns,
        president=display_name(jury.president), members=members, deliberated=jury.is_deliberated,
        deliberated_at=jury.deliberated_at, generated_at=now,
        legend=sorted(used.items(), key=lambda kv: order.get(kv[0], 99)), summary=table.summary,
    )


def pv_pdf(*, jury: JurySession, now: datetime | None = None) -> bytes:
    return render_pv_pdf(build_pv(jury, now=now or timezone.now()))


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("oui" if value else "non")


def pv_xlsx(*, jury: JurySession, now: datetime | None = None) -> bytes:
    """The same PV as a spreadsheet: one row per student, then the jury's composition and state."""
    pv = build_pv(jury, now=now or timezone.now())
    header = ["numero", "nom", "prenom"]
    for c in pv.ue_columns:
        header += [f"{c.key} moyenne", f"{c.key} code"]
    for c in pv.rcue_columns:
        header += [f"{c.key} moyenne", f"{c.key} code"]
    header += ["autres UE", "decision_annee", "passage", "ects_acquis", "decision du jury", "motif du jury"]
    rows: list[list[object]] = []
    for r in pv.rows:
        row: list[object] = [r.numero, r.nom, r.prenom]
        for cell in (*r.ues, *r.rcues):
            row += [cell.value, cell.code or None]
        row += [
            ", ".join(f"{c.key} {c.code}" for c in r.extra_ues) or None,
            r.final.code if r.final else None, _yes_no(r.passage) or None, r.ects_value,
            ("modifiée" if r.overridden else "proposition acceptée") if r.decided else "non décidée",
            r.reason or None,
        ]
        rows.append(row)
    local = timezone.localtime
    rows += [
        [],
        ["Jury", f"Jury du S{jury.semester.number} — {jury.annee}", jury.formation.name],
        ["Date du jury", date_fr(jury.date)],
        ["Président", pv.president],
        ["Membres", ", ".join(pv.members) or "—"],
        ["État", f"Délibéré le {datetime_fr(local(pv.deliberated_at))}" if pv.deliberated
         else "PROJET — non délibéré"],
        ["Édité le", datetime_fr(local(pv.generated_at))],
    ]
    rows += [[code, label] for code, label in pv.legend]
    return write_xlsx(header, rows, title=f"PV S{jury.semester.number} {jury.annee}")

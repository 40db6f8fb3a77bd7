"""Spreadsheet exports: proposals as CSV/XLSX rows (docs/formats.md).

CSV has no types: a text a spreadsheet would run (`=`, `+`, `-`, `@`) gets the neutralising
quote, which every import drops again. XLSX is typed: numbers are numbers (two decimals shown),
dates are dates, text is a text cell — which never runs, so it needs no quote; a text starting
with `=` carries Excel's own "quote prefix" flag so that editing the cell keeps it text.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from juries.rules.french import moyenne_fr, nombre_fr

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
DECIMAL_FORMAT = "0.00"  # a French spreadsheet shows 10,50
DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"


@dataclass(frozen=True)
class Typed:
    """A value that an XLSX cell holds typed (number, date, date-time) and a CSV cell as `text`."""

    value: Decimal | int | date | datetime
    text: str


def neutralise(value: object) -> object:
    """A text cell that a spreadsheet would run as a formula is prefixed with a quote (CSV)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_cell(value: object) -> object:
    """What a CSV cell holds: a typed value's text, a text neutralised, nothing for None."""
    if value is None:
        return ""
    if isinstance(value, Typed):
        return value.text
    return neutralise(value)


def write_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """`;` separated, UTF-8 with BOM (Excel opens it as is), formulas neutralised."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    writer.writerow([csv_cell(h) for h in header])
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def set_cell(cell, value: object) -> None:
    """Writes `value` into an openpyxl cell with its type: a number, a date, or a text that cannot run."""
    if isinstance(value, Typed):
        value = value.value
    if value is None:
        return
    if isinstance(value, bool):
        cell.value = value
    elif isinstance(value, Decimal | float):
        cell.value = value
        cell.number_format = DECIMAL_FORMAT
    elif isinstance(value, int):
        cell.value = value
    elif isinstance(value, datetime):
        cell.value = value.replace(tzinfo=None)
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, date):
        cell.value = value
        cell.number_format = DATE_FORMAT
    else:
        text = str(value)
        cell.value = text
        cell.data_type = "s"  # openpyxl would make a formula of a text starting with "="
        if text.startswith(FORMULA_START):
            cell.quotePrefix = True


def _width(value: object) -> int:
    if isinstance(value, Typed):
        return len(value.text)
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    return len(str(value)) if value is not None else 0


def write_xlsx(header: Sequence[str], rows: Iterable[Sequence[object]], *, title: str = "Export") -> bytes:
    """One typed sheet (see the module's docstring), header in bold, columns as wide as their content."""
    # openpyxl (slow to import) is loaded only when a spreadsheet is read or written.
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    widths = [len(str(h)) for h in header]
    for c, h in enumerate(header, start=1):
        set_cell(ws.cell(1, c), h)
        ws.cell(1, c).font = Font(bold=True)
    for r, row in enumerate(rows, start=2):
        for c, v in enumerate(row, start=1):
            set_cell(ws.cell(r, c), v)
            if c > len(widths):
                widths.append(0)
            widths[c - 1] = max(widths[c - 1], _width(v))
    for c, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = min(max(w + 2, 8), 50)
    ws.freeze_panes = "D2" if len(header) > 3 else "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


_UE_RE = re.compile(r"UE(\d+) S(\d+)")


def _ue_sort(key: str) -> tuple[int, int]:
    m = _UE_RE.fullmatch(key)
    return (int(m.group(2)), int(m.group(1))) if m else (99, 99)


def proposals_table(contract: dict, *, decimal_comma: bool) -> tuple[list[str], list[list[object]]]:
    """docs/formats.md: one row per student, UE then RCUE columns, then the year's facts."""
    students = contract["etudiants"]
    ue_keys = sorted({ue["ue"] for s in students for ue in s["ues"]}, key=_ue_sort)
    rcue_keys = sorted({(r["competence"], r["niveau"]) for s in students for r in s["rcues"]})

    def num(value):
        if value is None:
            return None
        if decimal_comma:
            # A moyenne is the contract's two-decimal string ("12.50"), ECTS a JSON number (10, 3.5).
            return moyenne_fr(Decimal(value)) if isinstance(value, str) else nombre_fr(value)
        return Decimal(value) if isinstance(value, str) else value

    def yesno(value):
        if value is None:
            return None
        if decimal_comma:
            return "oui" if value else "non"
        return value

    header = ["numero", "nom", "prenom"]
    for key in ue_keys:
        header += [f"{key} moyenne", f"{key} code", f"{key} ects"]
    for comp, level in rcue_keys:
        header += [f"C{comp} N{level} moyenne", f"C{comp} N{level} code"]
    header += ["decision_annee", "passage", "ects_acquis", "dut", "but", "absences justifiees",
               "absences injustifiees", "motifs", "alertes"]
    rows = []
    for s in students:
        ues = {ue["ue"]: ue for ue in s["ues"]}
        rcues = {(r["competence"], r["niveau"]): r for r in s["rcues"]}
        row: list[object] = [s["numero"], s["nom"], s["prenom"]]
        for key in ue_keys:
            ue = ues.get(key)
            row += [num(ue["moyenne"]), ue["code"], num(ue["ects"])] if ue else [None, None, None]
        for key in rcue_keys:
            r = rcues.get(key)
            row += [num(r["moyenne"]), r["code"]] if r else [None, None]
        row += [s["decision_annee"], yesno(s["passage"]), num(s["ects_acquis"]), yesno(s["dut"]), yesno(s["but"]),
                s["absences"]["justifiees"], s["absences"]["injustifiees"],
                " | ".join(s["motifs"]), " | ".join(s["alertes"])]
        rows.append(row)
    return header, rows


def import_template(kind: str, fmt: str) -> bytes:
    """An empty file for an import: its header row, from the importer's own column definitions
    (juries/importers/columns.py). In XLSX each header carries a note (required or not, values)
    and every column is a text column, so that `22000001` or `2026-2027` stay as typed."""
    from juries.importers.columns import COLUMNS

    columns = COLUMNS[kind]
    header = [c.name for c in columns]
    if fmt == "csv":
        return write_csv(header, [])
    # openpyxl (slow to import) is loaded only when a spreadsheet is read or written.
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "Import"
    for i, col in enumerate(columns, start=1):
        cell = ws.cell(1, i, col.name)
        cell.font = Font(bold=col.required)
        note = f"{'Obligatoire' if col.required else 'Facultative'} : {col.help}"
        cell.comment = Comment(note, "QLIO Jury", width=300, height=90)
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = max(14, len(col.name) + 4)
        ws.column_dimensions[letter].number_format = "@"
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()

"""Spreadsheet exports: proposals as CSV/XLSX rows (docs/formats.md), formulas neutralised everywhere."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

from juries.rules.french import moyenne_fr, nombre_fr

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """A text cell that a spreadsheet would run as a formula is prefixed with a quote."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def write_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """`;` separated, UTF-8 with BOM (Excel opens it as is), formulas neutralised."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow(["" if v is None else neutralise(v) for v in row])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def write_xlsx(header: Sequence[str], rows: Iterable[Sequence[object]], *, title: str = "Export") -> bytes:
    # openpyxl (slow to import) is loaded only when a spreadsheet is read or written.
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook(write_only=False)
    ws = wb.active
    ws.title = title[:31]
    ws.append([neutralise(h) for h in header])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([neutralise(v) for v in row])
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

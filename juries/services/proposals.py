"""The export of a jury's proposals (docs/formats.md): JSON, CSV or XLSX bytes.

The proposals themselves come from the one entry point, selectors/proposals.py.
"""

from __future__ import annotations

import json

from juries.rules.results import JuryProposals

from .exports import proposals_table, write_csv, write_xlsx


def render(proposals: JuryProposals, fmt: str) -> bytes:
    contract = proposals.as_contract()
    if fmt == "json":
        return (json.dumps(contract, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    if fmt == "csv":
        header, rows = proposals_table(contract, decimal_comma=True)
        return write_csv(header, rows)
    if fmt == "xlsx":
        header, rows = proposals_table(contract, decimal_comma=False)
        return write_xlsx(header, rows, title=f"Jury S{proposals.semester} {proposals.annee}")
    raise ValueError(f"format inconnu : {fmt}")

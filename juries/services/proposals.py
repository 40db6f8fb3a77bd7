"""Runs the engine over a whole jury: the selector loads, the pure rules decide."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

from juries.models import Formation
from juries.rules.engine import compute_jury
from juries.rules.results import JuryProposals
from juries.selectors.jury import JuryInputs, load_jury_inputs

from .exports import proposals_table, write_csv, write_xlsx


def jury_proposals(*, annee: str, semester: int, jury_date: date | None = None,
                   numeros: list[str] | None = None, formation: Formation | None = None,
                   ) -> tuple[JuryProposals, JuryInputs]:
    """Proposals for every student enrolled in `semester` of `annee` (or the jury's decisions once deliberated)."""
    inputs = load_jury_inputs(annee=annee, semester=semester, jury_date=jury_date, numeros=numeros,
                              formation=formation)
    result = compute_jury(
        maquette=inputs.maquette, students=inputs.students, annee=annee, semester=semester,
        jury_date=inputs.jury_date, settings=inputs.settings,
    )
    if inputs.jury is not None and inputs.jury.is_deliberated:
        result = replace(result, etat="delibere")
    return result, inputs


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

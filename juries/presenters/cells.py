"""One code with its average as the jury's pages show it (table, student file, PV)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from juries.rules.codes import Code
from juries.rules.french import moyenne_fr, moyenne_text, nombre_fr

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
FAMILY_OF = {code: family for family, codes in FAMILIES.items() for code in codes}


def code_or_none(value: str | None) -> Code | None:
    return Code(value) if value else None


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


def cell(key: str, moyenne: Decimal | None, code: Code | None, proposed: Code | None = None,
         ects: Decimal | None = None) -> Cell:
    differs = proposed if proposed is not None and proposed != code else None  # the proposal, when departed from
    label = "" if code is None else code.label
    title = f"{key} : {label or '—'}"
    if differs is not None:
        title += f" (proposé : {differs}, {differs.label})"
    text = moyenne_text(moyenne)
    return Cell(
        key=key, moyenne=moyenne_fr(moyenne),
        # The shown (V3-rounded) value: what columns sort and chart on.
        value=None if text is None else Decimal(text),
        code="" if code is None else str(code), label=label,
        family=FAMILY_OF.get(code, "") if code else "",
        proposed="" if differs is None else str(differs), proposed_label="" if differs is None else differs.label,
        ects="" if ects is None else nombre_fr(ects), title=title,
    )


EMPTY = Cell(key="", moyenne="", value=None, code="", label="", family="", title="—")

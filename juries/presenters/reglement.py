"""The Règlement page: docs/reglement.md read into rule entries, beside the settings in force.

The page and the documentation are one text: a rule's words, what the application does and the
readings chosen are written once, in docs/reglement.md, and tests/test_docs.py checks that every
rule id of the engine has its entry in both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings as django_settings
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from juries.rules import french
from juries.rules.codes import AbsenceReason
from juries.rules.settings import DEFAULT_SETTINGS, ReglementSettings

REGLEMENT_MD = Path(django_settings.BASE_DIR) / "docs" / "reglement.md"

RULE_HEADING = re.compile(r'^### (?:<a id="[^"]*"></a>)?(?P<id>[A-Z]+\d*) — (?P<title>.+)$')
SECTION_HEADING = re.compile(r"^## (?P<title>.+)$")
_CODE = re.compile(r"`([^`]+)`")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*([^*\s][^*]*?)\*(?![*\w])")
_LINK = re.compile(r"\[([^\]]+)\]\(([^)]*)\)")
# A screenshot of the documentation shows the very page the reader is on: left out in the application.
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")

_CHOICES = {
    "abi_scope": {"evaluation": "0 pour l'évaluation manquée", "enseignement": "0 pour tout l'enseignement"},
    "abj_policy": {"neutralise": "évaluation neutralisée (retirée de la moyenne)",
                   "pending": "note manquante jusqu'à une note de remplacement"},
    "rcue_weights": {"equal": "moyenne simple des deux UE", "ects": "moyenne pondérée par les ECTS des UE"},
    "p2_counts": {"average": "RCUE de moyenne au moins 10, ou validés", "validated": "RCUE validés seulement"},
}
_REASONS = {
    AbsenceReason.MALADIE: "maladie", AbsenceReason.DECES: "décès d'un proche",
    AbsenceReason.MARIAGE_PACS_NAISSANCE: "mariage, PACS ou naissance", AbsenceReason.CONVOCATION: "convocation",
}
#: Settings the department edits in the admin (the ReglementSettings model); the others are fixed.
EDITABLE = {"abi_scope", "abj_policy", "rcue_weights", "p2_counts", "stage_min_weeks", "bip_ue", "max_repeats",
            "justification_hours", "odd_semester_start", "even_semester_start"}


def _day_month(value: tuple[int, int]) -> str:
    month, day = value
    return f"{day:02d}/{month:02d}"


def _weeks(value: int | None) -> str:
    return "aucune" if value is None else french.plural(value, "semaine")


def _semesters(values) -> str:
    return ", ".join(f"S{n}" for n in values)


# rule id -> (setting field, French label, value -> text)
_SETTINGS_OF_RULE: dict[str, list[tuple[str, str, object]]] = {
    "A1": [("odd_semester_start", "début du semestre impair", _day_month),
           ("even_semester_start", "début du semestre pair", _day_month)],
    "A4": [("justification_hours", "délai de dépôt du justificatif", lambda v: french.plural(v, "heure"))],
    "A5": [("alternant_regimes", "régimes des alternants", lambda v: ", ".join(str(x) for x in v)),
           ("alternant_reasons", "motifs recevables", lambda v: ", ".join(_REASONS.get(x, str(x)) for x in v))],
    "A6": [("abi_scope", "une ABI compte", None)],
    "A7": [("abj_policy", "une ABJ est", None)],
    "E1": [("e1_min_evaluations", "évaluations minimum par ressource", lambda v: str(v))],
    "V4": [("validation_threshold", "seuil de validation", french.nombre_fr)],
    "C3": [("rcue_weights", "moyenne du RCUE", None)],
    "P2": [("p2_counts", "RCUE comptés", None), ("rcue_floor", "moyenne plancher d'un RCUE", french.nombre_fr)],
    "P3": [("p3_required_semesters", "semestres à acquérir",
            lambda v: " ; ".join(f"pour S{k} : {_semesters(s)}" for k, s in sorted(v.items())))],
    "S2": [("stage_min_weeks", "durée minimale du stage",
            lambda v: " ; ".join(f"S{k} : {_weeks(w)}" for k, w in sorted(v.items())))],
    "R2": [("max_repeats", "redoublements dans le cursus", lambda v: str(v)),
           ("repeats_per_year", "une année redoublée compte pour", lambda v: french.plural(v, "redoublement"))],
    "D1": [("dut_last_semester", "le DUT demande les UE jusqu'au", lambda v: f"S{v}")],
    "M1": [("mobility_semesters", "semestres de mobilité d'études", _semesters)],
    "M3": [("bip_ue", "UE qui reçoit le BIP", lambda v: v or "aucune (celle enregistrée avec le BIP)"),
           ("bip_coefficient", "coefficient du BIP", french.nombre_fr)],
}


@dataclass(frozen=True)
class SettingShown:
    label: str
    value: str
    default: str  # "" when the value in force is the default
    editable: bool


@dataclass(frozen=True)
class Block:
    kind: str  # "h2".."h4", "quote", "paragraph", "list", "ordered", "table", "pre"
    html: SafeString = mark_safe("")
    items: tuple[SafeString, ...] = ()  # list items, or a table's header cells
    rows: tuple[tuple[SafeString, ...], ...] = ()  # a table's rows


@dataclass(frozen=True)
class RuleEntry:
    id: str
    title: str
    blocks: tuple[Block, ...]
    settings: tuple[SettingShown, ...] = ()


@dataclass(frozen=True)
class Section:
    title: str
    blocks: tuple[Block, ...]  # the section's own text (vocabulary, codes, other choices)
    rules: tuple[RuleEntry, ...]


def _link(m: re.Match[str]) -> str:
    """A link to a rule stays a link (#C2 on this page, reglement.md#C2 to the Règlement page);
    a link to another document keeps only its words (documents are not served)."""
    words, target = m[1], m[2]
    if target.startswith("#"):
        return f'<a href="{target}">{words}</a>'
    if target.startswith("reglement.md#"):
        return f'<a href="{reverse("reglement")}{target[len("reglement.md"):]}">{words}</a>'
    return words


def inline_html(text: str) -> SafeString:
    """The little Markdown the documents use: `code`, **bold**, *italics*, links to a rule (#C2)."""
    html: str = escape(_IMAGE.sub("", text))
    html = _CODE.sub(r"<code>\1</code>", html)
    html = _BOLD.sub(r"<strong>\1</strong>", html)
    html = _ITALIC.sub(r"<em>\1</em>", html)
    html = _LINK.sub(_link, html)
    return mark_safe(html)  # noqa: S308 — escaped above, only our own tags added


_HEADING = re.compile(r"^(#{1,4}) (.+)$")
_ORDERED = re.compile(r"^\d+\. ")


def _items(rows: list[str], marker: re.Pattern[str]) -> tuple[SafeString, ...]:
    items: list[str] = []
    for r in rows:
        if m := marker.match(r):
            items.append(r[m.end():])
        elif items:
            items[-1] += " " + r
    return tuple(inline_html(i) for i in items)


def markdown_blocks(text: str) -> tuple[Block, ...]:
    """The blocks of the docs' plain Markdown: headings, quotes, lists, numbered lists, paragraphs.

    No Markdown library is installed and these documents use only these forms; anything else
    (a table) is shown as it is written, in a preformatted block.
    """
    blocks: list[Block] = []
    for chunk in text.split("\n\n"):
        rows = [r.strip() for r in chunk.strip().splitlines() if r.strip() and not _IMAGE.fullmatch(r.strip())]
        if not rows:
            continue
        if (m := _HEADING.match(rows[0])) and len(rows) == 1:
            blocks.append(Block(f"h{min(len(m[1]) + 1, 4)}", inline_html(m[2])))
        elif rows[0].startswith(">"):
            blocks.append(Block("quote", inline_html(" ".join(r.lstrip(">").strip() for r in rows))))
        elif rows[0].startswith("- "):
            blocks.append(Block("list", items=_items(rows, re.compile(r"^- "))))
        elif _ORDERED.match(rows[0]):
            blocks.append(Block("ordered", items=_items(rows, _ORDERED)))
        elif rows[0].startswith("|") and len(rows) > 2 and set(rows[1]) <= set("|-: "):
            cells = [[inline_html(c.strip()) for c in r.strip().strip("|").split("|")] for r in rows if r != rows[1]]
            blocks.append(Block("table", items=tuple(cells[0]), rows=tuple(tuple(r) for r in cells[1:])))
        elif rows[0].startswith("|") or rows[0].startswith("```"):
            blocks.append(Block("pre", escape(chunk.strip().strip("`").strip())))
        else:
            blocks.append(Block("paragraph", inline_html(" ".join(rows))))
    return tuple(blocks)


@lru_cache(maxsize=4)
def _parse(text: str) -> tuple[tuple[str, tuple[Block, ...], tuple[tuple[str, str, tuple[Block, ...]], ...]], ...]:
    """(section title, the section's own text, its rules (id, title, blocks)); the preamble before
    the first section speaks to the document's readers and is left out."""
    sections: list[tuple[str, list[str], list]] = []
    current: list | None = None
    for line in text.splitlines():
        if m := SECTION_HEADING.match(line):
            sections.append((m["title"].strip(), [], []))
            current = None
        elif m := RULE_HEADING.match(line):
            if not sections:
                sections.append(("", [], []))
            current = [m["id"], m["title"].strip(), []]
            sections[-1][2].append(current)
        elif line.startswith("# "):
            current = None
        elif current is not None:
            current[2].append(line)
        elif sections:
            sections[-1][1].append(line)
    return tuple(
        (title, markdown_blocks("\n".join(intro)),
         tuple((rid, rtitle, markdown_blocks("\n".join(body))) for rid, rtitle, body in rules))
        for title, intro, rules in sections
    )


def settings_of_rule(rule_id: str, in_force: ReglementSettings) -> tuple[SettingShown, ...]:
    shown = []
    for field, label, fmt in _SETTINGS_OF_RULE.get(rule_id, ()):
        def text(value, field=field, fmt=fmt) -> str:
            if fmt is None:
                return _CHOICES.get(field, {}).get(value, str(value))
            return fmt(value)
        value, default = getattr(in_force, field), getattr(DEFAULT_SETTINGS, field)
        shown.append(SettingShown(label=label, value=text(value), default="" if value == default else text(default),
                                  editable=field in EDITABLE))
    return tuple(shown)


def reglement_page(*, in_force: ReglementSettings, path: Path = REGLEMENT_MD) -> list[Section]:
    """Every section of docs/reglement.md, each rule with its settings in force."""
    return [
        Section(title, intro, tuple(RuleEntry(rid, rtitle, blocks, settings_of_rule(rid, in_force))
                                    for rid, rtitle, blocks in rules))
        for title, intro, rules in _parse(path.read_text(encoding="utf-8"))
    ]


def rule_ids(path: Path = REGLEMENT_MD) -> frozenset[str]:
    """The rule ids that have an entry on the Règlement page."""
    return frozenset(rid for _title, _intro, rules in _parse(path.read_text(encoding="utf-8")) for rid, _t, _b in rules)

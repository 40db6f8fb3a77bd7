"""The Règlement page: docs/reglement.md read into rule entries, beside the settings in force.

The page and the documentation are one text: a rule's words, what the application does and the
readings chosen are written once, in docs/reglement.md, and tests/test_docs.py checks that every
rule id of the engine has its entry in both. The documents are Markdown, rendered by
Python-Markdown (``markdown_html``, also used by the users' guides of the "Aide" pages); only the
split into sections and rule entries, which gives each rule its anchor (#C2), is done here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from xml.etree import ElementTree

import markdown
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from markdown.treeprocessors import Treeprocessor

from juries.rules import french
from juries.rules.codes import AbsenceReason
from juries.rules.settings import DEFAULT_SETTINGS, ReglementSettings

REGLEMENT_MD = Path(django_settings.BASE_DIR) / "docs" / "reglement.md"

RULE_HEADING = re.compile(r'^### (?:<a id="[^"]*"></a>)?(?P<id>[A-Z]+\d*) — (?P<title>.+)$')
SECTION_HEADING = re.compile(r"^## (?P<title>.+)$")

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
class RuleEntry:
    id: str
    title: str
    html: SafeString
    settings: tuple[SettingShown, ...] = ()


@dataclass(frozen=True)
class Section:
    title: str
    html: SafeString  # the section's own text (vocabulary, codes, other choices)
    rules: tuple[RuleEntry, ...]


def _unwrap(parent: ElementTree.Element, element: ElementTree.Element) -> None:
    """Put ``element``'s words and children in its place (its tail kept), without the element."""
    at = list(parent).index(element)

    def add_text(index: int, text: str) -> None:
        if index == 0:
            parent.text = (parent.text or "") + text
        else:
            parent[index - 1].tail = (parent[index - 1].tail or "") + text

    children = list(element)
    parent.remove(element)
    add_text(at, element.text or "")
    for k, child in enumerate(children):
        parent.insert(at + k, child)
    if children:
        children[-1].tail = (children[-1].tail or "") + (element.tail or "")
    else:
        add_text(at, element.tail or "")


def _pairs(root: ElementTree.Element, tag: str) -> list[tuple[ElementTree.Element, ElementTree.Element]]:
    return [(parent, child) for parent in root.iter() for child in parent if child.tag == tag]


class _InTheApplication(Treeprocessor):
    """What the documents become inside the application's pages.

    A screenshot shows the very page the reader is on: left out. A link to a rule stays a link
    (#C2 on this page, reglement.md#C2 to the Règlement page); a link to another document keeps
    only its words (the documents are not served). Tables take the application's table style.
    """

    def run(self, root: ElementTree.Element) -> None:
        for parent, image in _pairs(root, "img"):
            _unwrap(parent, image)
        for parent, link in _pairs(root, "a"):
            target = link.get("href", "")
            if target.startswith("reglement.md#"):
                link.set("href", reverse("reglement") + target[len("reglement.md"):])
            elif not target.startswith("#"):
                _unwrap(parent, link)
        for parent, paragraph in _pairs(root, "p"):
            if not (paragraph.text or "").strip() and not len(paragraph):
                _unwrap(parent, paragraph)
        for table in root.iter("table"):
            table.set("class", "data doc-table")
            table.set("tabindex", "0")  # on a phone it scrolls in its own box (docs.css): keyboard users scroll it too
        for cell in [*root.iter("th"), *root.iter("td")]:
            cell.set("class", "left")


def _markdown() -> markdown.Markdown:
    md = markdown.Markdown(extensions=["tables", "fenced_code", "toc"],
                           extension_configs={"toc": {"baselevel": 2}})  # the page's own <h1> comes first
    # Rendering these documents unescaped is safe: they are our own files, in the repository and
    # reviewed like the code, and nothing a user types goes through here (the settings in force
    # and every other value are printed by the templates, which escape them). Even so, raw HTML is
    # switched off, so the output holds only the markup Markdown itself writes: a stray <tag> in a
    # document is shown as text, never interpreted.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    md.treeprocessors.register(_InTheApplication(md), "in_the_application", 0)
    return md


@lru_cache(maxsize=16)
def markdown_html(text: str) -> SafeString:
    """A document of docs/ (or a part of one) as HTML for the application's pages."""
    return mark_safe(_markdown().convert(text))  # noqa: S308 — our own documents, raw HTML off (see _markdown)


@lru_cache(maxsize=4)
def _parse(text: str) -> tuple[tuple[str, SafeString, tuple[tuple[str, str, SafeString], ...]], ...]:
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
        (title, markdown_html("\n".join(intro)),
         tuple((rid, rtitle, markdown_html("\n".join(body))) for rid, rtitle, body in rules))
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
        Section(title, intro, tuple(RuleEntry(rid, rtitle, html, settings_of_rule(rid, in_force))
                                    for rid, rtitle, html in rules))
        for title, intro, rules in _parse(path.read_text(encoding="utf-8"))
    ]


def rule_ids(path: Path = REGLEMENT_MD) -> frozenset[str]:
    """The rule ids that have an entry on the Règlement page (the jury table asks once per alert)."""
    return _rule_ids(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=4)
def _rule_ids(path: Path, _modified: int) -> frozenset[str]:
    return frozenset(rid for _title, _intro, rules in _parse(path.read_text(encoding="utf-8")) for rid, _t, _b in rules)

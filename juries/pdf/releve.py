"""The relevé de notes as a PDF: HTML from templates/pdf/releve.html, laid out by WeasyPrint (A4).

``html_to_pdf`` needs neither Django nor the database, so batch workers in other processes can run it.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

from pypdf import PdfWriter

# Bump when the template changes, so cached PDFs of the previous layout are not served.
LAYOUT_VERSION = "2"
CACHE_SECONDS = 24 * 3600


_STYLE_RE = re.compile(r"<style>(.*?)</style>", re.S)
_CSS_CACHE_SIZE = 16
# WeasyPrint's user-agent rules that apply to every element: ``::marker`` and the footnote/note
# pseudo-elements. Each makes the cascade compute a pseudo-element's style for every element of
# the document (2,559 styles for a relevé of 400 elements, 135 without), though our documents
# have neither lists nor footnotes: the markers are kept for ``li``, the notes rules dropped.
_UNIVERSAL_PSEUDO_RE = re.compile(r"^::(?:footnote-call|footnote-marker|note-call|note-marker|note-callback) \{[^}]*\}\n",
                                  re.M)


def _pdf_user_agent_css() -> str:
    from weasyprint.html import UA

    return _UNIVERSAL_PSEUDO_RE.sub("", UA).replace("\n::marker {", "\nli::marker {")


# The templates' indentation between two tags: a line break with its spaces, which WeasyPrint's
# HTML parser reads character by character and its box builder then drops (a tenth of a relevé's
# time). Spaces on one line are kept: between two inline elements they are text.
_INDENT_BETWEEN_TAGS_RE = re.compile(r">[ \t]*\n\s*<")

_HTML_CLASS = None


def _html_class():
    """weasyprint.HTML with the user-agent stylesheet above (parsed once per process)."""
    global _HTML_CLASS
    if _HTML_CLASS is None:
        from weasyprint import CSS, HTML
        from weasyprint.css.counters import CounterStyle

        ua = CSS(string=_pdf_user_agent_css(), counter_style=CounterStyle())

        class PdfHTML(HTML):
            def _ua_stylesheets(self, forms=False):
                return super()._ua_stylesheets(forms) if forms else [ua]

        _HTML_CLASS = PdfHTML
    return _HTML_CLASS


class PdfRenderer:
    """Turns the HTML of the PDF templates into PDF bytes, with what costs to set up done once:
    the font configuration (fontconfig, the DejaVu files) is shared by every document it renders,
    and a template's stylesheet is parsed (and its selectors compiled) once, then reused for every
    document that carries the same one. A batch keeps one renderer for all its documents (one per
    process); a web process one per thread.
    """

    def __init__(self) -> None:
        from weasyprint.text.fonts import FontConfiguration

        self.fonts = FontConfiguration()
        self._css: OrderedDict[str, object] = OrderedDict()

    def stylesheet(self, text: str):
        from weasyprint import CSS

        css = self._css.get(text)
        if css is None:
            css = self._css[text] = CSS(string=text, font_config=self.fonts)
            if len(self._css) > _CSS_CACHE_SIZE:
                self._css.popitem(last=False)
        else:
            self._css.move_to_end(text)
        return css

    def render(self, html: str, *, extra_css: Sequence[str] = ()) -> bytes:
        """The PDF of ``html``; its first ``<style>`` block is taken out and given to WeasyPrint
        as the (cached) parsed stylesheet instead, which lays the document out identically: it is
        the document's only author stylesheet either way. ``extra_css`` comes after it."""
        sheets = []
        match = _STYLE_RE.search(html)
        if match:
            sheets.append(self.stylesheet(match.group(1)))
            html = html[:match.start()] + html[match.end():]
        sheets += [self.stylesheet(text) for text in extra_css]
        html = _INDENT_BETWEEN_TAGS_RE.sub("><", html)
        return _html_class()(string=html).write_pdf(font_config=self.fonts, stylesheets=sheets)


_LOCAL = threading.local()


def shared_renderer() -> PdfRenderer:
    """This thread's renderer (Pango's font map is not shared across threads: runserver and a
    threaded server render in several)."""
    renderer = getattr(_LOCAL, "renderer", None)
    if renderer is None:
        renderer = _LOCAL.renderer = PdfRenderer()
    return renderer


def html_to_pdf(html: str, *, extra_css: Sequence[str] = ()) -> bytes:
    return shared_renderer().render(html, extra_css=extra_css)


def render_many(items: Sequence[tuple[str, Path]]) -> list[tuple[Path, bytes]]:
    """(HTML, path) pairs rendered by this process's renderer: what a batch's worker process runs
    (no Django here, so a spawned process imports this module alone)."""
    renderer = shared_renderer()
    return [(path, renderer.render(html)) for html, path in items]


def verification_url(base: str = "") -> str:
    """Where a reader checks a code: ``QLIO_PUBLIC_URL`` (or the request's host) + the page's path."""
    from django.conf import settings
    from django.urls import reverse

    base = (base or getattr(settings, "QLIO_PUBLIC_URL", "") or "").rstrip("/")
    return f"{base}{reverse('releves:verify_form')}"


def releve_context(doc, *, verify_url: str = "") -> dict:
    from django.utils import timezone

    facts = doc.facts
    issued = timezone.localtime(doc.issued_at).date() if doc.issued_at else None
    return {
        "f": facts,
        "official": doc.official and doc.code is not None,
        "code": doc.code,
        "issued": issued,
        "verify_url": verify_url or verification_url(),
        "title": f"Relevé de notes S{doc.semester} {doc.annee} — {facts['student']['nom']} {facts['student']['prenom']}",
        "codes_used": _codes_used(facts),
    }


def _codes_used(facts: dict) -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for sem in facts["semesters"]:
        for ue in sem["ues"]:
            seen.setdefault(ue["code"], ue["label"])
    for r in facts["rcues"]:
        seen.setdefault(r["code"], r["label"])
    if facts["decision"]:
        seen.setdefault(facts["decision"]["code"], facts["decision"]["label"])
    return sorted(seen.items())


def releve_html(doc, *, verify_url: str = "") -> str:
    from django.template.loader import render_to_string

    return render_to_string("pdf/releve.html", releve_context(doc, verify_url=verify_url))


def render_releve_pdf(doc, *, verify_url: str = "") -> bytes:
    """The PDF of one relevé, cached by its content: a grade or a decision that changes the facts
    changes the digest and so the key, so nothing has to drop the cache."""
    from django.core.cache import cache

    url = verify_url or verification_url()
    key = "releve-pdf:" + hashlib.sha256(
        "|".join([LAYOUT_VERSION, str(doc.enrolment_id), doc.digest, str(doc.official), doc.code or "",
                  doc.issued_at.isoformat() if doc.issued_at else "", url]).encode()
    ).hexdigest()
    pdf = cache.get(key)
    if pdf is None:
        pdf = html_to_pdf(releve_html(doc, verify_url=url))
        cache.set(key, pdf, CACHE_SECONDS)
    return pdf


def merge_pdfs(paths: Sequence[Path], target: Path) -> Path:
    """One PDF for printing, the given ones in order, their pages copied as they are (pypdf: pure
    Python, so ``make run`` alone serves it; each relevé is laid out once, by its worker)."""
    if not paths:
        raise ValueError("aucun relevé à assembler")
    if len(paths) == 1:
        shutil.copyfile(paths[0], target)
        return target
    writer = PdfWriter()
    for path in paths:
        writer.append(str(path))
    with target.open("wb") as out:
        writer.write(out)
    writer.close()
    return target


RELEVE_KEPT_SECONDS = 24 * 3600


def releve_pdf(enrolment, *, published_only: bool, verify_url: str) -> tuple[bytes, str]:
    """One enrolment's relevé (PDF, file name) as a download serves it, kept in the shared cache
    with the inputs' generation (juries/generation.py), the day it is printed on and the
    enrolment as the caller read it: a second download with nothing changed costs one query, not
    the engine. Raises ReleveNotIssued (presenters/releve.py) as ``releve_for`` does."""
    from django.core.cache import cache
    from django.utils import timezone

    from juries.presenters.releve import releve_for
    from juries.selectors.generation import cache_key, stamp

    key = cache_key("releve-pdf", enrolment.pk, published_only, verify_url)
    current = stamp(timezone.localdate(), enrolment.annee, enrolment.semester_id, enrolment.student.numero)
    shared = cache.get(key) if current is not None else None
    if shared is not None and shared[0] == current:
        return shared[1]
    doc = releve_for(enrolment, published_only=published_only)
    kept = (render_releve_pdf(doc, verify_url=verify_url), doc.filename)
    if current is not None:
        cache.set(key, (current, kept), RELEVE_KEPT_SECONDS)
    return kept

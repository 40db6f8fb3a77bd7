"""The PV de jury as a PDF: templates/pdf/pv.html laid out by WeasyPrint (A4 landscape)."""

from __future__ import annotations

from django.template.loader import render_to_string

from .releve import html_to_pdf


def pv_html(pv) -> str:
    return render_to_string("pdf/pv.html", {"pv": pv, "jury": pv.jury})


def render_pv_pdf(pv) -> bytes:
    return html_to_pdf(pv_html(pv))

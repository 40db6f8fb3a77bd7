"""The decision letter as a PDF: templates/pdf/lettre.html laid out by WeasyPrint (A4), with the
relevé's machinery (the shared stylesheet, the per-process renderer)."""

from __future__ import annotations

from .releve import html_to_pdf


def lettre_html(doc) -> str:
    from django.template.loader import render_to_string

    facts = doc.facts
    return render_to_string("pdf/lettre.html", {
        "f": facts, "official": doc.official,
        "title": f"Décision du jury S{doc.semester} {doc.annee} — {facts['student']['nom']} {facts['student']['prenom']}",
    })


def render_lettre_pdf(doc) -> bytes:
    return html_to_pdf(lettre_html(doc))

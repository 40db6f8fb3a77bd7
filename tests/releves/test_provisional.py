"""Before deliberation a relevé shows grades, UE averages and codes as provisional and never the
proposed year decision or passage (only the jury's deliberation creates rights, E3); after it, the
decision's own wording."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from juries.pdf.releve import render_releve_pdf
from juries.presenters.releve import releve_for

from .conftest import but1_student, deliberate, make_jury, overrides, pdf_pages, pdf_text

pytestmark = pytest.mark.django_db

YEAR_DECISION = re.compile(r"Décision de l.année|Passage en S\d|\bRED\b|Redoublement|PASD|NAR\b")


def _red_student():
    # UE3 S1 6.40 and UE3 S2 7.60: RCUE 3 at 7.00 < 8 → the engine proposes RED (R2).
    return but1_student("26000201", "Martin", "Camille", s1=overrides(1, ue3="4"), s2=overrides(2, ue3="4"))


def _pdf(student) -> bytes:
    doc = releve_for(student.enrolments.get(semester__number=2))
    return render_releve_pdf(doc, verify_url="https://jury.example.fr/releves/verifier/")


def test_provisional_releve_of_a_student_proposed_red_shows_no_year_decision(maquette, tmp_path):
    student = _red_student()
    make_jury(2)
    pdf = _pdf(student)
    # Read twice, by two readers: pypdf (every text object) and pdftotext (the layout a reader sees).
    every_text = "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)
    flat = re.sub(r"\s+", " ", pdf_text(pdf, tmp_path))
    for text in (every_text, flat):
        assert not YEAR_DECISION.search(text), YEAR_DECISION.search(text)
    # ...while its grades, UE averages and codes are there, marked provisional
    assert "Semestre 2 — unités d'enseignement (résultats provisoires)" in flat
    assert "UE3 S2 — Organisation (niveau 1) 7,60 AJ Ajourné 0 / 10 ECTS" in flat
    assert re.search(r"C3 — Organisation 1 7,00 AJ Ajourné", flat)
    assert "Semestre 1 — résultats provisoires" in flat
    assert "document sans valeur officielle" in flat


def test_provisional_releve_has_no_nearly_empty_last_page(maquette, tmp_path):
    student = _red_student()
    make_jury(2)
    pdf = _pdf(student)
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert pdf_pages(pdf, tmp_path) == len(pages)
    last = pages[-1].extract_text() or ""
    # The running header and footer alone are about 250 characters: a last page holding only
    # them and a line or two is a wasted sheet.
    assert len(last) > 600, last


def test_after_deliberation_the_releve_says_redoublement_not_proposed(maquette, tmp_path):
    student = _red_student()
    deliberate(make_jury(2))
    flat = re.sub(r"\s+", " ", pdf_text(_pdf(student), tmp_path))
    assert "Décision de l'année : RED — Redoublement" in flat
    assert "Passage en S3 : non autorisé" in flat
    assert "proposé" not in flat and "provisoire" not in flat
    assert re.search(r"RED = Redoublement[.;]", flat)  # the legend too

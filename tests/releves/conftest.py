"""Fixtures and builders of the relevé tests: BUT1 students with chosen UE averages, reading PDFs back.

`but1_student`, `make_jury`, `deliberate` and `reopen` live in tests/factories.py (the browser tests
use them too); the test modules of this folder still import them from here.
"""

from __future__ import annotations

import subprocess
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.cache import cache

from juries.models import Absence, Grade, Student
from tests.factories import (
    ANNEE,
    PARIS,
    AbsenceFactory,
    EvaluationFactory,
    GradeFactory,
    but1_student,
    deliberate,
    make_jury,
    reopen,
)

__all__ = ["ANNEE", "PARIS", "add_absence", "add_evaluation", "but1_student", "deliberate", "full_text",
           "has_watermark", "make_jury", "overrides", "pdf_pages", "pdf_text", "reopen"]

# Enseignements specific to each UE of BUT1 (the ressources R1.01-R1.06, R2.01-R2.06 and
# PORTFOLIO2 count in all three UEs of their semester; see the maquette fixture).
SPECIFIC = {
    (1, 1): ("R1.07", "R1.08", "SAE1.01", "SAE1.02"),
    (2, 1): ("R1.09", "R1.10", "SAE1.03", "SAE1.04"),
    (3, 1): ("R1.11", "R1.12", "SAE1.05", "SAE1.06"),
    (1, 2): ("R2.07", "R2.08", "SAE2.01-Q", "SAE2.02"),
    (2, 2): ("R2.09", "R2.10", "SAE2.01-L", "SAE2.03"),
    (3, 2): ("R2.11", "R2.12", "SAE2.01-O", "SAE2.04"),
}


@pytest.fixture(autouse=True)
def _batch_folder(settings, tmp_path):
    """Batches are written under the test's own folder, never the system's temp dir."""
    settings.QLIO_RELEVES_DIR = str(tmp_path / "lots")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """PDFs and the verification throttle live in the cache: each test starts without them."""
    cache.clear()
    yield
    cache.clear()


def overrides(semester: int, **by_ue: str) -> dict[str, str]:
    """Grade overrides giving the specific enseignements of UE n (``ue1="8"``) another grade."""
    out = {}
    for key, value in by_ue.items():
        for code in SPECIFIC[(int(key[2:]), semester)]:
            out[code] = value
    return out


def add_evaluation(student: Student, semester: int, code: str, label: str, *, value=None, mark: str = "",
                   when: date | None = None) -> Grade:
    enrolment = student.enrolments.get(semester__number=semester, annee=ANNEE)
    ev = EvaluationFactory(enseignement=enrolment.semester.enseignements.get(code=code), annee=ANNEE, label=label,
                           date=when)
    return GradeFactory(enrolment=enrolment, evaluation=ev, mark=mark,
                        value=None if value is None else Decimal(str(value)))


def add_absence(student: Student, day: date, *, justified: bool) -> Absence:
    return AbsenceFactory(student=student, day=day, justified=justified, reason="maladie")


def _pdftotext(path: Path, *options: str) -> str:
    return subprocess.run(["pdftotext", "-layout", *options, str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def pdf_text(pdf: bytes, tmp_path: Path, name: str = "releve") -> str:
    """The text a reader sees, without the diagonal watermark (checked by ``watermark_letters``)."""
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    return _pdftotext(path, "-nodiag")


def full_text(pdf: bytes, tmp_path: Path) -> str:
    """Every text, the diagonal watermark's letters included (extraction splits rotated words)."""
    path = tmp_path / "full.pdf"
    path.write_bytes(pdf)
    return _pdftotext(path)


def has_watermark(pdf: bytes, tmp_path: Path, pages: int) -> bool:
    """Whether the diagonal text holds the letters of PROVISOIRE once per page.

    (``-nodiag`` also drops the first word printed after a diagonal text, hence "holds".)
    """
    path = tmp_path / "watermark.pdf"
    path.write_bytes(pdf)
    diagonal = Counter(_pdftotext(path)) - Counter(_pdftotext(path, "-nodiag"))
    return Counter("PROVISOIRE" * pages) <= diagonal and not Counter("PROVISOIRE" * (pages + 1)) <= diagonal


def pdf_pages(pdf: bytes, tmp_path: Path) -> int:
    path = tmp_path / "pages.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))

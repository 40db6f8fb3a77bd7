"""Builders for relevé tests: BUT1 students with chosen UE averages, a jury, its deliberation."""

from __future__ import annotations

import subprocess
from collections import Counter
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache

from juries.models import Absence, Evaluation, Grade, JurySession, Semester, Student
from tests.factories import enrol, grade_all, make_user

PARIS = ZoneInfo("Europe/Paris")
ANNEE = "2026-2027"

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
def _fast_passwords(settings):
    """Users are made by the dozen here: a fast hasher keeps the suite quick (not a security setting)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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


def but1_student(numero: str, nom: str, prenom: str = "Léa", *, s1: dict | None = None, s2: dict | None = None,
                 base: str = "12", ine: str = "", user=None, with_s2: bool = True) -> Student:
    student = Student.objects.create(numero=numero, nom=nom, prenom=prenom, ine=ine, user=user)
    grade_all(enrol(student, 1), base, overrides=s1 or {})
    if with_s2:
        grade_all(enrol(student, 2), base, overrides=s2 or {})
    return student


def make_jury(semester: int, *, when: date = date(2027, 6, 24), president=None) -> JurySession:
    president = president or make_user("Jury", username="president-test", first_name="Marc", last_name="Lacombe")
    sem = Semester.objects.get(formation__code="BUT-QLIO", number=semester)
    return JurySession.objects.create(formation=sem.formation, semester=sem, annee=ANNEE, date=when,
                                      president=president)


def deliberate(jury: JurySession) -> JurySession:
    """The president deliberates through the decisions service: every proposal becomes a decision."""
    from juries.services.decisions import deliberate as deliberate_jury

    deliberate_jury(jury=jury, by=jury.president)
    return jury


def reopen(jury: JurySession) -> JurySession:
    from juries.services.decisions import reopen as reopen_jury

    reopen_jury(jury=jury, by=jury.president, reason="Erreur de saisie signalée par un enseignant.")
    return jury


def add_evaluation(student: Student, semester: int, code: str, label: str, *, value=None, mark: str = "",
                   when: date | None = None) -> Grade:
    enrolment = student.enrolments.get(semester__number=semester, annee=ANNEE)
    ev = Evaluation.objects.create(enseignement=enrolment.semester.enseignements.get(code=code), annee=ANNEE,
                                   label=label, date=when)
    return Grade.objects.create(enrolment=enrolment, evaluation=ev, mark=mark,
                                value=None if value is None else Decimal(str(value)))


def add_absence(student: Student, day: date, *, justified: bool) -> Absence:
    start = datetime(day.year, day.month, day.day, 8, tzinfo=PARIS)
    end = datetime(day.year, day.month, day.day, 12, tzinfo=PARIS)
    return Absence.objects.create(student=student, start=start, end=end, declared_at=start,
                                  justificatif_at=start if justified else None, reason="maladie")


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

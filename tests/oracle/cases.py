"""What every built case of the oracle shares: the academic years, and a good year, a jury run and
a look-up, written once (the fixtures `h` and `book` are in this folder's conftest.py)."""

from __future__ import annotations

from .cohorts import Book, annee_of
from .harness import Harness

Y1, Y2, Y3, Y4 = (annee_of(y) for y in (2026, 2027, 2028, 2029))


def good_year(book: Book, numero: str, annee: str, level: int, grade=14, *, stage_weeks=10, **enrol):
    book.enrol(numero, annee, (2 * level - 1, 2 * level), **enrol)
    book.semester(numero, annee, 2 * level - 1, grade)
    book.semester(numero, annee, 2 * level, grade)
    if level >= 2 and stage_weeks:
        book.good_stage(numero, annee, 2 * level, stage_weeks)


def run_year(h: Harness, book: Book, annee: str, level: int, date_jury=None):
    h.load_all(book.take())
    h.jury(annee, 2 * level - 1, date_jury)
    h.jury(annee, 2 * level, date_jury)


def ue(row: dict, name: str) -> dict:
    return next(u for u in row["ues"] if u["ue"] == name)


def rcue(row: dict, comp: int) -> dict:
    return next(r for r in row["rcues"] if r["competence"] == comp)

"""Properties over whole cursus (six semesters, repeats, stages, mobility), by hypothesis.

A generated cursus is a student's enrolments year after year (BUT1 to BUT3, a year repeated with
the ``redoublement`` flag, a direct entry in BUT2), with grades around the thresholds, an S4 / S6
stage that is valid, too short, ends on the jury's date or is missing, and semesters validated
abroad. The property: **raising a grade never worsens a decision** — at every jury of the cursus,
the year's decision ranks no lower, no UE acquired before is lost, the ECTS total does not drop.

It is checked on the oracle (many examples: it is pure Python) and on the application through its
commands (few examples, each also compared fact by fact with the oracle).
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from . import reglement
from .cohorts import Book, annee_of
from .harness import MAQUETTE, Harness

RANK = {"NAR": 0, "RED": 0, "PASD": 1, "PAS1NCI": 1, "ADM": 2}
GRADE = st.integers(min_value=6, max_value=30).map(lambda x: x / 2)  # 3.0 .. 15.0, halves
COMPS = {1: (1, 2, 3), 2: (1, 2, 3, 4), 3: (1, 2, 3, 4)}


@st.composite
def cursus(draw):
    """(years, grade rows mutator index): years = [(level, flagged, mobility sems, stage kind, grades)]."""
    level = draw(st.sampled_from([1, 1, 1, 2]))
    years = []
    repeats = 0
    while level <= 3 and len(years) < 4:
        flagged = bool(years) and years[-1][0] == level
        mobility: set[int] = set()
        if level >= 2 and not flagged:
            mobility = draw(st.sampled_from([set(), set(), set(), {2 * level - 1}, {2 * level}]))
        stage = draw(st.sampled_from(["good", "good", "short", "late", "none"]))
        grades = {}
        for sem in (2 * level - 1, 2 * level):
            base = draw(GRADE)
            per_ue = draw(st.dictionaries(st.sampled_from(COMPS[level]), GRADE, max_size=2))
            grades[sem] = (base, per_ue)
        years.append((level, flagged, mobility, stage, grades))
        if draw(st.integers(0, 3)) == 0 and repeats < 2 and not flagged:
            repeats += 1  # the same level again next year, flagged
        else:
            level += 1
    return years


def cursus_rows(numero: str, first_year: int, years) -> tuple[dict, list[tuple[str, int]]]:
    book = Book(MAQUETTE)
    juries = []
    for i, (level, flagged, mobility, stage, grades) in enumerate(years):
        annee = annee_of(first_year + i)
        book.enrol(numero, annee, (2 * level - 1, 2 * level), redoublement=flagged)
        for sem in (2 * level - 1, 2 * level):
            if sem in mobility:
                book.mobility(numero, annee, sem)
            else:
                base, per_ue = grades[sem]
                book.semester(numero, annee, sem, base, per_ue=per_ue)
            juries.append((annee, sem))
        if level >= 2 and 2 * level not in mobility:
            y = first_year + i + 1
            debut = date(y, 4, 5)
            if stage == "good":
                book.stage(numero, annee, 2 * level, debut, debut + timedelta(days=67))
            elif stage == "short":
                book.stage(numero, annee, 2 * level, debut, debut + timedelta(days=60))
            elif stage == "late":
                book.stage(numero, annee, 2 * level, debut, date(y, 6, 30))
    return book.take(), juries


def raised(rows: dict, index: int, by: float) -> tuple[dict, dict]:
    """The same rows with one grade raised (capped at 20); also that grade row alone."""
    grades = [dict(r) for r in rows.get("grades", [])]
    r = grades[index % len(grades)]
    r["note"] = f"{min(20.0, float(r['note']) + by):.2f}"
    return {**rows, "grades": grades}, r


def outcome(rows_by_jury: dict) -> dict:
    """What must not get worse, per jury: decision rank, acquired UEs, ECTS."""
    out = {}
    for jury, row in rows_by_jury.items():
        acquired = {u["ue"] for u in row["ues"] if u["code"] in reglement.ACQUIRED}
        out[jury] = (RANK.get(row["decision_annee"]), acquired, row["ects_acquis"])
    return out


def assert_not_worse(before: dict, after: dict, where: str) -> None:
    for jury, (rank0, acq0, ects0) in before.items():
        rank1, acq1, ects1 = after[jury]
        assert rank0 is None or rank1 >= rank0, f"{where} {jury}: decision rank {rank0} -> {rank1}"
        # a UE acquired earlier is listed only by the jury that changes it (ADSUP): compare the
        # UEs of the jury's year; the ECTS total covers the rest of the cursus
        lost = {u for u in acq0 - acq1 if (int(u[-1]) + 1) // 2 == (jury[1] + 1) // 2}
        assert not lost, f"{where} {jury}: UEs lost {sorted(lost)}"
        assert ects1 >= ects0, f"{where} {jury}: ECTS {ects0} -> {ects1}"


def oracle_rows(rows: dict, numero: str, juries) -> dict:
    world = reglement.World(MAQUETTE)
    for kind in ("enrolments", "mobility", "stages", "grades"):
        world.apply(kind, rows.get(kind, []))
    return {j: reglement.student_row(world, numero, *j) for j in juries}


@settings(max_examples=25, deadline=None, derandomize=True, database=None,
          phases=[Phase.explicit, Phase.generate])
@given(cursus(), st.integers(0, 10_000), st.sampled_from([0.5, 2.0, 5.0]))
def test_oracle_raising_a_grade_never_worsens_a_decision(years, index, by):
    rows, juries = cursus_rows("50000001", 2026, years)
    before = oracle_rows(rows, "50000001", juries)
    up, _ = raised(rows, index, by)
    after = oracle_rows(up, "50000001", juries)
    assert_not_worse(outcome(before), outcome(after), "oracle")


_example = itertools.count()


@pytest.mark.django_db
@settings(max_examples=4, deadline=None, derandomize=True, database=None,
          phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(years=cursus(), index=st.integers(0, 10_000), by=st.sampled_from([1.0, 4.0]))
def test_application_raising_a_grade_never_worsens_a_decision(maquette, tmp_path, years, index, by):
    """Through the commands: the cursus is compared with the oracle, then one grade is raised (a
    re-import of that row: upsert), every jury is run again, compared again, and must not be worse."""
    k = next(_example)
    numero = f"5100{k:04d}"
    first_year = 2040 + 5 * k  # each example in its own academic years
    folder = tmp_path / f"ex{k}"
    folder.mkdir()
    h = Harness(folder)
    rows, juries = cursus_rows(numero, first_year, years)
    h.load_all(rows)
    before = {j: h.jury(*j)[0] for j in juries}
    _, row = raised(rows, index, by)
    h.load("grades", [row])
    after = {j: h.jury(*j, tag=" (raised)")[0] for j in juries}
    h.assert_no_diff()
    one = {j: next(e for e in p["etudiants"] if e["numero"] == numero) for j, p in before.items()}
    two = {j: next(e for e in p["etudiants"] if e["numero"] == numero) for j, p in after.items()}
    assert_not_worse(outcome(one), outcome(two), "application")

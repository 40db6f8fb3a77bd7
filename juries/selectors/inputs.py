"""Models turned into the rule engine's inputs, each conversion written once.

Used by the jury's selector (``selectors.jury``) and by the absence register
(``selectors.absences``), so that the engine and the secretariat's screens judge an absence from
the same input.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal

from django.db import connection
from django.db.models import QuerySet

from juries.importers.parsing import PARIS
from juries.models import Absence, Enrolment
from juries.rules.absences import AbsenceStatus
from juries.rules.codes import Regime
from juries.rules.inputs import AbsenceIn, EnseignementSumIn, EvaluationGradeIn

#: (annee, parity of the semester) → régime of the enrolment of that semester period.
Regimes = dict[tuple[str, int], str]


def _paris(moment: datetime) -> datetime:
    return moment.astimezone(PARIS)


def absence_input(absence: Absence) -> AbsenceIn:
    """The rules' input, in Europe/Paris time (the database gives UTC): the motifs the rules write
    (A2 "déclarée tardivement le …", A4) then show the wall-clock times the secretary entered."""
    return AbsenceIn(start=_paris(absence.start), end=_paris(absence.end), declared_at=_paris(absence.declared_at),
                     justificatif_at=_paris(absence.justificatif_at) if absence.justificatif_at is not None else None,
                     reason=absence.reason)


def regimes_of(enrolments: Iterable[Enrolment | tuple[str, int, str]]) -> Regimes:
    """A5 — the enrolment of a semester period decides whether its absences are an alternant's.

    ``enrolments``: models, or (annee, semester number, régime) rows read with ``values_list``.
    """
    out: Regimes = {}
    for e in enrolments:
        annee, number, regime = (e.annee, e.semester.number, e.regime) if isinstance(e, Enrolment) else e
        out[(annee, number % 2)] = regime
    return out


def regime_for(status: AbsenceStatus, regimes: Mapping[tuple[str, int], str]) -> str:
    """The régime an absence was judged with; FI when the student was not enrolled then (as the rules)."""
    return regimes.get((status.annee, status.parity), Regime.FI.value)


# --------------------------------------------------------------------------- grades

_CENT = Decimal("0.01")

#: V1's Σ(weight × grade) per (enrolment, enseignement, year), in integers (grades and weights in
#: hundredths: exact on SQLite's integers and PostgreSQL's numeric alike), with the number of
#: grades with a number (a mark has none). The evaluation's year is part of the key: a grade of
#: another year's evaluation never enters this year's average. Σ(weight) of a fully graded
#: enseignement is that of its evaluations, known without the grades.
_SUMS_SQL = """
SELECT g.enrolment_id, ev.enseignement_id, ev.annee, COUNT(g.value),
       SUM(CAST(ROUND(g.value * 100) AS INTEGER) * CAST(ROUND(ev.weight * 100) AS INTEGER))
FROM juries_grade g JOIN juries_evaluation ev ON ev.id = g.evaluation_id
WHERE g.enrolment_id IN ({enrolments})
GROUP BY g.enrolment_id, ev.enseignement_id, ev.annee
"""

#: Every grade row of the given (enrolment, enseignement) groups, in the enrolment's year.
_ROWS_SQL = """
WITH wanted(enrolment_id, enseignement_id) AS (VALUES {pairs})
SELECT g.enrolment_id, g.evaluation_id, g.value, g.mark
FROM wanted
JOIN juries_enrolment en ON en.id = wanted.enrolment_id
JOIN juries_evaluation ev ON ev.enseignement_id = wanted.enseignement_id AND ev.annee = en.annee
JOIN juries_grade g ON g.enrolment_id = wanted.enrolment_id AND g.evaluation_id = ev.id
"""

#: Every grade row of the enrolments of one year (the rows shown on a relevé or a student's page).
_YEAR_ROWS_SQL = """
SELECT g.enrolment_id, g.evaluation_id, g.value, g.mark
FROM juries_grade g JOIN juries_enrolment en ON en.id = g.enrolment_id
WHERE g.enrolment_id IN ({enrolments}) AND en.annee = %s
"""


def _two_places(value) -> Decimal | None:
    # The drivers give a float or int (SQLite) or a Decimal (PostgreSQL): two decimals, exactly.
    return None if value is None else Decimal(str(value)).quantize(_CENT)


class _Evaluations:
    """The evaluations defined for each (enseignement, year) of the jury's formation, in the
    order the engine lists them, each as its input row with no grade (the "missing" row)."""

    def __init__(self, rows: Iterable[tuple[int, int, int, str, str, str, Decimal, date | None]]) -> None:
        #: (semester number, year) -> the evaluation ids, in order
        self.by_semester: dict[tuple[int, str], list[int]] = defaultdict(list)
        #: (enseignement id, year) -> the evaluation ids, in order
        self.by_enseignement: dict[tuple[int, str], list[int]] = defaultdict(list)
        self.blank: dict[int, EvaluationGradeIn] = {}
        self.enseignement: dict[int, tuple[int, str]] = {}  # enseignement id -> (semester, code)
        self.enseignement_of: dict[int, int] = {}  # evaluation id -> enseignement id
        for ev_id, ens_id, ens_sem, code, annee, label, weight, when in rows:
            self.blank[ev_id] = EvaluationGradeIn(enseignement=code, label=label, weight=weight, date=when)
            self.by_semester[(ens_sem, annee)].append(ev_id)
            self.by_enseignement[(ens_id, annee)].append(ev_id)
            self.enseignement[ens_id] = (ens_sem, code)
            self.enseignement_of[ev_id] = ens_id
        #: (semester number, year) -> (enseignement id, code, its evaluations' (id, blank row)), in order
        self.groups: dict[tuple[int, str], list[tuple[int, str, list[tuple[int, EvaluationGradeIn]]]]] = {}
        for key, ids in self.by_semester.items():
            runs = self.groups[key] = []
            for ev_id in ids:
                ens_id = self.enseignement_of[ev_id]
                if not runs or runs[-1][0] != ens_id:
                    runs.append((ens_id, self.blank[ev_id].enseignement, []))
                runs[-1][2].append((ev_id, self.blank[ev_id]))
        #: (enseignement id, year) -> Σ(weight × 100) of its evaluations (one int object each, shared)
        self.weights: dict[tuple[int, str], int] = {
            key: sum(int(self.blank[ev_id].weight * 100) for ev_id in ids) for key, ids in self.by_enseignement.items()
        }
        #: the (enseignement id, year) keys themselves, one tuple each, shared by every enrolment
        self.keys: dict[tuple[int, str], tuple[int, str]] = {key: key for key in self.by_enseignement}
        self._rows: dict[tuple, EvaluationGradeIn] = {}

    def row(self, evaluation_id: int, value, mark: str) -> EvaluationGradeIn:
        """The input row of one grade; built once per (evaluation, value, mark) and shared:
        grades repeat, and the rows are immutable."""
        key = (evaluation_id, value, mark)
        row = self._rows.get(key)
        if row is None:
            row = self._rows[key] = self.blank[evaluation_id]._replace(value=_two_places(value), mark=mark or None)
        return row


class _YearRows:
    """The grade rows of the enseignements summed by the database, read in one query for the
    whole jury the first time one is looked at (a relevé, a student's page): the jury's table
    and the export never read them."""

    def __init__(self, evaluations: _Evaluations, subquery: str, params: tuple, annee: str) -> None:
        self.evaluations = evaluations
        self.sql = _YEAR_ROWS_SQL.format(enrolments=subquery)
        self.params = (*params, annee)
        self.annee = annee
        self._grades: dict[int, dict[int, EvaluationGradeIn]] | None = None

    def rows(self, enrolment_id: int, key: tuple[int, str]) -> tuple[EvaluationGradeIn, ...]:
        if self._grades is None:
            grades: dict[int, dict[int, EvaluationGradeIn]] = defaultdict(dict)
            row = self.evaluations.row
            blank = self.evaluations.blank
            with connection.cursor() as cursor:
                cursor.execute(self.sql, self.params)
                for e_id, ev_id, value, mark in cursor:
                    if ev_id in blank:
                        grades[e_id][ev_id] = row(ev_id, value, mark)
            self._grades = grades
        mine = self._grades.get(enrolment_id, {})
        return tuple(mine.get(ev_id) or self.evaluations.blank[ev_id]
                     for ev_id in self.evaluations.by_enseignement[key])


class _SummedRows(Sequence[EvaluationGradeIn]):
    """The rows of one summed enseignement of one enrolment, read only when looked at."""

    __slots__ = ("_source", "_enrolment", "_key", "_count")

    def __init__(self, source: _YearRows, enrolment_id: int, key: tuple[int, str], count: int) -> None:
        self._source, self._enrolment, self._key, self._count = source, enrolment_id, key, count

    def _rows(self) -> tuple[EvaluationGradeIn, ...]:
        return self._source.rows(self._enrolment, self._key)

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, i):  # type: ignore[override]
        return self._rows()[i]

    def __iter__(self) -> Iterator[EvaluationGradeIn]:
        return iter(self._rows())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and tuple(self) == tuple(other)

    def __hash__(self) -> int:
        return hash(self._rows())

    def __repr__(self) -> str:
        return repr(self._rows())


EnrolmentGrades = dict[int, tuple[tuple[EvaluationGradeIn, ...], tuple[EnseignementSumIn, ...]]]


def grade_inputs(enrolments: Iterable[Enrolment], evaluation_rows: Iterable, enrolment_ids_query: QuerySet,
                 annee: str) -> EnrolmentGrades:
    """The engine's grade inputs of each enrolment (id -> (rows, sums)), the arithmetic done by
    the database: V1's exact sums per enseignement arrive as one row per (enrolment,
    enseignement) instead of one per grade.

    An enseignement whose every evaluation has a number is summed (EnseignementSumIn, its rows
    read only if shown); the others (a mark, a grade missing: the few that the rules A6-A8, V1
    explain evaluation by evaluation) are listed row by row, read in one bounded query.
    ``evaluation_rows``: (id, enseignement id, semester, code, year, label, weight, date) of
    every evaluation of the formation in the years concerned, in the engine's order.
    ``enrolment_ids_query``: a queryset of the enrolments' ids (a subquery, never a long list).
    Two queries, whatever the number of students.
    """
    evaluations = _Evaluations(evaluation_rows)
    subquery, params = enrolment_ids_query.query.sql_with_params()
    enrolments = list(enrolments)
    period = {e.id: (e.semester.number, e.annee) for e in enrolments}
    # enrolment -> enseignement id -> points, for the enseignements fully graded
    sums: dict[int, dict[int, int]] = defaultdict(dict)
    pool: dict[int, int] = {}  # equal sums share one int object
    partial: list[tuple[int, int]] = []
    by_enseignement = evaluations.by_enseignement
    ens_of = evaluations.enseignement
    with connection.cursor() as cursor:
        cursor.execute(_SUMS_SQL.format(enrolments=subquery), params)
        # Iterated, not fetched whole: the rows never sit all at once in memory.
        for e_id, ens_id, ev_annee, graded, points in cursor:
            ens = ens_of.get(ens_id)
            here = period.get(e_id)
            if ens is None or here is None or (ens[0], ev_annee) != here:
                continue  # another formation's or another year's evaluation: not this enrolment's
            defined = by_enseignement.get((ens_id, ev_annee), ())
            if graded == len(defined):
                points = int(points)
                sums[e_id][ens_id] = pool.setdefault(points, points)
            else:
                partial.append((e_id, ens_id))
    grades: dict[int, dict[int, EvaluationGradeIn]] = defaultdict(dict)
    pairs = ", ".join(f"({int(e)}, {int(s)})" for e, s in partial) or "(0, 0)"
    with connection.cursor() as cursor:
        cursor.execute(_ROWS_SQL.format(pairs=pairs))
        row = evaluations.row
        for e_id, ev_id, value, mark in cursor:
            if ev_id in evaluations.blank:
                grades[e_id][ev_id] = row(ev_id, value, mark)

    source = _YearRows(evaluations, subquery, params, annee)
    keys, weights = evaluations.keys, evaluations.weights
    out: EnrolmentGrades = {}
    no_grade: dict[int, EvaluationGradeIn] = {}
    for e_id, (number, year) in period.items():
        mine = grades.get(e_id, no_grade)
        summed = sums.get(e_id)
        rows: list[EvaluationGradeIn] = []
        summed_in: list[EnseignementSumIn] = []
        # Evaluations come ordered by enseignement: one step per enseignement, rows in the same order.
        for ens_id, code, blanks in evaluations.groups.get((number, year), ()):
            if summed is not None and ens_id in summed:
                key = keys[(ens_id, year)]
                summed_in.append(EnseignementSumIn(code, summed[ens_id], weights[key],
                                                   _SummedRows(source, e_id, key, len(blanks))))
            elif mine:
                rows.extend([mine.get(ev_id, missing) for ev_id, missing in blanks])
            else:
                rows.extend([missing for _, missing in blanks])
        out[e_id] = (tuple(rows), tuple(summed_in))
    return out

"""The one write path of every spreadsheet import: commands, admin and feuille de notes call it."""

from __future__ import annotations

from django.db import transaction

from juries.importers import cursus, enrolments, grades
from juries.importers.base import ImportReport
from juries.importers.errors import ImportFailed
from juries.importers.tabular import Row, merge_formula_errors, read_table

KINDS = {
    "enrolments": ("Inscriptions", enrolments.REQUIRED),
    "grades": ("Notes", grades.REQUIRED),
    "stages": ("Stages", cursus.STAGE_REQUIRED),
    "mobility": ("Mobilités", cursus.MOBILITY_REQUIRED),
    "absences": ("Absences", cursus.ABSENCE_REQUIRED),
}


def import_file(*, kind: str, data: bytes, filename: str, dry_run: bool = False, user=None) -> ImportReport:
    """Reads, validates every row, then writes everything or nothing (raises ImportFailed)."""
    title, required = KINDS[kind]
    rows = read_table(data, filename, required=required)
    return import_rows(kind=kind, rows=rows, dry_run=dry_run, user=user)


def import_rows(*, kind: str, rows: list[Row], dry_run: bool = False, user=None) -> ImportReport:
    title, _ = KINDS[kind]
    report = ImportReport(kind=title, dry_run=dry_run)
    with transaction.atomic():
        if kind == "enrolments":
            enrolment_rows, errors = enrolments.validate(rows)
            _raise(merge_formula_errors(rows, errors))
            enrolments.apply(enrolment_rows, report)
        elif kind == "grades":
            grade_rows, plans, errors = grades.validate(rows)
            _raise(merge_formula_errors(rows, errors))
            grades.apply(grade_rows, plans, report, user=user)
        elif kind == "stages":
            stage_rows, errors = cursus.validate_stages(rows)
            _raise(merge_formula_errors(rows, errors))
            cursus.apply_stages(stage_rows, report)
        elif kind == "mobility":
            mobility_rows, errors = cursus.validate_mobility(rows)
            _raise(merge_formula_errors(rows, errors))
            cursus.apply_mobility(mobility_rows, report)
        elif kind == "absences":
            absence_rows, errors = cursus.validate_absences(rows)
            _raise(merge_formula_errors(rows, errors))
            cursus.apply_absences(absence_rows, report)
        else:  # pragma: no cover - guarded by KINDS
            raise KeyError(kind)
        if dry_run:
            transaction.set_rollback(True)
    return report


def _raise(errors) -> None:
    if errors:
        raise ImportFailed(sorted(errors, key=lambda e: (e.line or 0)))

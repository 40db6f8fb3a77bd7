"""Grade entry in the browser for one evaluation, through the import path (validation shared).

Each row carries the grade's version as loaded (optimistic locking): a row someone else saved in
between is refused with a French message, never silently overwritten. An emptied cell never
deletes a grade.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.db import IntegrityError, transaction
from django.db.models import Max

from juries.importers.base import ImportReport
from juries.importers.errors import ImportFailed, RowError
from juries.importers.grades import ensure_history_baseline
from juries.importers.parsing import PARIS, CellError, parse_grade
from juries.importers.tabular import Row
from juries.models import Enrolment, Enseignement, Evaluation, Grade
from juries.models.assessment import GradeRefused, validate_grade
from juries.models.history import attribute_change
from juries.rules.settings import ReglementSettings
from juries.selectors import absences as absence_selectors
from juries.services.imports import import_rows

GRADE_KEYS = ("numero", "annee", "semestre", "code", "evaluation", "coefficient", "date", "note")
_HEADERS = {k: k for k in GRADE_KEYS}
_COLUMNS = {k: i for i, k in enumerate(GRADE_KEYS)}


def grade_row(*, line: int, numero: str, annee: str, semestre: int, code: str, label: str, note: str,
              day: str = "", coefficient: str = "") -> Row:
    """One row of import_grades (docs/formats.md long format), for the shared validation."""
    values = {"numero": numero, "annee": annee, "semestre": str(semestre), "code": code, "evaluation": label,
              "coefficient": coefficient, "date": day, "note": note}
    return Row(line=line, values=values, headers=_HEADERS, columns=_COLUMNS)


def same_grade(a: str, b: str) -> bool:
    """`12,5` and `12.50` are the same grade; `abi` and `ABI` the same mark."""
    a, b = a.strip(), b.strip()
    if not a or not b:
        return a == b
    try:
        return parse_grade(a) == parse_grade(b)
    except CellError:
        return a.upper() == b.upper()


def grade_text(grade: Grade | None) -> str:
    return grade.display if grade else ""


# --------------------------------------------------------------------------- the page (read)


@dataclass(frozen=True)
class LastChange:
    user: str
    at: datetime


@dataclass(frozen=True)
class EntryRow:
    enrolment: Enrolment
    grade: Grade | None
    resolved: str | None = None  # A8: what an ABS counts as today (ABJ / ABI), from the register
    alert: bool = False  # A8: an explicit ABI on a day covered by a justified absence
    last_change: LastChange | None = None

    @property
    def text(self) -> str:
        return grade_text(self.grade)

    @property
    def unresolved(self) -> bool:
        """A8: an ABS the register cannot resolve (the evaluation has no date)."""
        return self.grade is not None and self.grade.mark == Grade.Mark.ABS and self.resolved is None

    @property
    def version(self) -> str:
        return str(self.grade.version) if self.grade else ""


@dataclass(frozen=True)
class EntrySheet:
    evaluation: Evaluation
    rows: list[EntryRow]
    groups: list[str]
    group: str


def enrolments_for(*, enseignement: Enseignement, annee: str, group: str = ""):
    qs = Enrolment.objects.filter(annee=annee, semester_id=enseignement.semester_id).select_related(
        "student", "semester")
    if group:
        qs = qs.filter(group=group)
    return qs.order_by("student__nom", "student__prenom", "student__numero")


def groups_for(*, enseignement: Enseignement, annee: str) -> list[str]:
    return sorted({
        g for g in Enrolment.objects.filter(annee=annee, semester_id=enseignement.semester_id)
        .order_by().values_list("group", flat=True).distinct() if g
    })


def last_changes(grade_ids) -> dict[int, LastChange]:
    """Who last wrote each grade and when (django-simple-history), two queries."""
    latest = Grade.history.filter(id__in=grade_ids).values("id").annotate(h=Max("history_id")).values_list("h", flat=True)
    out = {}
    for rec in Grade.history.filter(history_id__in=list(latest)).select_related("history_user"):
        user = rec.history_user
        name = (user.get_full_name() or user.username) if user else "inconnu"
        out[rec.id] = LastChange(name, rec.history_date)
    return out


def resolved_marks(grades: list[Grade], settings: ReglementSettings | None = None) -> dict[int, tuple[str | None, bool]]:
    """A8 — for each ABS / ABI grade, the mark the engine reads today (computed, never stored).

    Reads ``grade.enrolment`` and ``grade.evaluation`` (select them); three queries at most.
    """
    marked = [g for g in grades if g.mark in (Grade.Mark.ABS, Grade.Mark.ABI)]
    if not marked:
        return {}
    settings = settings or absence_selectors.reglement_settings()
    by_student = absence_selectors.statuses_by_student(
        student_ids={g.enrolment.student_id for g in marked}, settings=settings)
    return {
        g.pk: absence_selectors.resolve_mark(mark=g.mark, day=g.evaluation.date,
                                             statuses=by_student.get(g.enrolment.student_id, ()), settings=settings)
        for g in marked
    }


def entry_sheet(*, evaluation: Evaluation, group: str = "") -> EntrySheet:
    """One row per student enrolled in the evaluation's semester and year (and group)."""
    ens = evaluation.enseignement
    enrolments = list(enrolments_for(enseignement=ens, annee=evaluation.annee, group=group))
    grades = {g.enrolment_id: g for g in Grade.objects.filter(evaluation=evaluation, enrolment__in=enrolments)}
    for e in enrolments:
        if e.pk in grades:
            grades[e.pk].enrolment = e
            grades[e.pk].evaluation = evaluation
    resolved = resolved_marks(list(grades.values()))
    changes = last_changes([g.pk for g in grades.values()]) if grades else {}
    rows = []
    for e in enrolments:
        g = grades.get(e.pk)
        mark, alert = resolved.get(g.pk, (None, False)) if g else (None, False)
        rows.append(EntryRow(e, g, resolved=mark if g and g.mark == Grade.Mark.ABS else None, alert=alert,
                             last_change=changes.get(g.pk) if g else None))
    return EntrySheet(evaluation, rows, groups_for(enseignement=ens, annee=evaluation.annee), group)


# --------------------------------------------------------------------------- saving (write)


@dataclass(frozen=True)
class Entry:
    """What the page posted for one student: the typed grade, the absence chosen, the version loaded."""

    enrolment_id: int
    note: str = ""
    mark: str = ""
    version: int | None = None
    initial: str = ""

    @property
    def wanted(self) -> str:
        return self.mark or self.note.strip()


@dataclass
class EntryOutcome:
    report: ImportReport | None = None
    errors: dict[int, str] = field(default_factory=dict)  # enrolment id -> French message
    conflicts: dict[int, str] = field(default_factory=dict)
    notices: dict[int, str] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)

    @property
    def saved(self) -> bool:
        return self.report is not None and not self.errors and not self.general


def save_grades(*, evaluation: Evaluation, entries: list[Entry], user) -> EntryOutcome:
    """Saves the rows that changed since the page was loaded, through `import_rows` (all or nothing
    for validation errors); a row whose grade changed in between is refused (conflict)."""
    ens = evaluation.enseignement
    outcome = EntryOutcome()
    enrolments = {e.pk: e for e in enrolments_for(enseignement=ens, annee=evaluation.annee)
                  .filter(pk__in=[x.enrolment_id for x in entries])}
    changed: list[Entry] = []
    for x in entries:
        if x.enrolment_id not in enrolments:
            continue
        if x.mark and x.note.strip() and not same_grade(x.note, x.mark):
            try:
                validate_grade(x.note.strip(), x.mark)  # a note typed beside the absence chosen: two grades
            except GradeRefused as exc:
                outcome.errors[x.enrolment_id] = exc.message
            continue
        if not x.wanted:
            if x.initial:
                outcome.notices[x.enrolment_id] = (
                    "case vidée : la note enregistrée est conservée (une note se supprime dans l'administration)")
            continue
        if same_grade(x.wanted, x.initial):
            continue
        changed.append(x)
    if outcome.errors:
        return outcome
    if not changed:
        outcome.report = ImportReport(kind="Notes")
        return outcome
    keep: list[Entry] = []
    try:
        with transaction.atomic():
            current = {g.enrolment_id: g for g in Grade.objects.select_for_update().filter(
                evaluation=evaluation, enrolment_id__in=[x.enrolment_id for x in changed])}
            _refuse_conflicts(changed, current, outcome)
            keep = [x for x in changed if x.enrolment_id not in outcome.conflicts]
            rows = []
            for i, x in enumerate(keep, start=2):
                e = enrolments[x.enrolment_id]
                rows.append(grade_row(line=i, numero=e.student.numero, annee=evaluation.annee,
                                      semestre=e.semester.number, code=ens.code, label=evaluation.label, note=x.wanted))
            if rows:
                outcome.report = import_rows(kind="grades", rows=rows, user=user)
            else:
                outcome.report = ImportReport(kind="Notes")
    except ImportFailed as exc:
        outcome.report = None
        by_line = {i: x.enrolment_id for i, x in enumerate(keep, start=2)}
        for err in exc.errors:
            _place(err, by_line, outcome)
    except IntegrityError:
        outcome.report = None
        outcome.general.append("Une autre personne a saisi des notes de cette évaluation au même moment : "
                               "rien n'a été enregistré, rechargez la page.")
    return outcome


def _place(err: RowError, by_line: dict[int, int], outcome: EntryOutcome) -> None:
    enrolment_id = by_line.get(err.line or 0)
    if enrolment_id is None:
        outcome.general.append(err.message)
    elif enrolment_id in outcome.errors:
        outcome.errors[enrolment_id] += " ; " + err.message
    else:
        outcome.errors[enrolment_id] = err.message


def _refuse_conflicts(changed: list[Entry], current: dict[int, Grade], outcome: EntryOutcome) -> None:
    stale = {}
    for x in changed:
        g = current.get(x.enrolment_id)
        if g is None and x.version is None:
            continue
        if g is not None and g.version == x.version:
            continue
        stale[x.enrolment_id] = (x, g)
    if not stale:
        return
    who = last_changes([g.pk for _, g in stale.values() if g is not None])
    for enrolment_id, (x, g) in stale.items():
        if g is None:
            outcome.conflicts[enrolment_id] = (
                f"la note a été supprimée depuis l'ouverture de la page : votre saisie « {x.wanted} » "
                "n'a pas été enregistrée, rechargez la page")
            continue
        change = who.get(g.pk)
        by = f" par {change.user} le {change.at.astimezone(PARIS):%d/%m/%Y à %H:%M}" if change else ""
        outcome.conflicts[enrolment_id] = (
            f"modifiée entre-temps{by} (note enregistrée : {g.display}) : votre saisie « {x.wanted} » "
            "n'a pas été enregistrée ; vérifiez puis saisissez-la à nouveau")


def save_grade(grade: Grade, *, by) -> Grade:
    """One grade written on its own (the admin form): a stored grade's version goes up by one
    (optimistic locking: an open grade entry page sees the change) and its state before the change
    is kept in the history when it had none (a bulk load), so the change shows old → new."""
    if grade.pk is not None:
        stored = Grade.objects.get(pk=grade.pk)
        ensure_history_baseline([copy.copy(stored)])
        grade.version = stored.version + 1
    attribute_change(grade, by=by)
    grade.save()
    return grade


# --------------------------------------------------------------------------- a new evaluation


class EvaluationRefused(Exception):
    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(errors.values()))


def create_evaluation(*, enseignement: Enseignement, annee: str, label: str, day: date | None,
                      weight: Decimal, by) -> Evaluation:
    """A new evaluation of an enseignement for one year (common to every enrolled student, V1)."""
    label = label.strip()
    errors = {}
    if not label:
        errors["label"] = "intitulé obligatoire"
    elif Evaluation.objects.filter(enseignement=enseignement, annee=annee, label__iexact=label).exists():
        errors["label"] = f"l'évaluation « {label} » existe déjà pour {enseignement.display_code} {annee}"
    if weight is None or weight <= 0:
        errors["weight"] = "le coefficient doit être strictement positif"
    if enseignement.parts.exists():
        errors["label"] = f"{enseignement.display_code} est découpée par compétence : noter ses parties"
    if errors:
        raise EvaluationRefused(errors)
    ev = Evaluation(enseignement=enseignement, annee=annee, label=label)
    save_evaluation(ev, day=day, weight=weight, by=by)
    return ev


EvaluationChange = Literal["created", "updated", ""]


def save_evaluation(evaluation: Evaluation, *, day: date | None, weight: Decimal | None, by,
                    dry_run: bool = False) -> EvaluationChange:
    """The one write of an evaluation's date and coefficient outside the bulk import (the new
    evaluation form, a feuille de notes' column without grades). A new evaluation gets a
    coefficient of 1 when none is given; a stored one keeps its date or coefficient when none is
    given. Saved with its author in the history, through the E3 guard; nothing is written with
    ``dry_run``. Says whether the evaluation is "created", "updated" or unchanged ("")."""
    if evaluation.pk is None:
        evaluation.date = day
        evaluation.weight = weight or Decimal("1")
        change: EvaluationChange = "created"
    elif (day is not None and evaluation.date != day) or (weight is not None and evaluation.weight != weight):
        evaluation.date = day or evaluation.date
        evaluation.weight = weight or evaluation.weight
        change = "updated"
    else:
        return ""
    if not dry_run:
        attribute_change(evaluation, by=by)
        evaluation.save()
    return change

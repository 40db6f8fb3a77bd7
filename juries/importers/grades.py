"""import_grades: one row per grade, long format (docs/formats.md). Also used by the feuille de notes."""

from __future__ import annotations

import copy
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import F
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from juries.models import Enrolment, Enseignement, Evaluation, Grade
from juries.models.assessment import GRADE_EMPTY, GradeRefused, validate_grade
from juries.models.history import attribute_change
from juries.selectors.frozen import deliberated_semesters

from .base import RowReader
from .columns import required
from .errors import RowError
from .parsing import (
    CellError,
    normalise_code,
    parse_annee,
    parse_date,
    parse_decimal,
    parse_grade,
    parse_semestre,
)
from .tabular import Row

REQUIRED = required("grades")


@dataclass
class GradeRow:
    line: int
    enrolment: Enrolment
    enseignement: Enseignement
    annee: str
    label: str
    weight: Decimal | None
    date: date | None
    value: Decimal | None
    mark: str


@dataclass
class EvaluationPlan:
    enseignement: Enseignement
    annee: str
    label: str
    weight: Decimal | None = None
    date: date | None = None
    weight_line: int = 0
    date_line: int = 0
    existing: Evaluation | None = None


def validate(rows: list[Row]) -> tuple[list[GradeRow], dict, list[RowError]]:
    errors: list[RowError] = []
    numeros = {row.get("numero") for row in rows}
    enrolments = {
        (e.student.numero, e.annee, e.semester.number): e
        for e in Enrolment.objects.filter(student__numero__in=numeros).select_related("student", "semester")
    }
    enseignements = {e.code: e for e in Enseignement.objects.select_related("semester").prefetch_related("parts")}
    frozen = deliberated_semesters()
    parsed: list[GradeRow] = []
    for row in rows:
        r = RowReader(row, errors)
        numero = r.cell("numero")
        annee = r.cell("annee", parse_annee)
        semestre = r.cell("semestre", parse_semestre)
        code = r.cell("code", normalise_code)
        label = r.cell("evaluation")
        weight = r.cell("coefficient", lambda t: parse_decimal(t, what="le coefficient"), required=False)
        when = r.cell("date", parse_date, required=False)
        note_text = row.get("note")
        value, mark = None, ""
        if not note_text:
            r.fail("note", GRADE_EMPTY)
        else:
            try:
                value, mark = parse_grade(note_text)
            except CellError as exc:
                r.fail("note", str(exc))
        enseignement = enseignements.get(code) if code else None
        if code and enseignement is None:
            r.fail("code", f"enseignement « {row.get('code')} » inconnu de la maquette")
        elif enseignement is not None:
            if enseignement.parts.all():
                parts = ", ".join(p.code for p in enseignement.parts.all())
                r.fail("code", f"{enseignement.code} est découpée par compétence : noter {parts}")
            elif semestre and enseignement.semester.number != semestre:
                r.fail("code", f"{enseignement.code} est un enseignement du S{enseignement.semester.number}, pas du S{semestre}")
        enrolment = None
        if numero and annee and semestre:
            enrolment = enrolments.get((numero, annee, semestre))
            if enrolment is None:
                r.fail("numero", f"l'étudiant {numero} n'est pas inscrit en S{semestre} {annee}")
            elif (annee, semestre) in frozen:
                r.fail(None, f"E3 : le jury du S{semestre} {annee} a délibéré, ses notes sont définitives "
                             "(réouverture du jury nécessaire)")
        if r.ok:
            # Every cell they come from is required, and a row whose student or enseignement is not found failed.
            assert enrolment is not None and enseignement is not None
            parsed.append(GradeRow(row.line, enrolment, enseignement, annee, label, weight, when, value, mark))
    return parsed, _plan_evaluations(parsed, rows, errors), errors


def _plan_evaluations(parsed: list[GradeRow], rows: list[Row], errors: list[RowError]) -> dict:
    """One coefficient and one date per evaluation; two grades for one student refused (later row named)."""
    row_by_line = {row.line: row for row in rows}
    keys = {(g.enseignement.pk, g.annee, g.label) for g in parsed}
    stored = {
        (e.enseignement_id, e.annee, e.label): e
        for e in Evaluation.objects.filter(
            enseignement_id__in={k[0] for k in keys}, annee__in={k[1] for k in keys}
        )
    }
    plans: dict[tuple, EvaluationPlan] = {}
    seen: dict[tuple, int] = {}
    for g in parsed:
        key = (g.enseignement.pk, g.annee, g.label)
        plan = plans.get(key)
        if plan is None:
            plan = plans[key] = EvaluationPlan(g.enseignement, g.annee, g.label, existing=stored.get(key))
        row = row_by_line[g.line]
        if g.weight is not None:
            if plan.weight is not None and plan.weight != g.weight:
                errors.append(RowError(g.line, row.column("coefficient"),
                                       f"coefficient {g.weight} différent de celui de la ligne {plan.weight_line} "
                                       f"({plan.weight}) pour l'évaluation « {g.label} »", cell=row.cell("coefficient")))
            else:
                plan.weight, plan.weight_line = g.weight, g.line
        if g.date is not None:
            if plan.date is not None and plan.date != g.date:
                errors.append(RowError(g.line, row.column("date"),
                                       f"date différente de celle de la ligne {plan.date_line} pour l'évaluation « {g.label} »",
                                       cell=row.cell("date")))
            else:
                plan.date, plan.date_line = g.date, g.line
        dup = (g.enrolment.pk, key)
        if dup in seen:
            errors.append(RowError(g.line, None, f"doublon de la ligne {seen[dup]} : même étudiant et même évaluation"))
        else:
            seen[dup] = g.line
    for g in parsed:
        plan = plans[(g.enseignement.pk, g.annee, g.label)]
        try:
            validate_grade(g.value, g.mark, dated=plan.date is not None
                           or (plan.existing is not None and plan.existing.date is not None))
        except GradeRefused as exc:
            row = row_by_line[g.line]
            where = "date" if exc.field == "date" and "date" in row.headers else "note"
            errors.append(RowError(g.line, row.column(where), exc.message, cell=row.cell(where)))
    return plans


def apply(parsed: list[GradeRow], plans: dict, report, *, user=None) -> None:
    """Writes evaluations then grades in bulk; django-simple-history keeps every before/after."""
    evaluations: dict[tuple, Evaluation] = {}
    to_create, to_update = [], []
    for key, plan in plans.items():
        ev = plan.existing
        if ev is None:
            ev = Evaluation(enseignement=plan.enseignement, annee=plan.annee, label=plan.label,
                            weight=plan.weight or Decimal("1"), date=plan.date)
            to_create.append(ev)
        else:
            changed = False
            if plan.weight is not None and ev.weight != plan.weight:
                ev.weight, changed = plan.weight, True
            if plan.date is not None and ev.date != plan.date:
                ev.date, changed = plan.date, True
            if changed:
                to_update.append(ev)
        evaluations[key] = ev
    if to_create:
        bulk_create_with_history(to_create, Evaluation, batch_size=500, default_user=user)
        # Re-read the primary keys (SQLite's bulk_create may not return them on every version).
        fresh = {
            (e.enseignement_id, e.annee, e.label): e
            for e in Evaluation.objects.filter(
                enseignement_id__in={k[0] for k in plans}, annee__in={k[1] for k in plans}
            )
        }
        evaluations = {k: fresh[k] for k in plans}
    if to_update:
        bulk_update_with_history(to_update, Evaluation, ["weight", "date"], batch_size=500, default_user=user)
    existing = {
        (g.enrolment_id, g.evaluation_id): g
        for g in Grade.objects.filter(
            enrolment_id__in={p.enrolment.pk for p in parsed},
            evaluation_id__in={e.pk for e in evaluations.values()},
        )
    }
    new_grades, changed_grades, before = [], [], []
    for g in parsed:
        ev = evaluations[(g.enseignement.pk, g.annee, g.label)]
        label = f"{g.enrolment.student.numero} {g.enseignement.code} « {g.label} » : {g.mark or g.value}"
        current = existing.get((g.enrolment.pk, ev.pk))
        if current is None:
            new_grades.append(Grade(enrolment=g.enrolment, evaluation=ev, value=g.value, mark=g.mark))
            report.count("nouveau", g.line, label)
        elif current.value != g.value or current.mark != g.mark:
            before.append(copy.copy(current))
            current.value, current.mark = g.value, g.mark
            current.version += 1  # optimistic locking: an open grade entry page sees the change
            changed_grades.append(current)
            report.count("modifié", g.line, label)
        else:
            report.count("inchangé", g.line, label)
    if new_grades:
        bulk_create_with_history(new_grades, Grade, batch_size=1000, default_user=user)
    if changed_grades:
        ensure_history_baseline(before)
        _update_grades(changed_grades, user)


def _update_grades(grades: list[Grade], user) -> None:
    """One UPDATE per distinct new grade (a sheet has a few dozen distinct values) instead of
    Django's bulk_update, whose CASE WHEN per row costs about 1 ms a row to build; then the
    history rows in bulk, as bulk_update_with_history does."""
    by_value: dict[tuple, list[int]] = defaultdict(list)
    for g in grades:
        by_value[(g.value, g.mark)].append(g.pk)
    for (value, mark), ids in by_value.items():
        for i in range(0, len(ids), 900):
            Grade.objects.filter(pk__in=ids[i:i + 900]).update(value=value, mark=mark, version=F("version") + 1)
    Grade.history.bulk_history_create(grades, batch_size=1000, update=True, default_user=user)


def ensure_history_baseline(grades: list[Grade]) -> None:
    """Gives a grade written without history (a bulk load, the demo) a first record of its current
    state, so that the change about to be recorded shows its old value beside the new one."""
    ids = [g.pk for g in grades]
    known: set[int] = set()
    for i in range(0, len(ids), 900):
        known.update(Grade.history.filter(id__in=ids[i:i + 900]).values_list("id", flat=True).distinct())
    missing = [g for g in grades if g.pk not in known]
    for g in missing:
        attribute_change(g, by=None)  # not the person making the change: the author of this state is unknown
    if missing:
        # Strictly earlier than the change, so that simple-history's prev_record finds it.
        Grade.history.bulk_history_create(missing, batch_size=1000, default_change_reason="état antérieur (repris)",
                                          default_date=timezone.now() - timedelta(milliseconds=1))

"""« Mes notes »: a student's own grades of one semester, as published, and « ce qu'il te faut ».

Nothing of an evaluation that is not published leaves this module: its grades are read only for
published evaluations, the promotion's figures likewise, and the rule engine (provisional UE
averages, « ce qu'il te faut ») runs on inputs where every grade of an unpublished evaluation of
the semester's year is blanked, as if still to come — so no average leaks an unpublished grade.
A fixed number of queries, whatever the number of evaluations.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from django.db.models import Avg, Count, Max, Min

from juries.models import Enrolment, Evaluation, Grade, JurySession, Student
from juries.rules.inputs import StudentIn
from juries.rules.needs import Needs, ProvisionalUE, compute_needs, provisional_averages
from juries.selectors.absences import JudgedAbsence, SemesterAbsences, student_register
from juries.selectors.jury import JuryInputs, load_jury_inputs


@dataclass(frozen=True)
class Figures:
    """The promotion's figures at one evaluation: the numeric grades entered (marks left out)."""

    moyenne: Decimal
    minimum: Decimal
    maximum: Decimal
    count: int


@dataclass(frozen=True)
class EvaluationLine:
    evaluation: Evaluation
    published: bool
    grade: Grade | None  # None when unpublished (never read) or not entered yet
    #: when the grade was changed after the evaluation's publication (its last change), else None.
    changed_at: datetime | None
    figures: Figures | None


@dataclass(frozen=True)
class EnseignementNotes:
    code: str
    name: str
    lines: list[EvaluationLine]

    @property
    def published(self) -> int:
        return sum(1 for line in self.lines if line.published)


@dataclass(frozen=True)
class NotesPage:
    student: Student
    enrolment: Enrolment
    enrolments: list[Enrolment]  # every semester of the student, newest first (the page's tabs)
    jury: JurySession | None
    enseignements: list[EnseignementNotes]
    ues: tuple[ProvisionalUE, ...]
    absences: list[JudgedAbsence]
    summary: SemesterAbsences | None
    needs: Needs | None  # None: deliberated, nothing published yet, or nothing still to come

    @property
    def deliberated(self) -> bool:
        return self.jury is not None and self.jury.is_deliberated

    @property
    def published(self) -> int:
        return sum(e.published for e in self.enseignements)


def student_enrolments(student: Student) -> list[Enrolment]:
    return list(Enrolment.objects.filter(student=student).select_related("semester__formation")
                .order_by("-annee", "-semester__number"))


#: Below this many grades, the promotion's figures would tell another student's grade: not shown.
MIN_FIGURES = 3


def _figures(evaluation_ids: list[int]) -> dict[int, Figures]:
    rows = (Grade.objects.filter(evaluation_id__in=evaluation_ids, value__isnull=False).order_by()
            .values("evaluation_id").annotate(avg=Avg("value"), lo=Min("value"), hi=Max("value"), n=Count("id")))
    return {r["evaluation_id"]: Figures(Decimal(str(r["avg"])), Decimal(str(r["lo"])), Decimal(str(r["hi"])), r["n"])
            for r in rows if r["n"] >= MIN_FIGURES}


def _changes_after(grades: dict[int, Grade], published: dict[int, datetime]) -> dict[int, datetime]:
    """grade id -> its last change, for grades changed after their evaluation was published
    (a grade first entered after the publication is not a change)."""
    if not grades:
        return {}
    bounds = (Grade.history.filter(id__in=list(grades)).order_by().values("id")
              .annotate(first=Min("history_date"), last=Max("history_date")))
    out = {}
    for b in bounds:
        at = published.get(grades[b["id"]].evaluation_id)
        if at is not None and b["last"] > at and b["first"] <= at:
            out[b["id"]] = b["last"]
    return out


def published_only(student: StudentIn, annee: str, semester: int, unpublished: set[tuple[str, str]]) -> StudentIn:
    """The student with every grade of an unpublished evaluation of that year blanked (still to come).

    An enseignement the database already summed (``EnrolmentIn.sums``, every evaluation graded) is
    put back as rows when one of its evaluations is unpublished: its sum would carry that grade."""
    year = (semester + 1) // 2

    def blank(rows):
        return tuple(r._replace(value=None, mark=None) if (r.enseignement, r.label) in unpublished else r
                     for r in rows)

    def hidden(e):
        sums, rows = [], list(e.evaluations)
        for total in e.sums:
            if any((r.enseignement, r.label) in unpublished for r in total.evaluations):
                rows.extend(total.evaluations)
            else:
                sums.append(total)
        return replace(e, evaluations=blank(rows), sums=tuple(sums))

    enrolments = tuple(hidden(e) if e.annee == annee and e.but_year == year else e for e in student.enrolments)
    return replace(student, enrolments=enrolments)


def unpublished_evaluations(*, annee: str, semester: int, formation) -> set[tuple[str, str]]:
    """(enseignement code, label) of every evaluation of that BUT year not published to students."""
    year = (semester + 1) // 2
    return set(
        Evaluation.objects.filter(annee=annee, enseignement__semester__number__in=(2 * year - 1, 2 * year),
                                  enseignement__formation=formation, published_at__isnull=True)
        .values_list("enseignement__code", "label")
    )


def _engine_inputs(enrolment: Enrolment) -> tuple[JuryInputs, StudentIn] | None:
    inputs = load_jury_inputs(annee=enrolment.annee, semester=enrolment.semester.number,
                              formation=enrolment.semester.formation, numeros=[enrolment.student.numero])
    student = next((s for s in inputs.students if s.numero == enrolment.student.numero), None)
    return (inputs, student) if student is not None else None


def notes_page(*, student: Student, enrolment: Enrolment) -> NotesPage:
    """The student's own « Mes notes » for one of their enrolments."""
    enrolment.student = student
    number = enrolment.semester.number
    evaluations = list(
        Evaluation.objects.filter(annee=enrolment.annee, enseignement__semester=enrolment.semester)
        .select_related("enseignement").order_by("enseignement__code", "date", "label")
    )
    published = {e.pk: e.published_at for e in evaluations if e.published_at is not None}
    grades = {g.evaluation_id: g for g in Grade.objects.filter(enrolment=enrolment, evaluation_id__in=list(published))}
    changed = _changes_after({g.pk: g for g in grades.values()}, published)
    figures = _figures(list(published))
    blocks: dict[str, EnseignementNotes] = {}
    for ev in evaluations:
        ens = ev.enseignement
        block = blocks.setdefault(ens.code, EnseignementNotes(ens.code, ens.name, []))
        grade = grades.get(ev.pk) if ev.pk in published else None
        block.lines.append(EvaluationLine(
            evaluation=ev, published=ev.pk in published, grade=grade,
            changed_at=changed.get(grade.pk) if grade is not None else None,
            figures=figures.get(ev.pk) if ev.pk in published else None,
        ))
    jury = JurySession.objects.filter(annee=enrolment.annee, semester=enrolment.semester).first()

    ues: tuple[ProvisionalUE, ...] = ()
    needs = None
    loaded = _engine_inputs(enrolment)
    if loaded is not None:
        inputs, engine_student = loaded
        unpublished = unpublished_evaluations(annee=enrolment.annee, semester=number,
                                              formation=enrolment.semester.formation)
        visible = published_only(engine_student, enrolment.annee, number, unpublished)
        ues = provisional_averages(maquette=inputs.maquette, student=visible, annee=enrolment.annee, semester=number,
                                   jury_date=inputs.jury_date, settings=inputs.settings)
        deliberated = jury is not None and jury.is_deliberated
        if published and not deliberated:
            computed = compute_needs(maquette=inputs.maquette, student=visible, annee=enrolment.annee,
                                     semester=number, jury_date=inputs.jury_date, settings=inputs.settings)
            needs = computed if computed.any_pending else None

    register = student_register(student=student)
    parity = number % 2
    absences = [j for j in register.absences if j.status.annee == enrolment.annee and j.status.parity == parity]
    summary = next((s for s in register.semesters if s.annee == enrolment.annee and s.parity == parity), None)
    return NotesPage(
        student=student, enrolment=enrolment, enrolments=student_enrolments(student), jury=jury,
        enseignements=list(blocks.values()), ues=ues, absences=absences, summary=summary, needs=needs,
    )

"""Reads of the absence register, judged at read time (A3-A5) and summed per semester (A1).

Every function runs a fixed number of queries whatever the number of students: the absences,
the enrolments that give each absence its régime (A5), the department's settings.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from juries.models import Absence, Enrolment, Student
from juries.rules.absences import AbsenceStatus
from juries.rules.settings import DEFAULT_SETTINGS, ReglementSettings
from juries.selectors.jury import load_formation, load_settings
from juries.services import absences as service


def reglement_settings() -> ReglementSettings:
    formation = load_formation()
    return load_settings(formation) if formation else DEFAULT_SETTINGS


@dataclass(frozen=True)
class JudgedAbsence:
    absence: Absence
    status: AbsenceStatus
    regime: str

    @property
    def justified(self) -> bool:
        return self.status.justified

    @property
    def alternant(self) -> bool:
        return self.regime == "FA"


@dataclass(frozen=True)
class StudentRegister:
    student: Student
    absences: list[JudgedAbsence]
    semesters: list[service.SemesterAbsences]


def _enrolments_by_student(student_ids) -> dict[int, list[tuple[str, int, str]]]:
    out: dict[int, list[tuple[str, int, str]]] = defaultdict(list)
    for sid, annee, number, regime in Enrolment.objects.filter(student_id__in=student_ids).values_list(
        "student_id", "annee", "semester__number", "regime"
    ):
        out[sid].append((annee, number, regime))
    return out


def _judge_all(absences: Iterable[Absence], enrolments: dict[int, list[tuple[str, int, str]]],
               settings: ReglementSettings) -> list[JudgedAbsence]:
    regimes = {sid: service.regimes_of(rows) for sid, rows in enrolments.items()}
    out = []
    for a in absences:
        r = regimes.get(a.student_id, {})
        status = service.judge(absence=a, regimes=r, settings=settings)
        out.append(JudgedAbsence(a, status, service.regime_for(status, r)))
    return out


def student_register(*, student: Student, settings: ReglementSettings | None = None) -> StudentRegister:
    """A1 — every absence of a student, judged, and the état per semester."""
    settings = settings or reglement_settings()
    absences = list(Absence.objects.filter(student=student).order_by("-start"))
    enrolments = _enrolments_by_student([student.pk])
    judged = _judge_all(absences, enrolments, settings)
    semesters = {(annee, number % 2): number for annee, number, _ in enrolments.get(student.pk, [])}
    summaries = service.semester_summaries(((j.status, j.absence.hours) for j in judged), semesters)
    return StudentRegister(student=student, absences=judged, semesters=summaries)


def judged_absence(*, absence: Absence, settings: ReglementSettings | None = None) -> JudgedAbsence:
    settings = settings or reglement_settings()
    return _judge_all([absence], _enrolments_by_student([absence.student_id]), settings)[0]


def recent_absences(*, search: str = "", limit: int = 100,
                    settings: ReglementSettings | None = None) -> list[JudgedAbsence]:
    """The latest absences of the register (search on numero, nom, prénom), judged."""
    settings = settings or reglement_settings()
    qs = Absence.objects.select_related("student").order_by("-start")
    if search:
        qs = qs.filter(Q(student__numero__icontains=search) | Q(student__nom__icontains=search)
                       | Q(student__prenom__icontains=search))
    absences = list(qs[:limit])
    return _judge_all(absences, _enrolments_by_student({a.student_id for a in absences}), settings)


@dataclass(frozen=True)
class EtatRow:
    enrolment: Enrolment
    summary: service.SemesterAbsences


def etat_des_absences(*, annee: str, semester: int, group: str = "",
                      settings: ReglementSettings | None = None) -> list[EtatRow]:
    """A1 — for the jury of one semester: each enrolled student's counts and hours, justified or not.

    Four queries whatever the number of students (settings, enrolments, their absences, the
    enrolments giving each absence its régime).
    """
    settings = settings or reglement_settings()
    target = Enrolment.objects.filter(annee=annee, semester__number=semester).select_related("student", "semester")
    if group:
        target = target.filter(group=group)
    enrolments = list(target.order_by("student__nom", "student__prenom", "student__numero"))
    student_ids = target.values("student_id")
    absences = list(Absence.objects.filter(student_id__in=student_ids))
    judged = _judge_all(absences, _enrolments_by_student(student_ids), settings)
    by_student: dict[int, list[JudgedAbsence]] = defaultdict(list)
    for j in judged:
        by_student[j.absence.student_id].append(j)
    parity = semester % 2
    rows = []
    for e in enrolments:
        items = [(j.status, j.absence.hours) for j in by_student.get(e.student_id, [])
                 if j.status.annee == annee and j.status.parity == parity]
        summaries = service.semester_summaries(items, {(annee, parity): semester})
        summary = summaries[0] if summaries else service.SemesterAbsences(annee=annee, parity=parity, semester=semester)
        rows.append(EtatRow(e, summary))
    return rows


def statuses_by_student(*, student_ids, settings: ReglementSettings | None = None) -> dict[int, list[AbsenceStatus]]:
    """For A8 on grade screens: each student's absences, judged."""
    settings = settings or reglement_settings()
    absences = list(Absence.objects.filter(student_id__in=student_ids))
    judged = _judge_all(absences, _enrolments_by_student(student_ids), settings)
    out: dict[int, list[AbsenceStatus]] = defaultdict(list)
    for j in judged:
        out[j.absence.student_id].append(j.status)
    return out


def hours_text(value: Decimal) -> str:
    return format(value.normalize(), "f").replace(".", ",") if value else "0"

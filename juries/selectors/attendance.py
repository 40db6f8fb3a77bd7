"""Reads of the feuille d'appel: who is called, and which absences already cover the slot."""

from __future__ import annotations

from collections.abc import Iterable

from juries.models import Absence, AttendanceSheet, Enrolment, Enseignement, Student


def roster(sheet: AttendanceSheet) -> list[Enrolment]:
    """The students called: enrolled (not DEM/DEF) in the enseignement's semester that year, in that group."""
    qs = Enrolment.objects.filter(
        annee=sheet.annee, semester_id=sheet.enseignement.semester_id, status=Enrolment.Status.INSCRIT,
    ).select_related("student").order_by("student__nom", "student__prenom", "student__numero")
    if sheet.group:
        qs = qs.filter(group=sheet.group)
    return list(qs)


def covering_absences(sheet: AttendanceSheet, students: Iterable[Student]) -> dict[int, Absence]:
    """student id -> the first absence recorded otherwise (not by this sheet) that overlaps the slot."""
    found: dict[int, Absence] = {}
    for a in (Absence.objects.filter(student__in=list(students), start__lt=sheet.end, end__gt=sheet.start)
              .exclude(sheet=sheet).order_by("start")):
        found.setdefault(a.student_id, a)
    return found


def groups_of(enseignement: Enseignement, annee: str) -> list[str]:
    return sorted(
        g for g in Enrolment.objects.filter(annee=annee, semester_id=enseignement.semester_id)
        .order_by().values_list("group", flat=True).distinct() if g
    )


def known_groups() -> list[str]:
    """Every group name of every enrolment: what the slot form offers to complete."""
    return sorted(g for g in Enrolment.objects.order_by().values_list("group", flat=True).distinct() if g)

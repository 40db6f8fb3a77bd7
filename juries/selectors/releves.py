"""Reads around relevés: the issued rows of a jury, a code's row, a student's semesters, the
secretariat's lists. Bounded queries; nothing here writes or formats."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count

from juries.models import Enrolment, Formation, JurySession, Releve, Student

from .jury import load_formation


def recorded_jury(*, annee: str, semester: int, formation: Formation | None = None) -> JurySession | None:
    """The jury recorded for a semester of a year (the default formation, as the engine's loader)."""
    formation = formation or load_formation()
    return (JurySession.objects.filter(formation=formation, annee=annee, semester__number=semester)
            .select_related("semester", "formation", "president").first())


def jury_with_president(jury: JurySession) -> JurySession:
    return JurySession.objects.select_related("president", "semester", "formation").get(pk=jury.pk)


def enrolments_by_id(ids: Iterable[int]) -> dict[int, Enrolment]:
    return {
        e.pk: e
        for e in Enrolment.objects.filter(pk__in=list(ids)).select_related("student", "parcours", "semester__formation")
    }


def issued_releves(*, jury: JurySession, enrolment_ids: Iterable[int]) -> dict[int, Releve]:
    """The official Releve rows already issued at ``jury`` (enrolment id → row), in one query."""
    return {r.enrolment_id: r for r in Releve.objects.filter(jury=jury, enrolment_id__in=list(enrolment_ids))}


def releve_by_code(code: str) -> Releve | None:
    return (Releve.objects.filter(code=code)
            .select_related("enrolment__student", "enrolment__semester__formation", "jury").first())


@dataclass(frozen=True)
class SemesterRow:
    enrolment: Enrolment
    jury: JurySession | None
    releve: Releve | None

    @property
    def official(self) -> bool:
        return self.jury is not None and self.jury.is_deliberated

    @property
    def awaiting_issue(self) -> bool:
        """Deliberated, but its official relevé has not been issued yet (nothing to download)."""
        return self.official and self.releve is None


def student_semesters(student: Student) -> list[SemesterRow]:
    """A student's enrolments, newest first, each with its jury and its issued relevé (3 queries)."""
    enrolments = list(
        Enrolment.objects.filter(student=student).select_related("semester", "parcours")
        .order_by("-annee", "-semester__number")
    )
    formations = {e.semester.formation_id for e in enrolments}
    juries = {
        (j.annee, j.semester_id): j
        for j in JurySession.objects.filter(formation_id__in=formations,
                                            annee__in={e.annee for e in enrolments})
    }
    releves = {(r.enrolment_id, r.jury_id): r for r in Releve.objects.filter(enrolment__student=student)}
    rows = []
    for e in enrolments:
        jury = juries.get((e.annee, e.semester_id))
        rows.append(SemesterRow(e, jury, releves.get((e.pk, jury.pk)) if jury else None))
    return rows


def juries_with_counts() -> list[dict]:
    """Every jury, newest year first, with its number of students and of issued relevés (3 queries)."""
    juries = list(JurySession.objects.select_related("semester", "president").order_by("-annee", "semester__number"))
    counts = {
        (row["annee"], row["semester_id"]): row["n"]
        for row in Enrolment.objects.values("annee", "semester_id").annotate(n=Count("id"))
    }
    issued = dict(Releve.objects.values("jury_id").annotate(n=Count("id")).values_list("jury_id", "n"))
    return [{"jury": j, "students": counts.get((j.annee, j.semester_id), 0), "issued": issued.get(j.pk, 0)}
            for j in juries]


def jury_students(jury: JurySession) -> list[dict]:
    """The students of a jury by numero, each with its issued code or None (2 queries)."""
    enrolments = list(
        Enrolment.objects.filter(annee=jury.annee, semester=jury.semester)
        .select_related("student").order_by("student__numero")
    )
    codes = dict(Releve.objects.filter(jury=jury).values_list("enrolment_id", "code"))
    return [{"enrolment": e, "code": codes.get(e.pk)} for e in enrolments]

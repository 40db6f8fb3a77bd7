"""The two reads of the pré-jury the engine does not keep: absences still inside their
justification delay (A4) and the open fraud cases (F1)."""

from __future__ import annotations

from datetime import datetime, timedelta

from juries.models import Absence, Enrolment, Evaluation, FraudCase, JurySession


def pending_absences(jury: JurySession, *, now: datetime, hours: int) -> list[Absence]:
    """Absences declared less than `hours` ago without a justificatif, oldest first (student joined)."""
    students = Enrolment.objects.filter(annee=jury.annee, semester=jury.semester).values("student_id")
    return list(Absence.objects.filter(student_id__in=students, justificatif_at__isnull=True,
                                       declared_at__gt=now - timedelta(hours=hours), declared_at__lte=now)
                .select_related("student").order_by("declared_at"))


def open_fraud_cases(jury: JurySession) -> list[FraudCase]:
    """The jury's students' fraud cases not closed yet, by date (student and evaluation joined)."""
    students = Enrolment.objects.filter(annee=jury.annee, semester=jury.semester).values("student_id")
    return list(FraudCase.objects.filter(student_id__in=students, closed=False)
                .select_related("student", "evaluation__enseignement").order_by("date"))


def evaluation_ids(annees: set[str], codes: set[str]) -> dict[tuple[str, str, str], int]:
    """(enseignement code, annee, label) -> the evaluation's id, for the links to its grade entry."""
    rows = Evaluation.objects.filter(annee__in=annees, enseignement__code__in=codes).values_list(
        "enseignement__code", "annee", "label", "pk")
    return {(code, annee, label): pk for code, annee, label, pk in rows}

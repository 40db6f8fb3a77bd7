"""One student's records around a jury, for the student's page: cursus, stages, mobilities, fraud
cases, the decision's history and the neighbours in the jury's order (6 queries)."""

from __future__ import annotations

from dataclasses import dataclass

from juries.models import Enrolment, FraudCase, JuryDecision, JurySession, Mobility, Stage


@dataclass(frozen=True)
class StudentRecords:
    enrolments: list[Enrolment]
    decisions: dict[int, JuryDecision]  # enrolment id -> its jury's decision (jury joined)
    mobilities: list[Mobility]
    stages: list[Stage]
    fraud_cases: list[FraudCase]
    history: list
    order: list[str]  # the jury's numeros by name, for previous / next


def load_student_records(*, jury: JurySession, numero: str, decision: JuryDecision | None) -> StudentRecords:
    enrolments = list(
        Enrolment.objects.filter(student__numero=numero)
        .select_related("semester").order_by("annee", "semester__number")
    )
    decisions = {
        d.enrolment_id: d
        for d in JuryDecision.objects.filter(enrolment__in=enrolments).select_related("jury")
    }
    ids = [e.pk for e in enrolments]
    mobilities = list(Mobility.objects.filter(enrolment_id__in=ids).select_related("enrolment__semester"))
    stages = list(Stage.objects.filter(enrolment_id__in=ids).select_related("enrolment__semester")
                  .order_by("enrolment__annee", "enrolment__semester__number"))
    frauds = list(FraudCase.objects.filter(student__numero=numero)
                  .select_related("evaluation__enseignement").order_by("-date"))
    history = list(decision.history.select_related("history_user").order_by("-history_date")) if decision else []
    order = list(
        Enrolment.objects.filter(annee=jury.annee, semester=jury.semester)
        .order_by("student__nom", "student__prenom", "student__numero").values_list("student__numero", flat=True)
    )
    return StudentRecords(enrolments=enrolments, decisions=decisions, mobilities=mobilities, stages=stages,
                          fraud_cases=frauds, history=history, order=order)

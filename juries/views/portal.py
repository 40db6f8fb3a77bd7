"""The student portal: a signed-in student's semesters and their relevés, nobody else's."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from juries import roles
from juries.models import Enrolment, JuryDecision, JurySession, Student
from juries.presenters.releve import decided_year_text
from juries.selectors.releves import student_semesters

from .releves import releve_response


def _own_student(request) -> Student:
    if not roles.is_student(request.user):
        raise PermissionDenied("Cet espace est réservé aux étudiants.")
    return request.user.student


@login_required
def index(request):
    student = _own_student(request)
    rows = student_semesters(student)
    # After deliberation only: the jury's year decision, in the wording of a decision (E3).
    decided = {
        (d.jury_id, d.enrolment_id): d
        for d in JuryDecision.objects.filter(enrolment__student=student, jury__state=JurySession.State.DELIBERATED)
        .exclude(decision_annee="")
    }
    cards = []
    for row in rows:
        d = decided.get((row.jury.pk, row.enrolment.pk)) if row.official and row.jury else None
        cards.append({"row": row, "decision": decided_year_text(d.decision_annee) if d else ""})
    return render(request, "portal/index.html", {"student": student, "cards": cards})


@login_required
def download(request, annee: str, semester: str):
    student = _own_student(request)
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("student", "semester__formation"), student=student, annee=annee,
        semester__number=int(semester),
    )
    return releve_response(request, enrolment, back=reverse("portal:index"), published_only=True)

"""The student portal: a signed-in student's semesters and their relevés, nobody else's."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from juries import roles
from juries.models import Enrolment, Student
from juries.selectors.releves import student_semesters

from .releves import releve_response


def _own_student(request) -> Student:
    if not roles.is_student(request.user):
        raise PermissionDenied("Cet espace est réservé aux étudiants.")
    return request.user.student


@login_required
def index(request):
    student = _own_student(request)
    return render(request, "portal/index.html", {"student": student, "rows": student_semesters(student)})


@login_required
def download(request, annee: str, semester: str):
    student = _own_student(request)
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("student", "semester__formation"), student=student, annee=annee,
        semester__number=int(semester),
    )
    return releve_response(request, enrolment, back=reverse("portal:index"))

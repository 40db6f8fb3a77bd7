"""The student portal: a signed-in student's semesters and their relevés, nobody else's."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render

from juries import roles
from juries.models import Enrolment, Student
from juries.services import releves

from .releves import pdf_response, request_verify_url


def _own_student(request) -> Student:
    if not roles.is_student(request.user):
        raise PermissionDenied("Cet espace est réservé aux étudiants.")
    return request.user.student


@login_required
def index(request):
    student = _own_student(request)
    return render(request, "portal/index.html", {"student": student, "rows": releves.student_semesters(student)})


@login_required
def download(request, annee: str, semester: str):
    student = _own_student(request)
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("student", "semester"), student=student, annee=annee,
        semester__number=int(semester),
    )
    return pdf_response(releves.releve_for(enrolment), request_verify_url(request))

"""« Mes notes »: the signed-in student's own published grades, one semester at a time."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from juries.presenters.notes import need_rows
from juries.selectors.notes import notes_page, student_enrolments

from .portal import _own_student


@login_required
@require_GET
def notes(request, annee: str | None = None, semester: str | None = None):
    """No identity in the URL: the student's own enrolment of that semester (default: the latest)."""
    student = _own_student(request)
    enrolments = student_enrolments(student)
    if annee is None:
        enrolment = enrolments[0] if enrolments else None
    else:
        enrolment = next((e for e in enrolments if e.annee == annee and e.semester.number == int(semester or 0)), None)
        if enrolment is None:
            raise Http404("Aucune inscription à ce semestre.")
    if enrolment is None:
        return render(request, "portal/notes.html", {"student": student, "page": None})
    page = notes_page(student=student, enrolment=enrolment)
    return render(request, "portal/notes.html", {
        "student": student, "page": page, "needs": need_rows(page.needs) if page.needs else None,
    })

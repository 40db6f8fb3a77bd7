"""Decision letters: a jury's batch and one student's letter for the secretariat (PROJET before the
deliberation), and a student's own letter on the portal once the jury has deliberated."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from juries import roles
from juries.http import download
from juries.models import DocumentBatch, Enrolment, JurySession
from juries.pdf.lettre import render_lettre_pdf
from juries.presenters.lettre import LettreError, lettre_for
from juries.presenters.releve import ReleveError
from juries.selectors.releves import recorded_jury
from juries.services import releve_batch

from .releves import request_verify_url


def _secretariat(request) -> None:
    if not roles.is_secretariat(request.user):
        raise PermissionDenied("Page réservée au secrétariat.")


def _letter_response(request, enrolment: Enrolment, *, student_view: bool, back: str) -> HttpResponse:
    jury = recorded_jury(annee=enrolment.annee, semester=enrolment.semester.number,
                         formation=enrolment.semester.formation)
    try:
        doc = lettre_for(enrolment, jury=jury, student_view=student_view)
    except LettreError as exc:
        return render(request, "releves/not_issued.html", {"message": str(exc), "back": back}, status=409)
    return download(render_lettre_pdf(doc), filename=doc.filename, content_type="application/pdf")


@login_required
@require_POST
def batch_start(request, jury_id: int):
    _secretariat(request)
    session = get_object_or_404(JurySession.objects.select_related("semester", "formation"), pk=jury_id)
    try:
        job = releve_batch.start_batch(jury=session, by=request.user, verify_url=request_verify_url(request),
                                       kind=DocumentBatch.Kind.LETTRES)
    except ReleveError as exc:
        messages.error(request, str(exc))
        return redirect("releves:jury", jury_id=session.pk)
    return redirect("releves:batch", job_id=job.id)


@login_required
def student_pdf(request, enrolment_id: int):
    _secretariat(request)
    enrolment = get_object_or_404(Enrolment.objects.select_related("student", "semester__formation"), pk=enrolment_id)
    return _letter_response(request, enrolment, student_view=False, back=reverse("releves:index"))


@login_required
def portal_pdf(request, annee: str, semester: str):
    if not roles.is_student(request.user):
        raise PermissionDenied("Cet espace est réservé aux étudiants.")
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("student", "semester__formation"), student=request.user.student,
        annee=annee, semester__number=int(semester),
    )
    return _letter_response(request, enrolment, student_view=True, back=reverse("portal:index"))

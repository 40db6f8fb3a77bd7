"""Relevés for the secretariat (one student's, a whole jury's as a ZIP and a merged PDF, generated
in the background) and the public page that checks an official relevé's verification code."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from juries import roles, throttle
from juries.http import as_download, download
from juries.models import Enrolment, JurySession
from juries.pdf.releve import releve_pdf, verification_url
from juries.presenters.releve import ReleveError, ReleveNotIssued
from juries.selectors.releves import juries_with_counts, jury_students
from juries.services import releve_batch
from juries.services.releve_codes import normalise_code, verify_code

VERIFY_LIMIT = 60  # look-ups per address and window: a code cannot be guessed by brute force
VERIFY_WINDOW = 600


def request_verify_url(request) -> str:
    return verification_url(f"{request.scheme}://{request.get_host()}")


def releve_response(request, enrolment: Enrolment, *, back: str, published_only: bool = False) -> HttpResponse:
    """The enrolment's relevé as a PDF; a deliberated jury's relevé not issued yet is explained in
    French (409) instead: a GET never issues a code (the deliberation or the batch does).
    ``published_only``: a student's provisional relevé shows only published grades.

    A second download with nothing changed is served from the cache (``releve_pdf``)."""
    try:
        pdf, filename = releve_pdf(enrolment, published_only=published_only,
                                   verify_url=request_verify_url(request))
    except ReleveNotIssued as exc:
        return render(request, "releves/not_issued.html", {"message": str(exc), "back": back}, status=409)
    return download(pdf, filename=filename, content_type="application/pdf")


def _secretariat(request) -> None:
    if not roles.is_secretariat(request.user):
        raise PermissionDenied("Page réservée au secrétariat.")


@login_required
def index(request):
    _secretariat(request)
    return render(request, "releves/index.html", {"rows": juries_with_counts()})


@login_required
def jury(request, jury_id: int):
    _secretariat(request)
    session = get_object_or_404(JurySession.objects.select_related("semester", "president"), pk=jury_id)
    rows = jury_students(session)
    missing = sum(1 for r in rows if r["code"] is None) if session.is_deliberated else 0
    return render(request, "releves/jury.html", {"jury": session, "rows": rows, "missing": missing})


@login_required
@require_POST
def batch_start(request, jury_id: int):
    _secretariat(request)
    session = get_object_or_404(JurySession.objects.select_related("semester", "formation"), pk=jury_id)
    try:
        job = releve_batch.start_batch(jury=session, by=request.user, verify_url=request_verify_url(request))
    except ReleveError as exc:
        messages.error(request, str(exc))
        return redirect("releves:jury", jury_id=session.pk)
    return redirect("releves:batch", job_id=job.id)


def _job(request, job_id: str) -> releve_batch.BatchJob:
    _secretariat(request)
    job = releve_batch.read_job(job_id)
    if job is None:
        raise Http404("Génération inconnue ou expirée.")
    return job


@login_required
def batch(request, job_id: str):
    job = _job(request, job_id)
    return render(request, "releves/batch.html", {"job": job, "status": job.status})


@login_required
@require_GET
def batch_status(request, job_id: str):
    job = _job(request, job_id)
    s = job.status
    data = {"state": s["state"], "done": s["done"], "total": s["total"], "error": s.get("error", ""),
            "waiting": s.get("waiting", "")}
    if s["state"] == "done":
        data["zip_url"] = reverse("releves:batch_zip", args=[job.id])
        data["pdf_url"] = reverse("releves:batch_pdf", args=[job.id])
        data["seconds"] = s.get("seconds")
    response = JsonResponse(data)
    response["Cache-Control"] = "no-store"
    return response


@login_required
def batch_file(request, job_id: str, kind: str):
    job = _job(request, job_id)
    path = releve_batch.job_file(job, kind)
    if path is None:
        raise Http404("Fichier pas encore prêt.")
    content_type = "application/zip" if kind == "zip" else "application/pdf"
    return as_download(FileResponse(path.open("rb"), content_type=content_type), path.name)


@login_required
def student_pdf(request, enrolment_id: int):
    _secretariat(request)
    enrolment = get_object_or_404(Enrolment.objects.select_related("student", "semester__formation"), pk=enrolment_id)
    return releve_response(request, enrolment, back=reverse("releves:index"))


def _throttled(request) -> bool:
    key = f"releve-verify:{request.META.get('REMOTE_ADDR', '')}"
    return throttle.hit(key, limit=VERIFY_LIMIT, window=VERIFY_WINDOW)


@require_GET
def verify_form(request):
    text = request.GET.get("code", "").strip()
    if text:
        code = normalise_code(text)
        if code:
            return redirect("releves:verify", code=code)
        return render(request, "releves/verify.html", {"asked": text[:32], "result": None, "unknown": True},
                      status=404)
    return render(request, "releves/verify.html", {"asked": "", "result": None, "unknown": False})


@require_GET
def verify(request, code: str):
    if _throttled(request):
        return render(request, "releves/verify.html", {"throttled": True, "asked": code[:32]}, status=429)
    result = verify_code(code)
    return render(request, "releves/verify.html",
                  {"asked": code[:32], "result": result if result.found else None, "unknown": not result.found},
                  status=200 if result.found else 404)

"""Relevés for the secretariat (one student's, a whole jury's as a ZIP and a merged PDF, generated
in the background) and the public page that checks an official relevé's verification code."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from juries import roles
from juries.models import Enrolment, JurySession, Releve
from juries.pdf.releve import render_releve_pdf, verification_url
from juries.services import releves
from juries.services.releves import ReleveDoc, ReleveError

VERIFY_LIMIT = 60  # look-ups per address and window: a code cannot be guessed by brute force
VERIFY_WINDOW = 600


def request_verify_url(request) -> str:
    return verification_url(f"{request.scheme}://{request.get_host()}")


def pdf_response(doc: ReleveDoc, verify_url: str) -> HttpResponse:
    response = HttpResponse(render_releve_pdf(doc, verify_url=verify_url), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{doc.filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _secretariat(request) -> None:
    if not roles.is_secretariat(request.user):
        raise PermissionDenied("Page réservée au secrétariat.")


@login_required
def index(request):
    _secretariat(request)
    juries = list(JurySession.objects.select_related("semester", "president").order_by("-annee", "semester__number"))
    counts = {
        (row["annee"], row["semester_id"]): row["n"]
        for row in Enrolment.objects.values("annee", "semester_id").annotate(n=Count("id"))
    }
    issued = dict(Releve.objects.values("jury_id").annotate(n=Count("id")).values_list("jury_id", "n"))
    rows = [{"jury": j, "students": counts.get((j.annee, j.semester_id), 0), "issued": issued.get(j.pk, 0)}
            for j in juries]
    return render(request, "releves/index.html", {"rows": rows})


@login_required
def jury(request, jury_id: int):
    _secretariat(request)
    session = get_object_or_404(JurySession.objects.select_related("semester", "president"), pk=jury_id)
    enrolments = list(
        Enrolment.objects.filter(annee=session.annee, semester=session.semester)
        .select_related("student").order_by("student__numero")
    )
    codes = dict(Releve.objects.filter(jury=session).values_list("enrolment_id", "code"))
    rows = [{"enrolment": e, "code": codes.get(e.pk)} for e in enrolments]
    return render(request, "releves/jury.html", {"jury": session, "rows": rows})


@login_required
@require_POST
def batch_start(request, jury_id: int):
    _secretariat(request)
    session = get_object_or_404(JurySession.objects.select_related("semester"), pk=jury_id)
    try:
        job = releves.start_batch(jury=session, by=request.user, verify_url=request_verify_url(request))
    except ReleveError as exc:
        messages.error(request, str(exc))
        return redirect("releves:jury", jury_id=session.pk)
    return redirect("releves:batch", job_id=job.id)


def _job(request, job_id: str) -> releves.BatchJob:
    _secretariat(request)
    job = releves.read_job(job_id)
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
    data = {"state": s["state"], "done": s["done"], "total": s["total"], "error": s.get("error", "")}
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
    path = releves.job_file(job, kind)
    if path is None:
        raise Http404("Fichier pas encore prêt.")
    content_type = "application/zip" if kind == "zip" else "application/pdf"
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name, content_type=content_type)


@login_required
def student_pdf(request, enrolment_id: int):
    _secretariat(request)
    enrolment = get_object_or_404(Enrolment.objects.select_related("student", "semester"), pk=enrolment_id)
    return pdf_response(releves.releve_for(enrolment), request_verify_url(request))


def _throttled(request) -> bool:
    key = f"releve-verify:{request.META.get('REMOTE_ADDR', '')}"
    cache.add(key, 0, VERIFY_WINDOW)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, VERIFY_WINDOW)
        count = 1
    return count > VERIFY_LIMIT


@require_GET
def verify_form(request):
    text = request.GET.get("code", "").strip()
    if text:
        code = releves.normalise_code(text)
        if code:
            return redirect("releves:verify", code=code)
        return render(request, "releves/verify.html", {"asked": text[:32], "result": None, "unknown": True},
                      status=404)
    return render(request, "releves/verify.html", {"asked": "", "result": None, "unknown": False})


@require_GET
def verify(request, code: str):
    if _throttled(request):
        return render(request, "releves/verify.html", {"throttled": True, "asked": code[:32]}, status=429)
    result = releves.verify_code(code)
    return render(request, "releves/verify.html",
                  {"asked": code[:32], "result": result if result.found else None, "unknown": not result.found},
                  status=200 if result.found else 404)

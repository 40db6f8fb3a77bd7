"""Grades: the enseignement page, the feuille de notes (download, upload) and the grade entry page."""

from __future__ import annotations

import os
import re

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from juries import roles
from juries.http import as_download
from juries.importers.errors import ImportFailed
from juries.importers.parsing import normalise_code
from juries.models import Enseignement, Evaluation, JuryDecision, JurySession
from juries.models.assessment import MARKS
from juries.models.guards import grades_message
from juries.rules.french import plural
from juries.services import feuille as feuille_service
from juries.services import grade_entry
from juries.views.secretariat import check_can_grade, grades_space_required
from juries.views.secretariat_forms import EvaluationForm, FeuilleUploadForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Uploaded feuilles waiting for the secretary's confirmation: token -> (code, annee, file name).
PENDING_KEY = "qlio_feuilles"
TOKEN_RE = re.compile(r"^[A-Za-z0-9_.-]{1,200}$")


def _enseignement(code: str) -> Enseignement:
    ens = Enseignement.objects.select_related("semester").filter(code=normalise_code(code)).first()
    if ens is None:
        raise Http404("Enseignement inconnu")
    return ens


def _annee(annee: str) -> str:
    if len(annee) != 9 or annee[4] != "-" or not (annee[:4] + annee[5:]).isascii() or not (annee[:4] + annee[5:]).isdecimal():
        raise Http404("Année inconnue")
    return annee


def _enseignement_context(ens: Enseignement, annee: str) -> dict:
    enrolled = grade_entry.enrolments_for(enseignement=ens, annee=annee).count()
    evaluations = list(
        Evaluation.objects.filter(enseignement=ens, annee=annee).annotate(
            graded=Count("grades"), absent=Count("grades", filter=~Q(grades__mark=""))
        ).order_by("date", "label")
    )
    return {
        "ens": ens, "annee": annee, "evaluations": evaluations, "enrolled": enrolled,
        "groups": grade_entry.groups_for(enseignement=ens, annee=annee),
        "upload_form": FeuilleUploadForm(), "evaluation_form": EvaluationForm(), "section": "notes",
    }


@grades_space_required
@require_GET
def enseignement(request, annee: str, code: str):
    ens = _enseignement(code)
    check_can_grade(request.user, ens)
    return render(request, "secretariat/enseignement.html", _enseignement_context(ens, _annee(annee)))


@grades_space_required
@require_GET
def feuille_download(request, annee: str, code: str):
    ens = _enseignement(code)
    check_can_grade(request.user, ens)
    annee = _annee(annee)
    group = request.GET.get("groupe", "")
    data = feuille_service.build_feuille(enseignement=ens, annee=annee, group=group)
    response = HttpResponse(data, content_type=XLSX)
    filename = feuille_service.filename_for(enseignement=ens, annee=annee, group=group)
    return as_download(response, filename)


def _keep_upload(request, data: bytes, *, code: str, annee: str, filename: str) -> str:
    """Keeps the uploaded file server-side until the secretary confirms or cancels (one use)."""
    # django-import-export's temporary storage, as the admin imports (slow import kept local).
    from import_export.tmp_storages import TempFolderStorage

    storage = TempFolderStorage(read_mode="rb")
    storage.save(data)
    token = os.path.basename(storage.name)
    pending = request.session.get(PENDING_KEY, {})
    pending[token] = {"code": code, "annee": annee, "filename": filename}
    request.session[PENDING_KEY] = pending
    return token


def _take_upload(request, token: str, *, code: str, annee: str) -> tuple[bytes, str] | None:
    """The file kept under `token` for this page, removed from the session and the disk."""
    from import_export.tmp_storages import TempFolderStorage

    pending = request.session.get(PENDING_KEY, {})
    entry = pending.pop(token, None) if TOKEN_RE.match(token) else None
    request.session[PENDING_KEY] = pending
    if entry is None or entry["code"] != code or entry["annee"] != annee:
        return None
    storage = TempFolderStorage(name=token, read_mode="rb")
    try:
        data = storage.read()
    except OSError:
        return None
    try:
        storage.remove()
    except OSError:
        pass
    return data, entry["filename"]


@grades_space_required
@require_POST
def feuille_upload(request, annee: str, code: str):
    """Upload → preview of what would change (nothing written) → confirm or cancel.

    « Vérifier seulement » is the same preview without the confirm button.
    """
    ens = _enseignement(code)
    check_can_grade(request.user, ens)
    annee = _annee(annee)
    step = request.POST.get("etape", "")
    if step in ("confirmer", "annuler"):
        kept = _take_upload(request, request.POST.get("token", ""), code=ens.code, annee=annee)
        if step == "annuler" or kept is None:
            if kept is None and step == "confirmer":
                messages.error(request, "Aperçu expiré ou déjà utilisé : déposer à nouveau la feuille.")
            else:
                messages.info(request, "Dépôt annulé : rien n'a été enregistré.")
            return redirect("secretariat:enseignement", annee=annee, code=ens.code)
        data, filename = kept
        return _feuille_outcome(request, ens, annee, data=data, filename=filename, dry_run=False)
    form = FeuilleUploadForm(request.POST, request.FILES)
    context = _enseignement_context(ens, annee)
    context["upload_form"] = form
    if not form.is_valid():
        return render(request, "secretariat/enseignement.html", context, status=400)
    upload = form.cleaned_data["fichier"]
    data = upload.read()
    check_only = "verifier" in request.POST
    return _feuille_outcome(request, ens, annee, data=data, filename=upload.name, dry_run=True, check_only=check_only)


def _feuille_outcome(request, ens: Enseignement, annee: str, *, data: bytes, filename: str, dry_run: bool,
                     check_only: bool = False):
    try:
        outcome = feuille_service.upload_feuille(enseignement=ens, annee=annee, data=data, filename=filename,
                                                 user=request.user, dry_run=dry_run)
    except ImportFailed as exc:
        context = _enseignement_context(ens, annee)
        context.update({"feuille_errors": exc.errors, "feuille_error_total": exc.total, "uploaded_name": filename})
        return render(request, "secretariat/enseignement.html", context, status=400)
    context = _enseignement_context(ens, annee)  # fresh counts after the write
    context.update({"outcome": outcome, "uploaded_name": filename, "check_only": check_only})
    # A check-only report offers « Enregistrer ce fichier » too: the same one-use token as the preview.
    if dry_run and outcome.writes_something:
        context["token"] = _keep_upload(request, data, code=ens.code, annee=annee, filename=filename)
    return render(request, "secretariat/feuille_result.html", context)


@grades_space_required
@require_POST
def evaluation_new(request, annee: str, code: str):
    ens = _enseignement(code)
    check_can_grade(request.user, ens)
    annee = _annee(annee)
    form = EvaluationForm(request.POST)
    if form.is_valid():
        try:
            ev = grade_entry.create_evaluation(enseignement=ens, annee=annee, label=form.cleaned_data["label"],
                                               day=form.cleaned_data["day"], weight=form.cleaned_data["weight"],
                                               by=request.user)
        except grade_entry.EvaluationRefused as exc:
            for field, message in exc.errors.items():
                form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(request, f"Évaluation « {ev.label} » créée.")
            return redirect("secretariat:saisie", evaluation_id=ev.pk)
    context = _enseignement_context(ens, annee)
    context["evaluation_form"] = form
    return render(request, "secretariat/enseignement.html", context, status=400)


def _entries(request, sheet: grade_entry.EntrySheet) -> list[grade_entry.Entry]:
    entries = []
    for row in sheet.rows:
        pk = row.enrolment.pk
        if f"note-{pk}" not in request.POST and f"absence-{pk}" not in request.POST:
            continue
        version = request.POST.get(f"version-{pk}", "")
        mark = request.POST.get(f"absence-{pk}", "")
        entries.append(grade_entry.Entry(
            enrolment_id=pk, note=request.POST.get(f"note-{pk}", ""),
            mark=mark if mark in MARKS else "",
            version=int(version) if version.isascii() and version.isdecimal() else None,
            initial=request.POST.get(f"initial-{pk}", ""),
        ))
    return entries


def _lines(sheet: grade_entry.EntrySheet, posted: dict[int, grade_entry.Entry] | None = None,
           outcome: grade_entry.EntryOutcome | None = None, *, frozen: set[int] | frozenset = frozenset()) -> list[dict]:
    """What each row of the page shows: the stored grade, or what was typed when nothing was saved."""
    lines = []
    for row in sheet.rows:
        pk = row.enrolment.pk
        entry = (posted or {}).get(pk)
        text, mark = row.text, ""
        if row.grade and row.grade.mark:
            text, mark = "", row.grade.mark
        line = {"row": row, "note": text, "mark": mark, "version": row.version, "initial": row.text,
                "frozen": pk in frozen}
        if entry is not None and outcome is not None and not outcome.saved:  # keep what was typed
            line.update(note=entry.note, mark=entry.mark,
                        version="" if entry.version is None else str(entry.version), initial=entry.initial)
        if outcome is not None:
            line["error"] = outcome.errors.get(pk)
            line["conflict"] = outcome.conflicts.get(pk)
            line["notice"] = outcome.notices.get(pk)
        lines.append(line)
    return lines


def _frozen(evaluation: Evaluation, sheet: grade_entry.EntrySheet) -> tuple[JurySession | None, set[int]]:
    """E3 — the deliberated jury of the evaluation's semester, if any, and the rows of students whose
    decisions were deliberated alone (import_decisions): their grades are final, the page shows them read-only."""
    jury = (JurySession.objects.deliberated().select_related("semester")
            .filter(annee=evaluation.annee, semester_id=evaluation.enseignement.semester_id).first())
    if jury is not None:
        return jury, set()
    alone = set(JuryDecision.objects.filter(enrolment__in=[r.enrolment.pk for r in sheet.rows],
                                            deliberated_at__isnull=False).values_list("enrolment_id", flat=True))
    return None, alone


def _saved_message(report, refused: int = 0) -> str:
    parts = [plural(n, word) for n, word in ((report.created, "note créée"), (report.updated, "note modifiée")) if n]
    text = f"Enregistré : {', '.join(parts)}" if parts else "Aucune note n'a changé"
    if refused:
        text += f" ; {plural(refused, 'ligne refusée')}, voir ci-dessous"
    return text + "."


@grades_space_required
def saisie(request, evaluation_id: int):
    evaluation = get_object_or_404(Evaluation.objects.select_related("enseignement__semester"), pk=evaluation_id)
    check_can_grade(request.user, evaluation.enseignement)
    group = request.POST.get("groupe", request.GET.get("groupe", ""))
    sheet = grade_entry.entry_sheet(evaluation=evaluation, group=group)
    jury, frozen_rows = _frozen(evaluation, sheet)
    url = reverse("secretariat:saisie", args=[evaluation.pk])
    url = f"{url}?groupe={group}" if group else url
    context = {"sheet": sheet, "evaluation": evaluation, "ens": evaluation.enseignement, "group": group,
               "is_secretariat": roles.is_secretariat(request.user), "section": "notes", "marks": MARKS,
               "jury": jury, "read_only": jury is not None, "frozen_rows": frozen_rows,
               "frozen_message": grades_message(evaluation.annee, evaluation.enseignement.semester.number)}
    if request.method != "POST":
        context["lines"] = _lines(sheet, frozen=frozen_rows)
        return render(request, "secretariat/saisie.html", context)
    if jury is not None:  # a page opened before the deliberation: nothing is sent to the import
        messages.error(request, f"Rien n'a été enregistré. {context['frozen_message']}")
        return redirect(url)
    entries = [e for e in _entries(request, sheet) if e.enrolment_id not in frozen_rows]
    outcome = grade_entry.save_grades(evaluation=evaluation, entries=entries, user=request.user)
    report = outcome.report if outcome.saved else None  # saved: there is a report
    if report is not None and not outcome.conflicts and not outcome.notices:
        messages.success(request, _saved_message(report))
        return redirect(url)
    if report is not None:
        sheet = grade_entry.entry_sheet(evaluation=evaluation, group=group)
        context["sheet"] = sheet
        messages.warning(request, _saved_message(report, len(outcome.conflicts)))
    context.update({"lines": _lines(sheet, {e.enrolment_id: e for e in entries}, outcome, frozen=frozen_rows),
                    "outcome": outcome})
    return render(request, "secretariat/saisie.html", context, status=200 if outcome.saved else 400)

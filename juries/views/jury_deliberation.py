"""Deliberation, re-opening and the PV de jury (thin views)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from juries.http import download
from juries.presenters.jury_table import load_jury_table, stale_decisions, to_review
from juries.presenters.pv import pv_xlsx
from juries.rules.french import date_fr, plural
from juries.services import pv_document
from juries.services.decisions import DecisionError, deliberate, reopen

from .jury_access import jury_access
from .jury_forms import ReopenForm


def _page(request, access, reopen_form=None, status=200):
    table = load_jury_table(access.jury)
    today = timezone.localdate()
    events = list(access.jury.events.select_related("by").order_by("-at"))
    return render(request, "jury/deliberation.html", {
        "access": access, "jury": access.jury, "table": table, "summary": table.summary, "tab": "deliberation",
        "stale": stale_decisions(table), "events": events, "reopen_form": reopen_form or ReopenForm(),
        "to_accept": table.students - table.summary["decided"],
        "waiting": [r for r in table.rows if r.final and r.final.family == "attente"],
        "to_review": to_review(table), "today": today, "not_today": access.jury.date != today,
        "confirm": _confirm(table, today),
    }, status=status)


def _confirm(table, today) -> str:
    """The question the browser asks before posting: what will be sealed, and on which day."""
    jury = table.jury
    undecided = table.students - table.summary["decided"]
    day = "" if jury.date == today else f"Attention : le jury est prévu le {date_fr(jury.date)}, pas aujourd'hui. "
    review = len(to_review(table))
    if review:
        day += (f"{plural(review, 'proposition RED, NAR, ATJ ou EXCLU', 'propositions RED, NAR, ATJ ou EXCLU')} "
                "sans décision. ")
    return (f"{day}Délibérer le jury du S{jury.semester.number} — {jury.annee} ? "
            f"{plural(undecided, 'proposition sans décision sera acceptée', 'propositions sans décision seront acceptées')}"
            " ; toutes les décisions et les notes du semestre deviendront définitives.")


@login_required
def jury_deliberation(request, pk: int):
    return _page(request, jury_access(request, pk))


@login_required
@require_POST
def jury_deliberate(request, pk: int):
    access = jury_access(request, pk)
    if not access.can_deliberate:
        raise PermissionDenied("Seul le président du jury peut délibérer.")
    try:
        report = deliberate(jury=access.jury, by=request.user)
    except DecisionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Jury délibéré : {plural(report.students, 'décision définitive')}, dont "
                                  f"{plural(report.created, 'proposition acceptée')} à la délibération.")
    return redirect(reverse("jury:deliberation", args=[pk]))


@login_required
@require_POST
def jury_reopen(request, pk: int):
    access = jury_access(request, pk)
    if not access.can_deliberate:
        raise PermissionDenied("Seul le président du jury peut le rouvrir.")
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            reopen(jury=access.jury, by=request.user, reason=form.cleaned_data["reason"])
        except DecisionError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "Jury rouvert : les décisions et les notes du semestre sont de nouveau modifiables.")
            return redirect(reverse("jury:deliberation", args=[pk]))
    return _page(request, jury_access(request, pk), reopen_form=form, status=400)


def _filename(jury, ext: str) -> str:
    state = "delibere" if jury.is_deliberated else "projet"
    return f"PV-jury-S{jury.semester.number}-{jury.annee}-{state}.{ext}"


@login_required
def jury_pv_pdf(request, pk: int):
    """The PV's PDF when it is made for the jury as it stands (kept by content: at once), else the
    page that waits for the worker making it."""
    access = jury_access(request, pk)
    document = pv_document.request_pv(jury=access.jury, by=request.user)
    if document.path is None:
        return redirect(reverse("jury:pv", args=[pk]))
    return download(document.path.read_bytes(), filename=_filename(access.jury, "pdf"), content_type="application/pdf")


@login_required
def jury_pv(request, pk: int):
    """« PV en préparation… » while the worker lays it out (the page reloads itself), then the link."""
    access = jury_access(request, pk)
    document = pv_document.request_pv(jury=access.jury, by=request.user, retry=request.GET.get("relancer") == "1")
    return render(request, "releves/pv.html", {"access": access, "jury": access.jury, "document": document})


@login_required
def jury_pv_xlsx(request, pk: int):
    access = jury_access(request, pk)
    return download(
        pv_xlsx(jury=access.jury, now=timezone.now()), filename=_filename(access.jury, "xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )

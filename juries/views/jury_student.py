"""One student at the jury: the proposal explained, the decision form (thin view)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from juries.models import Enrolment
from juries.presenters.jury_table import decided_label, load_jury_table, neighbours
from juries.presenters.student_file import load_student_extras, load_student_file
from juries.rules.codes import Code
from juries.services.decisions import DecisionError, record_decision, year_overrides

from .jury import table_params, table_query
from .jury_access import jury_access
from .jury_forms import DecisionForm


def _initial(sf) -> dict:
    """The form shows the decision on record: an override is pre-filled, so it can be amended."""
    d = sf.decision
    initial = {"choice": "accepter", "version": d.version if d else 0}
    if d is None or not d.overridden:
        return initial
    ue_adj, rcue_adj = sf.chosen_adj()
    initial.update(choice="modifier", reason=d.reason, ue_adj=ue_adj, rcue_adj=rcue_adj)
    if sf.decided_year is not None and sf.decided_year.proposed:
        initial["decision_annee"] = sf.decided_year.code
    return initial


def _form(sf, data=None) -> DecisionForm:
    jury = sf.jury
    final = sf.inputs.maquette.index.final_semester
    years = [c for c in year_overrides(jury, final_semester=final) if c != sf.proposal.decision_annee]
    # One way to record each decision: a passage decided by the jury is PAS1NCI, in this list (P3).
    return DecisionForm(
        data, ue_choices=sf.ue_choices, rcue_choices=sf.rcue_choices,
        year_choices=[(str(c), f"{c} — {decided_label(c)}") for c in years], initial=_initial(sf),
    )


@login_required
def jury_student(request, pk: int, numero: str):
    access = jury_access(request, pk)
    sf = load_student_file(access.jury, numero)
    if sf is None:
        raise Http404("Étudiant non inscrit à ce jury.")
    kept = table_params(request.GET)
    suffix = f"?{kept}" if kept else ""
    form = _form(sf)
    if request.method == "POST":
        if not access.can_decide:
            raise PermissionDenied("Vous ne pouvez pas enregistrer de décision pour ce jury.")
        form = _form(sf, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                enrolment = Enrolment.objects.select_related("student").get(pk=sf.enrolment_id)
                record_decision(
                    jury=access.jury, enrolment=enrolment, by=request.user, accept=form.accept,
                    decision_annee=None if form.accept else (data.get("decision_annee") or None),
                    ue_overrides={} if form.accept else {k: Code.ADJ for k in data["ue_adj"]},
                    rcue_overrides={} if form.accept else {k: Code.ADJ for k in data["rcue_adj"]},
                    reason=data["reason"], expected_version=data["version"],
                )
            except DecisionError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, f"Décision enregistrée pour {sf.student.prenom} {sf.student.nom}.")
                return redirect(reverse("jury:student", args=[pk, numero]) + suffix)
    extras = load_student_extras(sf)
    around = None
    if kept:
        # The table as the jury left it (filters, sort): previous / next walk that list only.
        table = load_jury_table(access.jury)
        around = neighbours(table, table_query(request.GET, table), numero)
        extras.previous, extras.next = around.previous, around.next
    return render(request, "jury/student.html", {
        "access": access, "jury": access.jury, "sf": sf, "extras": extras, "form": form, "tab": "table",
        "p": sf.proposal, "decision": sf.decision, "kept": suffix, "around": around,
    }, status=400 if form.errors else 200)

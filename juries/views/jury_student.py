"""One student at the jury: the proposal explained, the decision form (thin view)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from juries.models import Enrolment
from juries.presenters.student_file import load_student_extras, load_student_file
from juries.rules.codes import Code
from juries.services.decisions import DecisionError, record_decision, year_overrides

from .jury_access import jury_access
from .jury_forms import DecisionForm


def _initial(sf) -> dict:
    """The form shows the decision on record: an override is pre-filled, so it can be amended."""
    d = sf.decision
    initial = {"choice": "accepter", "version": d.version if d else 0}
    if d is None or not d.overridden:
        return initial
    initial.update(
        choice="modifier", reason=d.reason,
        ue_adj=[u.key for u in sf.ues if u.decision and u.decision.proposed and u.decision.code == Code.ADJ],
        rcue_adj=[r.key for r in sf.rcues if r.decision and r.decision.proposed and r.decision.code == Code.ADJ],
    )
    if sf.decided_year is not None and sf.decided_year.proposed:
        initial["decision_annee"] = sf.decided_year.code
        initial["passage"] = sf.decided_year.code == Code.PAS1NCI
    return initial


def _form(sf, data=None) -> DecisionForm:
    jury = sf.jury
    final = sf.inputs.maquette.index.final_semester
    years = [c for c in year_overrides(jury, final_semester=final) if c != sf.proposal.decision_annee]
    number = jury.semester.number
    passage_label = ""
    if years and number < final and sf.proposal.passage is False:
        passage_label = f"Passage en S{number + 1} par décision du jury ({Code.PAS1NCI}" + (
            ", P3)" if number + 1 in sf.inputs.settings.p3_required_semesters else ")")
    return DecisionForm(
        data, ue_choices=sf.ue_choices, rcue_choices=sf.rcue_choices,
        year_choices=[(str(c), f"{c} — {c.label}") for c in years], passage_label=passage_label,
        initial=_initial(sf),
    )


@login_required
def jury_student(request, pk: int, numero: str):
    access = jury_access(request, pk)
    sf = load_student_file(access.jury, numero)
    if sf is None:
        raise Http404("Étudiant non inscrit à ce jury.")
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
                    passage=True if (not form.accept and data.get("passage")) else None,
                    reason=data["reason"], expected_version=data["version"],
                )
            except DecisionError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, f"Décision enregistrée pour {sf.student.prenom} {sf.student.nom}.")
                return redirect(reverse("jury:student", args=[pk, numero]))
    extras = load_student_extras(sf)
    return render(request, "jury/student.html", {
        "access": access, "jury": access.jury, "sf": sf, "extras": extras, "form": form, "tab": "table",
        "p": sf.proposal, "decision": sf.decision,
    }, status=400 if form.errors else 200)

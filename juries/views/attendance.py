"""The feuille d'appel (A1/A2): open a slot for a group, tick the absents, see who was called.

Teachers reach only the enseignements they are responsible for, the secretariat all of them
(``can_grade``, the rule of the grade entry pages).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from juries import roles
from juries.models import AttendanceSheet, Enseignement
from juries.rules.french import plural
from juries.selectors import attendance as selectors
from juries.selectors.frozen import deliberated_semesters
from juries.services import attendance as service
from juries.views.secretariat import can_grade, grades_space_required, known_years
from juries.views.secretariat_forms import AttendanceSlotForm


def _enseignements(user):
    qs = Enseignement.objects.select_related("semester").order_by("semester__number", "code")
    return qs if roles.is_secretariat(user) else qs.filter(teachers=user)


@grades_space_required
def index(request):
    enseignements = _enseignements(request.user)
    years = known_years()
    initial = {"annee": years[0] if years else "", "day": timezone.localdate()}
    form = AttendanceSlotForm(request.POST or None, enseignements=enseignements, years=years, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                sheet = service.open_sheet(
                    enseignement=data["enseignement"], annee=data["annee"], group=data["group"].strip(),
                    day=data["day"], start=data["start"], end=data["end"], by=request.user)
            except service.AttendanceRefused as exc:
                for name, message in exc.errors.items():
                    form.add_error(name if name in form.fields else None, message)
            else:
                return redirect("secretariat:appel_sheet", sheet_id=sheet.pk)
        status = 400
    sheets = (AttendanceSheet.objects.filter(enseignement__in=enseignements)
              .select_related("enseignement", "taken_by").annotate(absents=Count("absences"))
              .order_by("-start")[:50])
    groups = selectors.known_groups()
    return render(request, "secretariat/appel_index.html", {
        "form": form, "sheets": sheets, "groups": groups, "section": "appel",
    }, status=status)


@grades_space_required
def sheet(request, sheet_id: int):
    sheet = get_object_or_404(AttendanceSheet.objects.select_related("enseignement__semester", "taken_by"),
                              pk=sheet_id)
    if not can_grade(request.user, sheet.enseignement):
        raise PermissionDenied
    if request.method == "POST":
        ticked = {n.strip() for n in request.POST.getlist("absent") if n.strip()}
        try:
            outcome = service.record_call(sheet, ticked, by=request.user)
        except service.AttendanceRefused as exc:
            for message in exc.errors.values():
                messages.error(request, message[:1].upper() + message[1:] + ".")
        else:
            _report(request, outcome)
            return redirect("secretariat:appel_sheet", sheet_id=sheet.pk)
    enrolments = selectors.roster(sheet)
    absences = {a.student_id: a for a in sheet.absences.all()}
    others = selectors.covering_absences(sheet, [e.student for e in enrolments])
    rows = [{"student": e.student, "absence": absences.get(e.student_id), "other": others.get(e.student_id)}
            for e in enrolments]
    return render(request, "secretariat/appel_sheet.html", {
        "sheet": sheet, "rows": rows, "absents": len(absences), "section": "appel",
        "frozen": (sheet.annee, sheet.enseignement.semester.number) in deliberated_semesters(),
    })


def _names(students) -> str:
    return ", ".join(f"{s.prenom} {s.nom}" for s in students)


def _report(request, outcome: service.CallOutcome) -> None:
    if not (outcome.created or outcome.removed):
        messages.success(request, "Appel enregistré : aucun changement.")
    if outcome.created:
        messages.success(request, f"{plural(len(outcome.created), 'absence enregistrée', 'absences enregistrées')} : "
                                  f"{_names(outcome.created)}.")
    if outcome.removed:
        messages.success(request, f"{plural(len(outcome.removed), 'absence retirée', 'absences retirées')} : "
                                  f"{_names(outcome.removed)}.")
    for student, absence in outcome.already_absent:
        messages.warning(request, f"{student.prenom} {student.nom} : une absence couvre déjà ce créneau (déclarée le {timezone.localtime(absence.declared_at):%d/%m/%Y à %H:%M}) ; "
                                  "aucune seconde absence créée.")
    for student in outcome.kept_justified:
        messages.warning(request, f"{student.prenom} {student.nom} : un justificatif a été déposé pour cette "
                                  "absence ; elle est conservée (à retirer depuis le registre si l'appel était faux).")

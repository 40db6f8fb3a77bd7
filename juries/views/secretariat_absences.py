"""Absences (docs/reglement.md §2): register, declaration, justificatif, état per student and per semester."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from juries.http import as_download
from juries.importers.parsing import PARIS
from juries.models import Absence, Student
from juries.selectors import absences as selectors
from juries.services import absences as service
from juries.services.exports import Typed, write_csv, write_xlsx
from juries.views.secretariat import known_years, secretariat_required
from juries.views.secretariat_forms import AbsenceForm, EtatForm, JustificatifForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The columns docs/formats.md documents (plain names, like the PV's export, for other programs).
ETAT_HEADER = ["numero", "nom", "prenom", "groupe", "regime", "absences justifiees", "absences injustifiees",
               "heures justifiees", "heures injustifiees", "absences sans heures", "alertes"]
TIME_FIELDS = ("start", "end", "declared_at", "justificatif_at")


def _now_paris():
    return timezone.now().astimezone(PARIS).replace(tzinfo=None, second=0, microsecond=0)


@secretariat_required
def register(request):
    search = request.GET.get("q", "").strip()
    return render(request, "secretariat/absences.html", {
        "absences": selectors.recent_absences(search=search), "q": search,
        "section": "absences",
    })


@secretariat_required
@require_GET
def student_search(request):
    """The declaration form's student list: name or number typed, at most SEARCH_LIMIT students."""
    students = selectors.search_students(request.GET.get("q", "")) if len(request.GET.get("q", "").strip()) >= 2 else []
    return JsonResponse({"results": [
        {"numero": s.numero, "nom": s.nom, "prenom": s.prenom, "label": selectors.student_label(s)} for s in students
    ]})


def _student_errors(form: AbsenceForm):
    """The student the form names, or its error on the field; checked even when other fields are wrong."""
    text = (form.data.get("numero") or "").strip()
    if not text:
        return None
    student, candidates = selectors.find_student(text)
    if student is None and candidates:
        names = ", ".join(selectors.student_label(s) for s in candidates[:5])
        form.add_error("numero", f"Plusieurs étudiants correspondent à « {text} » : {names}. Choisissez dans la liste.")
    elif student is None:
        form.add_error("numero", f"Aucun étudiant ne correspond à « {text} » : tapez un nom ou un numéro, "
                                 "puis choisissez dans la liste.")
    return student


def _time_errors(form: AbsenceForm) -> None:
    """What the service would refuse in the times (A4 clock changes, the end before the start), said
    with the other errors of the form rather than on the next submit."""
    times = {}
    for name in TIME_FIELDS:
        value = form.cleaned_data.get(name)
        if value is None or name in form.errors:
            continue
        try:
            times[name] = service.paris(value, field_name=name)
        except service.AbsenceRefused as exc:
            for field, message in exc.errors.items():
                form.add_error(field, message)
    if "start" in times and "end" in times and times["end"] < times["start"]:
        form.add_error("end", "la fin de l'absence précède son début")


@secretariat_required
def declare(request):
    if request.method == "POST":
        form = AbsenceForm(request.POST)
        valid = form.is_valid()  # runs the field checks; every other check below runs whatever they said
        student = _student_errors(form) if "numero" not in form.errors else None
        if not valid or student is None:
            _time_errors(form)
        else:
            data = form.cleaned_data
            try:
                absence = service.declare_absence(
                    student=student, start=data["start"], end=data["end"], declared_at=data["declared_at"],
                    channel=data["channel"], reason=data["reason"], hours=data["hours"],
                    activity=data["activity"], justificatif_at=data["justificatif_at"],
                    employer_informed=data["employer_informed"], by=request.user)
            except service.AbsenceRefused as exc:
                for field, message in exc.errors.items():
                    form.add_error(field if field in form.fields else None, message)
            else:
                messages.success(request, f"Absence de {student} enregistrée.")
                return redirect("secretariat:absence_detail", absence_id=absence.pk)
        status = 400
    else:
        form = AbsenceForm(initial={"numero": request.GET.get("numero", ""), "declared_at": _now_paris()})
        status = 200
    return render(request, "secretariat/absence_form.html", {"form": form, "section": "absences"}, status=status)


@secretariat_required
def detail(request, absence_id: int):
    absence = get_object_or_404(Absence.objects.select_related("student"), pk=absence_id)
    form = JustificatifForm(initial={"deposited_at": _now_paris(), "employer_informed": absence.employer_informed})
    status = 200
    if request.method == "POST":
        form = JustificatifForm(request.POST)
        if form.is_valid():
            try:
                service.deposit_justificatif(absence=absence, deposited_at=form.cleaned_data["deposited_at"],
                                             employer_informed=form.cleaned_data["employer_informed"], by=request.user)
            except service.AbsenceRefused as exc:
                for message in exc.errors.values():
                    form.add_error("deposited_at", message)
            else:
                messages.success(request, "Dépôt du justificatif enregistré.")
                return redirect("secretariat:absence_detail", absence_id=absence.pk)
        status = 400
    judged = selectors.judged_absence(absence=absence)
    return render(request, "secretariat/absence_detail.html", {"j": judged, "a": absence, "form": form, "section": "absences"}, status=status)


@secretariat_required
def student_absences(request, numero: str):
    student = get_object_or_404(Student, numero=numero)
    return render(request, "secretariat/student_absences.html",
                  {"register": selectors.student_register(student=student), "section": "absences"})


def _hours(value):
    """A number in XLSX (two decimals shown), "3,5" in CSV."""
    return Typed(value or 0, selectors.hours_text(value))


@secretariat_required
def etat(request):
    form = EtatForm(request.GET or None, initial={"annee": (known_years() or [""])[0], "semestre": 1})
    if not form.is_valid():
        return render(request, "secretariat/etat.html", {"form": form, "rows": None, "section": "etat"},
                      status=400 if request.GET else 200)
    annee, semestre, groupe = form.cleaned_data["annee"], form.cleaned_data["semestre"], form.cleaned_data["groupe"]
    rows = selectors.etat_des_absences(annee=annee, semester=semestre, group=groupe)
    fmt = request.GET.get("format", "")
    if fmt in ("csv", "xlsx"):
        table = [
            [r.enrolment.student.numero, r.enrolment.student.nom, r.enrolment.student.prenom, r.enrolment.group,
             r.enrolment.regime, r.summary.justified, r.summary.unjustified,
             _hours(r.summary.hours_justified), _hours(r.summary.hours_unjustified),
             r.summary.without_hours, " | ".join(str(m) for m in r.summary.alerts)]
            for r in rows
        ]
        name = f"etat-absences_S{semestre}_{annee}{'_' + groupe if groupe else ''}"
        if fmt == "csv":
            response = HttpResponse(write_csv(ETAT_HEADER, table), content_type="text/csv; charset=utf-8")
        else:
            response = HttpResponse(write_xlsx(ETAT_HEADER, table, title=f"Absences S{semestre}"), content_type=XLSX)
        return as_download(response, f"{name}.{fmt}")
    return render(request, "secretariat/etat.html", {
        "form": form, "rows": rows, "annee": annee, "semestre": semestre, "groupe": groupe,
        "query": request.GET.urlencode(), "section": "etat",
    })

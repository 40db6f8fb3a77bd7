"""Students, enrolments, evaluations and grades: the secretariat's daily work (20,000 grades stay fast)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.urls import reverse
from django.utils.html import format_html

from juries import roles
from juries.models import Enrolment, Enseignement, Evaluation, Grade, RepeatAuthorisation, Student
from juries.models.assessment import GradeRefused, validate_grade
from juries.services.grade_entry import resolved_marks, save_grade

from .contract_import import ContractAdminMixin
from .history import AuditedAdmin
from .resources import EnrolmentResource, EvaluationResource, GradeResource, StudentResource


class NamedBlankFilter(admin.AllValuesFieldListFilter):
    """A blank value (no group) is offered as « (aucun) », not as a link without text."""

    def choices(self, changelist):
        for choice in super().choices(changelist):
            yield {**choice, "display": "(aucun)"} if choice["display"] == "" else choice


# Stacked, not tabular: Django's tabular inline leaves its inputs without a label (axe-core: label, select-name).
class EnrolmentInline(admin.StackedInline):
    model = Enrolment
    extra = 0
    fields = ("annee", "semester", "parcours", "regime", "redoublement", "amenagement", "status", "group")
    show_change_link = True


@admin.register(Student)
class StudentAdmin(ContractAdminMixin, AuditedAdmin):
    """Students are created by the enrolment import (numero is the natural key)."""

    import_kind = "enrolments"
    import_home = "enrolment"
    resource_classes = [StudentResource]
    list_display = ("numero", "nom", "prenom", "ine", "email", "absences_link")
    list_filter = ("enrolments__annee", "enrolments__semester")
    search_fields = ("numero", "nom", "prenom", "ine", "email")
    inlines = [EnrolmentInline]
    raw_id_fields = ("user",)
    list_per_page = 100

    @admin.display(description="absences")
    def absences_link(self, obj):
        return format_html('<a href="{}">état des absences</a>', reverse("secretariat:student_absences", args=[obj.numero]))


@admin.register(Enrolment)
class EnrolmentAdmin(ContractAdminMixin, AuditedAdmin):
    import_kind = "enrolments"
    resource_classes = [EnrolmentResource]
    list_display = ("student", "annee", "semester", "parcours", "regime", "redoublement", "amenagement", "status", "group")
    list_filter = ("annee", "semester", "regime", "status", "redoublement", ("group", NamedBlankFilter))
    search_fields = ("student__numero", "student__nom", "student__prenom")
    list_select_related = ("student", "semester", "parcours")
    autocomplete_fields = ("student",)
    list_per_page = 100


@admin.register(RepeatAuthorisation)
class RepeatAuthorisationAdmin(AuditedAdmin):
    # R2: the academic year of the repeat it allows, the date of the director's decision.
    list_display = ("student", "annee", "date", "reason")
    autocomplete_fields = ("student",)
    list_select_related = ("student",)


def enseignement_filter(path: str, semester_param: str):
    """A list filter of the enseignements of the semester chosen in the semester filter: the whole
    maquette (121 enseignements) would bury the other filters; pick a semester first."""

    class EnseignementFilter(admin.SimpleListFilter):
        title = "enseignement (choisir d'abord un semestre)"
        parameter_name = "enseignement"

        def lookups(self, request, model_admin):
            semester = request.GET.get(semester_param)
            if not semester or not (semester.isascii() and semester.isdecimal()):
                return []
            return [(e.pk, f"{e.display_code} {e.name}")
                    for e in Enseignement.objects.filter(semester_id=semester, parts__isnull=True).order_by("code")]

        def has_output(self):
            return True

        def queryset(self, request, queryset):
            value = self.value()
            if value and value.isascii() and value.isdecimal():
                return queryset.filter(**{path: value})
            return queryset

    return EnseignementFilter


class OwnEnseignementsMixin:
    """A teacher with admin access sees only the evaluations and grades of their enseignements."""

    enseignement_path = "enseignement"

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if roles.is_secretariat(request.user):
            return qs
        return qs.filter(**{f"{self.enseignement_path}__teachers": request.user})


@admin.register(Evaluation)
class EvaluationAdmin(OwnEnseignementsMixin, ContractAdminMixin, AuditedAdmin):
    import_kind = "grades"  # evaluations are created and updated by the grade import
    import_home = "grade"
    resource_classes = [EvaluationResource]
    list_display = ("enseignement", "label", "annee", "date", "weight", "entry_link")
    list_filter = ("annee", "enseignement__semester",
                   enseignement_filter("enseignement_id", "enseignement__semester__id__exact"))
    search_fields = ("label", "enseignement__code", "enseignement__name")
    list_select_related = ("enseignement",)
    list_per_page = 100

    @admin.display(description="saisie")
    def entry_link(self, obj):
        return format_html('<a href="{}">saisir les notes</a>', reverse("secretariat:saisie", args=[obj.pk]))


class GradeAdminForm(forms.ModelForm):
    """Optimistic locking: the version loaded travels with the form; a grade saved by someone else in
    between is refused, never overwritten."""

    class Meta:
        model = Grade
        fields = ("enrolment", "evaluation", "value", "mark", "version")
        widgets = {"version": forms.HiddenInput}

    def clean(self):
        data = super().clean()
        evaluation = data.get("evaluation")
        try:
            validate_grade(data.get("value"), data.get("mark") or "",
                           dated=evaluation is None or evaluation.date is not None)
        except GradeRefused as exc:
            # The evaluation's date is not on this form: the absence chosen is what to change.
            self.add_error("mark" if exc.field == "date" else exc.field, exc.message)
        if self.instance.pk:
            stored = Grade.objects.filter(pk=self.instance.pk).values_list("version", flat=True).first()
            if stored is not None and data.get("version") != stored:
                raise forms.ValidationError(
                    "Cette note a été modifiée par quelqu'un d'autre depuis l'ouverture de la page : "
                    "rien n'a été enregistré. Rechargez la page pour voir la note actuelle.")
        return data


class GradeChangeList(ChangeList):
    """Adds the A8 resolution of the page's ABS grades (computed at read time, a few queries per page)."""

    def get_results(self, request):
        super().get_results(request)
        resolved = resolved_marks(list(self.result_list))
        for g in self.result_list:
            g.resolved_mark = resolved.get(g.pk)


@admin.register(Grade)
class GradeAdmin(OwnEnseignementsMixin, ContractAdminMixin, AuditedAdmin):
    import_kind = "grades"
    resource_classes = [GradeResource]
    enseignement_path = "evaluation__enseignement"
    form = GradeAdminForm
    list_display = ("numero", "student", "evaluation", "shown", "resolved", "group")
    list_filter = ("evaluation__annee", "enrolment__semester",
                   enseignement_filter("evaluation__enseignement_id", "enrolment__semester__id__exact"),
                   ("enrolment__group", NamedBlankFilter), "mark")
    search_fields = ("enrolment__student__numero", "enrolment__student__nom", "evaluation__enseignement__code",
                     "evaluation__label")
    list_select_related = ("enrolment__student", "enrolment__semester", "evaluation__enseignement")
    raw_id_fields = ("enrolment", "evaluation")
    list_per_page = 100
    show_full_result_count = False  # no second COUNT(*) over 20,000 rows on every filtered page

    def get_changelist(self, request, **kwargs):
        return GradeChangeList

    @admin.display(description="numéro", ordering="enrolment__student__numero")
    def numero(self, obj):
        return obj.enrolment.student.numero

    @admin.display(description="étudiant", ordering="enrolment__student__nom")
    def student(self, obj):
        return f"{obj.enrolment.student.nom.upper()} {obj.enrolment.student.prenom}"

    @admin.display(description="note", ordering="value")
    def shown(self, obj):
        return obj.display

    @admin.display(description="retenue (A8)")
    def resolved(self, obj):
        mark, alert = getattr(obj, "resolved_mark", None) or (None, False)
        if obj.mark == Grade.Mark.ABS:
            return f"ABS → {mark}" if mark else "ABS non résolue (pas de date)"
        if alert:
            return "ABI ⚠ jour justifié"
        return ""

    @admin.display(description="groupe", ordering="enrolment__group")
    def group(self, obj):
        return obj.enrolment.group

    def save_model(self, request, obj, form, change):
        save_grade(obj, by=request.user)

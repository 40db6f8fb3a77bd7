from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from juries.models import Enrolment, Evaluation, Grade, RepeatAuthorisation, Student


class EnrolmentInline(admin.TabularInline):
    model = Enrolment
    extra = 0
    fields = ("annee", "semester", "parcours", "regime", "redoublement", "amenagement", "status", "group")
    show_change_link = True


@admin.register(Student)
class StudentAdmin(SimpleHistoryAdmin):
    list_display = ("numero", "nom", "prenom", "ine", "email")
    search_fields = ("numero", "nom", "prenom", "ine", "email")
    inlines = [EnrolmentInline]
    raw_id_fields = ("user",)


@admin.register(Enrolment)
class EnrolmentAdmin(SimpleHistoryAdmin):
    list_display = ("student", "annee", "semester", "parcours", "regime", "redoublement", "amenagement", "status", "group")
    list_filter = ("annee", "semester", "regime", "status", "redoublement", "group")
    search_fields = ("student__numero", "student__nom", "student__prenom")
    list_select_related = ("student", "semester", "parcours")
    autocomplete_fields = ("student",)


@admin.register(RepeatAuthorisation)
class RepeatAuthorisationAdmin(SimpleHistoryAdmin):
    list_display = ("student", "date", "reason")
    autocomplete_fields = ("student",)


@admin.register(Evaluation)
class EvaluationAdmin(SimpleHistoryAdmin):
    list_display = ("enseignement", "label", "annee", "date", "weight")
    list_filter = ("annee", "enseignement__semester", "enseignement")
    search_fields = ("label", "enseignement__code", "enseignement__name")
    list_select_related = ("enseignement",)


@admin.register(Grade)
class GradeAdmin(SimpleHistoryAdmin):
    list_display = ("student", "evaluation", "value", "mark")
    list_filter = ("evaluation__annee", "enrolment__semester", "mark", "evaluation__enseignement", "enrolment__group")
    search_fields = ("enrolment__student__numero", "enrolment__student__nom", "evaluation__enseignement__code", "evaluation__label")
    list_select_related = ("enrolment__student", "evaluation__enseignement")
    raw_id_fields = ("enrolment", "evaluation")
    list_per_page = 100

    @admin.display(description="étudiant", ordering="enrolment__student__nom")
    def student(self, obj):
        return obj.enrolment.student

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from juries.models import Absence, BipParticipation, FraudCase, Mobility, Stage


@admin.register(Absence)
class AbsenceAdmin(SimpleHistoryAdmin):
    list_display = ("student", "start", "end", "declared_at", "channel", "justificatif_at", "reason")
    list_filter = ("reason", "channel")
    search_fields = ("student__numero", "student__nom")
    list_select_related = ("student",)
    autocomplete_fields = ("student",)
    date_hierarchy = "start"


@admin.register(Stage)
class StageAdmin(SimpleHistoryAdmin):
    list_display = ("enrolment", "start", "end", "company", "abroad")
    list_filter = ("enrolment__annee", "enrolment__semester", "abroad")
    search_fields = ("enrolment__student__numero", "enrolment__student__nom", "company")
    list_select_related = ("enrolment__student", "enrolment__semester")
    raw_id_fields = ("enrolment",)


@admin.register(Mobility)
class MobilityAdmin(SimpleHistoryAdmin):
    list_display = ("enrolment", "institution")
    search_fields = ("enrolment__student__numero", "enrolment__student__nom", "institution")
    list_select_related = ("enrolment__student", "enrolment__semester")
    raw_id_fields = ("enrolment",)


@admin.register(BipParticipation)
class BipAdmin(SimpleHistoryAdmin):
    list_display = ("enrolment", "title", "grade")
    list_select_related = ("enrolment__student", "enrolment__semester")
    raw_id_fields = ("enrolment",)


@admin.register(FraudCase)
class FraudCaseAdmin(SimpleHistoryAdmin):
    list_display = ("student", "date", "evaluation", "referred", "sanction", "closed")
    list_filter = ("sanction", "closed", "referred")
    search_fields = ("student__numero", "student__nom")
    list_select_related = ("student", "evaluation__enseignement")
    autocomplete_fields = ("student",)
    raw_id_fields = ("evaluation",)

"""Absences, stages, mobility, BIP and fraud cases in the admin, with history and exports."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.urls import reverse
from django.utils.html import format_html

from juries.models import Absence, BipParticipation, FraudCase, Mobility, Stage
from juries.selectors.absences import judged_absences

from .contract_import import ContractAdminMixin
from .history import AuditedAdmin
from .resources import AbsenceResource, FraudCaseResource, MobilityResource, StageResource


class AbsenceChangeList(ChangeList):
    """A4/A5 verdicts of the page's absences, computed at read time (a few queries per page)."""

    def get_results(self, request):
        super().get_results(request)
        for j in judged_absences(list(self.result_list)):
            j.absence.verdict = j.status


@admin.register(Absence)
class AbsenceAdmin(ContractAdminMixin, AuditedAdmin):
    import_kind = "absences"
    resource_classes = [AbsenceResource]
    list_display = ("student", "start", "end", "hours", "declared_at", "channel", "justificatif_at", "reason",
                    "justified", "page_link")
    list_filter = ("reason", "channel", "employer_informed")
    search_fields = ("student__numero", "student__nom", "student__prenom")
    list_select_related = ("student",)
    autocomplete_fields = ("student",)
    date_hierarchy = "start"
    list_per_page = 100

    def get_changelist(self, request, **kwargs):
        return AbsenceChangeList

    @admin.display(description="justifiée (A4-A5)")
    def justified(self, obj):
        verdict = getattr(obj, "verdict", None)
        if verdict is None:
            return ""
        return "oui" if verdict.justified else "non"

    @admin.display(description="détail")
    def page_link(self, obj):
        return format_html('<a href="{}">verdict et justificatif</a>', reverse("secretariat:absence_detail", args=[obj.pk]))


@admin.register(Stage)
class StageAdmin(ContractAdminMixin, AuditedAdmin):
    import_kind = "stages"
    resource_classes = [StageResource]
    list_display = ("enrolment", "start", "end", "company", "abroad")
    list_filter = ("enrolment__annee", "enrolment__semester", "abroad")
    search_fields = ("enrolment__student__numero", "enrolment__student__nom", "company")
    list_select_related = ("enrolment__student", "enrolment__semester")
    raw_id_fields = ("enrolment",)


@admin.register(Mobility)
class MobilityAdmin(ContractAdminMixin, AuditedAdmin):
    import_kind = "mobility"
    resource_classes = [MobilityResource]
    list_display = ("enrolment", "institution")
    list_filter = ("enrolment__annee", "enrolment__semester")
    search_fields = ("enrolment__student__numero", "enrolment__student__nom", "institution")
    list_select_related = ("enrolment__student", "enrolment__semester")
    raw_id_fields = ("enrolment",)


@admin.register(BipParticipation)
class BipAdmin(AuditedAdmin):
    # M3: the UE the BIP counts in (else the department's BIP_UE setting; neither: alert M3).
    list_display = ("enrolment", "title", "grade", "ue")
    list_select_related = ("enrolment__student", "enrolment__semester", "ue__competence", "ue__semester")
    raw_id_fields = ("enrolment",)


@admin.register(FraudCase)
class FraudCaseAdmin(ContractAdminMixin, AuditedAdmin):
    resource_classes = [FraudCaseResource]
    list_display = ("student", "date", "evaluation", "referred", "sanction", "closed")
    list_filter = ("sanction", "closed", "referred")
    search_fields = ("student__numero", "student__nom")
    list_select_related = ("student", "evaluation__enseignement")
    autocomplete_fields = ("student",)
    raw_id_fields = ("evaluation",)

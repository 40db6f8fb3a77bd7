"""Jury sessions in the admin: the secretariat creates them (formation, semester, year, date,
president, members). Decisions and the deliberation journal are read here, written only by the
jury's own pages (services.decisions); a deliberated session is read-only (E3)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from juries.admin.maquette import ReadOnlyAdmin
from juries.models import JuryDecision, JuryEvent, JurySession

from .contract_import import ContractAdminMixin


@admin.register(JurySession)
class JurySessionAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "formation", "date", "president", "state", "deliberated_at")
    list_filter = ("annee", "semester", "state")
    list_select_related = ("semester", "formation", "president")
    filter_horizontal = ("members",)
    readonly_fields = ("state", "deliberated_at")
    fields = ("formation", "semester", "annee", "date", "president", "members", "state", "deliberated_at")

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_deliberated:
            return self.fields
        return self.readonly_fields

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_deliberated:
            return False  # E3: re-opened only by its president, with a reason, on the jury's page
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and (obj.is_deliberated or obj.decisions.exists()):
            return False
        return super().has_delete_permission(request, obj)


@admin.register(JuryDecision)
class JuryDecisionAdmin(ContractAdminMixin, ReadOnlyAdmin, SimpleHistoryAdmin):
    import_kind = "decisions"  # import_decisions: juries deliberated before the application
    list_display = ("enrolment", "jury", "decision_annee", "passage", "overridden", "decided_by", "decided_at", "version")
    list_filter = ("jury", "overridden", "decision_annee")
    search_fields = ("enrolment__student__numero", "enrolment__student__nom")
    list_select_related = ("enrolment__student", "enrolment__semester", "jury__semester", "decided_by")


@admin.register(JuryEvent)
class JuryEventAdmin(ReadOnlyAdmin):
    list_display = ("jury", "kind", "by", "at", "reason")
    list_filter = ("kind",)
    list_select_related = ("jury__semester", "by")

from django.contrib import admin

from juries.models import (
    UE,
    Coefficient,
    Competence,
    Enseignement,
    Formation,
    Level,
    Parcours,
    ReglementSettings,
    Semester,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Viewed, never changed here: the maquette (changed by fixture), decisions and journal (by services)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CoefficientInline(admin.TabularInline):
    model = Coefficient
    extra = 0
    fields = ("enseignement", "pole", "value")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Formation)
class FormationAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "establishment")


@admin.register(Parcours)
class ParcoursAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "formation")


@admin.register(Competence)
class CompetenceAdmin(ReadOnlyAdmin):
    list_display = ("number", "name", "formation")


@admin.register(Level)
class LevelAdmin(ReadOnlyAdmin):
    list_display = ("competence", "number", "but_year", "title")
    list_filter = ("competence", "but_year")


@admin.register(Semester)
class SemesterAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "formation")


@admin.register(UE)
class UEAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "competence", "level", "ects", "ects_ressources", "ects_sae", "parcours")
    list_filter = ("semester", "competence")
    list_select_related = ("competence", "semester", "level", "level__competence", "parcours")
    inlines = [CoefficientInline]


@admin.register(Enseignement)
class EnseignementAdmin(ReadOnlyAdmin):
    list_display = ("display_code", "name", "kind", "semester", "hours_cm", "hours_td", "hours_tp", "hours_projet", "hours_total")
    list_filter = ("semester", "kind")
    search_fields = ("code", "name")
    list_select_related = ("semester",)
    inlines = [CoefficientInline]

    @admin.display(description="code", ordering="code")
    def display_code(self, obj):
        return obj.display_code

    @admin.display(description="total heures")
    def hours_total(self, obj):
        return obj.hours_total


@admin.register(ReglementSettings)
class ReglementSettingsAdmin(admin.ModelAdmin):
    list_display = ("formation", "abi_scope", "abj_policy", "rcue_weights", "p2_counts", "stage_min_weeks_s4")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

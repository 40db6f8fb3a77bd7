"""Admin import in the formats of docs/formats.md, through juries.services.imports (the one write path;
juries.services.decisions_import for the decisions of earlier juries).

Two steps, like django-import-export's own import: a preview (``dry_run=True``: every row
validated, the report shown, nothing written) and a confirmation that imports the same file,
all or nothing, with the admin user recorded in the history. The uploaded file waits between the
two steps in django-import-export's temporary storage, its name kept in the user's session.
"""

from __future__ import annotations

import os
import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from import_export.admin import ExportMixin
from import_export.forms import ExportForm
from import_export.tmp_storages import TempFolderStorage

from juries.importers.columns import help_lines
from juries.importers.errors import ImportFailed, RowError
from juries.services.decisions_import import import_decisions_file
from juries.services.exports import import_template
from juries.services.imports import import_file

from .resources import EXPORT_FORMATS

SESSION_KEY = "qlio_contract_imports"
TOKEN_RE = re.compile(r"^[A-Za-z0-9_.-]{1,200}$")
PREVIEW_ROWS = 300

#: The kinds whose records the admin shows read-only: imported by whoever may create jury sessions.
JURY_KINDS = frozenset({"decisions"})
#: Each import once, in the order a year is set up, with what the admin home calls it.
IMPORT_LABELS = {
    "enrolments": ("Étudiants et inscriptions", "une ligne par étudiant et par semestre"),
    "grades": ("Notes", "une ligne par note ; une évaluation inconnue est créée"),
    "absences": ("Absences", "une ligne par absence, avec sa déclaration et son justificatif"),
    "stages": ("Stages", "S4 et S6"),
    "mobility": ("Mobilités", "semestres à l'étranger"),
    "decisions": ("Décisions de jurys antérieurs", "jurys délibérés avant l'application"),
}


def run_import(*, kind: str, data: bytes, filename: str, dry_run: bool = False, user=None):
    """The shared service of that kind: preview and confirmation go through the same code."""
    if kind == "decisions":
        return import_decisions_file(data=data, filename=filename, dry_run=dry_run, user=user)
    return import_file(kind=kind, data=data, filename=filename, dry_run=dry_run, user=user)


class ContractAdminMixin(ExportMixin):
    """Export (django-import-export resources, docs/formats.md columns) and import (the shared service)."""

    #: juries.services.imports kind, or "" for an export-only admin.
    import_kind = ""
    #: The model name of the admin whose import page is the one of this kind, when this admin shares
    #: its kind (evaluations come with the grades, students with their enrolments): one page per import.
    import_home = ""
    import_export_change_list_template = "secretariat/admin/change_list.html"
    export_form_class = ExportForm  # the contract's columns, not a selection
    formats = EXPORT_FORMATS
    to_encoding = "utf-8-sig"

    def get_export_filename(self, request, queryset, file_format):
        from django.utils import timezone

        name = str(self.model._meta.verbose_name_plural).replace(" ", "-").replace("'", "")
        return f"{name}-{timezone.localdate():%Y-%m-%d}.{file_format.get_extension()}"

    def has_export_permission(self, request):
        if self.import_kind in JURY_KINDS:
            return False  # no contract export format: the jury's export is jury_proposals
        return self.has_view_permission(request)

    def has_contract_import_permission(self, request) -> bool:
        if self.import_kind in JURY_KINDS:
            # Decisions are written only by services: their admin is read-only, the import creates
            # the earlier juries' sessions, so it belongs to those who create jury sessions.
            return request.user.has_perms(["juries.add_jurysession", "juries.change_jurysession"])
        return bool(self.import_kind) and self.has_add_permission(request) and self.has_change_permission(request)

    def get_urls(self):
        return [
            path("importer/", self.admin_site.admin_view(self.contract_import_view),
                 name=f"{self._info()}_contract_import"),
            path("importer/modele.<str:fmt>", self.admin_site.admin_view(self.contract_template_view),
                 name=f"{self._info()}_contract_template"),
        ] + super().get_urls()

    def contract_template_view(self, request, fmt: str):
        """The empty file of this import (its header row), from the importer's column definitions."""
        if not self.has_contract_import_permission(request):
            raise PermissionDenied
        if fmt not in ("csv", "xlsx"):
            raise Http404
        content_type = ("text/csv; charset=utf-8" if fmt == "csv"
                        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response = HttpResponse(import_template(self.import_kind, fmt), content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="modele-{self.import_kind}.{fmt}"'
        return response

    def _info(self) -> str:
        return f"{self.model._meta.app_label}_{self.model._meta.model_name}"

    def changelist_view(self, request, extra_context=None):
        extra_context = extra_context or {}
        if self.has_contract_import_permission(request):
            info = f"{self.model._meta.app_label}_{self.import_home}" if self.import_home else self._info()
            extra_context["contract_import_url"] = reverse(f"admin:{info}_contract_import")
        return super().changelist_view(request, extra_context)

    # ------------------------------------------------------------------ the import view

    def contract_import_view(self, request):
        if not self.has_contract_import_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta, "title": f"Importer : {self.model._meta.verbose_name_plural}",
            "kind": self.import_kind, "columns": help_lines(self.import_kind),
            "template_csv": reverse(f"admin:{self._info()}_contract_template", args=["csv"]),
            "template_xlsx": reverse(f"admin:{self._info()}_contract_template", args=["xlsx"]),
        }
        if request.method == "POST" and request.POST.get("step") == "confirm":
            return self._confirm(request, context)
        if request.method == "POST":
            upload = request.FILES.get("fichier")
            if upload is None:
                context["errors"] = [RowError(None, None, "Choisir un fichier .csv ou .xlsx.")]
            else:
                data = upload.read()
                context["filename"] = upload.name
                try:
                    context["report"] = run_import(kind=self.import_kind, data=data, filename=upload.name,
                                                   dry_run=True, user=request.user)
                except ImportFailed as exc:
                    context["errors"], context["error_total"] = exc.errors, exc.total
                else:
                    context["token"] = self._keep(request, data, upload.name)
                    context["preview_rows"] = context["report"].rows[:PREVIEW_ROWS]
        return TemplateResponse(request, "secretariat/admin/contract_import.html", context,
                                status=400 if context.get("errors") else 200)

    def _keep(self, request, data: bytes, filename: str) -> str:
        storage = TempFolderStorage(read_mode="rb")
        storage.save(data)
        token = os.path.basename(storage.name)
        pending = request.session.get(SESSION_KEY, {})
        pending[token] = {"kind": self.import_kind, "filename": filename}
        request.session[SESSION_KEY] = pending
        return token

    def _confirm(self, request, context):
        token = request.POST.get("token", "")
        pending = request.session.get(SESSION_KEY, {})
        entry = pending.get(token)
        if not TOKEN_RE.match(token) or entry is None or entry["kind"] != self.import_kind:
            context["errors"] = [RowError(None, None, "Aperçu expiré ou inconnu : déposer à nouveau le fichier.")]
            return TemplateResponse(request, "secretariat/admin/contract_import.html", context, status=400)
        storage = TempFolderStorage(name=token, read_mode="rb")
        try:
            data = storage.read()
        except OSError:
            context["errors"] = [RowError(None, None, "Aperçu expiré : déposer à nouveau le fichier.")]
            return TemplateResponse(request, "secretariat/admin/contract_import.html", context, status=400)
        context["filename"] = entry["filename"]
        try:
            report = run_import(kind=self.import_kind, data=data, filename=entry["filename"], user=request.user)
        except ImportFailed as exc:
            # the database changed since the preview: nothing written
            context["errors"], context["error_total"] = exc.errors, exc.total
            return TemplateResponse(request, "secretariat/admin/contract_import.html", context, status=400)
        finally:
            pending.pop(token, None)
            request.session[SESSION_KEY] = pending
        try:
            storage.remove()
        except OSError:
            pass
        messages.success(request, f"Import de « {entry['filename']} » enregistré. {report.summary()}")
        return HttpResponseRedirect(reverse(f"admin:{self._info()}_changelist"))


def import_links(site, request) -> list[dict]:
    """The admin home's « Importer » section: each import once (its home admin), with its two
    template files, for the imports this user may run."""
    homes = {}
    for model_admin in site._registry.values():
        kind = getattr(model_admin, "import_kind", "")
        if kind and not model_admin.import_home and model_admin.has_contract_import_permission(request):
            homes[kind] = model_admin
    links = []
    for kind, (label, help_text) in IMPORT_LABELS.items():
        model_admin = homes.get(kind)
        if model_admin is None:
            continue
        info = model_admin._info()
        links.append({
            "kind": kind, "label": label, "help": help_text,
            "url": reverse(f"admin:{info}_contract_import"),
            "template_xlsx": reverse(f"admin:{info}_contract_template", args=["xlsx"]),
            "template_csv": reverse(f"admin:{info}_contract_template", args=["csv"]),
        })
    return links

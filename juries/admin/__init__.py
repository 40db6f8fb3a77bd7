"""French admin: the maquette read-only, students and their cursus editable with search and filters,
docs/formats.md imports (through juries.services.imports) and exports (django-import-export)."""

from django.contrib import admin

from . import cursus, jury, maquette, students  # noqa: F401

admin.site.site_header = "QLIO Jury — administration"
admin.site.site_title = "QLIO Jury"
admin.site.index_title = "Secrétariat : étudiants, inscriptions, notes, absences, stages"
admin.site.index_template = "secretariat/admin/index.html"

_index = admin.site.index


def _index_with_imports(request, extra_context=None):
    """The admin home shows the imports first (each once, with its template file)."""
    from .contract_import import import_links

    return _index(request, {**(extra_context or {}), "imports": import_links(admin.site, request)})


# An instance attribute: admin.site.urls (built after this module is imported) wraps this one.
admin.site.index = _index_with_imports  # type: ignore[method-assign]

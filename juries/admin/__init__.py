"""French admin: the maquette read-only, students and their cursus editable with search and filters,
docs/formats.md imports (through juries.services.imports) and exports (django-import-export)."""

from django.contrib import admin

from . import cursus, jury, maquette, students  # noqa: F401

admin.site.site_header = "QLIO Jury — administration"
admin.site.site_title = "QLIO Jury"
admin.site.index_title = "Secrétariat : étudiants, inscriptions, notes, absences, stages"

"""Shared body of the import_* commands: French errors on stderr, exit status 1, nothing written."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from juries.importers.errors import ImportFailed
from juries.rules.french import plural
from juries.services.imports import import_file


class ImportCommand(BaseCommand):
    kind = ""

    def add_arguments(self, parser):
        parser.add_argument("file", help="fichier .csv (; ou ,) ou .xlsx")
        parser.add_argument("--dry-run", action="store_true", help="valider sans rien enregistrer")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            self.stderr.write(f"Fichier illisible : {path} ({exc.strerror})")
            sys.exit(1)
        try:
            report = self.run_import(data=data, filename=path.name, options=options)
        except ImportFailed as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            self.stderr.write(f"Import refusé : {plural(exc.total, 'erreur')}, rien n'a été enregistré.")
            sys.exit(1)
        self.stdout.write(report.summary())

    def run_import(self, *, data: bytes, filename: str, options: dict):
        """The import itself (a report with `summary()`); raises ImportFailed with every error."""
        return import_file(kind=self.kind, data=data, filename=filename, dry_run=options["dry_run"])

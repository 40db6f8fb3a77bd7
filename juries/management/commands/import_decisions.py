import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from juries.importers.errors import ImportFailed
from juries.services.decisions_import import SYSTEM_USERNAME, import_decisions_file


class Command(BaseCommand):
    help = ("Importe les décisions de jurys délibérés hors de l'application (docs/formats.md), "
            "tout ou rien.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="fichier .csv (; ou ,) ou .xlsx")
        parser.add_argument("--dry-run", action="store_true", help="valider sans rien enregistrer")
        parser.add_argument("--user", help=f"identifiant enregistré comme auteur de l'import "
                                           f"(défaut : le compte « {SYSTEM_USERNAME} »)")

    def handle(self, *args, **options):
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"Utilisateur « {options['user']} » inconnu.")
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            self.stderr.write(f"Fichier illisible : {path} ({exc.strerror})")
            sys.exit(1)
        try:
            report = import_decisions_file(data=data, filename=path.name, dry_run=options["dry_run"], user=user)
        except ImportFailed as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            self.stderr.write(f"Import refusé : {len(exc.errors)} erreur(s), rien n'a été enregistré.")
            sys.exit(1)
        self.stdout.write(report.summary())

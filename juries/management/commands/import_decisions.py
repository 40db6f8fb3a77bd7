from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from juries.services.decisions_import import SYSTEM_USERNAME, import_decisions_file

from ._import import ImportCommand


class Command(ImportCommand):
    help = ("Importe les décisions de jurys délibérés hors de l'application (docs/formats.md), "
            "tout ou rien.")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--user", help=f"identifiant enregistré comme auteur de l'import "
                                           f"(défaut : le compte « {SYSTEM_USERNAME} »)")

    def run_import(self, *, data: bytes, filename: str, options: dict):
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"Utilisateur « {options['user']} » inconnu.")
        return import_decisions_file(data=data, filename=filename, dry_run=options["dry_run"], user=user)

from django.core.management.base import BaseCommand, CommandError

from juries.services.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restaure une sauvegarde faite par `backup` (remplace tout le contenu de la base)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--yes", action="store_true", help="ne pas demander de confirmation")

    def handle(self, *args, **opts):
        if not opts["yes"] and input("Remplacer toute la base par cette sauvegarde ? [oui/non] ").strip().lower() != "oui":
            raise CommandError("Restauration annulée.")
        try:
            restore(path=opts["file"])
        except (BackupError, OSError) as exc:
            raise CommandError(f"Restauration impossible : {exc}") from None
        self.stdout.write(f"Base restaurée depuis {opts['file']}")

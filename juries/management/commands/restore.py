import sys

from django.core.management.base import BaseCommand

from juries.services.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restaure une sauvegarde faite par `backup` (remplace tout le contenu de la base)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--yes", action="store_true", help="ne pas demander de confirmation")

    def _stop(self, message: str) -> None:
        # A French sentence and status 1, not CommandError's English prefix nor a traceback.
        self.stderr.write(message)
        sys.exit(1)

    def handle(self, *args, **opts):
        if not opts["yes"]:
            try:
                answer = input("Remplacer toute la base par cette sauvegarde ? [oui/non] ")
            except (EOFError, KeyboardInterrupt):
                self._stop("\nRestauration annulée : pas de réponse (relancez avec --yes pour ne pas être interrogé).")
                return
            if answer.strip().lower() != "oui":
                self._stop("Restauration annulée.")
                return
        try:
            restore(path=opts["file"])
        except (BackupError, OSError) as exc:
            self._stop(f"Restauration impossible : {exc}")
            return
        self.stdout.write(f"Base restaurée depuis {opts['file']}")

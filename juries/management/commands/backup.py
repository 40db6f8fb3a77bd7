from django.core.management.base import BaseCommand, CommandError

from juries.services.backup import BackupError, backup


class Command(BaseCommand):
    help = "Sauvegarde complète de la base (pg_dump pour PostgreSQL, copie cohérente pour SQLite)."

    def add_arguments(self, parser):
        parser.add_argument("--output", default="backups", help="dossier de destination (défaut : backups)")

    def handle(self, *args, **opts):
        try:
            path = backup(output_dir=opts["output"])
        except (BackupError, OSError) as exc:
            raise CommandError(f"Sauvegarde impossible : {exc}") from None
        self.stdout.write(str(path))

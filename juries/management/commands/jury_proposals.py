import sys
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from juries.importers.parsing import CellError, parse_annee
from juries.rules.french import plural
from juries.selectors.proposals import jury_proposals
from juries.services.proposals import render


class Command(BaseCommand):
    help = "Propositions (ou décisions délibérées) du jury d'un semestre : JSON, CSV ou XLSX (docs/formats.md)."

    def add_arguments(self, parser):
        parser.add_argument("--annee", required=True, help="année universitaire, ex. 2026-2027")
        parser.add_argument("--semestre", required=True, type=int, choices=range(1, 7))
        parser.add_argument("--date-jury", help="date du jury (AAAA-MM-JJ), règle S3")
        parser.add_argument("--format", default="json", choices=("json", "csv", "xlsx"))
        parser.add_argument("--output", help="fichier de sortie (défaut : sortie standard)")

    def handle(self, *args, **opts):
        try:
            annee = parse_annee(opts["annee"])
        except CellError as exc:
            raise CommandError(str(exc)) from None
        jury_date = None
        if opts["date_jury"]:
            try:
                jury_date = date.fromisoformat(opts["date_jury"])
            except ValueError:
                raise CommandError(f"date du jury « {opts['date_jury']} » invalide (AAAA-MM-JJ)") from None
        proposals = jury_proposals(annee=annee, semester=opts["semestre"], jury_date=jury_date).proposals
        data = render(proposals, opts["format"])
        if opts["output"]:
            with open(opts["output"], "wb") as fh:
                fh.write(data)
            self.stderr.write(f"{plural(len(proposals.students), 'étudiant écrit', 'étudiants écrits')} dans {opts['output']}")
        elif opts["format"] == "json":
            self.stdout.write(data.decode("utf-8"), ending="")
        else:
            self.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()

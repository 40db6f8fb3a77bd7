from django.core.management.base import BaseCommand

from juries.rules.french import plural
from juries.services.demo import DemoBuilder


class Command(BaseCommand):
    help = "Crée le département de démonstration 2026-2027 (déterministe, idempotent) et les comptes de démo."

    def add_arguments(self, parser):
        parser.add_argument("--students", type=int, default=150, help="nombre d'étudiants (défaut 150)")
        parser.add_argument("--seed", type=int, default=2026, help="graine du générateur (défaut 2026)")
        parser.add_argument("--years", default="1,2,3", help="années de BUT à peupler, ex. 1 ou 1,2,3")
        parser.add_argument("--evaluations", type=int, default=4, help="évaluations par ressource (défaut 4)")
        parser.add_argument("--no-history", action="store_true", help="seulement l'année 2026-2027")

    def handle(self, *args, **opts):
        years = tuple(int(y) for y in opts["years"].split(","))
        result = DemoBuilder(students=opts["students"], seed=opts["seed"], years=years,
                             evaluations_per_ressource=opts["evaluations"],
                             with_history=not opts["no_history"]).build()
        self.stdout.write(f"Démo : {plural(result.students, 'étudiant créé', 'étudiants créés')}, {plural(result.grades, 'note')}.")
        self.stdout.write("Comptes de démonstration (identifiant / mot de passe / rôle) :")
        for username, password, group in result.accounts:
            self.stdout.write(f"  {username:12} {password:24} {group}")

from ._import import ImportCommand


class Command(ImportCommand):
    help = "Importe un fichier d'inscriptions (docs/CONTRACTS.md), tout ou rien."
    kind = "enrolments"

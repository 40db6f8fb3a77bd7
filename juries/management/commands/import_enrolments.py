from ._import import ImportCommand


class Command(ImportCommand):
    help = "Importe un fichier d'inscriptions (docs/formats.md), tout ou rien."
    kind = "enrolments"

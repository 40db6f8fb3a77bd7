from ._import import ImportCommand


class Command(ImportCommand):
    help = "Importe un fichier de notes (docs/formats.md), tout ou rien."
    kind = "grades"

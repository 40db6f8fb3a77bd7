from ._import import ImportCommand


class Command(ImportCommand):
    help = "Importe un fichier de mobilités d'études (docs/formats.md), tout ou rien."
    kind = "mobility"

from ._import import ImportCommand


class Command(ImportCommand):
    help = "Importe un fichier de mobilités d'études (docs/CONTRACTS.md), tout ou rien."
    kind = "mobility"

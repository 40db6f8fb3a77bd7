from ._import import ImportCommand


class Command(ImportCommand):
    help = "Importe un fichier d'absences (docs/formats.md), tout ou rien."
    kind = "absences"

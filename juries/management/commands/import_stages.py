from ._import import ImportCommand


class Command(ImportCommand):
    help = "Importe un fichier de stages (docs/formats.md), tout ou rien."
    kind = "stages"

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class JuriesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "juries"
    verbose_name = "Jurys BUT QLIO"

    def ready(self):
        from .roles import ensure_roles

        post_migrate.connect(ensure_roles, sender=self, dispatch_uid="qlio_ensure_roles")
        post_migrate.connect(_install_generation, sender=self, dispatch_uid="qlio_inputs_generation")


def _install_generation(sender, using: str = "default", **kwargs) -> None:
    """After every migrate and flush: the generation row and the triggers a migration rebuilding
    a table (SQLite) or a flush removed (juries/generation.py)."""
    from django.db import connections

    from .generation import install

    connection = connections[using]
    if "juries_inputsgeneration" in connection.introspection.table_names():
        install(connection)

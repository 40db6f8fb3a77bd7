from django.apps import AppConfig
from django.db.models.signals import post_migrate


class JuriesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "juries"
    verbose_name = "Jurys BUT QLIO"

    def ready(self):
        from .roles import ensure_roles

        post_migrate.connect(ensure_roles, sender=self, dispatch_uid="qlio_ensure_roles")

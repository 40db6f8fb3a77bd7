"""Relevés de notes issued after a jury's deliberation, each with a short verification code."""

from django.db import models

from .jury import JurySession
from .students import Enrolment


class Releve(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="releves", verbose_name="inscription")
    jury = models.ForeignKey(JurySession, on_delete=models.PROTECT, related_name="releves")
    code = models.CharField("code de vérification", max_length=16, unique=True)
    digest = models.CharField("empreinte du contenu (SHA-256)", max_length=64)
    issued_at = models.DateTimeField("émis le", auto_now_add=True)

    class Meta:
        verbose_name = "relevé officiel"
        verbose_name_plural = "relevés officiels"
        constraints = [models.UniqueConstraint(fields=["enrolment", "jury"], name="releve_unique_enrolment_jury")]

    def __str__(self) -> str:
        return f"Relevé {self.code} — {self.enrolment}"

"""The department's settings (docs/reglement.md, « Paramètres du département »), edited in the admin."""

from django.db import models

from .maquette import Formation


class ReglementSettings(models.Model):
    class AbiScope(models.TextChoices):
        EVALUATION = "evaluation", "ABI = 0 pour l'évaluation (A6, défaut)"
        ENSEIGNEMENT = "enseignement", "ABI = 0 pour tout l'enseignement"

    class AbjPolicy(models.TextChoices):
        NEUTRALISE = "neutralise", "ABJ neutralisée (A7, défaut)"
        PENDING = "pending", "ABJ en attente d'une note de remplacement"

    class RcueWeights(models.TextChoices):
        EQUAL = "equal", "Moyenne simple des deux UE (C3, défaut)"
        ECTS = "ects", "Pondérée par les ECTS des UE"

    class P2Counts(models.TextChoices):
        AVERAGE = "average", "RCUE de moyenne ≥ 10 ou validés (P2, défaut)"
        VALIDATED = "validated", "RCUE validés seulement"

    formation = models.OneToOneField(Formation, on_delete=models.CASCADE, related_name="reglement_settings")
    abi_scope = models.CharField("portée d'une ABI (A6)", max_length=12, choices=AbiScope.choices, default=AbiScope.EVALUATION)
    abj_policy = models.CharField("traitement d'une ABJ (A7)", max_length=12, choices=AbjPolicy.choices, default=AbjPolicy.NEUTRALISE)
    rcue_weights = models.CharField("pondération des RCUE (C3)", max_length=8, choices=RcueWeights.choices, default=RcueWeights.EQUAL)
    p2_counts = models.CharField("RCUE comptés pour la poursuite (P2)", max_length=10, choices=P2Counts.choices, default=P2Counts.AVERAGE)
    stage_min_weeks_s4 = models.PositiveSmallIntegerField("durée minimale du stage de S4 (semaines, S2)", null=True, blank=True, default=10)
    stage_min_weeks_s6 = models.PositiveSmallIntegerField("durée minimale du stage de S6 (semaines, S2)", null=True, blank=True, default=None)
    bip_ue = models.CharField("UE qui reçoit le BIP (M3), ex. « UE4 S5 »", max_length=10, blank=True, default="")
    max_repeats = models.PositiveSmallIntegerField("nombre maximal de redoublements (R2)", default=4)
    justification_hours = models.PositiveSmallIntegerField("délai de justification (heures, A4)", default=48)
    even_semester_start = models.CharField("début du semestre pair (JJ/MM)", max_length=5, default="01/02")
    odd_semester_start = models.CharField("début du semestre impair (JJ/MM)", max_length=5, default="01/09")

    class Meta:
        verbose_name = "paramètres du règlement"
        verbose_name_plural = "paramètres du règlement"

    def __str__(self) -> str:
        return f"Paramètres du règlement — {self.formation}"

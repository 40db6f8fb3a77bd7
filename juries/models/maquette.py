"""The maquette: formations, competences, semesters, UEs, enseignements and coefficients.

Another parcours or another BUT is new rows here, never new code (docs/MAQUETTE.md).
"""

from decimal import Decimal

from django.db import models
from django.db.models import Q

from juries.rules import codes
from juries.rules.french import enseignement_label


class Formation(models.Model):
    code = models.CharField("code", max_length=30, unique=True)
    name = models.CharField("intitulé", max_length=200)
    establishment = models.CharField("établissement", max_length=200, default="IUT de Rodez")

    class Meta:
        verbose_name = "formation"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Parcours(models.Model):
    formation = models.ForeignKey(Formation, on_delete=models.PROTECT, related_name="parcours")
    code = models.CharField("code", max_length=20)
    name = models.CharField("intitulé", max_length=200)

    class Meta:
        verbose_name = "parcours"
        verbose_name_plural = "parcours"
        constraints = [
            models.UniqueConstraint(fields=["formation", "code"], name="parcours_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class Competence(models.Model):
    formation = models.ForeignKey(Formation, on_delete=models.PROTECT, related_name="competences")
    number = models.PositiveSmallIntegerField("numéro")
    name = models.CharField("nom", max_length=100)

    class Meta:
        verbose_name = "compétence"
        ordering = ["formation", "number"]
        constraints = [
            models.UniqueConstraint(fields=["formation", "number"], name="competence_unique_number")
        ]

    def __str__(self) -> str:
        return f"C{self.number} {self.name}"


class Level(models.Model):
    competence = models.ForeignKey(Competence, on_delete=models.PROTECT, related_name="levels")
    number = models.PositiveSmallIntegerField("niveau")
    title = models.CharField("intitulé", max_length=250)
    but_year = models.PositiveSmallIntegerField("année de BUT")

    class Meta:
        verbose_name = "niveau de compétence"
        verbose_name_plural = "niveaux de compétence"
        ordering = ["competence", "number"]
        constraints = [
            models.UniqueConstraint(fields=["competence", "number"], name="level_unique_number"),
            models.CheckConstraint(condition=Q(but_year__gte=1, but_year__lte=3), name="level_but_year_1_3"),
        ]

    def __str__(self) -> str:
        return f"{self.competence.name} niveau {self.number}"


class Semester(models.Model):
    formation = models.ForeignKey(Formation, on_delete=models.PROTECT, related_name="semesters")
    number = models.PositiveSmallIntegerField("numéro")

    class Meta:
        verbose_name = "semestre"
        ordering = ["formation", "number"]
        constraints = [
            models.UniqueConstraint(fields=["formation", "number"], name="semester_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1, number__lte=6), name="semester_number_1_6"),
        ]

    def __str__(self) -> str:
        return f"S{self.number}"

    @property
    def but_year(self) -> int:
        return (self.number + 1) // 2


class UE(models.Model):
    competence = models.ForeignKey(Competence, on_delete=models.PROTECT, related_name="ues")
    semester = models.ForeignKey(Semester, on_delete=models.PROTECT, related_name="ues")
    level = models.ForeignKey(Level, on_delete=models.PROTECT, related_name="ues")
    parcours = models.ForeignKey(
        Parcours, on_delete=models.PROTECT, null=True, blank=True, related_name="ues",
        help_text="Vide : UE commune à tous les parcours.",
    )
    ects = models.DecimalField("ECTS", max_digits=5, decimal_places=2)
    ects_ressources = models.DecimalField("ECTS pôle Ressources", max_digits=5, decimal_places=2)
    ects_sae = models.DecimalField("ECTS pôle SAÉ", max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = "UE"
        verbose_name_plural = "UE"
        ordering = ["semester__number", "competence__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["competence", "semester", "parcours"], name="ue_unique_competence_semester"
            ),
            models.CheckConstraint(
                condition=Q(ects__gte=0, ects_ressources__gte=0, ects_sae__gte=0), name="ue_ects_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.key

    @property
    def key(self) -> str:
        return f"UE{self.competence.number} S{self.semester.number}"


class Enseignement(models.Model):
    class Kind(models.TextChoices):
        RESSOURCE = codes.EnseignementKind.RESSOURCE.value, "Ressource"
        SAE = codes.EnseignementKind.SAE.value, "SAÉ"
        STAGE = codes.EnseignementKind.STAGE.value, "Stage"
        PORTFOLIO = codes.EnseignementKind.PORTFOLIO.value, "Portfolio"

    formation = models.ForeignKey(Formation, on_delete=models.PROTECT, related_name="enseignements")
    semester = models.ForeignKey(Semester, on_delete=models.PROTECT, related_name="enseignements")
    code = models.CharField("code", max_length=20)
    name = models.CharField("intitulé", max_length=250)
    kind = models.CharField("type", max_length=10, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="parts",
        verbose_name="SAÉ parente",
        help_text="Partie d'une SAÉ découpée par compétence : les heures sont portées par la SAÉ parente.",
    )
    hours_cm = models.DecimalField("heures CM", max_digits=6, decimal_places=2, default=Decimal("0"))
    hours_td = models.DecimalField("heures TD", max_digits=6, decimal_places=2, default=Decimal("0"))
    hours_tp = models.DecimalField("heures TP", max_digits=6, decimal_places=2, default=Decimal("0"))
    hours_projet = models.DecimalField("heures projet", max_digits=6, decimal_places=2, default=Decimal("0"))
    min_weeks = models.PositiveSmallIntegerField(
        "durée minimale (semaines)", null=True, blank=True, help_text="Stage uniquement."
    )
    ues: "models.ManyToManyField[UE, Coefficient]" = models.ManyToManyField(
        UE, through="Coefficient", related_name="enseignements")
    teachers = models.ManyToManyField(
        "auth.User", blank=True, related_name="enseignements", verbose_name="enseignants responsables"
    )

    class Meta:
        verbose_name = "enseignement"
        ordering = ["semester__number", "code"]
        constraints = [
            models.UniqueConstraint(fields=["formation", "code"], name="enseignement_unique_code"),
            models.CheckConstraint(
                condition=Q(hours_cm__gte=0, hours_td__gte=0, hours_tp__gte=0, hours_projet__gte=0),
                name="enseignement_hours_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_code} {self.name}"

    @property
    def display_code(self) -> str:
        return enseignement_label(self.code)

    @property
    def hours_total(self) -> Decimal:
        return self.hours_cm + self.hours_td + self.hours_tp + self.hours_projet


class Coefficient(models.Model):
    class Pole(models.TextChoices):
        RESSOURCES = codes.Pole.RESSOURCES.value, "Pôle Ressources"
        SAE = codes.Pole.SAE.value, "Pôle SAÉ"

    ue = models.ForeignKey(UE, on_delete=models.PROTECT, related_name="coefficients")
    enseignement = models.ForeignKey(Enseignement, on_delete=models.PROTECT, related_name="coefficients")
    pole = models.CharField("pôle", max_length=10, choices=Pole.choices)
    value = models.DecimalField("coefficient", max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = "coefficient"
        ordering = ["ue", "pole", "enseignement__code"]
        constraints = [
            models.UniqueConstraint(fields=["ue", "enseignement"], name="coefficient_unique_ue_enseignement"),
            models.CheckConstraint(condition=Q(value__gte=0), name="coefficient_value_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.ue} × {self.enseignement.code} = {self.value}"

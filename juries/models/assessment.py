"""Evaluations of an enseignement and the grades students obtained at them."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from . import guards
from .maquette import Enseignement
from .students import Enrolment, annee_validator


class Evaluation(models.Model):
    enseignement = models.ForeignKey(Enseignement, on_delete=models.PROTECT, related_name="evaluations")
    annee = models.CharField("année universitaire", max_length=9, validators=[annee_validator])
    label = models.CharField("intitulé", max_length=100)
    date = models.DateField("date", null=True, blank=True)
    weight = models.DecimalField("coefficient", max_digits=5, decimal_places=2, default=Decimal("1"))
    history = HistoricalRecords()

    objects = guards.EvaluationQuerySet.as_manager()

    class Meta:
        verbose_name = "évaluation"
        ordering = ["annee", "enseignement__code", "date", "label"]
        constraints = [
            models.UniqueConstraint(fields=["enseignement", "annee", "label"], name="evaluation_unique_label"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="evaluation_weight_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.enseignement.code} {self.label} ({self.annee})"

    # E3 guards (models/guards.py): an evaluation of a deliberated semester is frozen.
    def save(self, *args, **kwargs):
        guards.check_evaluation(self)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        guards.check_evaluation(self)
        return super().delete(*args, **kwargs)

    def clean(self):
        super().clean()
        guards.check_evaluation(self, error=ValidationError)


class Grade(models.Model):
    class Mark(models.TextChoices):
        NONE = "", "Note"
        ABI = "ABI", "ABI — absence injustifiée"
        ABJ = "ABJ", "ABJ — absence justifiée"
        ABS = "ABS", "ABS — absence (à résoudre par le registre)"

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="grades", verbose_name="inscription")
    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="grades", verbose_name="évaluation")
    value = models.DecimalField("note", max_digits=4, decimal_places=2, null=True, blank=True)
    mark = models.CharField("absence", max_length=3, choices=Mark.choices, blank=True, default="")
    version = models.PositiveIntegerField("version", default=1, help_text="Verrou optimiste : +1 à chaque modification.")
    history = HistoricalRecords()

    objects = guards.GradeQuerySet.as_manager()

    class Meta:
        verbose_name = "note"
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "evaluation"], name="grade_unique_enrolment_evaluation"),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0, value__lte=20), name="grade_value_0_20"
            ),
            models.CheckConstraint(
                condition=(Q(value__isnull=False) & Q(mark=""))
                | (Q(value__isnull=True) & Q(mark__in=["ABI", "ABJ", "ABS"])),
                name="grade_value_xor_mark",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment.student.numero} {self.evaluation}: {self.display}"

    # E3 guards (models/guards.py): a grade of a deliberated semester is frozen.
    def save(self, *args, **kwargs):
        guards.check_grade(self)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        guards.check_grade(self)
        return super().delete(*args, **kwargs)

    def clean(self):
        super().clean()
        guards.check_grade(self, error=ValidationError)

    @property
    def display(self) -> str:
        return self.mark or f"{self.value:.2f}".replace(".", ",")

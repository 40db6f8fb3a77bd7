"""Students and their enrolments, one per semester and academic year."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from juries.rules import codes

from .guards import FrozenError, GuardedQuerySet, printed_message
from .maquette import Parcours, Semester

#: CONTRACTS.md: a student number is 1 to 20 ASCII letters or digits; it goes in URLs
#: (juries.urls_converters.NumeroConverter matches exactly this).
NUMERO_PATTERN = r"[A-Za-z0-9]{1,20}"
numero_validator = RegexValidator(
    rf"^{NUMERO_PATTERN}\Z",
    "Le numéro étudiant s'écrit avec 1 à 20 lettres ou chiffres sans accent "
    "(ni espace, ni barre oblique, ni autre signe).",
)
annee_validator = RegexValidator(
    r"^(\d{4})-(\d{4})$", "L'année universitaire s'écrit AAAA-AAAA, par exemple 2026-2027."
)


# --------------------------------------------------------------------------- E3 guards of this module
# What an official relevé prints of a student and of an enrolment cannot change once the jury of
# that semester has deliberated (for every student or for that student alone), except after a
# re-opening, which is recorded (JuryEvent).

#: Student fields printed on a relevé.
STUDENT_PRINTED = ("numero", "nom", "prenom", "ine")
#: Enrolment fields printed on a relevé (or that say whose relevé it is).
ENROLMENT_PRINTED = ("regime", "status", "parcours", "student", "annee", "semester")


def _frozen(enrolments: models.QuerySet) -> tuple[str, int] | None:
    from .assessment import frozen_enrolment  # assessment imports this module

    return frozen_enrolment(enrolments)


def _touches(fields: tuple[str, ...], update_kwargs: dict) -> bool:
    return not update_kwargs or any(f in update_kwargs or f"{f}_id" in update_kwargs for f in fields)


def _changed(instance: models.Model, fields: tuple[str, ...]) -> bool:
    columns = [f"{f}_id" if isinstance(instance._meta.get_field(f), models.ForeignKey) else f for f in fields]
    stored = type(instance)._base_manager.filter(pk=instance.pk).values_list(*columns).first()
    return stored is not None and stored != tuple(getattr(instance, c) for c in columns)


def check_student(student, *, error=FrozenError, deleting: bool = False) -> None:
    """E3 — the identity a deliberated relevé prints (numero, nom, prénom, INE)."""
    if student.pk is None or not (deleting or _changed(student, STUDENT_PRINTED)):
        return
    hit = _frozen(Enrolment.objects.filter(student_id=student.pk))
    if hit:
        raise error(printed_message(hit))


def check_enrolment(enrolment, *, error=FrozenError, deleting: bool = False) -> None:
    """E3 — the régime, statut and parcours a deliberated relevé prints."""
    if enrolment.pk is None or not (deleting or _changed(enrolment, ENROLMENT_PRINTED)):
        return
    hit = _frozen(Enrolment.objects.filter(pk=enrolment.pk))
    if hit:
        raise error(printed_message(hit))


class StudentQuerySet(GuardedQuerySet):
    def _check_rows(self, **update_kwargs) -> None:
        if _touches(STUDENT_PRINTED, update_kwargs):
            hit = _frozen(Enrolment.objects.filter(student__in=self.values("pk")))
            if hit:
                raise FrozenError(printed_message(hit))


class EnrolmentQuerySet(GuardedQuerySet):
    def _check_rows(self, **update_kwargs) -> None:
        if _touches(ENROLMENT_PRINTED, update_kwargs):
            hit = _frozen(Enrolment.objects.filter(pk__in=self.values("pk")))
            if hit:
                raise FrozenError(printed_message(hit))


class Student(models.Model):
    numero = models.CharField("numéro étudiant", max_length=20, unique=True, validators=[numero_validator])
    ine = models.CharField("INE", max_length=11, blank=True, default="")
    nom = models.CharField("nom", max_length=100)
    prenom = models.CharField("prénom", max_length=100)
    email = models.EmailField("e-mail", blank=True, default="")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="student", verbose_name="compte",
    )
    history = HistoricalRecords()

    objects = StudentQuerySet.as_manager()

    class Meta:
        verbose_name = "étudiant"
        ordering = ["nom", "prenom", "numero"]

    def __str__(self) -> str:
        return f"{self.nom.upper()} {self.prenom} ({self.numero})"

    def save(self, *args, **kwargs):
        check_student(self)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        check_student(self, deleting=True)
        return super().delete(*args, **kwargs)

    def clean(self):
        super().clean()
        check_student(self, error=ValidationError)


class Enrolment(models.Model):
    class Regime(models.TextChoices):
        FI = codes.Regime.FI.value, "Formation initiale"
        FA = codes.Regime.FA.value, "Alternance (apprentissage, contrat de professionnalisation)"
        FC = codes.Regime.FC.value, "Formation continue"

    class Status(models.TextChoices):
        INSCRIT = codes.EnrolmentStatus.INSCRIT.value, "Inscrit"
        DEMISSION = codes.EnrolmentStatus.DEMISSION.value, "Démission"
        DEFAILLANT = codes.EnrolmentStatus.DEFAILLANT.value, "Défaillant"

    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="enrolments", verbose_name="étudiant")
    annee = models.CharField("année universitaire", max_length=9, validators=[annee_validator])
    semester = models.ForeignKey(Semester, on_delete=models.PROTECT, related_name="enrolments", verbose_name="semestre")
    parcours = models.ForeignKey(Parcours, on_delete=models.PROTECT, related_name="enrolments")
    regime = models.CharField("régime", max_length=2, choices=Regime.choices, default=Regime.FI)
    redoublement = models.BooleanField("redoublement", default=False)
    amenagement = models.BooleanField("aménagement (§5-4)", default=False)
    status = models.CharField("statut", max_length=10, choices=Status.choices, default=Status.INSCRIT)
    group = models.CharField("groupe", max_length=20, blank=True, default="")
    history = HistoricalRecords()

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = "inscription"
        ordering = ["annee", "semester__number", "student__nom"]
        constraints = [
            models.UniqueConstraint(fields=["student", "annee", "semester"], name="enrolment_unique_semester"),
            models.CheckConstraint(condition=Q(annee__regex=r"^\d{4}-\d{4}$"), name="enrolment_annee_format"),
        ]
        indexes = [models.Index(fields=["annee", "semester"])]

    def __str__(self) -> str:
        return f"{self.student} — S{self.semester.number} {self.annee}"

    def save(self, *args, **kwargs):
        check_enrolment(self)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        check_enrolment(self, deleting=True)
        return super().delete(*args, **kwargs)

    def clean(self):
        super().clean()
        check_enrolment(self, error=ValidationError)


class RepeatAuthorisation(models.Model):
    """R2 — a repeat beyond the limit authorised by the IUT director for force majeure."""

    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="repeat_authorisations")
    date = models.DateField("date de la décision")
    annee = models.CharField(
        "année du redoublement autorisé", max_length=9, blank=True, null=True,
        help_text="Année universitaire du redoublement qu'elle permet, ex. « 2027-2028 » (R2).",
    )
    reason = models.TextField("motif (force majeure)")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "autorisation de redoublement supplémentaire"
        verbose_name_plural = "autorisations de redoublement supplémentaires"

    def __str__(self) -> str:
        return f"{self.student} — {self.date}"

"""Evaluations of an enseignement and the grades students obtained at them."""

from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.expressions import Combinable
from simple_history.models import HistoricalRecords

from juries.rules import codes
from juries.rules.french import moyenne_fr, nombre_fr

from .guards import CHUNK, FrozenError, GuardedQuerySet, grades_message, target_ids
from .jury import JuryDecision, JurySession
from .maquette import Enseignement
from .students import Enrolment, annee_validator

# --------------------------------------------------------------------------- E3 guards of this module


def _student_deliberated(enrolment_ref: str) -> Exists:
    """A decision deliberated for one student alone (import_decisions), as an Exists()."""
    return Exists(JuryDecision.objects.filter(enrolment=OuterRef(enrolment_ref), deliberated_at__isnull=False))


def frozen_enrolment(enrolments: models.QuerySet) -> tuple[str, int] | None:
    """(annee, semester number) of the first of these enrolments whose jury has deliberated,
    for every student or for that student alone."""
    return (
        enrolments.filter(Exists(JurySession.objects.deliberated().filter(
            annee=OuterRef("annee"), semester=OuterRef("semester")))
            | _student_deliberated("pk"))
        .values_list("annee", "semester__number").first()
    )


def _frozen_among_enrolment_ids(ids: Iterable[int | None]) -> tuple[str, int] | None:
    wanted = sorted({i for i in ids if i is not None})
    for start in range(0, len(wanted), CHUNK):
        hit = frozen_enrolment(Enrolment.objects.filter(pk__in=wanted[start:start + CHUNK]))
        if hit:
            return hit
    return None


def check_evaluation(evaluation, *, error=FrozenError) -> None:
    """E3 — an evaluation's weight, date or existence changes every grade of its enseignement."""
    if evaluation.enseignement_id is None:
        return
    # Q | Exists is a Q at run time; the stubs only know Exists.__ror__, which says Combinable.
    where: Q | Combinable = Q(annee=evaluation.annee, semester__enseignements=evaluation.enseignement_id)
    if evaluation.pk is not None:
        where |= Exists(Evaluation.objects.filter(
            pk=evaluation.pk, annee=OuterRef("annee"), enseignement__semester=OuterRef("semester")))
    hit = JurySession.objects.deliberated().filter(where).values_list("annee", "semester__number").first()
    if hit:
        raise error(grades_message(*hit))


class EvaluationQuerySet(GuardedQuerySet):
    def _check_rows(self, **update_kwargs) -> None:
        hit = (
            self.filter(Exists(JurySession.objects.deliberated().filter(
                annee=OuterRef("annee"), semester=OuterRef("enseignement__semester"))))
            .values_list("annee", "enseignement__semester__number").first()
        )
        if hit:
            raise FrozenError(grades_message(*hit))

    def _check_objs(self, objs) -> None:
        pairs = {(o.annee, o.enseignement_id) for o in objs if o.enseignement_id is not None}
        if not pairs:
            return
        where = Q()
        for annee, ens in pairs:
            where |= Q(annee=annee, semester__enseignements=ens)
        hit = JurySession.objects.deliberated().filter(where).values_list("annee", "semester__number").first()
        if hit:
            raise FrozenError(grades_message(*hit))


def check_grade(grade, *, error=FrozenError) -> None:
    """E3 — a grade (new values and, for a stored one, the row as stored) of a deliberated semester."""
    if grade.enrolment_id is None:
        return
    where = Q(pk=grade.enrolment_id)
    if grade.pk is not None:
        where |= Q(grades__pk=grade.pk)
    hit = frozen_enrolment(Enrolment.objects.filter(where))
    if hit:
        raise error(grades_message(*hit))


class GradeQuerySet(GuardedQuerySet):
    def _frozen(self) -> tuple[str, int] | None:
        return (
            self.filter(Exists(JurySession.objects.deliberated().filter(
                annee=OuterRef("enrolment__annee"), semester=OuterRef("enrolment__semester")))
                | _student_deliberated("enrolment"))
            .values_list("enrolment__annee", "enrolment__semester__number").first()
        )

    def _check_rows(self, **update_kwargs) -> None:
        hit = self._frozen() or _frozen_among_enrolment_ids(target_ids(update_kwargs, "enrolment"))
        if hit:
            raise FrozenError(grades_message(*hit))

    def _check_objs(self, objs: list) -> None:
        hit = _frozen_among_enrolment_ids(o.enrolment_id for o in objs)
        if hit:
            raise FrozenError(grades_message(*hit))


# --------------------------------------------------------------------------- one grade's validation


class GradeRefused(ValueError):
    """A grade that breaks E2 or A8; ``field`` is what is wrong: "value", "mark", "date" (the
    evaluation's) or None (the pair: a note and an absence, or neither); ``message`` is French."""

    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


GRADE_BOTH = "saisir une note de 0 à 20 ou une absence (ABI, ABJ, ABS), pas les deux"
GRADE_EMPTY = "note vide : une note de 0 à 20, ou ABI, ABJ, ABS"
GRADE_ABS_UNDATED = ("A8 : ABS demande la date de l'évaluation : la renseigner sur l'évaluation "
                     "(ou dans la colonne date du fichier importé)")
_CENT = Decimal("0.01")
#: The absence marks a grade sheet may carry instead of a number (A6, A7, A8).
MARKS: tuple[str, ...] = tuple(m.value for m in codes.Mark)


def validate_grade(value: Decimal | str | None, mark: str, *, dated: bool = True) -> None:
    """E2, A6-A8 — the one validation of a grade, used by the admin form, the imports (and so the
    feuille de notes) and the grade entry; the database constraints (grade_value_0_20,
    grade_value_xor_mark) stay the last word.

    ``value`` is the number, or the text typed in a note field not read yet (the grade entry,
    where a note and an absence chosen beside it are two grades); ``dated``: the evaluation has
    a date (A8: an ABS is resolved by the absences of that day). Raises ``GradeRefused``.
    """
    given = value is not None and value != ""
    if given and mark:
        raise GradeRefused(None, GRADE_BOTH)
    if not given and not mark:
        raise GradeRefused(None, GRADE_EMPTY)
    if mark and mark not in MARKS:
        raise GradeRefused("mark", f"absence « {mark} » inconnue : ABI, ABJ ou ABS")
    if isinstance(value, Decimal):
        if not Decimal(0) <= value <= Decimal(20):
            raise GradeRefused("value", f"note {nombre_fr(value)} hors de l'intervalle 0 à 20")
        if value != value.quantize(_CENT):
            raise GradeRefused("value", f"note {nombre_fr(value)} : deux décimales au plus")
    if mark == codes.Mark.ABS and not dated:
        raise GradeRefused("date", GRADE_ABS_UNDATED)


# --------------------------------------------------------------------------- models


class Evaluation(models.Model):
    enseignement = models.ForeignKey(Enseignement, on_delete=models.PROTECT, related_name="evaluations")
    annee = models.CharField("année universitaire", max_length=9, validators=[annee_validator])
    label = models.CharField("intitulé", max_length=100)
    date = models.DateField("date", null=True, blank=True)
    weight = models.DecimalField("coefficient", max_digits=5, decimal_places=2, default=Decimal("1"))
    # Publication: students see this evaluation's grades on « Mes notes » from then on (None: not yet).
    published_at = models.DateTimeField("publiée le", null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name="publiée par")
    history = HistoricalRecords()

    objects = EvaluationQuerySet.as_manager()

    #: Saving only these fields changes no grade: E3 does not freeze them (publishing after the jury).
    PUBLICATION_FIELDS = frozenset({"published_at", "published_by"})

    class Meta:
        verbose_name = "évaluation"
        ordering = ["annee", "enseignement__code", "date", "label"]
        constraints = [
            models.UniqueConstraint(fields=["enseignement", "annee", "label"], name="evaluation_unique_label"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="evaluation_weight_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.enseignement.code} {self.label} ({self.annee})"

    # E3 guards (above): an evaluation of a deliberated semester is frozen (its publication is not).
    def save(self, *args, **kwargs):
        fields = kwargs.get("update_fields")
        if fields is None or not set(fields) <= self.PUBLICATION_FIELDS:
            check_evaluation(self)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        check_evaluation(self)
        return super().delete(*args, **kwargs)

    def clean(self):
        super().clean()
        check_evaluation(self, error=ValidationError)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class Grade(models.Model):
    class Mark(models.TextChoices):
        NONE = "", "Note"
        ABI = codes.Mark.ABI.value, "ABI — absence injustifiée"
        ABJ = codes.Mark.ABJ.value, "ABJ — absence justifiée"
        ABS = codes.Mark.ABS.value, "ABS — absence (à résoudre par le registre)"

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="grades", verbose_name="inscription")
    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="grades", verbose_name="évaluation")
    value = models.DecimalField("note", max_digits=4, decimal_places=2, null=True, blank=True)
    mark = models.CharField("absence", max_length=3, choices=Mark.choices, blank=True, default="")
    version = models.PositiveIntegerField("version", default=1, help_text="Verrou optimiste : +1 à chaque modification.")
    history = HistoricalRecords()

    objects = GradeQuerySet.as_manager()

    class Meta:
        verbose_name = "note"
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "evaluation"], name="grade_unique_enrolment_evaluation"),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0, value__lte=20), name="grade_value_0_20"
            ),
            models.CheckConstraint(
                condition=(Q(value__isnull=False) & Q(mark=""))
                | (Q(value__isnull=True) & Q(mark__in=list(MARKS))),
                name="grade_value_xor_mark",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment.student.numero} {self.evaluation}: {self.display}"

    # E3 guards (above): a grade of a deliberated semester is frozen.
    def save(self, *args, **kwargs):
        check_grade(self)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        check_grade(self)
        return super().delete(*args, **kwargs)

    def clean(self):
        super().clean()
        check_grade(self, error=ValidationError)

    @property
    def display(self) -> str:
        return self.mark or moyenne_fr(self.value)

"""Jury sessions, their decisions and the record of every deliberation and re-opening."""

from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.signals import m2m_changed
from django.utils.timezone import localtime
from simple_history.models import HistoricalRecords

from juries.rules.codes import YEAR_CODES, Code

from .guards import FrozenError, GuardedQuerySet, decisions_message, is_reopening, jury_message, target_ids
from .maquette import Formation, Semester
from .students import Enrolment, annee_validator

#: The year decisions a jury can record (national BUT codes), in the règlement's order.
YEAR_DECISION_CHOICES = [(c.value, c.label) for c in Code if c in YEAR_CODES]


# --------------------------------------------------------------------------- jury sessions


class JurySessionQuerySet(GuardedQuerySet):
    def deliberated(self) -> "JurySessionQuerySet":
        return self.filter(state=JurySession.State.DELIBERATED)

    def _check_rows(self, **update_kwargs) -> None:
        if is_reopening():
            return
        hit = self.deliberated().values_list("annee", "semester__number").first()
        if hit:
            raise FrozenError(jury_message(hit))


def check_session(session) -> None:
    """E3 — a deliberated session (state, date, composition) changes only through a re-opening."""
    if session.pk is None or is_reopening():
        return
    hit = JurySession.objects.deliberated().filter(pk=session.pk).values_list("annee", "semester__number").first()
    if hit:
        raise FrozenError(jury_message(hit))


class JurySession(models.Model):
    class State(models.TextChoices):
        OPEN = "ouvert", "En préparation"
        DELIBERATED = "delibere", "Délibéré"

    formation = models.ForeignKey(Formation, on_delete=models.PROTECT, related_name="juries")
    semester = models.ForeignKey(Semester, on_delete=models.PROTECT, related_name="juries", verbose_name="semestre")
    annee = models.CharField("année universitaire", max_length=9, validators=[annee_validator])
    date = models.DateField("date du jury")
    president = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="presided_juries", verbose_name="président"
    )
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="juries", blank=True, verbose_name="membres")
    state = models.CharField("état", max_length=10, choices=State.choices, default=State.OPEN)
    deliberated_at = models.DateTimeField("délibéré le", null=True, blank=True)
    history = HistoricalRecords(m2m_fields=[members])

    objects = JurySessionQuerySet.as_manager()

    class Meta:
        verbose_name = "jury"
        ordering = ["-annee", "semester__number"]
        constraints = [
            models.UniqueConstraint(fields=["formation", "semester", "annee"], name="jury_unique_semester_year")
        ]

    def __str__(self) -> str:
        return f"Jury S{self.semester.number} {self.annee}"

    # E3 guard: a deliberated session changes only through a re-opening.
    def save(self, *args, **kwargs):
        check_session(self)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        check_session(self)
        return super().delete(*args, **kwargs)

    @property
    def is_deliberated(self) -> bool:
        return self.state == self.State.DELIBERATED


def _members_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """E3 — the members a deliberated PV lists: `members.add/remove/clear/set` (or `user.juries.…`)."""
    if action not in ("pre_add", "pre_remove", "pre_clear") or is_reopening():
        return
    if not reverse:
        if action != "pre_clear" and not pk_set:
            return
        sessions = JurySession.objects.filter(pk=instance.pk)
    elif action == "pre_clear":
        sessions = JurySession.objects.filter(members=instance)
    else:
        sessions = JurySession.objects.filter(pk__in=pk_set or ())
    hit = sessions.deliberated().values_list("annee", "semester__number").first()
    if hit:
        raise FrozenError(jury_message(hit))


m2m_changed.connect(_members_changed, sender=JurySession.members.through, dispatch_uid="qlio_jury_members_e3")


# --------------------------------------------------------------------------- jury decisions


class JuryDecisionQuerySet(GuardedQuerySet):
    def _check(self, jury_ids: Iterable[int | None] = ()) -> None:
        frozen = Q(jury__state=JurySession.State.DELIBERATED)
        if not is_reopening():
            frozen |= Q(deliberated_at__isnull=False)  # deliberated for that student alone
        hit = self.filter(frozen).values_list("jury__annee", "jury__semester__number").first()
        ids = {i for i in jury_ids if i is not None}
        if hit is None and ids:
            hit = JurySession.objects.deliberated().filter(pk__in=ids).values_list("annee", "semester__number").first()
        if hit:
            raise FrozenError(decisions_message(hit))

    def _check_rows(self, **update_kwargs) -> None:
        self._check(target_ids(update_kwargs, "jury"))

    def _check_objs(self, objs: list) -> None:
        self.model.objects.filter(pk__in=[o.pk for o in objs if o.pk])._check(o.jury_id for o in objs)


def check_decision(decision) -> None:
    """E3 — the decisions of a deliberated jury are frozen (the jury as stored and as given)."""
    where = Q(pk=decision.jury_id)
    if decision.pk is not None:
        where |= Q(decisions__pk=decision.pk)
    hit = JurySession.objects.deliberated().filter(where).values_list("annee", "semester__number").first()
    if hit is None and decision.pk is not None and not is_reopening():
        # Deliberated for this student alone (import_decisions): frozen like a deliberated jury's.
        hit = (JuryDecision.objects.filter(pk=decision.pk, deliberated_at__isnull=False)
               .values_list("jury__annee", "jury__semester__number").first())
    if hit:
        raise FrozenError(decisions_message(hit))


class JuryDecision(models.Model):
    """What the jury decided for one student; the proposal it was made against is kept beside it."""

    jury = models.ForeignKey(JurySession, on_delete=models.PROTECT, related_name="decisions")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="jury_decisions", verbose_name="inscription")
    decision_annee = models.CharField(
        "décision d'année", max_length=8, choices=YEAR_DECISION_CHOICES, blank=True, default="")
    passage = models.BooleanField("passage", null=True, blank=True)
    ue_codes = models.JSONField("codes des UE", default=dict, blank=True)
    rcue_codes = models.JSONField("codes des RCUE", default=dict, blank=True)
    proposal = models.JSONField("proposition au moment de la décision", default=dict, blank=True)
    overridden = models.BooleanField("décision différente de la proposition", default=False)
    reason = models.TextField("motif de la décision du jury", blank=True, default="")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="décidé par")
    decided_at = models.DateTimeField("décidé le", auto_now=True)
    version = models.PositiveIntegerField("version", default=1)
    history = HistoricalRecords()
    # Deliberation per student: set when this student's decisions at this jury stand although
    # the session itself is open (docs/formats.md import_decisions: juries that deliberated before
    # the application was used). E3 freezes the decision and its grades from then on.
    deliberated_at = models.DateTimeField("délibéré le (pour cet étudiant)", null=True, blank=True)
    source = models.CharField("origine", max_length=8, choices=[("jury", "Jury"), ("reprise", "Reprise")],
                              default="jury")
    source_file = models.CharField("fichier importé", max_length=255, blank=True, default="")

    objects = JuryDecisionQuerySet.as_manager()

    class Meta:
        verbose_name = "décision de jury"
        verbose_name_plural = "décisions de jury"
        constraints = [models.UniqueConstraint(fields=["jury", "enrolment"], name="decision_unique_enrolment")]

    def __str__(self) -> str:
        return f"{self.enrolment.student} — {self.decision_annee or 'décision'}"

    # E3 guard: the decisions of a deliberated jury are frozen.
    def save(self, *args, **kwargs):
        check_decision(self)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        check_decision(self)
        return super().delete(*args, **kwargs)


class JuryEvent(models.Model):
    class Kind(models.TextChoices):
        DELIBERATED = "delibere", "Délibération"
        REOPENED = "reouvert", "Réouverture"

    jury = models.ForeignKey(JurySession, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    reason = models.TextField("motif", blank=True, default="")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "événement de jury"
        ordering = ["at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.jury} — {localtime(self.at):%d/%m/%Y %H:%M}"

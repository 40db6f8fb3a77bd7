"""Absences, stages, mobility, BIP and fraud cases: what else the règlement reads."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.timezone import localtime
from simple_history.models import HistoricalRecords

from juries.rules import codes

from .assessment import Evaluation
from .students import Enrolment, Student


class AttendanceSheet(models.Model):
    """A feuille d'appel: one group, one time slot of one enseignement; its ticks are absences (A1)."""

    enseignement = models.ForeignKey(
        "juries.Enseignement", on_delete=models.PROTECT, related_name="attendance_sheets")
    annee = models.CharField("année universitaire", max_length=9)
    group = models.CharField("groupe", max_length=20, blank=True, default="",
                             help_text="Vide : toute la promotion du semestre.")
    start = models.DateTimeField("début")
    end = models.DateTimeField("fin")
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name="appel fait par")
    taken_at = models.DateTimeField("appel enregistré le", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "feuille d'appel"
        verbose_name_plural = "feuilles d'appel"
        ordering = ["-start", "enseignement__code", "group"]
        constraints = [
            models.UniqueConstraint(fields=["enseignement", "annee", "group", "start"],
                                    name="attendance_sheet_unique_slot"),
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="attendance_sheet_end_after_start"),
        ]

    def __str__(self) -> str:
        group = f" groupe {self.group}" if self.group else ""
        return f"Appel {self.enseignement.display_code}{group} — {localtime(self.start):%d/%m/%Y %H:%M}"


class Absence(models.Model):
    class Channel(models.TextChoices):
        ECRIT = "ecrit", "Écrit"
        TELEPHONE = "telephone", "Téléphone"
        EMAIL = "email", "Courrier électronique"
        GUICHET = "guichet", "Au secrétariat"
        APPEL = "appel", "Feuille d'appel"

    class Reason(models.TextChoices):
        MALADIE = codes.AbsenceReason.MALADIE.value, "Maladie (arrêt de travail)"
        DECES = codes.AbsenceReason.DECES.value, "Décès d'un proche"
        MARIAGE = codes.AbsenceReason.MARIAGE_PACS_NAISSANCE.value, "Mariage, PACS ou naissance"
        CONVOCATION = codes.AbsenceReason.CONVOCATION.value, "Convocation (visite médicale d'embauche, administrative)"
        AUTRE = codes.AbsenceReason.AUTRE.value, "Autre"

    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="absences", verbose_name="étudiant")
    start = models.DateTimeField("début")
    end = models.DateTimeField("fin")
    declared_at = models.DateTimeField("déclarée le")
    channel = models.CharField("moyen de déclaration", max_length=10, choices=Channel.choices, default=Channel.EMAIL)
    justificatif_at = models.DateTimeField("justificatif déposé le", null=True, blank=True)
    reason = models.CharField("motif", max_length=25, choices=Reason.choices, default=Reason.AUTRE)
    employer_informed = models.BooleanField(
        "employeur destinataire du justificatif (alternant, A5)", default=False
    )
    hours = models.DecimalField("heures manquées", max_digits=5, decimal_places=2, null=True, blank=True)
    activity = models.CharField("activité manquée", max_length=200, blank=True, default="")
    sheet = models.ForeignKey(AttendanceSheet, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="absences", verbose_name="feuille d'appel")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "absence"
        ordering = ["-start"]
        constraints = [
            models.UniqueConstraint(fields=["student", "start"], name="absence_unique_start"),
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="absence_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.student} — {localtime(self.start):%d/%m/%Y %H:%M}"


class Stage(models.Model):
    enrolment = models.OneToOneField(Enrolment, on_delete=models.PROTECT, related_name="stage", verbose_name="inscription")
    start = models.DateField("début")
    end = models.DateField("fin")
    company = models.CharField("entreprise", max_length=200, blank=True, default="")
    abroad = models.BooleanField("à l'étranger", default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "stage"
        constraints = [models.CheckConstraint(condition=Q(end__gte=F("start")), name="stage_end_after_start")]

    def __str__(self) -> str:
        return f"Stage {self.enrolment}"


class Mobility(models.Model):
    """M1 — a semester validated abroad."""

    enrolment = models.OneToOneField(Enrolment, on_delete=models.PROTECT, related_name="mobility", verbose_name="inscription")
    institution = models.CharField("établissement d'accueil", max_length=200)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "mobilité d'études"
        verbose_name_plural = "mobilités d'études"

    def __str__(self) -> str:
        return f"Mobilité {self.enrolment} — {self.institution}"


class BipParticipation(models.Model):
    """M3 — participation in a Blended Intensive Program, with its grade."""

    enrolment = models.OneToOneField(Enrolment, on_delete=models.PROTECT, related_name="bip", verbose_name="inscription")
    title = models.CharField("intitulé du BIP", max_length=200)
    grade = models.DecimalField("note", max_digits=4, decimal_places=2, null=True, blank=True)
    ue = models.ForeignKey(
        "juries.UE", on_delete=models.PROTECT, null=True, blank=True, related_name="bip_participations",
        verbose_name="UE où le BIP compte (M3)",
        help_text="La compétence que le projet a servie ; vide : l'UE des paramètres du règlement (BIP_UE).",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "participation à un BIP"
        verbose_name_plural = "participations à un BIP"
        constraints = [
            models.CheckConstraint(
                condition=Q(grade__isnull=True) | Q(grade__gte=0, grade__lte=20), name="bip_grade_0_20"
            )
        ]

    def __str__(self) -> str:
        return f"BIP {self.enrolment}"


class FraudCase(models.Model):
    class Sanction(models.TextChoices):
        AVERTISSEMENT = codes.Sanction.AVERTISSEMENT.value, "Avertissement"
        BLAME = codes.Sanction.BLAME.value, "Blâme"
        RESPONSABILISATION = codes.Sanction.RESPONSABILISATION.value, "Mesure de responsabilisation"
        EXCLUSION_ETABLISSEMENT = codes.Sanction.EXCLUSION_ETABLISSEMENT.value, "Exclusion de l'établissement (≤ 5 ans)"
        EXCLUSION_DEFINITIVE = codes.Sanction.EXCLUSION_DEFINITIVE.value, "Exclusion définitive de l'établissement"
        EXCLUSION_TOUS = codes.Sanction.EXCLUSION_TOUS.value, "Exclusion de tout établissement public (≤ 5 ans)"
        EXCLUSION_TOUS_DEFINITIVE = (codes.Sanction.EXCLUSION_TOUS_DEFINITIVE.value,
                                     "Exclusion définitive de tout établissement public")

    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="fraud_cases", verbose_name="étudiant")
    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.PROTECT, null=True, blank=True, related_name="fraud_cases", verbose_name="évaluation"
    )
    date = models.DateField("date des faits")
    facts = models.TextField("faits (procès-verbal)")
    referred = models.BooleanField("saisine de la section disciplinaire", default=False)
    sanction = models.CharField("sanction", max_length=30, choices=Sanction.choices, blank=True, default="")
    sanction_start = models.DateField("début de la sanction", null=True, blank=True)
    sanction_end = models.DateField("fin de la sanction", null=True, blank=True)
    sursis = models.BooleanField("avec sursis", default=False)
    closed = models.BooleanField("dossier clos", default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "dossier de fraude"
        verbose_name_plural = "dossiers de fraude"
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"Fraude {self.student} — {self.date}"

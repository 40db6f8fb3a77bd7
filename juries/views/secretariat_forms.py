"""Forms of the secretariat pages: they parse; the services validate the règlement and write."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.urls import reverse

from juries.models import Absence, Enseignement

WALL_CLOCK_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M")


class WallClockField(forms.CharField):
    """A Europe/Paris wall-clock date-time, kept naive: the service refuses a time that does not
    exist or is ambiguous at the clock changes (A4), with its own French message."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def to_python(self, value):
        if isinstance(value, datetime):
            return value
        text = (value or "").strip()
        if not text:
            return None
        for fmt in WALL_CLOCK_FORMATS:
            try:
                return datetime.strptime(text, fmt)
            except ValueError:
                continue
        raise forms.ValidationError("Date et heure attendues (JJ/MM/AAAA HH:MM).")

    def prepare_value(self, value):
        if isinstance(value, datetime):
            return value.strftime("%Y-%m-%dT%H:%M")
        return value


class AbsenceForm(forms.Form):
    # A number, a name only one student has, or the list's « NOM Prénom (numéro) » (the view finds them).
    numero = forms.CharField(label="Étudiant (nom ou numéro)", max_length=100, widget=forms.TextInput(attrs={
        "list": "student-options", "autocomplete": "off"}))
    start = WallClockField(label="Début")
    end = WallClockField(label="Fin")
    declared_at = WallClockField(label="Déclarée le")
    channel = forms.ChoiceField(label="Moyen de déclaration", choices=Absence.Channel.choices)
    reason = forms.ChoiceField(label="Motif", choices=Absence.Reason.choices, initial=Absence.Reason.AUTRE)
    hours = forms.DecimalField(label="Heures manquées", required=False, min_value=0, max_digits=5, decimal_places=2,
                               localize=True)
    activity = forms.CharField(label="Activité manquée", required=False, max_length=200)
    justificatif_at = WallClockField(label="Justificatif déposé le", required=False)
    employer_informed = forms.BooleanField(label="Justificatif transmis à l'employeur (alternant, A5)", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # secretariat.js completes the list from this search as the secretary types.
        self.fields["numero"].widget.attrs["data-search"] = reverse("secretariat:student_search")


class JustificatifForm(forms.Form):
    deposited_at = WallClockField(label="Justificatif déposé le")
    employer_informed = forms.BooleanField(label="Justificatif transmis à l'employeur (alternant, A5)", required=False)


class FeuilleUploadForm(forms.Form):
    fichier = forms.FileField(label="Feuille remplie (.xlsx)")


class EvaluationForm(forms.Form):
    label = forms.CharField(label="Intitulé", max_length=100)
    day = forms.DateField(label="Date", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    weight = forms.DecimalField(label="Coefficient", initial=1, min_value=0.01, max_digits=5, decimal_places=2,
                                localize=True)


class EtatForm(forms.Form):
    annee = forms.RegexField(label="Année", regex=r"^\d{4}-\d{4}$")
    semestre = forms.TypedChoiceField(label="Semestre", coerce=int, choices=[(i, f"S{i}") for i in range(1, 7)])
    groupe = forms.CharField(label="Groupe", required=False, max_length=20)


class EnseignementChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.display_code} {obj.name} (S{obj.semester.number})"


class AttendanceSlotForm(forms.Form):
    """The slot of a feuille d'appel; the enseignements offered are the user's own (set by the view)."""

    enseignement = EnseignementChoiceField(label="Enseignement", queryset=Enseignement.objects.none(),
                                           empty_label=None)
    annee = forms.ChoiceField(label="Année")
    group = forms.CharField(label="Groupe (vide : toute la promotion)", required=False, max_length=20)
    day = forms.DateField(label="Date", input_formats=["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"],
                          widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    start = forms.TimeField(label="Début", input_formats=["%H:%M", "%Hh%M", "%H:%M:%S"],
                            widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end = forms.TimeField(label="Fin", input_formats=["%H:%M", "%Hh%M", "%H:%M:%S"],
                          widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))

    def __init__(self, *args, enseignements, years: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["enseignement"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = enseignements
        annee = self.fields["annee"]
        assert isinstance(annee, forms.ChoiceField)
        annee.choices = [(y, y) for y in years]

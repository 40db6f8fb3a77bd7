"""Forms of the jury pages: a decision (accept or override, with a reason) and a re-opening."""

from __future__ import annotations

from django import forms

ACCEPT, OVERRIDE = "accepter", "modifier"


class DecisionForm(forms.Form):
    choice = forms.ChoiceField(
        label="Décision", widget=forms.RadioSelect,
        choices=[(ACCEPT, "Accepter la proposition"), (OVERRIDE, "Décision différente de la proposition")],
    )
    ue_adj = forms.MultipleChoiceField(label="UE acquises par décision de jury (ADJ)", required=False,
                                       widget=forms.CheckboxSelectMultiple)
    rcue_adj = forms.MultipleChoiceField(label="RCUE validés par décision de jury (ADJ)", required=False,
                                         widget=forms.CheckboxSelectMultiple)
    decision_annee = forms.ChoiceField(label="Décision d'année", required=False)
    reason = forms.CharField(label="Motif (obligatoire pour une décision différente de la proposition)",
                             required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, ue_choices=(), rcue_choices=(), year_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ue_adj"].choices = list(ue_choices)
        self.fields["rcue_adj"].choices = list(rcue_choices)
        self.fields["decision_annee"].choices = [("", "— selon les choix ci-dessus —"),
                                                 *year_choices]
        if not year_choices:
            del self.fields["decision_annee"]

    @property
    def accept(self) -> bool:
        return self.cleaned_data["choice"] == ACCEPT


class ReopenForm(forms.Form):
    reason = forms.CharField(label="Motif de la réouverture (obligatoire)", widget=forms.Textarea(attrs={"rows": 3}),
                             max_length=2000)

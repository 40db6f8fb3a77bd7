"""E3 — which semesters a deliberated jury has frozen."""

from __future__ import annotations

from juries.models import JurySession


def deliberated_semesters() -> set[tuple[str, int]]:
    """(annee, semester number) of every jury that has deliberated and not been re-opened."""
    return set(
        JurySession.objects.filter(state=JurySession.State.DELIBERATED).values_list("annee", "semester__number")
    )

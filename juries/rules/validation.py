"""§5-1 Validation of UEs: by average (V4) and by the level above (V5)."""

from __future__ import annotations

from collections.abc import Iterable

from .averages import at_least, shown_text
from .codes import VALIDATED_RCUE_CODES, Code
from .inputs import UEDef
from .motifs import Motif
from .settings import ReglementSettings
from .state import RCUEState, UEState


def acquired_by_average(ue: UEState, settings: ReglementSettings) -> bool:
    """V4 — « Une unité d'enseignement est définitivement acquise et capitalisable dès lors que
    la moyenne obtenue à l'ensemble « Pôle ressources » et « SAÉ » est égale ou supérieure à 10.
    L'acquisition de l'unité d'enseignement emporte l'acquisition des crédits européens
    correspondants. »

    Sets ADM (with its ECTS) when the shown average reaches 10; acquired UEs are never lost
    (R3 keeps them across repeats).
    """
    if ue.moyenne is None or not at_least(ue.moyenne, settings.validation_threshold):
        return False
    ue.code = Code.ADM
    ue.motifs = [Motif("V4", f"{ue.ue.key} acquise : {shown_text(ue.moyenne)} ≥ 10, {_ects(ue.ue)} ECTS")]
    return True


def validate_lower_levels(
    rcue: RCUEState,
    lower: Iterable[UEDef],
    states: dict[str, UEState],
    annee: str,
    label: str,
) -> list[str]:
    """V5 — « La validation des deux unités d'enseignement du niveau d'une compétence emporte
    la validation de l'ensemble des UE du niveau inférieur de cette même compétence. »

    When an RCUE is validated (ADM, ADJ, or ADM by M1), every UE of the lower levels of that
    competence not yet acquired becomes ADSUP with its ECTS, in one step; the others keep their
    code. Returns the keys of the UEs it changed.
    """
    if rcue.code not in VALIDATED_RCUE_CODES:
        return []
    changed: list[str] = []
    for ue in lower:
        state = states.get(ue.key)
        if state is None:
            state = UEState(ue=ue, annee=annee, moyenne=None, code=Code.AJ)
            states[ue.key] = state
        if state.acquired:
            continue
        state.code = Code.ADSUP
        state.blocked = None
        state.missing = ()
        state.motifs = [Motif("V5", f"{ue.key} acquise par la validation du RCUE {label} (niveau supérieur)")]
        changed.append(ue.key)
    return changed


def _ects(ue: UEDef) -> str:
    value = ue.ects
    return str(int(value)) if value == value.to_integral_value() else str(value).replace(".", ",")

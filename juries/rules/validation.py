"""§5-1 Validation of UEs: by average (V4) and by the level (V5)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .codes import VALIDATED_RCUE_CODES, Code
from .exact import at_least
from .inputs import UEDef
from .motifs import motif
from .settings import ReglementSettings
from .state import RCUEState, UEState

_STATUS_CODES = (Code.DEF, Code.DEM)


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
    ue.motifs = [motif("V4", "v4_acquise", ue=ue.ue.key, moyenne=ue.moyenne, ects=ue.ue.ects)]
    return True


def validate_lower_levels(
    rcue: RCUEState,
    pair: Sequence[UEState],
    lower: Iterable[UEDef],
    states: dict[str, UEState],
    annee: str,
    label: str,
    jury: tuple[str, int],
    settings: ReglementSettings,
) -> list[str]:
    """V5 — « La validation des deux unités d'enseignement du niveau d'une compétence emporte
    la validation de l'ensemble des UE du niveau inférieur de cette même compétence. »

    The level: an RCUE both of whose UEs are acquired, by any code (ADM, CMP, ADJ, ADSUP), is
    validated — ADM when its average reaches 10 or it has none (M1), else ADJ (the jury's UE
    decisions made it so) — unless the jury recorded its code. An RCUE validated by the jury
    (ADJ) makes its UEs not acquired ADJ (the national ADJR), except those recorded at this
    jury and DEF / DEM ones.

    Below: when the RCUE is validated (ADM, ADJ, or ADM by M1), every UE of the lower levels of
    that competence not yet acquired becomes ADSUP with its ECTS, in one step; the others keep
    their code. Returns the keys of the lower-level UEs it changed.
    """
    if not rcue.final and rcue.code not in VALIDATED_RCUE_CODES and pair and all(u.acquired for u in pair):
        reaches = rcue.moyenne is None or at_least(rcue.moyenne, settings.validation_threshold)
        rcue.code = Code.ADM if reaches else Code.ADJ
        rcue.motifs = [
            motif(
                "V5",
                "v5_niveau",
                label=label,
                code=str(rcue.code),
                ues=tuple((u.ue.key, str(u.code)) for u in pair),
                moyenne=rcue.moyenne,
            )
        ]
    if rcue.code not in VALIDATED_RCUE_CODES:
        return []
    if rcue.code == Code.ADJ:
        for own in pair:
            if own.acquired or own.final_at == jury or own.code in _STATUS_CODES:
                continue
            own.code = Code.ADJ
            own.blocked = None
            own.missing = ()
            own.motifs = [motif("V5", "v5_adj_ue", ue=own.ue.key, label=label)]
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
        state.motifs = [motif("V5", "v5_adsup", ue=ue.key, label=label)]
        changed.append(ue.key)
    return changed

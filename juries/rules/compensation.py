"""§5-2 Compensation: inside a UE (C1), inside an RCUE (C2, C3), and when (C4)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from .codes import Code
from .exact import Exact, at_least, weighted_mean
from .motifs import Motif, motif
from .settings import ReglementSettings
from .state import RCUEState, UEState

_STATUS_CODES = (Code.DEF, Code.DEM)


def compensate_within_ue(pairs: Iterable[tuple[Decimal, Exact]]) -> Exact | None:
    """C1 — « La compensation s'effectue au sein de chaque unité d'enseignement » : the
    enseignements of a UE compensate each other through the coefficient-weighted mean
    Σ(coef × average) / Σ(coef), exact (V3). None when there is nothing to average.
    """
    return weighted_mean(pairs)


def code_below_threshold(ue: UEState, semester: int) -> Motif:
    """C4 — « La compensation s'effectue … au sein de chaque regroupement cohérent » : an RCUE
    is computed only at the jury of the year's even semester, when both its UEs exist; at an
    odd-semester jury a UE below 10 is AJ for now, compensable at the even-semester jury.
    """
    if semester % 2:
        return motif("C4", "c4", ue=ue.ue.key, moyenne=ue.moyenne)
    return motif("V4", "v4_non_acquise", ue=ue.ue.key, moyenne=ue.moyenne)


def rcue_average(
    first: UEState, second: UEState, settings: ReglementSettings, label: str, annee: str
) -> RCUEState:
    """C3 — « un regroupement cohérent d'unité d'enseignement étant défini au regard du niveau
    de compétence auquel chaque unité d'enseignement se réfère » [interp]: the RCUE average is
    the mean of its two UE averages weighted by each UE's RCUE coefficient (``rcue_weights``
    "equal", or "ects"); the RCUE is ADM when it reaches 10 (shown value, V3).

    A UE without average (validated abroad, M1 [interp], or acquired without one): the RCUE
    has no average and is ADM when its other UE is acquired, ATT if that one is ATT, else AJ.
    A UE held back by its stage (S1) makes the RCUE AJ whatever its average. A UE DEF / DEM
    (REGLEMENT.md "DEF / DEM"): the RCUE is AJ, without average, and compensates nothing.
    """
    comp, level = first.ue.competence, first.ue.level
    pair = (first, second)
    status = [ue for ue in pair if ue.code in _STATUS_CODES]
    if status:
        code = status[0].code
        return RCUEState(
            comp,
            level,
            annee,
            None,
            Code.AJ,
            [motif(str(code), "def_rcue", label=label, ues=tuple(u.ue.key for u in status), code=str(code))],
        )
    if any(ue.code == Code.ATT for ue in pair):
        waiting = tuple(ue.ue.key for ue in pair if ue.code == Code.ATT)
        return RCUEState(
            comp, level, annee, None, Code.ATT, [motif("V2", "v2_rcue", label=label, ues=waiting)]
        )
    no_average = [ue for ue in pair if ue.moyenne is None]
    if no_average:
        if all(ue.acquired for ue in pair):
            why = tuple((ue.ue.key, str(ue.code), ue.mobility) for ue in no_average)
            return RCUEState(
                comp, level, annee, None, Code.ADM, [motif("M1", "m1_rcue_valide", label=label, ues=why)]
            )
        others = [ue for ue in pair if ue.moyenne is not None and not ue.acquired]
        what = tuple(ue.ue.key for ue in (others or no_average))
        return RCUEState(
            comp, level, annee, None, Code.AJ, [motif("M1", "m1_rcue_non", label=label, ues=what)]
        )
    assert first.moyenne is not None and second.moyenne is not None
    if settings.rcue_weights == "ects":
        w1, w2 = first.ue.ects, second.ue.ects
    else:
        w1, w2 = first.ue.rcue_coefficient, second.ue.rcue_coefficient
    moyenne = weighted_mean(((w1, first.moyenne), (w2, second.moyenne)))
    assert moyenne is not None
    blocked = [ue.blocked for ue in pair if ue.blocked is not None and not ue.acquired]
    if blocked:
        return RCUEState(
            comp, level, annee, moyenne, Code.AJ, [motif("S1", "s1_rcue", label=label, moyenne=moyenne)]
        )
    if at_least(moyenne, settings.validation_threshold):
        return RCUEState(
            comp, level, annee, moyenne, Code.ADM, [motif("C3", "c3_valide", label=label, moyenne=moyenne)]
        )
    return RCUEState(
        comp, level, annee, moyenne, Code.AJ, [motif("C3", "c3_non_valide", label=label, moyenne=moyenne)]
    )


def compensate_in_rcue(ue: UEState, rcue: RCUEState, label: str, settings: ReglementSettings) -> bool:
    """C2 — « cette unité d'enseignement sera acquise par compensation si et seulement si
    l'étudiant a obtenu la moyenne au regroupement cohérent auquel l'unité d'enseignement
    appartient » : a UE below 10 becomes CMP when its RCUE average reaches 10 and the RCUE is
    validated by it (ADM); an RCUE held back by the stage (S1) compensates nothing.
    """
    if ue.acquired or ue.code in _STATUS_CODES or ue.moyenne is None:
        return False
    if rcue.moyenne is None or rcue.code != Code.ADM or not at_least(rcue.moyenne, settings.validation_threshold):
        _not_compensated(ue, rcue, label)
        return False
    ue.code = Code.CMP
    ue.motifs = [motif("C2", "c2_cmp", ue=ue.ue.key, label=label, moyenne=rcue.moyenne)]
    return True


def _not_compensated(ue: UEState, rcue: RCUEState, label: str) -> None:
    """At the even-semester jury, C4's "compensable later" becomes what C2 decided."""
    if not ue.motifs or ue.motifs[0].rule_id != "C4":
        return
    key, avg = ue.ue.key, ue.moyenne
    if rcue.code == Code.ATT:
        first = motif("C2", "c2_attente", ue=key, moyenne=avg, label=label)
    elif rcue.moyenne is not None:
        first = motif("C2", "c2_non", ue=key, moyenne=avg, label=label, rcue=rcue.moyenne)
    else:
        first = motif("C2", "c2_non_valide", ue=key, moyenne=avg, label=label)
    ue.motifs = [first, *ue.motifs[1:]]

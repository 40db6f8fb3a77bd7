"""§5-2 Compensation: inside a UE (C1), inside an RCUE (C2, C3), and when (C4)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from .codes import Code
from .exact import weighted_mean
from .motifs import Motif
from .settings import ReglementSettings
from .state import RCUEState, UEState

_ZERO = Decimal(0)
_TEN = Decimal(10)


def compensate_within_ue(pairs: Iterable[tuple[Decimal, Decimal]]) -> Decimal | None:
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
    shown_avg = _fmt(ue.moyenne) if ue.moyenne is not None else "—"
    if semester % 2:
        return Motif(
            "C4",
            f"{ue.ue.key} non acquise pour l'instant ({shown_avg} < 10), compensable au jury du semestre pair",
        )
    return Motif("V4", f"{ue.ue.key} non acquise par sa moyenne ({shown_avg} < 10)")


def rcue_average(
    first: UEState, second: UEState, settings: ReglementSettings, label: str, annee: str
) -> RCUEState:
    """C3 — « un regroupement cohérent d'unité d'enseignement étant défini au regard du niveau
    de compétence auquel chaque unité d'enseignement se réfère » [interp]: the RCUE average is
    the mean of its two UE averages weighted by each UE's RCUE coefficient (``rcue_weights``
    "equal", or "ects"); the RCUE is ADM when it reaches 10 (shown value, V3).

    A UE without average (validated abroad, M1 [interp], or acquired without one): the RCUE
    has no average and is ADM when its other UE is acquired, ATT if that one is ATT, else AJ.
    A UE held back by its stage (S1) makes the RCUE AJ whatever its average.
    """
    comp, level = first.ue.competence, first.ue.level
    pair = (first, second)
    for ue in pair:
        if ue.code in (Code.DEF, Code.DEM):
            return RCUEState(
                comp,
                level,
                annee,
                None,
                Code.AJ,
                [Motif("C3", f"RCUE {label} non validé : {ue.ue.key} {ue.code}")],
            )
    if any(ue.code == Code.ATT for ue in pair):
        waiting = ", ".join(ue.ue.key for ue in pair if ue.code == Code.ATT)
        return RCUEState(
            comp,
            level,
            annee,
            None,
            Code.ATT,
            [Motif("V2", f"RCUE {label} en attente : {waiting} en attente")],
        )
    no_average = [ue for ue in pair if ue.moyenne is None]
    if no_average:
        others = [ue for ue in pair if ue.moyenne is not None]
        if all(ue.acquired for ue in pair):
            why = ", ".join(
                f"{ue.ue.key} {'validée à l’étranger' if ue.mobility else ue.code}" for ue in no_average
            )
            return RCUEState(
                comp, level, annee, None, Code.ADM, [Motif("M1", f"RCUE {label} validé sans moyenne ({why})")]
            )
        what = ", ".join(ue.ue.key for ue in others if not ue.acquired) or ", ".join(
            ue.ue.key for ue in no_average
        )
        return RCUEState(
            comp,
            level,
            annee,
            None,
            Code.AJ,
            [Motif("M1", f"RCUE {label} non validé : {what} non acquise, sans compensation possible")],
        )
    if settings.rcue_weights == "ects":
        w1, w2 = first.ue.ects, second.ue.ects
    else:
        w1, w2 = first.ue.rcue_coefficient, second.ue.rcue_coefficient
    moyenne = weighted_mean(((w1, first.moyenne), (w2, second.moyenne)))
    shown_avg = _fmt(moyenne)
    blocked = [ue.blocked for ue in pair if ue.blocked is not None and not ue.acquired]
    if blocked:
        return RCUEState(
            comp,
            level,
            annee,
            moyenne,
            Code.AJ,
            [Motif("S1", f"RCUE {label} non validé ({shown_avg}) : stage non validé")],
        )
    if _reaches(moyenne, settings.validation_threshold):
        return RCUEState(
            comp, level, annee, moyenne, Code.ADM, [Motif("C3", f"RCUE {label} validé : {shown_avg} ≥ 10")]
        )
    return RCUEState(
        comp, level, annee, moyenne, Code.AJ, [Motif("C3", f"RCUE {label} non validé : {shown_avg} < 10")]
    )


def compensate_in_rcue(ue: UEState, rcue: RCUEState, label: str, settings: ReglementSettings) -> bool:
    """C2 — « cette unité d'enseignement sera acquise par compensation si et seulement si
    l'étudiant a obtenu la moyenne au regroupement cohérent auquel l'unité d'enseignement
    appartient » : a UE below 10 becomes CMP when its RCUE average reaches 10.
    """
    if ue.acquired or ue.code in (Code.DEF, Code.DEM):
        return False
    if rcue.code == Code.ADJ:
        # [interp] The jury validating the RCUE validates its UEs too (the national ADJR):
        # otherwise a year decided "every RCUE validated" would leave ECTS and P3 behind.
        ue.code = Code.ADJ
        ue.motifs = [Motif("C2", f"{ue.ue.key} acquise par décision du jury sur le RCUE {label} (ADJ)")]
        return True
    if ue.moyenne is None:
        return False
    if rcue.moyenne is None or rcue.code != Code.ADM or not _reaches(rcue.moyenne, settings.validation_threshold):
        _not_compensated(ue, rcue, label)
        return False
    ue.code = Code.CMP
    ue.motifs = [Motif("C2", f"{ue.ue.key} compensée dans le RCUE {label} ({_fmt(rcue.moyenne)})")]
    return True


def _not_compensated(ue: UEState, rcue: RCUEState, label: str) -> None:
    """At the even-semester jury, C4's "compensable later" becomes what C2 decided."""
    if not ue.motifs or ue.motifs[0].rule_id != "C4":
        return
    avg = _fmt(ue.moyenne)
    if rcue.code == Code.ATT:
        text = f"{ue.ue.key} non acquise ({avg} < 10) : compensation en attente du RCUE {label}"
    elif rcue.moyenne is not None:
        text = f"{ue.ue.key} non acquise ({avg} < 10) ni compensée : RCUE {label} {_fmt(rcue.moyenne)} < 10"
    else:
        text = f"{ue.ue.key} non acquise ({avg} < 10) ni compensée : RCUE {label} non validé"
    ue.motifs = [Motif("C2", text), *ue.motifs[1:]]


def _reaches(value: Decimal, threshold: Decimal) -> bool:
    from .averages import at_least

    return at_least(value, threshold)


def _fmt(value: Decimal) -> str:
    from .averages import shown_text

    return f"{shown_text(value)}"

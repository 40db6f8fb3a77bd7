"""§5-3 Progression: moving on to the next semester (P1-P5)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .averages import at_least, shown_text
from .codes import VALIDATED_RCUE_CODES
from .index import MaquetteIndex
from .inputs import UEDef
from .motifs import Motif
from .settings import ReglementSettings
from .state import RCUEState, UEState


def even_semester_passage(semester: int) -> Motif:
    """P1 — « La poursuite d'études dans un semestre pair d'une même année est de droit pour
    tout étudiant. »
    """
    return Motif("P1", f"passage de droit du S{semester} au S{semester + 1}")


def may_continue_to_odd(rcues: Iterable[RCUEState], settings: ReglementSettings) -> tuple[bool, Motif]:
    """P2 — « La poursuite d'études dans un semestre impair est possible si et seulement si :
    la moyenne a été obtenue à plus de la moitié des regroupements cohérents d'unité
    d'enseignement, aucun regroupement cohérent d'unité d'enseignement ne présente une moyenne
    inférieure à 8 sur 20. »

    [interp] ``p2_counts="validated"``: "obtained" counts the RCUEs validated (ADM, ADJ, ADM by
    M1), so one held back by its stage (S1) is not obtained; ``"average"``: RCUE average ≥ 10.
    An RCUE without average (M1) is not tested against 8.
    """
    rcues = list(rcues)
    if settings.p2_counts == "average":
        obtained = [
            r
            for r in rcues
            if (r.moyenne is not None and at_least(r.moyenne, settings.validation_threshold))
            or (r.moyenne is None and r.code in VALIDATED_RCUE_CODES)
        ]
    else:
        obtained = [r for r in rcues if r.code in VALIDATED_RCUE_CODES]
    below = [r for r in rcues if r.moyenne is not None and not at_least(r.moyenne, settings.rcue_floor)]
    majority = 2 * len(obtained) > len(rcues)
    counted = f"{len(obtained)} RCUE sur {len(rcues)} avec la moyenne"
    if below:
        lows = ", ".join(f"C{r.competence} N{r.level} {shown_text(r.moyenne)}" for r in below)
        return False, Motif("P2", f"{counted} ; RCUE sous 8 : {lows}")
    if not majority:
        return False, Motif("P2", f"{counted}, pas plus de la moitié")
    return True, Motif("P2", f"{counted} (plus de la moitié) et aucun RCUE sous 8")


def first_year_acquired(
    states: Mapping[str, UEState], index: MaquetteIndex, next_semester: int, settings: ReglementSettings
) -> tuple[bool, Motif | None]:
    """P3 — « La poursuite d'études dans le semestre 5 nécessite de plus la validation de toutes
    les unités d'enseignement des semestres 1 et 2 dans les conditions de validation des points
    5-1 et 5-2, ou par décision de jury. »
    """
    required = settings.p3_required_semesters.get(next_semester)
    if not required:
        return True, None
    missing = [
        ue.key
        for sem in required
        for ue in index.ues_by_semester.get(sem, ())
        if (s := states.get(ue.key)) is None or not s.acquired
    ]
    if missing:
        return False, Motif(
            "P3", f"passage au S{next_semester} impossible : {', '.join(missing)} non acquise(s)"
        )
    sems = " et ".join(f"S{s}" for s in required)
    return True, Motif("P3", f"toutes les UE de {sems} acquises")


def ues_still_to_acquire(states: Mapping[str, UEState], ues: Iterable[UEDef]) -> Motif | None:
    """P4 — « Les blocs de connaissances et de compétences de même que les unités
    d'enseignement sont capitalisables. »

    A student who moves on with an RCUE not validated keeps the missing UEs to acquire: they
    can still be acquired later by V5 (ADSUP) or by the jury.
    """
    missing = [ue.key for ue in ues if (s := states.get(ue.key)) is None or not s.acquired]
    if not missing:
        return None
    return Motif("P4", f"UE restant à acquérir : {', '.join(missing)} (ADSUP ou jury)")


def final_year_complete(rcues: Iterable[RCUEState]) -> tuple[bool, Motif]:
    """P5 — « L'obtention du BUT donne lieu à l'attribution de 180 ECTS. » [interp]: at the S6
    jury there is no next semester: every RCUE of the year validated → ADM, else a repeat
    (RED if R2 allows, else NAR).
    """
    rcues = list(rcues)
    validated = [r for r in rcues if r.code in VALIDATED_RCUE_CODES]
    if len(validated) == len(rcues):
        return True, Motif("P5", f"dernière année : {len(rcues)} RCUE validés sur {len(rcues)}")
    failed = ", ".join(f"C{r.competence} N{r.level}" for r in rcues if r.code not in VALIDATED_RCUE_CODES)
    return False, Motif("P5", f"dernière année : RCUE non validé(s) {failed}")

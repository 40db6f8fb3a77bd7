"""§5-3 Progression: moving on to the next semester (P1-P5)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .codes import VALIDATED_RCUE_CODES, Code
from .exact import at_least
from .index import MaquetteIndex
from .inputs import UEDef
from .motifs import Motif, motif
from .settings import ReglementSettings
from .state import RCUEState, UEState


def even_semester_passage(semester: int) -> Motif:
    """P1 — « La poursuite d'études dans un semestre pair d'une même année est de droit pour
    tout étudiant. »
    """
    return motif("P1", "p1", semester=semester)


def may_continue_to_odd(
    rcues: Iterable[RCUEState], settings: ReglementSettings, labels: Mapping[tuple[int, int], str]
) -> tuple[bool, Motif]:
    """P2 — « La poursuite d'études dans un semestre impair est possible si et seulement si :
    la moyenne a été obtenue à plus de la moitié des regroupements cohérents d'unité
    d'enseignement, aucun regroupement cohérent d'unité d'enseignement ne présente une moyenne
    inférieure à 8 sur 20. »

    [interp] ``p2_counts="average"`` (default, the seed's words, as ScoDoc counts): an RCUE
    counts when its shown average reaches 10 (V3) or it is validated (ADJ by the jury, ADM by
    M1 without an average) — one held back by its stage (S1) with an average ≥ 10 counts;
    ``"validated"``: only the validated RCUEs (ADM, ADJ) count. An RCUE without average (M1)
    or validated by the jury (ADJ: its decision stands) is not tested against 8. ``labels``
    names each RCUE ("Qualité niveau 1") for the motif, which lists every average it counted.
    """
    rcues = list(rcues)
    validated = [r for r in rcues if r.code in VALIDATED_RCUE_CODES]
    if settings.p2_counts == "validated":
        obtained = validated
        by_decision = 0
    else:
        reached = {
            id(r) for r in rcues if r.moyenne is not None and at_least(r.moyenne, settings.validation_threshold)
        }
        obtained = [r for r in rcues if id(r) in reached or r.code in VALIDATED_RCUE_CODES]
        by_decision = sum(1 for r in obtained if id(r) not in reached)
    below = [
        r
        for r in rcues
        if r.moyenne is not None and r.code != Code.ADJ and not at_least(r.moyenne, settings.rcue_floor)
    ]
    majority = 2 * len(obtained) > len(rcues)
    p2 = motif(
        "P2",
        "p2",
        counts=settings.p2_counts,
        obtained=len(obtained),
        total=len(rcues),
        items=tuple(
            (labels.get((r.competence, r.level), f"C{r.competence} N{r.level}"), r.moyenne, str(r.code))
            for r in rcues
        ),
        below=tuple(
            (labels.get((r.competence, r.level), f"C{r.competence} N{r.level}"), r.moyenne) for r in below
        ),
        by_decision=by_decision,
    )
    return majority and not below, p2


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
        return False, motif("P3", "p3_non", next_semester=next_semester, ues=tuple(missing))
    return True, motif("P3", "p3_ok", semesters=tuple(required))


def ues_still_to_acquire(states: Mapping[str, UEState], ues: Iterable[UEDef]) -> Motif | None:
    """P4 — « Les blocs de connaissances et de compétences de même que les unités
    d'enseignement sont capitalisables. »

    A student who moves on with an RCUE not validated keeps the missing UEs to acquire: they
    can still be acquired later by V5 (ADSUP) or by the jury.
    """
    missing = [ue.key for ue in ues if (s := states.get(ue.key)) is None or not s.acquired]
    if not missing:
        return None
    return motif("P4", "p4", ues=tuple(missing))


def final_year_complete(
    rcues: Iterable[RCUEState], labels: Mapping[tuple[int, int], str]
) -> tuple[bool, Motif]:
    """P5 — « L'obtention du BUT donne lieu à l'attribution de 180 ECTS. » [interp]: at the S6
    jury there is no next semester: every RCUE of the year validated → ADM, else a repeat
    (RED if R2 allows, else NAR).
    """
    rcues = list(rcues)
    validated = [r for r in rcues if r.code in VALIDATED_RCUE_CODES]
    if len(validated) == len(rcues):
        return True, motif("P5", "p5_ok", total=len(rcues))
    failed = tuple(
        labels.get((r.competence, r.level), f"C{r.competence} N{r.level}")
        for r in rcues
        if r.code not in VALIDATED_RCUE_CODES
    )
    return False, motif("P5", "p5_non", labels=failed)

"""§4 Évaluation: the pre-jury check on evaluations (E1), grade input (E2), deliberation (E3)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sized
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .codes import ACQUIRED_UE_CODES, Code
from .index import MaquetteIndex
from .inputs import DeliberatedIn
from .motifs import Motif, motif
from .settings import ReglementSettings
from .state import RCUEState, UEState


def too_few_evaluations(
    evaluations: Mapping[str, Sized], semester: int, index: MaquetteIndex, settings: ReglementSettings
) -> tuple[Motif, ...]:
    """E1 — « L'acquisition des connaissances et des aptitudes est appréciée par un contrôle
    continu intégral. Chaque ressource proposera plusieurs évaluations »

    A ressource with fewer than 2 evaluations in the semester is flagged before the jury.
    ``evaluations`` maps an enseignement code to its evaluations of that year (labels are
    unique within an enseignement and year).
    """
    alerts: list[Motif] = []
    for code in index.ressources_by_semester.get(semester, ()):
        n = len(evaluations.get(code, ()))
        if n < settings.e1_min_evaluations:
            alerts.append(motif("E1", "e1", code=code, count=n))
    return tuple(alerts)


_GRADE = re.compile(r"^\s*(\d{1,2})(?:[.,](\d{1,2}))?\s*$")


def parse_grade(text: str) -> Decimal:
    """E2 — « Les notes sont communiquées régulièrement aux étudiants » : a grade is on 20,
    0 ≤ g ≤ 20, with at most two decimals; a comma or a dot is the decimal mark.

    Raises ValueError with a French message when the text is not such a grade.
    """
    match = _GRADE.match(text)
    if not match:
        raise ValueError(f"« {text} » n'est pas une note sur 20 (au plus deux décimales)")
    try:
        value = Decimal(f"{match.group(1)}.{match.group(2) or '0'}")
    except InvalidOperation as exc:  # pragma: no cover - the pattern only lets digits through
        raise ValueError(f"« {text} » n'est pas une note") from exc
    if value > 20:
        raise ValueError(f"« {text} » dépasse 20")
    return value


@dataclass(frozen=True, slots=True)
class Deliberation:
    changed: tuple[str, ...]
    decision_annee: Code | None
    passage: bool | None
    motif: Motif | None


NOT_DELIBERATED = Deliberation((), None, None, None)


def apply_deliberation(
    deliberated: DeliberatedIn | None,
    jury: tuple[str, int],
    states: dict[str, UEState],
    index: MaquetteIndex,
) -> Deliberation:
    """E3 — « Les notes sont définitives seulement après délibération du jury et ne sont alors
    pas contestables. Seule la délibération du jury est créatrice de droit. »

    [interp] (R3) Where a jury has deliberated, its recorded decisions stand: they replace the
    computed UE codes (and averages, when recorded) and give the year decision; the RCUEs are
    then computed from those UEs, and the recorded RCUE codes replace them
    (``apply_rcue_deliberation``), so an object the jury did not name takes the code the rules
    give with the named ones as the jury's decisions.
    """
    if deliberated is None:
        return NOT_DELIBERATED
    annee, semester = jury
    changed: list[str] = []
    for rec in deliberated.ues:
        ue = index.ue_by_key.get(rec.ue)
        if ue is None:
            continue
        old = states.get(rec.ue)
        if (
            old is not None
            and old.acquired
            and Code(rec.code) not in ACQUIRED_UE_CODES
            and old.final_at != jury
        ):
            continue  # V4: an acquired UE is never lost
        moyenne = rec.moyenne if rec.moyenne is not None else (old.moyenne if old else None)
        states[rec.ue] = UEState(
            ue=ue,
            annee=old.annee if old is not None and rec.moyenne is None else annee,
            moyenne=moyenne,
            code=Code(rec.code),
            motifs=[motif("E3", "e3_ue", ue=rec.ue, code=str(rec.code), semester=semester, annee=annee)],
            mobility=old.mobility if old is not None else False,
            final_at=jury,
        )
        changed.append(rec.ue)
    year_motif = None
    if deliberated.decision_annee is not None:
        year_motif = motif(
            "E3", "e3_annee", code=str(deliberated.decision_annee), semester=semester, annee=annee
        )
    return Deliberation(tuple(changed), deliberated.decision_annee, deliberated.passage, year_motif)


def apply_rcue_deliberation(
    deliberated: DeliberatedIn | None,
    jury: tuple[str, int],
    rcues: dict[tuple[int, int], RCUEState],
    index: MaquetteIndex,
) -> None:
    """The RCUE codes a jury recorded replace the computed ones (E3, ``apply_deliberation``)."""
    if deliberated is None:
        return
    annee, semester = jury
    for rec in deliberated.rcues:
        rcue = rcues.get((rec.competence, rec.level))
        label = index.rcue_label(rec.competence, rec.level)
        moyenne = rec.moyenne if rec.moyenne is not None else (rcue.moyenne if rcue else None)
        rcues[(rec.competence, rec.level)] = RCUEState(
            rec.competence,
            rec.level,
            annee,
            moyenne,
            Code(rec.code),
            [motif("E3", "e3_rcue", label=label, code=str(rec.code), semester=semester, annee=annee)],
            final=True,
        )

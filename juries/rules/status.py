"""REGLEMENT.md "DEF / DEM": a student declared défaillant or démissionnaire for a semester.

The RCUE with a DEF / DEM UE (AJ, no average, compensates nothing) is C3's (``compensation``).
"""

from __future__ import annotations

from collections.abc import Iterable

from .codes import Code, EnrolmentStatus
from .inputs import EnrolmentIn
from .motifs import Motif, motif
from .state import UEState

STATUS_CODES: dict[str, Code] = {EnrolmentStatus.DEMISSION: Code.DEM, EnrolmentStatus.DEFAILLANT: Code.DEF}


def status_code(enrolment: EnrolmentIn) -> Code | None:
    """DEF or DEM for an enrolment with that ``status``, else None."""
    return STATUS_CODES.get(enrolment.status)


def ue_under_status(new: UEState, old: UEState | None, code: Code) -> UEState | None:
    """DEF / DEM [interp] — « Une unité d'enseignement est définitivement acquise et capitalisable
    dès lors que la moyenne obtenue à l'ensemble « Pôle ressources » et « SAÉ » est égale ou
    supérieure à 10. » : a UE of the semester whose grades are complete with an average ≥ 10 is
    acquired (ADM, V4), whatever the student's status; a UE acquired earlier stays acquired
    (None: the old state stands, said in its motifs); every other UE of the semester is DEF /
    DEM with 0 ECTS and no average. A UE held back by its stage (S1) is not acquired by average.
    The motifs are filed under the id ``DEF`` / ``DEM``.
    """
    if new.code == Code.ADM:
        new.motifs = [_motif(code, "def_ue_acquise", new), *new.motifs[1:]]
        return new
    if old is not None and old.acquired:
        old.motifs = [*old.motifs, _motif(code, "def_ue_deja", old)]
        return None
    return UEState(new.ue, new.annee, new.moyenne, code, [_motif(code, "def_ue", new)])


def year_under_status(year: Iterable[EnrolmentIn]) -> tuple[Code, Motif] | None:
    """DEF / DEM [interp]: the year code of a student DEF / DEM in a semester of the year up to
    the jury's (the latest such semester), at an odd jury as at an even one; EXCLU and a
    deliberated decision come first, then DEF / DEM, then ATJ and the rest."""
    for enrolment in sorted(year, key=lambda e: -e.semester):
        code = status_code(enrolment)
        if code is not None:
            return code, motif(str(code), "def_annee", code=str(code), semester=enrolment.semester)
    return None


def _motif(code: Code, key: str, state: UEState) -> Motif:
    return motif(str(code), key, ue=state.ue.key, code=str(code), moyenne=state.moyenne, annee=state.annee)

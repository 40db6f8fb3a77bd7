"""§6 Mobility: a semester validated abroad (M1), a stage abroad (M2), a BIP (M3)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from .codes import Code
from .inputs import EnrolmentIn, StageIn, UEDef
from .motifs import Motif, motif
from .settings import ReglementSettings
from .state import UEState


def validate_abroad(ue: UEDef, enrolment: EnrolmentIn, settings: ReglementSettings) -> UEState | None:
    """M1 — « Si le semestre est validé à l'étranger, l'étudiant acquiert l'intégralité des
    compétences et des crédits ECTS correspondants. »

    Every UE of that semester is ADM with its ECTS and no average (mobility in BUT2 or BUT3
    only: elsewhere None, the mobility is ignored). An RCUE with such a UE is settled by C3.
    """
    if enrolment.mobility is None or enrolment.semester not in settings.mobility_semesters:
        return None
    return UEState(
        ue=ue,
        annee=enrolment.annee,
        moyenne=None,
        code=Code.ADM,
        motifs=[motif("M1", "m1_ue", ue=ue.key, institution=enrolment.mobility.institution)],
        mobility=True,
    )


def stage_abroad(stage: StageIn | None, semester: int) -> Motif | None:
    """M2 — « Si l'étudiant réalise son stage à l'étranger, il est soumis aux mêmes règles
    d'évaluation qu'un stage réalisé en France. »
    """
    if stage is None or not stage.abroad:
        return None
    return motif("M2", "m2", semester=semester)


@dataclass(frozen=True, slots=True)
class BipCount:
    """Where an enrolment's BIP counts: its UE (None: nowhere), the (coefficient, grade) it adds
    to that UE's SAÉ pole, the motif saying so, and the alert when it has no UE to count in."""

    ue: str | None = None
    pairs: tuple[tuple[Decimal, Decimal], ...] = ()
    motif: Motif | None = None
    alert: Motif | None = None


NO_BIP = BipCount()


def bip_element(enrolment: EnrolmentIn, ues: Iterable[UEDef], settings: ReglementSettings) -> BipCount:
    """M3 — « La participation au BIP est prise en compte dans l'évaluation des compétences à
    hauteur de 3 crédits ECTS. »

    [interp] An extra SAÉ-pole element of coefficient 3 in one UE of the enrolment's semester:
    the UE recorded with the student's BIP, else the department's setting ``bip_ue``; only for
    the students who took part, and a missing BIP grade does not make the UE ATT. A BIP with no
    UE of its semester to count in is never silently ignored: it is an alert M3.
    """
    bip = enrolment.bip
    if bip is None:
        return NO_BIP
    keys = {u.key for u in ues}
    target = bip.ue or settings.bip_ue
    if target is None or target not in keys:
        alert = motif("M3", "m3_sans_ue", semester=enrolment.semester, title=bip.title, recorded=target)
        return BipCount(alert=alert)
    if bip.grade is None:
        return BipCount(ue=target)
    coefficient = settings.bip_coefficient
    return BipCount(
        ue=target,
        pairs=((coefficient, bip.grade),),
        motif=motif("M3", "m3", ue=target, coefficient=coefficient, grade=bip.grade),
    )

"""§6 Mobility: a semester validated abroad (M1), a stage abroad (M2), a BIP (M3)."""

from __future__ import annotations

from decimal import Decimal

from .averages import shown_text
from .codes import Code
from .inputs import EnrolmentIn, StageIn, UEDef
from .motifs import Motif
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
        motifs=[Motif("M1", f"{ue.key} validée à l'étranger ({enrolment.mobility.institution})")],
        mobility=True,
    )


def stage_abroad(stage: StageIn | None, semester: int) -> Motif | None:
    """M2 — « Si l'étudiant réalise son stage à l'étranger, il est soumis aux mêmes règles
    d'évaluation qu'un stage réalisé en France. »
    """
    if stage is None or not stage.abroad:
        return None
    return Motif("M2", f"stage du S{semester} à l'étranger, évalué comme un stage en France")


def bip_element(
    ue: UEDef, enrolment: EnrolmentIn, settings: ReglementSettings
) -> tuple[tuple[tuple[Decimal, Decimal], ...], Motif | None]:
    """M3 — « La participation au BIP est prise en compte dans l'évaluation des compétences à
    hauteur de 3 crédits ECTS. »

    [interp] An extra SAÉ-pole element of coefficient 3 in the UE ``bip_ue``, for the students
    who took part; a missing BIP grade does not make the UE ATT.
    """
    if settings.bip_ue is None or ue.key != settings.bip_ue or enrolment.bip_grade is None:
        return (), None
    grade = enrolment.bip_grade
    return (
        ((settings.bip_coefficient, grade),),
        Motif(
            "M3", f"BIP compté dans {ue.key} (coefficient {settings.bip_coefficient}) : {shown_text(grade)}"
        ),
    )

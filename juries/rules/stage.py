"""§3 Stage: which UEs need the mandatory stage, and when a stage is validated."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from .inputs import StageIn, UEDef
from .motifs import Motif, motif
from .settings import ReglementSettings


def ue_needs_stage(ue: UEDef, stage_codes: Mapping[int, str]) -> bool:
    """V6 — « Le stage est obligatoire pour valider les compétences auxquelles il se rattache. »

    A UE needs its semester's mandatory stage when the stage enseignement has a coefficient in
    it (Annexe 3: all four UEs of S4 and of S6).
    """
    code = stage_codes.get(ue.semester)
    return code is not None and any(c.enseignement == code and c.value for c in ue.coefficients)


def stage_meets_minimum(
    stage: StageIn, semester: int, settings: ReglementSettings
) -> tuple[bool, Motif | None]:
    """S2 — « La durée minimale des stages obligatoires est indiquée dans les maquettes »

    [interp] N weeks run from a Monday to the Friday of the N-th week: met when
    end ≥ start + (7 × N − 3) days. No minimum given (S6): always met.
    """
    weeks = settings.stage_min_weeks.get(semester)
    if not weeks:
        return True, None
    needed = stage.start + timedelta(days=7 * weeks - 3)
    if stage.end >= needed:
        return True, None
    return False, motif(
        "S2", "s2", semester=semester, start=stage.start, end=stage.end, weeks=weeks, needed=needed
    )


def stage_ended_before_jury(stage: StageIn, semester: int, jury_date: date) -> tuple[bool, Motif | None]:
    """S3 — « Le stage obligatoire peut être prolongé au-delà de sa durée minimale mais doit
    impérativement s'achever avant la date de tenue du jury. »

    A stage ending on or after the jury date is flagged and does not count for that jury.
    """
    if stage.end < jury_date:
        return True, None
    return False, motif("S3", "s3", semester=semester, end=stage.end, jury=jury_date)


@dataclass(frozen=True, slots=True)
class StageCheck:
    validated: bool
    motifs: tuple[Motif, ...]
    alerts: tuple[Motif, ...]


def stage_validated(
    stage: StageIn | None,
    semester: int,
    jury_date: date,
    settings: ReglementSettings,
    validated_in: str | None = None,
) -> StageCheck:
    """S4 — « nos diplômes comportent tous au moins un stage obligatoire » : a stage is
    validated when it is recorded (dates) and meets S2 and S3; none recorded: not validated.

    ``validated_in``: the year a stage of this semester was already validated (S1 [interp]: a
    repeating student does not redo it).
    """
    if validated_in is not None:
        return StageCheck(True, (motif("S4", "s4_conserve", semester=semester, annee=validated_in),), ())
    if stage is None:
        alert = motif("S4", "s4_aucun", semester=semester)
        return StageCheck(False, (alert,), (alert,))
    long_enough, s2 = stage_meets_minimum(stage, semester, settings)
    in_time, s3 = stage_ended_before_jury(stage, semester, jury_date)
    alerts = tuple(m for m in (s2, s3) if m is not None)
    if long_enough and in_time:
        return StageCheck(
            True,
            (motif("S4", "s4_valide", semester=semester, start=stage.start, end=stage.end),),
            (),
        )
    return StageCheck(False, alerts, alerts)


def stage_blocks_ue(ue: UEDef, stage_code: str | None, check: StageCheck | None) -> Motif | None:
    """S1 — « Le stage est obligatoire pour valider les compétences auxquelles il se rattache. »

    Without a validated stage, a UE that needs it (V6) cannot be acquired by average or by
    compensation: it is AJ whatever its average, and so is its RCUE (ADSUP stays possible).
    """
    if stage_code is None or check is None or check.validated:
        return None
    return motif("S1", "s1_ue", ue=ue.key, failures=tuple(m.rule_id for m in check.alerts) or ("S4",))

"""The department's choices where the règlement is silent ([interp] of REGLEMENT.md), with defaults.

Field names match the ``ReglementSettings`` model; ``INTERPRETATIONS.md`` explains each one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .codes import AbsenceReason, Regime


def _default_stage_min_weeks() -> dict[int, int | None]:
    return {4: 10, 6: None}


@dataclass(frozen=True)
class ReglementSettings:
    #: A6 — "evaluation": an ABI is a 0 for that evaluation; "enseignement": the whole average is 0.
    abi_scope: str = "evaluation"
    #: A7 — "neutralise": an ABJ is left out (its weight removed); "pending": the grade is missing.
    abj_policy: str = "neutralise"
    #: C3 — "equal": plain mean of the two UEs (each UE's rcue_coefficient); "ects": ECTS-weighted.
    rcue_weights: str = "equal"
    #: P2 — "average" (the seed's words, as ScoDoc counts): an RCUE counts when its shown average
    #: is ≥ 10 or it is validated (ADJ, ADM without average); "validated": only ADM / ADJ RCUEs.
    p2_counts: str = "average"
    #: S2 — minimum stage duration in weeks per semester (None: no minimum).
    stage_min_weeks: dict[int, int | None] = field(default_factory=_default_stage_min_weeks, hash=False)
    #: M3 — the UE key that receives the BIP ("UE4 S5"), None: no BIP counted.
    bip_ue: str | None = None
    #: M3 — the BIP's coefficient in the SAÉ pole of that UE (3 ECTS).
    bip_coefficient: Decimal = Decimal(3)
    #: R2 — repeats allowed in the whole cursus (plus the director's authorisations).
    max_repeats: int = 4
    #: R2 [interp] — a repeated year counts as this many repeats (its two semesters).
    repeats_per_year: int = 2
    #: A4 — hours after the declaration within which the justificatif must be deposited.
    justification_hours: int = 48
    #: A5 — the régimes of alternants (apprentissage, contrat de professionnalisation).
    alternant_regimes: tuple[str, ...] = (Regime.FA,)
    #: A5 — the only reasons that can justify an alternant's absence (Code du travail).
    alternant_reasons: tuple[str, ...] = (
        AbsenceReason.MALADIE,
        AbsenceReason.DECES,
        AbsenceReason.MARIAGE_PACS_NAISSANCE,
        AbsenceReason.CONVOCATION,
    )
    #: A1 / CONTRACTS — semester periods: (month, day) where each semester starts.
    odd_semester_start: tuple[int, int] = (9, 1)
    even_semester_start: tuple[int, int] = (2, 1)
    #: A4, A8 — the timezone of wall-clock times and calendar days.
    timezone: str = "Europe/Paris"
    #: V4, C2, C3 — the validation threshold; P2 — the RCUE floor.
    validation_threshold: Decimal = Decimal(10)
    rcue_floor: Decimal = Decimal(8)
    #: P3 — moving on to semester k also needs every UE of these semesters acquired.
    p3_required_semesters: dict[int, tuple[int, ...]] = field(default_factory=lambda: {5: (1, 2)}, hash=False)
    #: D1 — the DUT needs every UE up to this semester (the first 120 ECTS).
    dut_last_semester: int = 4
    #: M1 — semesters where a study mobility is possible (BUT2, BUT3).
    mobility_semesters: tuple[int, ...] = (3, 4, 5, 6)
    #: E1 — a ressource with fewer evaluations than this in a semester is flagged.
    e1_min_evaluations: int = 2


DEFAULT_SETTINGS = ReglementSettings()

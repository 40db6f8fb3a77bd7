"""The engine's working state while it walks a cursus (mutable, internal to one computation)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .codes import ACQUIRED_UE_CODES, Code
from .exact import Exact
from .inputs import UEDef
from .motifs import Motif

ZERO = Decimal(0)


@dataclass(slots=True)
class UEState:
    """Where one UE stands now: its kept average, its code, and why.

    ``blocked`` is the S1 motif when the stage it needs is not validated; ``missing`` the
    enseignements whose grades are missing (V2); ``final_at`` the (annee, semester) of the jury
    whose recorded decision this is (E3), so that the same jury's rules do not overwrite it.
    """

    ue: UEDef
    annee: str
    moyenne: Exact | None
    code: Code
    motifs: list[Motif] = field(default_factory=list)
    mobility: bool = False
    blocked: Motif | None = None
    missing: tuple[str, ...] = ()
    final_at: tuple[str, int] | None = None

    @property
    def acquired(self) -> bool:
        return self.code in ACQUIRED_UE_CODES

    @property
    def ects(self) -> Decimal:
        return self.ue.ects if self.code in ACQUIRED_UE_CODES else ZERO


@dataclass(slots=True)
class RCUEState:
    competence: int
    level: int
    annee: str
    moyenne: Exact | None
    code: Code
    motifs: list[Motif] = field(default_factory=list)
    final: bool = False

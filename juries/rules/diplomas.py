"""§5-5 Diplomas: DUT (D1) and BUT (D2)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from .index import MaquetteIndex
from .motifs import Motif, motif
from .settings import ReglementSettings
from .state import UEState


def dut_awarded(
    states: Mapping[str, UEState], index: MaquetteIndex, settings: ReglementSettings
) -> tuple[bool, Motif | None]:
    """D1 — « La délivrance du DUT est conditionnée à l'obtention des 120 premiers ECTS de la
    spécialité de B.U.T. équivalente. » : every UE of S1-S4 acquired.
    """
    ues = [u for u in index.all_ues if u.semester <= settings.dut_last_semester]
    if ues and all((s := states.get(u.key)) is not None and s.acquired for u in ues):
        total = sum((u.ects for u in ues), Decimal(0))
        return True, motif("D1", "d1", ects=total)
    return False, None


def but_awarded(states: Mapping[str, UEState], index: MaquetteIndex) -> tuple[bool, Motif | None]:
    """D2 — « Le Bachelor Universitaire de Technologie s'obtient soit par acquisition de chaque
    unité d'enseignement constitutive, soit par application des modalités de compensation. Le
    BUT obtenu par l'une ou l'autre voie confère la totalité des 180 crédits. »
    """
    ues = index.all_ues
    if ues and all((s := states.get(u.key)) is not None and s.acquired for u in ues):
        total = sum((u.ects for u in ues), Decimal(0))
        return True, motif("D2", "d2", ects=total)
    return False, None

"""§5-5 Diplomas: DUT (D1) and BUT (D2)."""

from __future__ import annotations

from collections.abc import Mapping

from .index import MaquetteIndex
from .motifs import Motif
from .results import format_ects
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
        total = sum(u.ects for u in ues)
        return True, Motif("D1", f"DUT : les {format_ects(total)} premiers ECTS sont acquis")
    return False, None


def but_awarded(states: Mapping[str, UEState], index: MaquetteIndex) -> tuple[bool, Motif | None]:
    """D2 — « Le Bachelor Universitaire de Technologie s'obtient soit par acquisition de chaque
    unité d'enseignement constitutive, soit par application des modalités de compensation. Le
    BUT obtenu par l'une ou l'autre voie confère la totalité des 180 crédits. »
    """
    ues = index.all_ues
    if ues and all((s := states.get(u.key)) is not None and s.acquired for u in ues):
        total = sum(u.ects for u in ues)
        return True, Motif("D2", f"BUT : les {format_ects(total)} ECTS sont acquis")
    return False, None

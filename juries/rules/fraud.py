"""§7 Fraud: open cases shown to the jury (F1), running exclusions (F2)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from .codes import EXCLUSION_SANCTIONS
from .inputs import FraudCaseIn
from .motifs import Motif, motif


def open_fraud_cases(cases: Iterable[FraudCaseIn]) -> tuple[Motif, ...]:
    """F1 — « toute tentative de fraude … sera consignée dans un procès-verbal et pourra faire
    l'objet d'une saisine de la section disciplinaire du Conseil académique. »

    The jury sees its students' open cases (alert F1).
    """
    return tuple(
        motif("F1", "f1", day=case.date)
        for case in sorted(cases, key=lambda c: c.date)
        if not case.closed
    )


def running_exclusion(cases: Iterable[FraudCaseIn], jury_date: date) -> Motif | None:
    """F2 — « Les sanctions disciplinaires applicables … 4- L'exclusion de l'établissement pour
    une durée maximum de cinq ans. Cette sanction peut être prononcée avec sursis si l'exclusion
    n'excède pas deux ans 5- L'exclusion définitive … »

    An exclusion (not suspended) running at the jury date makes the proposal EXCLU, which
    overrides every other proposal. No end date: definitive.
    """
    for case in sorted(cases, key=lambda c: (c.sanction_start or c.date, c.date)):
        if case.sanction not in EXCLUSION_SANCTIONS or case.sursis:
            continue
        start = case.sanction_start or case.date
        if start <= jury_date and (case.sanction_end is None or jury_date <= case.sanction_end):
            return motif("F2", "f2", sanction=str(case.sanction), start=start, end=case.sanction_end)
    return None

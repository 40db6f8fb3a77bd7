"""A motif: why the engine proposed something, as data (rule id + French sentence)."""

from __future__ import annotations

from typing import NamedTuple


class Motif(NamedTuple):
    """A reason or an alert: the REGLEMENT.md rule id and a French sentence with the numbers.

    An immutable NamedTuple (cheap to create: a jury makes one per UE and rule applied).
    """

    rule_id: str
    text: str

    def __str__(self) -> str:
        return f"{self.rule_id}: {self.text}"

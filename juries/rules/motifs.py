"""A motif: why the engine proposed something, as data (rule id, what was decided, its numbers).

The French sentence is built from that data in one place, ``explanations.py`` (REGLEMENT.md
"Explanations"), so every motif reads the same way wherever it is shown.
"""

from __future__ import annotations

from typing import NamedTuple

from .explanations import Params, sentence


class Motif(NamedTuple):
    """A reason or an alert: the REGLEMENT.md rule id, the kind of sentence, its parameters.

    An immutable, hashable NamedTuple (cheap to create: a jury makes one per UE and rule
    applied); ``text`` is the French sentence, ``str()`` gives "ID: sentence" (CONTRACTS.md).
    """

    rule_id: str
    key: str
    params: Params = ()

    @property
    def text(self) -> str:
        return sentence(self.key, self.params)

    @property
    def data(self) -> dict[str, object]:
        """The parameters by name (what a page may show besides the sentence)."""
        return dict(self.params)

    def __str__(self) -> str:
        return f"{self.rule_id}: {self.text}"


def motif(rule_id: str, key: str, **params: object) -> Motif:
    """A motif of kind ``key`` (a sentence of explanations.py) with its parameters by name."""
    return Motif(rule_id, key, tuple(sorted(params.items())))

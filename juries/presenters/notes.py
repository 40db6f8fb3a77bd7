"""« Ce qu'il te faut » in words, for the jury's student page and the student's « Mes notes »."""

from __future__ import annotations

from dataclasses import dataclass

from juries.rules import needs as n
from juries.rules.french import enseignement_label, moyenne_fr, plural


@dataclass(frozen=True)
class NeedRow:
    label: str
    rules: tuple[str, ...]
    text: str
    #: "ok" (acquired or any grade will do), "grade", "ko" (out of reach), "none" (nothing to come)
    tone: str
    scope: str  # the evaluations the grade is over, in words


_TONE = {n.ACQUIRED: "ok", n.ANY: "ok", n.GRADE: "grade", n.OUT_OF_REACH: "ko", n.NOTHING_TO_COME: "none"}


def need_text(need: n.Need) -> str:
    if need.outcome == n.ACQUIRED:
        return "déjà acquis"
    if need.outcome == n.ANY:
        return "acquis quelle que soit la note à venir"
    if need.outcome == n.OUT_OF_REACH:
        return "hors d'atteinte même avec 20"
    if need.outcome == n.NOTHING_TO_COME:
        return "non acquis, plus aucune évaluation à venir qui le concerne"
    return f"au moins {moyenne_fr(need.grade)} sur 20"


def scope_text(need: n.Need) -> str:
    """ "à chacune des 4 évaluations à venir (R2.01, SAÉ2.02)": a uniform grade on all of them."""
    if not need.pending:
        return ""
    codes = ", ".join(enseignement_label(c) for c in need.enseignements)
    where = "à l'évaluation à venir" if need.pending == 1 else f"à chacune des {plural(need.pending, 'évaluation')} à venir"
    return f"{where} ({codes})"


def need_rows(needs: n.Needs) -> list[NeedRow]:
    return [NeedRow(label=x.label, rules=x.rules, text=need_text(x), tone=_TONE[x.outcome],
                    scope=scope_text(x) if x.outcome == n.GRADE else "")
            for x in needs.items]

"""Lookups over a maquette, computed once per maquette (never per student)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .codes import EnseignementKind, Pole
from .inputs import Maquette, UEDef, register_indexer
from .stage import ue_needs_stage

#: The maquettes indexed so far, by identity (a maquette is immutable; a process sees one or two).
_INDEXES: dict[int, tuple[Maquette, MaquetteIndex]] = {}


def maquette_index(maquette: Maquette) -> MaquetteIndex:
    """The lookups of a maquette, computed once per maquette (never per student)."""
    entry = _INDEXES.get(id(maquette))
    if entry is not None and entry[0] is maquette:
        return entry[1]
    index = MaquetteIndex.build(maquette)
    if len(_INDEXES) >= 16:
        _INDEXES.clear()
    # The maquette is kept beside its index so that its id is not reused while cached.
    _INDEXES[id(maquette)] = (maquette, index)
    return index


@dataclass(frozen=True)
class MaquetteIndex:
    ue_by_key: dict[str, UEDef]
    ues_by_semester: dict[int, tuple[UEDef, ...]]
    #: (competence, level) → its UEs by semester; only groups of two UEs form an RCUE (C4).
    rcue_groups: dict[tuple[int, int], tuple[UEDef, ...]]
    #: BUT year → the (competence, level) of its RCUEs, by competence.
    rcues_by_year: dict[int, tuple[tuple[int, int], ...]]
    #: (competence, level) → the UEs of the lower levels of that competence (V5).
    lower_levels: dict[tuple[int, int], tuple[UEDef, ...]]
    #: UE key → ((enseignement code, coefficient), …) over both poles.
    coefficients: dict[str, tuple[tuple[str, Decimal], ...]]
    #: semester → the enseignement codes that count in one of its UEs.
    codes_by_semester: dict[int, frozenset[str]]
    #: (semester, code) → ((UE key, coefficient), …)
    coefficients_by_code: dict[tuple[int, str], tuple[tuple[str, Decimal], ...]]
    #: semester → the ressource codes that count in it (E1).
    ressources_by_semester: dict[int, tuple[str, ...]]
    #: UE key → the stage code it needs (V6), for the UEs attached to a stage.
    stage_of_ue: dict[str, str]
    competence_names: dict[int, str]
    stage_codes: dict[int, str]
    final_semester: int
    all_ues: tuple[UEDef, ...]

    @classmethod
    def build(cls, maquette: Maquette) -> MaquetteIndex:
        ues = tuple(sorted(maquette.ues, key=lambda u: (u.semester, u.competence)))
        ue_by_key = {u.key: u for u in ues}
        by_sem: dict[int, list[UEDef]] = {}
        groups: dict[tuple[int, int], list[UEDef]] = {}
        for u in ues:
            by_sem.setdefault(u.semester, []).append(u)
            groups.setdefault((u.competence, u.level), []).append(u)
        rcue_groups = {k: tuple(v) for k, v in groups.items() if len(v) == 2}
        by_year: dict[int, list[tuple[int, int]]] = {}
        for key, pair in sorted(rcue_groups.items()):
            by_year.setdefault(pair[-1].but_year, []).append(key)
        lower = {
            (c, lvl): tuple(u for u in ues if u.competence == c and u.level < lvl) for (c, lvl) in groups
        }
        coefficients = {
            u.key: tuple((c.enseignement, c.value) for c in u.coefficients if c.value) for u in ues
        }
        by_code: dict[tuple[int, str], list[tuple[str, Decimal]]] = {}
        for u in ues:
            for code, value in coefficients[u.key]:
                by_code.setdefault((u.semester, code), []).append((u.key, value))
        kinds = {e.code: e.kind for e in maquette.enseignements}
        ressources: dict[int, list[str]] = {}
        for (sem, code), _ in sorted(by_code.items()):
            kind = kinds.get(code)
            if kind == EnseignementKind.RESSOURCE or (
                kind is None and _looks_like_ressource(u_pole(ues, sem, code))
            ):
                ressources.setdefault(sem, []).append(code)
        stage_of_ue = {
            u.key: maquette.stage_codes[u.semester] for u in ues if ue_needs_stage(u, maquette.stage_codes)
        }
        return cls(
            ue_by_key=ue_by_key,
            ues_by_semester={s: tuple(v) for s, v in by_sem.items()},
            rcue_groups=rcue_groups,
            rcues_by_year={y: tuple(v) for y, v in by_year.items()},
            lower_levels=lower,
            coefficients=coefficients,
            codes_by_semester={
                s: frozenset(code for u in v for code, _ in coefficients[u.key]) for s, v in by_sem.items()
            },
            coefficients_by_code={k: tuple(v) for k, v in by_code.items()},
            ressources_by_semester={s: tuple(v) for s, v in ressources.items()},
            stage_of_ue=stage_of_ue,
            competence_names={c.number: c.name for c in maquette.competences},
            stage_codes=dict(maquette.stage_codes),
            final_semester=max(by_sem) if by_sem else 0,
            all_ues=ues,
        )

    def rcue_label(self, competence: int, level: int) -> str:
        return f"{self.competence_names.get(competence, f'C{competence}')} niveau {level}"


def u_pole(ues: tuple[UEDef, ...], semester: int, code: str) -> str | None:
    for u in ues:
        if u.semester == semester:
            for c in u.coefficients:
                if c.enseignement == code:
                    return c.pole
    return None


def _looks_like_ressource(pole: str | None) -> bool:
    return pole == Pole.RESSOURCES


register_indexer(maquette_index)

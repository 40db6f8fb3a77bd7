"""§5-4 Redoublement: who may repeat (R1, R2) and what a repeat keeps (R3, R4)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from .averages import at_least, shown_text
from .codes import Code
from .inputs import EnrolmentIn
from .motifs import Motif
from .settings import ReglementSettings
from .state import UEState


def repeat_proposal(allowed: bool, why: Motif) -> tuple[Code, tuple[Motif, ...]]:
    """R1 — « Le redoublement n'est pas de droit. »

    The application only proposes: RED when R2 allows a repeat, else NAR; the jury decides.
    """
    if allowed:
        return Code.RED, (why, Motif("R1", "redoublement proposé, soumis à la décision du jury"))
    return Code.NAR, (why, Motif("R1", "non autorisé à redoubler (R2), soumis à la décision du jury"))


def may_repeat(
    enrolments: Iterable[EnrolmentIn],
    semesters: tuple[int, ...],
    authorisations: int,
    settings: ReglementSettings,
) -> tuple[bool, Motif]:
    """R2 — « l'étudiant peut être autorisé à redoubler une seule fois chaque semestre dans la
    limite de 4 redoublements. Le directeur de l'IUT peut autoriser un redoublement
    supplémentaire en cas de force majeure »

    [interp] Repeats are the enrolments flagged ``redoublement``; repeating a year repeats its
    semesters and counts as ``repeats_per_year``; each director's authorisation allows one more
    repeat overall and one more of each semester.
    """
    per_semester = Counter(e.semester for e in enrolments if e.redoublement)
    done = sum(per_semester.values())
    limit = settings.max_repeats + authorisations
    already = [s for s in semesters if per_semester[s] >= 1 + authorisations]
    after = done + settings.repeats_per_year
    if already:
        listed = ", ".join(f"S{s}" for s in already)
        return False, Motif(
            "R2",
            f"{listed} déjà redoublé{'s' if len(already) > 1 else ''} : un semestre ne se redouble qu'une fois",
        )
    if after > limit:
        return False, Motif(
            "R2", f"limite atteinte : {done} redoublement(s) déjà, {after} > {limit} autorisés"
        )
    return True, Motif("R2", f"redoublement possible : {after} redoublement(s) sur {limit} autorisés")


def keep_best(old: UEState | None, new: UEState, settings: ReglementSettings) -> UEState:
    """R3 — « Pour les UE acquises, l'étudiant pourra conserver la meilleure des notes à l'UE.
    Pour les UE non acquises, seules les notes de l'année de redoublement seront prises en
    compte. »

    For a UE already acquired, the better average is kept and its code becomes ADM if that
    average reaches 10 (else it keeps the code it was acquired with); while the new grades are
    incomplete the UE stays acquired with its old average. Not acquired: the new result.
    """
    if old is None or not old.acquired or new.mobility:
        return new
    if new.moyenne is None or (old.moyenne is not None and new.moyenne <= old.moyenne):
        old.motifs = [*old.motifs, Motif("R3", _kept_text(old, new))]
        old.blocked = None
        return old
    if old.moyenne is None and new.code != Code.ADM:
        return old
    # S1: a UE held back by its stage keeps the code it was acquired with.
    code = (
        Code.ADM if new.blocked is None and at_least(new.moyenne, settings.validation_threshold) else old.code
    )
    before = "sans moyenne" if old.moyenne is None else f"{shown_text(old.moyenne)}"
    motif = Motif(
        "R3",
        f"{new.ue.key} déjà acquise ({old.code}, {before} en {old.annee}) : meilleure moyenne {shown_text(new.moyenne)} conservée, {code}",
    )
    return UEState(ue=new.ue, annee=new.annee, moyenne=new.moyenne, code=code, motifs=[motif])


def keep_without_enrolment(old: UEState | None) -> UEState | None:
    """R4 — « En cas d'aménagement spécifique … l'étudiant ne sera pas inscrit pendant son année
    de redoublement sur les UE déjà acquises et conservera sa note. »

    Returns the kept state of an acquired UE (the new year's grades are ignored), else None.
    """
    if old is None or not old.acquired:
        return None
    before = "sans moyenne" if old.moyenne is None else f"{shown_text(old.moyenne)}"
    old.motifs = [
        *old.motifs,
        Motif(
            "R4",
            f"{old.ue.key} acquise en {old.annee} ({old.code}, {before}) : aménagement, non réinscrite, note conservée",
        ),
    ]
    return old


def _kept_text(old: UEState, new: UEState) -> str:
    before = "sans moyenne" if old.moyenne is None else f"{shown_text(old.moyenne)}"
    if new.moyenne is None:
        return f"{old.ue.key} acquise en {old.annee} ({old.code}, {before}) : reste acquise, notes de l'année incomplètes"
    return f"{old.ue.key} acquise en {old.annee} ({old.code}, {before}) : meilleure que {shown_text(new.moyenne)}, conservée"

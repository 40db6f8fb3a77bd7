"""§5-4 Redoublement: who may repeat (R1, R2) and what a repeat keeps (R3, R4)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date

from .codes import Code
from .exact import at_least
from .inputs import EnrolmentIn, RepeatAuthorisationIn
from .motifs import Motif, motif
from .settings import ReglementSettings
from .state import UEState


def repeat_proposal(allowed: bool, why: Motif) -> tuple[Code, tuple[Motif, ...]]:
    """R1 — « Le redoublement n'est pas de droit. »

    The application only proposes: RED when R2 allows a repeat, else NAR; the jury decides.
    """
    if allowed:
        return Code.RED, (why, motif("R1", "r1_red"))
    return Code.NAR, (why, motif("R1", "r1_nar"))


def next_year(annee: str) -> str:
    """"2026-2027" → "2027-2028": the year a repeat proposed at a jury of ``annee`` happens."""
    first = int(annee[:4]) + 1
    return f"{first}-{first + 1}"


def _year_end(annee: str) -> date:
    return date(int(annee[-4:]), 8, 31)


def may_repeat(
    enrolments: Iterable[EnrolmentIn],
    semesters: tuple[int, ...],
    authorisations: Iterable[RepeatAuthorisationIn],
    annee: str,
    settings: ReglementSettings,
) -> tuple[bool, Motif]:
    """R2 — « l'étudiant peut être autorisé à redoubler une seule fois chaque semestre dans la
    limite de 4 redoublements. Le directeur de l'IUT peut autoriser un redoublement
    supplémentaire en cas de force majeure »

    [interp] Repeats are the enrolments flagged ``redoublement``; repeating a year repeats its
    semesters and counts as ``repeats_per_year``. The director's authorisation of a repeat
    (for the academic year it names, or, with no year recorded, for the first repeat that
    needs it from its date on) lifts both limits for that one repeat: the semesters it repeats
    a second time may be, and the total may go past 4 by that repeat (2 for a year). Earlier
    repeats are walked in order, so an authorisation that lifted one is not used twice.
    Whenever an authorisation lifts the limits the repeat proposed at the jury of ``annee``
    (it would happen in the next year) would exceed, it is allowed (RED, not NAR).
    """
    flagged: dict[str, list[int]] = {}
    for e in sorted(enrolments, key=lambda e: (e.annee, e.semester)):
        if e.redoublement:
            flagged.setdefault(e.annee, []).append(e.semester)
    by_year = {a.annee: a for a in sorted(authorisations, key=lambda a: a.date) if a.annee is not None}
    open_ended = sorted((a for a in authorisations if a.annee is None), key=lambda a: a.date)

    def authorisation_for(year: str) -> RepeatAuthorisationIn | None:
        found = by_year.pop(year, None)
        if found is None:
            found = next((a for a in open_ended if a.date <= _year_end(year)), None)
            if found is not None:
                open_ended.remove(found)
        return found

    per_semester: Counter[int] = Counter()  # every repeat of each semester
    extra: Counter[int] = Counter()  # second repeats of a semester an authorisation allowed
    used = 0
    lifted = 0  # repeats past the total an authorisation allowed
    for year, repeated in sorted(flagged.items()):
        second = [s for s in repeated if per_semester[s] >= 1 + extra[s]]
        over = used + len(repeated) > settings.max_repeats + lifted
        if (second or over) and authorisation_for(year) is not None:
            lifted += len(repeated)
            extra.update(second)
        used += len(repeated)
        per_semester.update(repeated)

    limit = settings.max_repeats + lifted
    per_year = settings.repeats_per_year
    again = tuple(s for s in semesters if per_semester[s] >= 1 + extra[s])
    exceeds = bool(again) or used + per_year > limit
    authorisation = authorisation_for(next_year(annee)) if exceeds else None
    allowed = not exceeds or authorisation is not None
    return allowed, motif(
        "R2",
        "r2",
        used=used,
        limit=limit,
        per_year=per_year,
        again=again,
        allowed=allowed,
        authorisation=None if authorisation is None else authorisation.date,
    )


def keep_best(old: UEState | None, new: UEState, settings: ReglementSettings) -> UEState:
    """R3 — « Pour les UE acquises, l'étudiant pourra conserver la meilleure des notes à l'UE.
    Pour les UE non acquises, seules les notes de l'année de redoublement seront prises en
    compte. »

    For a UE already acquired, the better average is kept and its code becomes ADM if that
    average reaches 10 (else it keeps the code it was acquired with); while the new grades are
    incomplete the UE stays acquired with its old average. On a tie the old result is kept and
    the motif says the two averages were equal. Not acquired: the new result.
    """
    if old is None or not old.acquired or new.mobility:
        return new
    key = new.ue.key
    if new.moyenne is None:
        old.motifs = [
            *old.motifs,
            motif("R3", "r3_incomplet", ue=key, annee=old.annee, code=str(old.code), old=old.moyenne),
        ]
        old.blocked = None
        return old
    if old.moyenne is not None and new.moyenne <= old.moyenne:
        old.motifs = [
            *old.motifs,
            motif("R3", "r3_ancienne", ue=key, annee=old.annee, code=str(old.code), old=old.moyenne, new=new.moyenne),
        ]
        old.blocked = None
        return old
    if old.moyenne is None and new.code != Code.ADM:
        return old
    # S1: a UE held back by its stage keeps the code it was acquired with.
    code = (
        Code.ADM if new.blocked is None and at_least(new.moyenne, settings.validation_threshold) else old.code
    )
    kept = motif(
        "R3", "r3_nouvelle", ue=key, annee=old.annee, code=str(old.code), old=old.moyenne, new=new.moyenne, kept=str(code)
    )
    return UEState(ue=new.ue, annee=new.annee, moyenne=new.moyenne, code=code, motifs=[kept])


def keep_without_enrolment(old: UEState | None) -> UEState | None:
    """R4 — « En cas d'aménagement spécifique … l'étudiant ne sera pas inscrit pendant son année
    de redoublement sur les UE déjà acquises et conservera sa note. »

    Returns the kept state of an acquired UE (the new year's grades are ignored), else None.
    """
    if old is None or not old.acquired:
        return None
    old.motifs = [
        *old.motifs,
        motif("R4", "r4", ue=old.ue.key, annee=old.annee, code=str(old.code), moyenne=old.moyenne),
    ]
    return old

"""Official relevés: their verification codes, issued when the jury deliberates (or by the
secretariat's batch), and the public check of a code.

A code is bound to what its relevé prints (the SHA-256 of the facts), so issuing one needs the
relevé's facts from ``juries.presenters.releve``: the one write service that reads a presenter,
because the document *is* what is certified.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from juries.models import JurySession, Releve
from juries.presenters.releve import ReleveDoc, ReleveError, decision_text, prepare_releves, with_issue
from juries.selectors.releves import issued_releves, releve_by_code

# Unambiguous alphabet: no 0/O, 1/I/L, so a code read aloud or typed from paper is not mistaken.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_PREFIX = "QLIO"
_CODE_RE = re.compile(rf"^{CODE_PREFIX}-[{CODE_ALPHABET}]{{4}}-[{CODE_ALPHABET}]{{4}}$")


def new_code() -> str:
    """A verification code like ``QLIO-7K3M-9XQ2`` (8 symbols of 31: about 8.5 × 10¹¹ codes)."""
    body = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"{CODE_PREFIX}-{body[:4]}-{body[4:]}"


def normalise_code(text: str) -> str | None:
    """What a person typed (any case, spaces, dashes or none, with or without the prefix) as a
    canonical code, or None when it cannot be one."""
    raw = re.sub(r"[^0-9A-Za-z]", "", text or "").upper()
    if raw.startswith(CODE_PREFIX):
        raw = raw[len(CODE_PREFIX):]
    if len(raw) != 8:
        return None
    code = f"{CODE_PREFIX}-{raw[:4]}-{raw[4:]}"
    return code if _CODE_RE.match(code) else None


# --------------------------------------------------------------------------- issue


def issue_releve_codes(*, jury: JurySession, by, numeros: Sequence[str] | None = None) -> list[ReleveDoc]:
    """The official relevés of a deliberated jury (or of the given students), each with its code.

    Idempotent: a code, once issued, never changes. A relevé whose facts changed since its issue
    (the jury re-opened and deliberated again) gets the new digest and issue date, same code.
    ``by`` is who makes them official (the president deliberating, the secretariat's batch): the
    deliberation's JuryEvent and the batch's status already record it, the row does not.
    Bounded queries: the facts, then one read, one bulk insert, one bulk update.
    """
    if not jury.is_deliberated:
        raise ReleveError(f"Le {jury} n'a pas délibéré : ses relevés sont provisoires.")
    docs = prepare_releves(annee=jury.annee, semester=jury.semester.number, formation=jury.formation,
                           numeros=numeros)
    if not docs:
        return docs
    rows = _issue_with_retry(jury, {d.enrolment_id: d.digest for d in docs})
    return [with_issue(d, rows[d.enrolment_id]) for d in docs]


def _issue_with_retry(jury: JurySession, digests: dict[int, str]) -> dict[int, Releve]:
    for attempt in range(3):
        try:
            with transaction.atomic():
                return _issue(jury, digests)
        except IntegrityError:
            # Two requests issued the same relevé at once, or a code collided: read again.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _issue(jury: JurySession, digests: dict[int, str]) -> dict[int, Releve]:
    existing = issued_releves(jury=jury, enrolment_ids=digests)
    now = timezone.now()
    changed = []
    for enrolment_id, row in existing.items():
        if row.digest != digests[enrolment_id]:
            row.digest = digests[enrolment_id]
            row.issued_at = now
            changed.append(row)
    if changed:
        Releve.objects.bulk_update(changed, ["digest", "issued_at"])
    missing = [eid for eid in digests if eid not in existing]
    if missing:
        codes: set[str] = set()
        while len(codes) < len(missing):
            codes.add(new_code())
        taken = set(Releve.objects.filter(code__in=codes).values_list("code", flat=True))
        fresh = [c for c in codes if c not in taken]
        while len(fresh) < len(missing):
            c = new_code()
            if c not in codes and not Releve.objects.filter(code=c).exists():
                fresh.append(c)
        Releve.objects.bulk_create([
            Releve(enrolment_id=eid, jury=jury, code=code, digest=digests[eid])
            for eid, code in zip(missing, fresh, strict=False)
        ])
        existing.update(issued_releves(jury=jury, enrolment_ids=missing))
    return existing


# --------------------------------------------------------------------------- verification


@dataclass(frozen=True)
class Verification:
    """What the public verification page may show about a code, and nothing more."""

    code: str
    found: bool
    nom: str = ""
    prenom: str = ""
    semester: int = 0
    annee: str = ""
    decision: str = ""
    ects_semestre: str = ""
    ects_acquis: str = ""
    issued_at: datetime | None = None
    in_force: bool = True  # False: the jury was re-opened since
    current: bool = True  # False: the facts changed since the relevé was issued


def verify_code(text: str) -> Verification:
    """What the public page shows for a code typed by anyone (the facts are recomputed, so a relevé
    whose jury was re-opened, or whose facts changed since its issue, is reported as such)."""
    code = normalise_code(text)
    row = releve_by_code(code) if code is not None else None
    if row is None:
        return Verification(code=code or (text or "").strip()[:32], found=False)
    enrolment = row.enrolment
    student = enrolment.student
    base = Verification(
        code=row.code, found=True, nom=student.nom, prenom=student.prenom,
        semester=enrolment.semester.number, annee=enrolment.annee, issued_at=row.issued_at,
    )
    if not row.jury.is_deliberated:
        return replace(base, in_force=False)
    doc = next(
        (d for d in prepare_releves(annee=enrolment.annee, semester=enrolment.semester.number,
                                    formation=enrolment.semester.formation, numeros=[student.numero])
         if d.enrolment_id == enrolment.pk),
        None,
    )
    if doc is None:
        return replace(base, in_force=False)
    facts = doc.facts
    this = next((s for s in facts["semesters"] if s["detailed"]), None)
    return replace(
        base,
        decision=decision_text(facts),
        ects_semestre=f"{this['ects']} / {this['ects_max']}" if this else "",
        ects_acquis=facts["ects_acquis"],
        current=doc.digest == row.digest,
    )

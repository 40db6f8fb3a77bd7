"""What one relevé de notes prints: its facts as French text, ready for the PDF template.

The facts come from the engine's proposal (or the jury's decisions once deliberated): this module
formats them, it never re-derives a code. The same facts dictionary feeds the PDF template and the
SHA-256 digest stored with an official relevé, so the digest covers exactly what is printed.

Reading only: an official relevé shows the code issued when its jury deliberated
(``juries.services.releve_codes``); a relevé of a deliberated jury whose code was never issued is
refused (``ReleveNotIssued``) rather than printed without one.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal

from juries.models import Enrolment, Formation, JurySession, Releve
from juries.rules import french
from juries.rules.codes import Code
from juries.rules.results import EnseignementResult, JuryProposals, StudentProposal, UEResult
from juries.selectors.jury import JuryInputs
from juries.selectors.notes import published_only as published_only_inputs
from juries.selectors.notes import unpublished_evaluations
from juries.selectors.proposals import jury_proposals, proposal_of
from juries.selectors.releves import enrolments_by_id, issued_releves, jury_with_president

_KIND_LABELS = {"ressource": "Ressource", "sae": "SAÉ", "stage": "Stage", "portfolio": "Portfolio"}
_KIND_ORDER = {"ressource": 0, "sae": 1, "portfolio": 2, "stage": 3}
_SHOWN_MOTIFS = frozenset({"M1", "M3"})
# After deliberation a code is the jury's decision, no longer a proposal: the engine's label
# ("Redoublement proposé") is the proposal's wording.
_DECIDED_LABELS = {Code.RED: "Redoublement"}
_STATUS_LABELS = {
    "missing": "note manquante",
    "neutralised": "neutralisé (ABJ)",
    "no_evaluation": "pas encore évalué",
    "kept": "note conservée",
}


class ReleveError(Exception):
    """A relevé that cannot be produced, with a French message."""


class ReleveNotIssued(ReleveError):
    """The jury has deliberated but this official relevé has no code yet: printing it without one
    would pass an official document off as provisional, and a read must not issue it."""


# --------------------------------------------------------------------------- the engine, once


def releve_proposals(*, annee: str, semester: int, formation: Formation | None = None,
                     numeros: Sequence[str] | None = None,
                     published_only: bool = False) -> tuple[JuryProposals, JuryInputs]:
    """The one place the relevés ask the engine for a jury's proposals.

    ``published_only``: the provisional relevé a student downloads is computed as « Mes notes »
    is, every grade of an evaluation not yet published blanked (as if still to come), so no
    average of it carries a grade the student may not see yet. An official relevé prints the
    jury's results, whatever was published."""
    run = jury_proposals(annee=annee, semester=semester, formation=formation,
                         numeros=list(numeros) if numeros else None)
    if not published_only or run.deliberated:
        return run.proposals, run.inputs
    inputs = run.inputs
    hidden = unpublished_evaluations(annee=annee, semester=semester,
                                     formation=formation or inputs.formation)
    if not hidden:
        return run.proposals, inputs
    students = tuple(proposal_of(inputs, published_only_inputs(s, annee, semester, hidden), None)
                     for s in inputs.students)
    return replace(run.proposals, students=students), inputs


# --------------------------------------------------------------------------- formatting


def _moyenne(value: Decimal | None) -> str | None:
    # None, not "": the facts' JSON (and so the digests already issued) keeps its shape.
    return None if value is None else french.moyenne_fr(value)


def _date(value: date | None) -> str | None:
    return None if value is None else french.date_fr(value)


def ascii_fold(text: str) -> str:
    """``Lefèvre d'Ornano`` → ``Lefevre-d-Ornano``: ASCII letters, digits and dashes only."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9]+", "-", folded).strip("-") or "etudiant"


def releve_filename(*, numero: str, nom: str, semester: int, annee: str) -> str:
    """``22000001_Martin_S2_2026-2027.pdf``: safe on every file system."""
    return f"{ascii_fold(numero)}_{ascii_fold(nom)}_S{semester}_{ascii_fold(annee)}.pdf"


# --------------------------------------------------------------------------- facts


@dataclass(frozen=True)
class ReleveDoc:
    """One relevé ready to render: its facts (also what the digest covers) and its official status."""

    enrolment_id: int
    numero: str
    nom: str
    semester: int
    annee: str
    facts: dict
    digest: str
    official: bool
    code: str | None = None
    issued_at: datetime | None = None

    @property
    def filename(self) -> str:
        return releve_filename(numero=self.numero, nom=self.nom, semester=self.semester, annee=self.annee)


def facts_digest(facts: dict) -> str:
    """SHA-256 of the facts, canonical JSON (sorted keys, no spaces)."""
    data = json.dumps(facts, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def _missed(ens: EnseignementResult) -> list[dict]:
    """A6/A7/A8: the evaluations missed, marked ABI or ABJ (an ABS shows how the register resolved it)."""
    resolved = dict(ens.resolved)
    out = []
    for ev in ens.evaluations:
        if ev.value is not None or not ev.mark:
            continue
        mark = resolved.get(ev.label, ev.mark) if ev.mark == "ABS" else ev.mark
        out.append({"evaluation": ev.label, "date": _date(ev.date), "mark": mark})
    return out


def _enseignement_facts(ens: EnseignementResult, coefficient: Decimal, names: dict, kinds: dict) -> dict:
    kind = kinds.get(ens.code, "")
    return {
        "code": french.enseignement_label(ens.code),
        "name": names.get(ens.code, ""),
        "kind": _KIND_LABELS.get(kind, kind),
        "moyenne": _moyenne(ens.moyenne),
        "status": _STATUS_LABELS.get(ens.status, ""),
        "coefficient": french.nombre_fr(coefficient),
        "missed": _missed(ens),
    }


def _ue_facts(ue: UEResult, *, detailed: bool, competences: dict, ue_ects: dict,
              by_ue: dict[str, list[tuple[EnseignementResult, Decimal]]], names: dict, kinds: dict) -> dict:
    code = Code(ue.code)
    rows = []
    if detailed:
        pairs = sorted(by_ue.get(ue.ue, ()), key=lambda p: (_KIND_ORDER.get(kinds.get(p[0].code, ""), 9), p[0].code))
        rows = [_enseignement_facts(ens, coef, names, kinds) for ens, coef in pairs]
    return {
        "ue": ue.ue,
        "competence": competences.get(ue.competence, ""),
        "level": ue.level,
        "semester": ue.semester,
        "annee": ue.annee,
        "moyenne": _moyenne(ue.moyenne),
        "code": str(code),
        "label": code.label,
        "ects": french.nombre_fr(ue.ects),
        "ects_max": french.nombre_fr(ue_ects.get(ue.ue, Decimal(0))),
        "mobility": ue.mobility,
        # M1 (semester abroad, with the host institution) and M3 (BIP) are part of the UE's result.
        "notes": [m.text for m in ue.motifs if m.rule_id in _SHOWN_MOTIFS],
        "enseignements": rows,
    }


def build_facts(*, proposal: StudentProposal, enrolment: Enrolment, inputs: JuryInputs,
                jury: JurySession | None, president: str) -> dict:
    """Everything one relevé prints, as JSON-able values (strings already formatted for French)."""
    maquette = inputs.maquette
    competences = {c.number: c.name for c in maquette.competences}
    ue_ects = {u.key: u.ects for u in maquette.ues}
    names = {e.code: e.name for e in maquette.enseignements}
    kinds = {e.code: e.kind for e in maquette.enseignements}
    semester = proposal.semester
    by_ue: dict[str, list[tuple[EnseignementResult, Decimal]]] = {}
    for ens in proposal.enseignements:
        if ens.semester != semester or ens.status == "not_counted":
            continue
        for key, coef in ens.coefficients:
            by_ue.setdefault(key, []).append((ens, coef))

    # The relevé's semester in detail; the other UEs this jury settles (the odd semester of the
    # year, an earlier UE turned ADSUP) as a reminder, by semester.
    groups: dict[int, list[UEResult]] = {}
    for ue in proposal.ues:
        groups.setdefault(ue.semester, []).append(ue)
    semesters = []
    for number in sorted(groups, key=lambda n: (n != semester, -n)):
        ues = groups[number]
        detailed = number == semester
        semesters.append({
            "number": number,
            "detailed": detailed,
            "ues": [_ue_facts(ue, detailed=detailed, competences=competences, ue_ects=ue_ects, by_ue=by_ue,
                              names=names, kinds=kinds) for ue in ues],
            "ects": french.nombre_fr(sum((u.ects for u in ues), Decimal(0))),
            "ects_max": french.nombre_fr(sum((ue_ects.get(u.ue, Decimal(0)) for u in ues), Decimal(0))),
        })
    rcues = []
    for r in proposal.rcues:
        code = Code(r.code)
        rcues.append({
            "competence": competences.get(r.competence, str(r.competence)), "number": r.competence,
            "level": r.level, "moyenne": _moyenne(r.moyenne), "code": str(code), "label": code.label,
        })
    # Only the jury's deliberation creates rights (E3): before it, the student reads grades, UE
    # averages and codes as provisional, never a proposed year decision or passage.
    deliberated = bool(jury and jury.is_deliberated)
    decision = None
    if deliberated and proposal.decision_annee is not None:
        code = Code(proposal.decision_annee)
        decision = {"code": str(code), "label": _DECIDED_LABELS.get(code, code.label)}
    student = enrolment.student
    formation = enrolment.semester.formation
    return {
        "establishment": formation.establishment,
        "formation": formation.name,
        "parcours": enrolment.parcours.name,
        "parcours_code": enrolment.parcours.code,
        "annee": proposal.annee,
        "semester": semester,
        "even": semester % 2 == 0,
        "student": {"numero": student.numero, "nom": student.nom, "prenom": student.prenom, "ine": student.ine},
        "regime": enrolment.get_regime_display(),
        "semesters": semesters,
        "rcues": rcues,
        "decision": decision,
        "passage": proposal.passage if deliberated else None,
        # The maquette says where the cursus ends (S6 for the BUT), not this module.
        "next_semester": semester + 1 if semester < maquette.index.final_semester else None,
        "ects_acquis": french.nombre_fr(proposal.ects_acquis),
        "absences": {"justifiees": proposal.absences_justifiees, "injustifiees": proposal.absences_injustifiees},
        "jury": {
            "date": _date(jury.date if jury else inputs.jury_date),
            "recorded": jury is not None,
            "president": president,
            "deliberated": deliberated,
        },
    }


def prepare_releves(*, annee: str, semester: int, formation: Formation | None = None,
                    numeros: Sequence[str] | None = None, published_only: bool = False) -> list[ReleveDoc]:
    """The relevés of one jury (or of the given students), by numero. Reads only.

    Official when the jury has deliberated: each then carries the code and issue date of its
    Releve row if one was issued (``code`` None otherwise), and its digest as of now.
    """
    proposals, inputs = releve_proposals(annee=annee, semester=semester, formation=formation, numeros=numeros,
                                         published_only=published_only)
    enrolments = enrolments_by_id(inputs.enrolment_ids.values())
    jury = inputs.jury
    president = ""
    if jury is not None:
        jury = jury_with_president(jury)
        president = jury.president.get_full_name() or jury.president.username
    official = jury is not None and jury.is_deliberated
    docs = []
    for proposal in proposals.students:
        enrolment = enrolments[inputs.enrolment_ids[proposal.numero]]
        facts = build_facts(proposal=proposal, enrolment=enrolment, inputs=inputs, jury=jury, president=president)
        docs.append(ReleveDoc(
            enrolment_id=enrolment.pk, numero=proposal.numero, nom=proposal.nom, semester=semester,
            annee=annee, facts=facts, digest=facts_digest(facts), official=official,
        ))
    if official and jury is not None and docs:
        issued = issued_releves(jury=jury, enrolment_ids=[d.enrolment_id for d in docs])
        docs = [with_issue(d, issued[d.enrolment_id]) if d.enrolment_id in issued else d for d in docs]
    return docs


def with_issue(doc: ReleveDoc, row: Releve) -> ReleveDoc:
    """The document with its official code and issue date."""
    return replace(doc, code=row.code, issued_at=row.issued_at)


def releve_for(enrolment: Enrolment, *, published_only: bool = False) -> ReleveDoc:
    """The relevé of one enrolment (its jury's semester and year), official only once issued;
    ``published_only`` for the student's own download (see ``releve_proposals``)."""
    docs = prepare_releves(annee=enrolment.annee, semester=enrolment.semester.number,
                           formation=enrolment.semester.formation, numeros=[enrolment.student.numero],
                           published_only=published_only)
    doc = next((d for d in docs if d.enrolment_id == enrolment.pk), None)
    if doc is None:
        raise ReleveError(f"Aucun relevé pour {enrolment}.")
    if doc.official and doc.code is None:
        raise ReleveNotIssued(
            f"Le jury du S{doc.semester} {doc.annee} a délibéré, mais le relevé officiel n'a pas encore été émis. "
            "Le secrétariat l'émet en générant les relevés du jury (page « Relevés de notes »)."
        )
    return doc


def decided_year_text(code: str) -> str:
    """A deliberated year decision as the student reads it: « RED — Redoublement »."""
    if not code:
        return ""
    return f"{code} — {_DECIDED_LABELS.get(Code(code), Code(code).label)}"


def decision_text(facts: dict) -> str:
    """The jury's decision in one French sentence (the year decision, or the passage at an odd jury)."""
    decision = facts["decision"]
    if decision is not None:
        return f"{decision['code']} — {decision['label']}"
    nxt = facts["next_semester"]
    if facts["passage"] is None or nxt is None:
        return "Pas de décision d'année à ce jury de semestre"
    return f"Passage en S{nxt} : {'autorisé' if facts['passage'] else 'non autorisé'}"

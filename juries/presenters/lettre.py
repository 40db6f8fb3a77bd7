"""What one decision letter prints: the jury's decision for a student, the UEs acquired, the ECTS,
the passage, the date, the president and the means and delay of appeal.

The decision facts are the relevé's (``prepare_releves``: the engine's proposal, or the jury's
decisions once deliberated): this module only chooses and words them for a letter. A letter of a
jury that has not deliberated is a PROJET, as the PV.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from juries.models import Enrolment, JurySession
from juries.rules import french
from juries.rules.codes import ACQUIRED_UE_CODES

from .releve import ReleveDoc, ReleveError, ascii_fold, decision_text, facts_digest, prepare_releves

#: Printed when the department has not set its own text (settings.QLIO_LETTRE_RECOURS).
DEFAULT_RECOURS = (
    "Voies et délais de recours : cette décision peut faire l'objet d'un recours gracieux auprès du "
    "président du jury, ou d'un recours hiérarchique auprès du président de l'université, dans un délai "
    "de deux mois à compter de sa notification. Elle peut également être contestée devant le tribunal "
    "administratif territorialement compétent (recours contentieux) dans le même délai de deux mois ; un "
    "recours gracieux ou hiérarchique formé dans ce délai le prolonge de deux mois à compter de la réponse. "
    "Le tribunal administratif peut être saisi par l'application « Télérecours citoyens » "
    "(www.telerecours.fr)."
)


class LettreError(ReleveError):
    """A letter that cannot be given, with a French message."""


class LettreNotAvailable(LettreError):
    """The jury has not deliberated: a student has no letter yet (the secretariat sees the PROJET)."""


def recours_text() -> str:
    return (getattr(settings, "QLIO_LETTRE_RECOURS", "") or "").strip() or DEFAULT_RECOURS


def lettre_filename(*, numero: str, nom: str, semester: int, annee: str) -> str:
    return f"lettre_{ascii_fold(numero)}_{ascii_fold(nom)}_S{semester}_{ascii_fold(annee)}.pdf"


@dataclass(frozen=True)
class LettreDoc:
    enrolment_id: int
    numero: str
    nom: str
    semester: int
    annee: str
    facts: dict
    digest: str
    official: bool

    @property
    def filename(self) -> str:
        return lettre_filename(numero=self.numero, nom=self.nom, semester=self.semester, annee=self.annee)


def _passage(facts: dict) -> str | None:
    nxt = facts["next_semester"]
    if nxt is None or facts["passage"] is None:
        return None
    return f"{'Autorisé' if facts['passage'] else 'Non autorisé'} à poursuivre en semestre {nxt}"


def lettre_facts(releve: dict, *, jury: JurySession | None) -> dict:
    """The letter's facts from the relevé's (the same decision, nothing recomputed)."""
    ues = []
    for sem in releve["semesters"]:
        for ue in sem["ues"]:
            ues.append({
                "ue": ue["ue"], "competence": ue["competence"], "level": ue["level"], "semester": sem["number"],
                "code": ue["code"], "label": ue["label"], "ects": ue["ects"], "ects_max": ue["ects_max"],
                "acquired": ue["code"] in {str(c) for c in ACQUIRED_UE_CODES},
            })
    this = next((s for s in releve["semesters"] if s["detailed"]), None)
    deliberated = bool(jury is not None and jury.is_deliberated)
    when = (timezone.localtime(jury.deliberated_at).date() if deliberated and jury and jury.deliberated_at
            else None)
    decision = releve["decision"]
    return {
        "establishment": releve["establishment"], "formation": releve["formation"],
        "parcours": releve["parcours"], "parcours_code": releve["parcours_code"],
        "annee": releve["annee"], "semester": releve["semester"], "student": releve["student"],
        "decision": decision_text(releve),
        "decision_code": decision["code"] if decision else "",
        "decision_label": decision["label"] if decision else "",
        "passage": _passage(releve),
        "ues": ues,
        "ues_acquises": sum(1 for u in ues if u["acquired"]),
        "ects_semestre": f"{this['ects']} / {this['ects_max']}" if this else "",
        "ects_acquis": releve["ects_acquis"],
        "jury": releve["jury"],
        "deliberated": deliberated,
        "date": french.date_fr(when) if when else releve["jury"]["date"],
        "recours": recours_text(),
        "codes_used": sorted({(u["code"], u["label"]) for u in ues}
                             | ({(decision["code"], decision["label"])} if decision else set())),
    }


def _letter(doc: ReleveDoc, jury: JurySession | None) -> LettreDoc:
    facts = lettre_facts(doc.facts, jury=jury)
    return LettreDoc(enrolment_id=doc.enrolment_id, numero=doc.numero, nom=doc.nom, semester=doc.semester,
                     annee=doc.annee, facts=facts, digest=facts_digest(facts), official=facts["deliberated"])


def prepare_lettres(*, jury: JurySession, numeros: Sequence[str] | None = None) -> list[LettreDoc]:
    """The letters of a jury's students (PROJET while it has not deliberated). Reads only."""
    docs = prepare_releves(annee=jury.annee, semester=jury.semester.number, formation=jury.formation,
                           numeros=numeros)
    return [_letter(d, jury) for d in docs]


def lettre_for(enrolment: Enrolment, *, jury: JurySession | None, student_view: bool = False) -> LettreDoc:
    """One enrolment's letter; a student gets none before the deliberation (``LettreNotAvailable``)."""
    if jury is None or (student_view and not jury.is_deliberated):
        raise LettreNotAvailable(
            f"Le jury du S{enrolment.semester.number} {enrolment.annee} n'a pas encore délibéré : "
            "la lettre de décision sera disponible après sa délibération."
        )
    docs = prepare_lettres(jury=jury, numeros=[enrolment.student.numero])
    doc = next((d for d in docs if d.enrolment_id == enrolment.pk), None)
    if doc is None:
        raise LettreError(f"Aucune lettre de décision pour {enrolment}.")
    return doc


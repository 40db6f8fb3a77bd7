"""Writes of the jury: record a decision, deliberate, re-open (E3). The only way they change.

Every function takes keyword-only arguments, validates everything before writing, writes in one
transaction and keeps the history (django-simple-history, with the person who acted). Errors are
``DecisionError`` with a code of ``DecisionErrorCode`` and a French message.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from juries.models import Enrolment, JuryDecision, JuryEvent, JurySession
from juries.models.guards import reopening
from juries.models.history import attribute_change
from juries.roles import display_name
from juries.rules.codes import ACQUIRED_UE_CODES, VALIDATED_RCUE_CODES, Code
from juries.rules.french import datetime_fr, plural
from juries.rules.inputs import DeliberatedIn, DeliberatedRCUE, DeliberatedUE
from juries.rules.results import StudentProposal, format_moyenne
from juries.selectors.jury import RcueKey
from juries.selectors.proposals import jury_proposals
from juries.services.releve_codes import issue_releve_codes


class DecisionErrorCode(StrEnum):
    NOT_ALLOWED = "non_autorise"
    DELIBERATED = "delibere"
    NOT_DELIBERATED = "non_delibere"
    NOT_ENROLLED = "non_inscrit"
    STALE = "version_perimee"
    REASON_REQUIRED = "motif_obligatoire"
    NOTHING_CHANGED = "aucune_modification"
    UNKNOWN_UE = "ue_inconnue"
    ALREADY_ACQUIRED = "deja_acquise"
    INVALID_CODE = "code_invalide"
    STALE_PROPOSALS = "propositions_modifiees"


class DecisionError(Exception):
    def __init__(self, code: DecisionErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return self.message


#: P3 / national codes: what the jury may decide for the year instead of the proposal.
YEAR_OVERRIDES_EVEN: tuple[Code, ...] = (Code.PAS1NCI, Code.RED, Code.NAR)
YEAR_OVERRIDES_FINAL: tuple[Code, ...] = (Code.RED, Code.NAR)


def year_overrides(jury: JurySession, *, final_semester: int) -> tuple[Code, ...]:
    """The year decisions the jury may choose: none at an odd-semester jury (P1: no year decision)."""
    number = jury.semester.number
    if number % 2:
        return ()
    return YEAR_OVERRIDES_FINAL if number >= final_semester else YEAR_OVERRIDES_EVEN


def can_decide(jury: JurySession, user) -> bool:
    """The president and the members record decisions (the secretariat reads)."""
    return user.pk == jury.president_id or jury.members.filter(pk=user.pk).exists()


def _name(jury: JurySession) -> str:
    return f"jury du S{jury.semester.number} {jury.annee}"


def decision_codes(result: StudentProposal) -> dict:
    """The JuryDecision fields that record a result of the engine (codes as in docs/formats.md)."""
    return {
        "ue_codes": {u.ue: {"code": str(u.code), "moyenne": format_moyenne(u.moyenne)} for u in result.ues},
        "rcue_codes": {
            str(RcueKey(r.competence, r.level)): {"code": str(r.code), "moyenne": format_moyenne(r.moyenne)}
            for r in result.rcues
        },
        "decision_annee": "" if result.decision_annee is None else str(result.decision_annee),
        "passage": result.passage,
    }


# --------------------------------------------------------------------------- record_decision


def record_decision(
    *,
    jury: JurySession,
    enrolment: Enrolment,
    by: User,
    accept: bool,
    decision_annee: Code | str | None = None,
    ue_overrides: Mapping[str, Code | str] | None = None,
    rcue_overrides: Mapping[str, Code | str] | None = None,
    passage: bool | None = None,
    reason: str = "",
    expected_version: int | None = None,
) -> JuryDecision:
    """Records the jury's decision for one student: the proposal accepted, or overridden
    (ADJ on UEs or RCUEs, RED, NAR, PAS1NCI, passage by jury decision — P3) with a written
    reason. Overrides go through the engine (EnrolmentIn.deliberated) so that their consequences
    — V5 ADSUP, ECTS, passage — are recomputed and recorded with them.

    ``expected_version`` is the version the person saw (0: no decision yet); another version
    on record means someone decided meanwhile: refused (optimistic locking). None: no check.
    """
    ue_overrides = dict(ue_overrides or {})
    rcue_overrides = dict(rcue_overrides or {})
    reason = (reason or "").strip()
    if enrolment.annee != jury.annee or enrolment.semester_id != jury.semester_id:
        raise DecisionError(DecisionErrorCode.NOT_ENROLLED,
                            f"{enrolment.student} n'est pas inscrit au S{jury.semester.number} {jury.annee}.")
    if not can_decide(jury, by):
        raise DecisionError(DecisionErrorCode.NOT_ALLOWED,
                            f"Seuls le président et les membres du {_name(jury)} enregistrent ses décisions.")
    if jury.is_deliberated or JurySession.objects.filter(pk=jury.pk, state=JurySession.State.DELIBERATED).exists():
        raise DecisionError(DecisionErrorCode.DELIBERATED,
                            f"Le {_name(jury)} a délibéré : ses décisions sont définitives (E3). "
                            "Une réouverture motivée du jury est nécessaire pour les modifier.")

    if expected_version is not None:
        # A stale page is told so before anything else; _write() checks again under the lock.
        current = JuryDecision.objects.filter(jury=jury, enrolment=enrolment).select_related("decided_by").first()
        if expected_version != (current.version if current else 0):
            raise _stale(enrolment, current)

    numero = enrolment.student.numero
    run = jury_proposals(annee=jury.annee, semester=jury.semester.number, formation=jury.formation,
                         numeros=[numero])
    pure = run.pure(numero)
    if pure is None:  # enrolled in the jury's semester, yet not among its students (removed meanwhile)
        raise DecisionError(DecisionErrorCode.NOT_ENROLLED,
                            f"{enrolment.student} ne figure pas parmi les étudiants du {_name(jury)}.")

    if accept:
        if ue_overrides or rcue_overrides or decision_annee or passage is not None:
            raise DecisionError(DecisionErrorCode.NOTHING_CHANGED,
                                "Accepter la proposition exclut toute modification : choisissez l'un ou l'autre.")
        result, overridden = pure, False
    else:
        final = run.inputs.maquette.index.final_semester
        deliberated = _overrides(jury, pure, ue_overrides, rcue_overrides, decision_annee, passage,
                                 year_overrides(jury, final_semester=final))
        if not reason:
            raise DecisionError(DecisionErrorCode.REASON_REQUIRED,
                                "Le motif est obligatoire pour une décision différente de la proposition.")
        result, overridden = run.proposal_with(numero, deliberated), True

    fields = decision_codes(result) | {
        "proposal": pure.as_contract(), "overridden": overridden, "reason": reason, "decided_by": by,
    }
    return _write(jury, enrolment, by, fields, expected_version)


def _overrides(jury, pure: StudentProposal, ue_overrides, rcue_overrides, decision_annee, passage,
               allowed_years: tuple[Code, ...]) -> DeliberatedIn:
    ues = {u.ue: u for u in pure.ues}
    rcues = {str(RcueKey(r.competence, r.level)): r for r in pure.rcues}
    chosen_ues = []
    for key, code in sorted(ue_overrides.items()):
        if key not in ues:
            raise DecisionError(DecisionErrorCode.UNKNOWN_UE, f"{key} n'est pas une UE de ce jury.")
        if _code(code) != Code.ADJ:
            raise DecisionError(DecisionErrorCode.INVALID_CODE,
                                f"{key} : seul {Code.ADJ} ({Code.ADJ.label}) peut être décidé par le jury.")
        if ues[key].code in ACQUIRED_UE_CODES:
            raise DecisionError(DecisionErrorCode.ALREADY_ACQUIRED,
                                f"{key} est déjà acquise ({ues[key].code}) : pas de décision {Code.ADJ}.")
        chosen_ues.append(DeliberatedUE(ue=key, code=Code.ADJ))
    chosen_rcues = []
    for key, code in sorted(rcue_overrides.items()):
        if key not in rcues:
            raise DecisionError(DecisionErrorCode.UNKNOWN_UE, f"RCUE {key} : pas un RCUE de ce jury.")
        if _code(code) != Code.ADJ:
            raise DecisionError(DecisionErrorCode.INVALID_CODE,
                                f"RCUE {key} : seul {Code.ADJ} ({Code.ADJ.label}) peut être décidé par le jury.")
        if rcues[key].code in VALIDATED_RCUE_CODES:
            raise DecisionError(DecisionErrorCode.ALREADY_ACQUIRED,
                                f"RCUE {key} est déjà validé ({rcues[key].code}) : pas de décision {Code.ADJ}.")
        r = rcues[key]
        chosen_rcues.append(DeliberatedRCUE(competence=r.competence, level=r.level, code=Code.ADJ))

    year = _code(decision_annee) if decision_annee else None
    if (year is not None or passage) and pure.decision_annee == Code.EXCLU:
        raise DecisionError(DecisionErrorCode.INVALID_CODE,
                            f"F2 : une exclusion est en cours ({Code.EXCLU}), elle l'emporte sur toute autre décision.")
    if passage is not None and not allowed_years:
        raise DecisionError(DecisionErrorCode.INVALID_CODE,
                            "Pas de décision de passage à ce jury (P1 : le passage au semestre pair est de droit).")
    if passage:
        if year is None:
            year = Code.PAS1NCI  # P3: passage decided by the jury, with a level not validated
        elif year != Code.PAS1NCI:
            raise DecisionError(DecisionErrorCode.INVALID_CODE,
                                f"Un passage décidé par le jury se code {Code.PAS1NCI}, pas {year}.")
    if year is not None:
        if year not in allowed_years:
            choices = ", ".join(str(c) for c in allowed_years) or "aucune"
            raise DecisionError(DecisionErrorCode.INVALID_CODE,
                                f"Décision d'année {year} impossible à ce jury (possibles : {choices}).")
        if year == pure.decision_annee:
            raise DecisionError(DecisionErrorCode.NOTHING_CHANGED,
                                f"La décision {year} est déjà la proposition : acceptez la proposition.")
        if year == Code.RED and pure.decision_annee == Code.NAR:
            raise DecisionError(DecisionErrorCode.INVALID_CODE,
                                "R2 : ce redoublement dépasse la limite ; une autorisation du directeur "
                                "doit d'abord être enregistrée.")
    if not chosen_ues and not chosen_rcues and year is None:
        raise DecisionError(DecisionErrorCode.NOTHING_CHANGED,
                            "Aucune modification choisie : acceptez la proposition ou choisissez une décision.")
    year_passage = None if year is None else year == Code.PAS1NCI
    return DeliberatedIn(ues=tuple(chosen_ues), rcues=tuple(chosen_rcues), decision_annee=year,
                         passage=year_passage)


def _code(value) -> Code:
    try:
        return Code(value)
    except ValueError:
        raise DecisionError(DecisionErrorCode.INVALID_CODE, f"Code inconnu : {value}") from None


def _stale(enrolment: Enrolment, current: JuryDecision | None) -> DecisionError:
    if current is None:
        return DecisionError(DecisionErrorCode.STALE,
                             f"La décision concernant {enrolment.student} a changé depuis l'ouverture de la page : "
                             "rechargez la page avant de décider.")
    return DecisionError(
        DecisionErrorCode.STALE,
        f"{display_name(current.decided_by)} a enregistré une décision pour {enrolment.student} le "
        f"{datetime_fr(timezone.localtime(current.decided_at))} (version {current.version}) depuis l'ouverture "
        "de la page : rechargez la page, relisez cette décision, puis décidez à nouveau.",
    )


def _write(jury: JurySession, enrolment: Enrolment, by, fields: dict, expected_version: int | None) -> JuryDecision:
    try:
        with transaction.atomic():
            current = (JuryDecision.objects.select_for_update().select_related("decided_by")
                       .filter(jury=jury, enrolment=enrolment).first())
            version = current.version if current else 0
            if expected_version is not None and expected_version != version:
                raise _stale(enrolment, current)
            if current is None:
                decision = JuryDecision(jury=jury, enrolment=enrolment, version=1, **fields)
                attribute_change(decision, by=by)
                decision.save()
                return decision
            # The conditional UPDATE is the lock where SELECT … FOR UPDATE is not (SQLite).
            if not JuryDecision.objects.filter(pk=current.pk, version=version).update(version=version + 1):
                raise _stale(enrolment, None)
            for name, value in fields.items():
                setattr(current, name, value)
            current.version = version + 1
            attribute_change(current, by=by)
            current.save()
            return current
    except IntegrityError:
        # Two first decisions at the same time: the unique constraint (jury, enrolment) chose.
        raise _stale(enrolment, None) from None


# --------------------------------------------------------------------------- deliberate / reopen


@dataclass(frozen=True)
class DeliberationReport:
    students: int
    created: int
    recorded: int
    event: JuryEvent


def _lock(jury: JurySession) -> JurySession:
    return JurySession.objects.select_for_update().select_related("semester", "formation").get(pk=jury.pk)


def deliberate(*, jury: JurySession, by: User) -> DeliberationReport:
    """E3 — the president closes the jury: every student without a decision gets one accepting
    the proposal, the session becomes "délibéré" and a JuryEvent records who and when. From then
    the jury's decisions and the grades of its semester are frozen (models/guards.py).

    Refused while a recorded decision was made against a proposal that has changed since
    (grades entered afterwards): the jury must look at it again first.
    """
    if by.pk != jury.president_id:
        raise DecisionError(DecisionErrorCode.NOT_ALLOWED, f"Seul le président du {_name(jury)} peut le clore.")
    given = jury
    with transaction.atomic():
        jury = _lock(jury)
        if jury.is_deliberated:
            raise DecisionError(DecisionErrorCode.DELIBERATED, f"Le {_name(jury)} a déjà délibéré.")
        run = jury_proposals(annee=jury.annee, semester=jury.semester.number, formation=jury.formation)
        pure, decisions, stale = run.proposals, run.decisions, run.stale
        missing = [
            (run.inputs.enrolment_ids[p.numero], p) for p in pure.students if run.decision_for(p.numero) is None
        ]
        if stale:
            listed = ", ".join(stale[:10]) + (f" et {plural(len(stale) - 10, 'autre')}" if len(stale) > 10 else "")
            raise DecisionError(DecisionErrorCode.STALE_PROPOSALS,
                                f"La proposition a changé depuis la décision enregistrée pour {listed} "
                                "(notes ou dossier modifiés) : revoyez ces décisions avant de délibérer.")
        new = [
            JuryDecision(jury=jury, enrolment_id=enrolment_id, proposal=p.as_contract(), overridden=False,
                         reason="", decided_by=by, version=1, **decision_codes(p))
            for enrolment_id, p in missing
        ]
        if new:
            bulk_create_with_history(new, JuryDecision, batch_size=500, default_user=by,
                                     default_change_reason="délibération : proposition acceptée")
        jury.state = JurySession.State.DELIBERATED
        jury.deliberated_at = timezone.now()
        attribute_change(jury, by=by)
        jury.save()
        event = JuryEvent.objects.create(jury=jury, kind=JuryEvent.Kind.DELIBERATED, by=by,
                                         reason=f"{plural(len(pure.students), 'étudiant')}, "
                                                f"{plural(len(new), 'proposition acceptée')} à la délibération")
        issue_releve_codes(jury=jury, by=by)
    given.state, given.deliberated_at = jury.state, jury.deliberated_at
    return DeliberationReport(students=len(pure.students), created=len(new), recorded=len(decisions), event=event)


def reopen(*, jury: JurySession, by: User, reason: str) -> JuryEvent:
    """E3 — « seule une réouverture du jury » : the president re-opens a deliberated jury, with
    a written reason recorded; its decisions and grades can then change until it deliberates again.
    """
    reason = (reason or "").strip()
    if by.pk != jury.president_id:
        raise DecisionError(DecisionErrorCode.NOT_ALLOWED, f"Seul le président du {_name(jury)} peut le rouvrir.")
    if not reason:
        raise DecisionError(DecisionErrorCode.REASON_REQUIRED, "Le motif de la réouverture est obligatoire.")
    given = jury
    with transaction.atomic():
        jury = _lock(jury)
        if not jury.is_deliberated:
            raise DecisionError(DecisionErrorCode.NOT_DELIBERATED, f"Le {_name(jury)} n'a pas délibéré.")
        jury.state = JurySession.State.OPEN
        jury.deliberated_at = None
        attribute_change(jury, by=by)
        with reopening():
            jury.save()
        event = JuryEvent.objects.create(jury=jury, kind=JuryEvent.Kind.REOPENED, by=by, reason=reason)
    given.state, given.deliberated_at = jury.state, jury.deliberated_at
    return event

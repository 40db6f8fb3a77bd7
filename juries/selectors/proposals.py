"""The proposals of a jury: the one door through which anything runs the engine over a jury.

The jury's inputs come from selectors/jury.py; the decisions recorded at that jury are read in
one query. Decisions recorded at an open jury are fed to the engine like deliberated ones
(EnrolmentIn.deliberated), so that their consequences (V5 ADSUP, ECTS, passage) show before the
deliberation; each decision is compared with the pure proposal to tell when it is stale.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from functools import cached_property

from juries.models import Formation, JuryDecision, JurySession
from juries.rules.engine import compute_jury
from juries.rules.inputs import DeliberatedIn, StudentIn
from juries.rules.results import JuryProposals, StudentProposal
from juries.selectors.generation import cache_key, stamp
from juries.selectors.jury import JuryInputs, decision_to_input, load_jury_inputs


def fingerprint(contract: Mapping) -> tuple:
    """What a decision is made against: UE and RCUE averages and codes, year decision, passage."""
    if not contract:
        return ()
    return (
        tuple((u["ue"], u["moyenne"], u["code"]) for u in contract.get("ues", ())),
        tuple((r["competence"], r["niveau"], r["moyenne"], r["code"]) for r in contract.get("rcues", ())),
        contract.get("decision_annee"),
        contract.get("passage"),
    )


def is_stale(decision: JuryDecision, pure: StudentProposal) -> bool:
    """A decision made against a proposal that has changed since (grades or file modified)."""
    return fingerprint(decision.proposal) != fingerprint(pure.as_contract())


@dataclass(frozen=True)
class JuryRun:
    """One jury through the engine: the export's proposals, and what the jury pages show."""

    inputs: JuryInputs
    #: docs/formats.md's export: the engine's proposals; deliberated decisions stand (etat "delibere").
    proposals: JuryProposals
    #: enrolment id -> the decision recorded at this jury.
    decisions: Mapping[int, JuryDecision]
    #: the proposals with this open jury's recorded decisions fed to the engine (their
    #: consequences shown); the same as `proposals` once the jury has deliberated.
    decided: JuryProposals

    @property
    def jury(self) -> JurySession | None:
        return self.inputs.jury

    @property
    def deliberated(self) -> bool:
        return self.inputs.jury is not None and self.inputs.jury.is_deliberated

    def decision_for(self, numero: str) -> JuryDecision | None:
        enrolment_id = self.inputs.enrolment_ids.get(numero)
        return self.decisions.get(enrolment_id) if enrolment_id is not None else None

    def student(self, numero: str) -> StudentIn | None:
        return next((s for s in self.inputs.students if s.numero == numero), None)

    @cached_property
    def compared(self) -> Mapping[str, StudentProposal]:
        """numero -> the pure proposal (no decision of this jury fed) its decision is compared to.

        At an open jury that is the export's proposal; once deliberated, the decisions stand in
        the inputs, so the engine runs again without them (only when a page asks).
        """
        numeros = {p.numero for p in self.proposals.students if self.decision_for(p.numero) is not None}
        if not self.deliberated:
            return {p.numero: p for p in self.proposals.students if p.numero in numeros}
        students = [_fed(self.inputs, s, None) for s in self.inputs.students if s.numero in numeros]
        return {p.numero: p for p in _run(self.inputs, students).students}

    @cached_property
    def stale(self) -> tuple[str, ...]:
        """Numeros (in order) whose recorded decision was made against a proposal changed since."""
        # `compared` holds only numeros with a decision: the None test is for the type, never false.
        return tuple(n for n, pure in self.compared.items()
                     if (decision := self.decision_for(n)) is not None and is_stale(decision, pure))

    def pure(self, numero: str) -> StudentProposal | None:
        """The engine's own proposal for one student, whatever this jury decided."""
        if numero in self.compared:
            return self.compared[numero]
        return next((p for p in self.proposals.students if p.numero == numero), None)

    def decided_for(self, numero: str) -> StudentProposal | None:
        """The proposal with this jury's recorded decision and its consequences (None: no decision)."""
        if self.decision_for(numero) is None:
            return None
        return next((p for p in self.decided.students if p.numero == numero), None)

    def proposal_with(self, numero: str, deliberated: DeliberatedIn | None) -> StudentProposal:
        """One student's proposal with `deliberated` as this jury's decision (a decision being made)."""
        student = self.student(numero)
        if student is None:
            raise KeyError(numero)
        return proposal_of(self.inputs, student, deliberated)


def _run(inputs: JuryInputs, students: Iterable[StudentIn]) -> JuryProposals:
    return compute_jury(maquette=inputs.maquette, students=students, annee=inputs.annee,
                        semester=inputs.semester, jury_date=inputs.jury_date, settings=inputs.settings)


def with_decision(student: StudentIn, annee: str, semester: int, deliberated: DeliberatedIn | None) -> StudentIn:
    """The same student, with `deliberated` as the decision of the jury of `semester` of `annee`
    (None: the pure proposal)."""
    enrolments = tuple(
        replace(e, deliberated=deliberated) if e.annee == annee and e.semester == semester else e
        for e in student.enrolments
    )
    return replace(student, enrolments=enrolments)


def _fed(inputs: JuryInputs, student: StudentIn, deliberated: DeliberatedIn | None) -> StudentIn:
    return with_decision(student, inputs.annee, inputs.semester, deliberated)


def proposal_of(inputs: JuryInputs, student: StudentIn, deliberated: DeliberatedIn | None) -> StudentProposal:
    """One student (as given: import_decisions feeds the earlier juries of its file) at this jury,
    with `deliberated` as this jury's decision."""
    return _run(inputs, [_fed(inputs, student, deliberated)]).students[0]


def jury_proposals(*, annee: str, semester: int, formation: Formation | None = None,
                   jury_date: date | None = None, numeros: list[str] | None = None) -> JuryRun:
    """Every student enrolled in `semester` of `annee` (or those of `numeros`) through the engine.

    Queries: those of load_jury_inputs, and one for the jury's decisions.
    """
    inputs = load_jury_inputs(annee=annee, semester=semester, jury_date=jury_date, formation=formation,
                              numeros=numeros)
    jury = inputs.jury
    decisions: dict[int, JuryDecision] = {}
    if jury is not None:
        # Only the decider's names (a kept run holds no password hash).
        qs = JuryDecision.objects.filter(jury=jury).select_related("decided_by").defer(
            "decided_by__password", "decided_by__email", "decided_by__last_login")
        if numeros:
            qs = qs.filter(enrolment_id__in=list(inputs.enrolment_ids.values()))
        decisions = {d.enrolment_id: d for d in qs}
    proposals = _run(inputs, inputs.students)
    decided = proposals
    if jury is not None and jury.is_deliberated:
        proposals = decided = replace(proposals, etat="delibere")
    elif decisions:
        # Only the students with a decision differ from the pure proposals: the engine runs on them.
        with_decision = [
            _fed(inputs, s, decision_to_input(decisions[inputs.enrolment_ids[s.numero]]))
            for s in inputs.students if inputs.enrolment_ids.get(s.numero) in decisions
        ]
        fed = {p.numero: p for p in _run(inputs, with_decision).students}
        decided = replace(proposals, students=tuple(fed.get(p.numero, p) for p in proposals.students))
    return JuryRun(inputs=inputs, proposals=proposals, decisions=decisions, decided=decided)


def cached_jury_proposals(*, annee: str, semester: int, formation: Formation) -> JuryRun:
    """`jury_proposals` of a whole jury, kept by this process with the inputs' generation.

    The generation is read first, the data after: a run may then hold changes newer than its
    stamp (it is only fresher), never older ones. Inside a transaction nothing is kept or read
    (its own writes are not committed). The pages' derived facts (`stale`, and the engine's second
    pass it needs at a deliberated jury) are computed before the run is kept, so a kept run is
    never changed afterwards.

    Kept in this process's memory, not in the shared cache: a 150-student run is ~1 MB pickled,
    and writing then reading it back costs more than computing it again (bench/pages.py).
    """
    key, current = _run_key(annee, semester, formation), stamp()
    if current is None:
        return jury_proposals(annee=annee, semester=semester, formation=formation)
    run = _kept(key, current)
    if run is None:
        run = jury_proposals(annee=annee, semester=semester, formation=formation)
        run.stale  # noqa: B018 — computed now, so kept with the run
        _remember(key, current, run)
    return run


def kept_jury_proposals(*, annee: str, semester: int, formation: Formation) -> JuryRun | None:
    """The whole jury's run if this process keeps it for the data as they are now, else None."""
    current = stamp()
    return _kept(_run_key(annee, semester, formation), current) if current is not None else None


def _run_key(annee: str, semester: int, formation: Formation) -> str:
    return cache_key("jury-run", formation.pk, annee, semester)


#: How long a run is kept (seconds): a change to the data changes its stamp at once; this bounds
#: only the memory a jury nobody looks at keeps.
RUN_KEPT_SECONDS = 3600
#: The last runs this process made, by jury.
_LOCAL: OrderedDict[str, tuple[str, float, JuryRun]] = OrderedDict()
_LOCAL_SIZE = 4
_LOCK = threading.Lock()


def _kept(key: str, current: str) -> JuryRun | None:
    with _LOCK:
        local = _LOCAL.get(key)
        if local is not None and local[0] == current and time.monotonic() - local[1] < RUN_KEPT_SECONDS:
            _LOCAL.move_to_end(key)
            return local[2]
    return None


def _remember(key: str, current: str, run: JuryRun) -> None:
    with _LOCK:
        _LOCAL[key] = (current, time.monotonic(), run)
        _LOCAL.move_to_end(key)
        while len(_LOCAL) > _LOCAL_SIZE:
            _LOCAL.popitem(last=False)

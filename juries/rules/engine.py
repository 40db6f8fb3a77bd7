"""The engine: walks a student's whole cursus up to one jury and returns the proposal.

Each rule lives in its own module; this one only orders them. Earlier years are recomputed
from their grades (or taken from their deliberated decisions, E3), acquired UEs are kept
(V4, R3, R4), and the jury's own year is settled: UEs, RCUEs, year decision, diplomas.
Over 400 lines because it is one walk through a cursus (years, juries, deliberated decisions,
R3's better-of, the jury's own year): split, the order of the rules would be hidden.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from itertools import groupby
from operator import attrgetter

from .absences import (
    AbsenceStatus,
    abi_counted_zero,
    absence_status,
    etat_des_absences,
    justified_days,
    unjustified_absences_motif,
)
from .averages import (
    NO_EVALUATION,
    EnseignementAverage,
    enseignement_average,
    summed_average,
    ue_average,
)
from .codes import VALIDATED_RCUE_CODES, Code
from .compensation import code_below_threshold, compensate_in_rcue, rcue_average
from .diplomas import but_awarded, dut_awarded
from .evaluation import (
    NOT_DELIBERATED,
    Deliberation,
    apply_deliberation,
    apply_rcue_deliberation,
    too_few_evaluations,
)
from .exact import as_decimal
from .fraud import open_fraud_cases, running_exclusion
from .index import MaquetteIndex, maquette_index
from .inputs import EnrolmentIn, EvaluationGradeIn, Maquette, StudentIn, UEDef
from .mobility import NO_BIP, BipCount, bip_element, stage_abroad, validate_abroad
from .motifs import Motif, motif
from .progression import (
    even_semester_passage,
    final_year_complete,
    first_year_acquired,
    may_continue_to_odd,
    ues_still_to_acquire,
)
from .redoublement import keep_best, keep_without_enrolment, may_repeat, repeat_proposal
from .results import EnseignementResult, JuryProposals, RCUEResult, StudentProposal, UEResult
from .settings import DEFAULT_SETTINGS, ReglementSettings
from .stage import StageCheck, stage_blocks_ue, stage_validated
from .state import RCUEState, UEState
from .status import status_code, ue_under_status, year_under_status
from .validation import acquired_by_average, validate_lower_levels

_PRECISION = 34
_BY_ENSEIGNEMENT = attrgetter("enseignement")


def _rows(group: Sequence[EvaluationGradeIn]) -> Sequence[EvaluationGradeIn]:
    """A group's rows for the results: a list frozen into a tuple; a summed enseignement's rows
    as given (a sequence that may read them only when looked at)."""
    return tuple(group) if isinstance(group, list) else group


def default_jury_date(annee: str) -> date:
    """30 June of the academic year's second calendar year (CONTRACTS: ``2027-06-30``)."""
    return date(int(annee[-4:]), 6, 30)


def compute_proposal(
    *,
    maquette: Maquette,
    student: StudentIn,
    annee: str,
    semester: int,
    jury_date: date | None = None,
    settings: ReglementSettings = DEFAULT_SETTINGS,
) -> StudentProposal:
    """The proposal for one student at the jury of ``semester`` of ``annee``.

    Raises ValueError when the student has no enrolment in that semester and year.
    """
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        ctx.rounding = ROUND_HALF_EVEN
        return _Cursus(
            maquette_index(maquette), student, annee, semester, jury_date or default_jury_date(annee), settings
        ).proposal()


def compute_jury(
    *,
    maquette: Maquette,
    students: Iterable[StudentIn],
    annee: str,
    semester: int,
    jury_date: date | None = None,
    settings: ReglementSettings = DEFAULT_SETTINGS,
) -> JuryProposals:
    """Every proposal of one jury, students by numero; ``etat`` is "delibere" when every
    student's enrolment of that semester carries the jury's recorded decisions (E3)."""
    index = maquette_index(maquette)
    jury_date = jury_date or default_jury_date(annee)
    # The engine makes no reference cycles; pausing the cyclic collector while it allocates
    # its many small objects (next to millions of input rows it would rescan) saves ~15 %.
    collecting = gc.isenabled()
    gc.disable()
    try:
        with localcontext() as ctx:
            ctx.prec = _PRECISION
            ctx.rounding = ROUND_HALF_EVEN
            proposals = [
                _Cursus(index, student, annee, semester, jury_date, settings).proposal()
                for student in students
            ]
    finally:
        if collecting:
            gc.enable()
    proposals.sort(key=lambda p: p.numero)
    deliberated = bool(proposals) and all(p.deliberated for p in proposals)
    return JuryProposals(
        annee=annee,
        semester=semester,
        jury_date=jury_date,
        etat="delibere" if deliberated else "proposition",
        students=tuple(proposals),
    )


class _Cursus:
    """One student's walk through the cursus, up to one jury."""

    __slots__ = (
        "index",
        "student",
        "annee",
        "semester",
        "jury_date",
        "settings",
        "states",
        "stage_done",
        "justified",
        "alerts",
        "motifs",
        "enseignements",
        "changed",
        "rcues",
        "deliberation",
        "statuses",
    )

    def __init__(
        self,
        index: MaquetteIndex,
        student: StudentIn,
        annee: str,
        semester: int,
        jury_date: date,
        settings: ReglementSettings,
    ) -> None:
        self.index = index
        self.student = student
        self.annee = annee
        self.semester = semester
        self.jury_date = jury_date
        self.settings = settings
        self.states: dict[str, UEState] = {}
        self.stage_done: dict[int, str] = {}
        self.alerts: list[Motif] = []
        self.motifs: list[Motif] = []
        self.enseignements: list[EnseignementResult] = []
        self.changed: list[str] = []
        self.rcues: dict[tuple[int, int], RCUEState] = {}
        self.deliberation: Deliberation = NOT_DELIBERATED
        self.statuses: list[AbsenceStatus] = []
        self.justified: frozenset[date] = frozenset()

    # ------------------------------------------------------------------ walk

    def proposal(self) -> StudentProposal:
        student, annee, semester = self.student, self.annee, self.semester
        current_year = (semester + 1) // 2
        current_key = (annee, current_year)
        enrolments = sorted(
            (
                e
                for e in student.enrolments
                if (e.annee, e.but_year) < current_key
                or ((e.annee, e.but_year) == current_key and e.semester <= semester)
            ),
            key=lambda e: (e.annee, e.but_year, e.semester),
        )
        current = next((e for e in enrolments if e.annee == annee and e.semester == semester), None)
        if current is None:
            raise ValueError(f"{student.numero} n'est pas inscrit en S{semester} {annee}")

        regimes = {(e.annee, e.semester % 2): e.regime for e in student.enrolments}
        statuses = [absence_status(a, regimes, self.settings) for a in student.absences]
        self.statuses = statuses
        self.justified = justified_days(statuses, self.settings)

        for key, chunk in groupby(enrolments, key=lambda e: (e.annee, e.but_year)):
            self._year(list(chunk), is_current=key == current_key)

        return self._proposal(current, enrolments, statuses)

    def _year(self, chunk: list[EnrolmentIn], *, is_current: bool) -> None:
        for enrolment in chunk:
            jury = (enrolment.annee, enrolment.semester)
            own = is_current and enrolment.semester == self.semester
            own_date = self.jury_date if own else enrolment.jury_date or default_jury_date(enrolment.annee)
            self._semester(enrolment, own_date, is_current)
            # E3: the UEs the jury recorded first, then the RCUEs computed from them, then the
            # RCUEs it recorded: what it did not name follows from what it named.
            deliberation = apply_deliberation(enrolment.deliberated, jury, self.states, self.index)
            rcues: dict[tuple[int, int], RCUEState] = {}
            if enrolment.semester % 2 == 0:
                rcues = self._rcues(enrolment)
                apply_rcue_deliberation(enrolment.deliberated, jury, rcues, self.index)
            if own:
                self.deliberation = deliberation
                self.changed.extend(deliberation.changed)
            if enrolment.semester % 2 == 0:
                self._compensate(rcues, jury, enrolment.annee, is_current)
                if is_current:
                    self.rcues = rcues

    def _semester(self, enrolment: EnrolmentIn, jury_date: date, is_current: bool) -> None:
        index, settings, sem = self.index, self.settings, enrolment.semester
        ues = index.ues_by_semester.get(sem, ())
        own = is_current and sem == self.semester
        if enrolment.mobility is not None and sem not in settings.mobility_semesters and is_current:
            self.alerts.append(motif("M1", "m1_ignoree", semester=sem))
        status = status_code(enrolment)
        abroad = enrolment.mobility is not None and sem in settings.mobility_semesters
        averages: dict[str, EnseignementAverage] = {}
        groups: dict[str, Sequence[EvaluationGradeIn]] = {}
        if not abroad:
            # DEF / DEM: the averages still tell which UEs of the semester are complete and ≥ 10.
            averages, groups = self._averages(enrolment, is_current and status is None)
        check = self._stage(enrolment, jury_date, averages, is_current) if not abroad else None
        if is_current and not abroad:
            # DEF / DEM too: the relevé shows the grades, and E1 concerns the ressource, not the student.
            self._releve(enrolment, groups, averages)
        bip = NO_BIP if abroad else bip_element(enrolment, ues, settings)
        if own and bip.alert is not None:
            self.alerts.append(bip.alert)
        for ue in ues:
            old = self.states.get(ue.key)
            if enrolment.amenagement and keep_without_enrolment(old) is not None:
                continue
            new = validate_abroad(ue, enrolment, settings)
            if new is None:
                computed = self._ue(ue, enrolment, averages, check, bip)
                under = computed if status is None else ue_under_status(computed, old, status)
                if under is None:
                    continue  # acquired earlier, it stays acquired (V4)
                new = under
            self.states[ue.key] = keep_best(old, new, settings)

    def _averages(
        self, enrolment: EnrolmentIn, is_current: bool
    ) -> tuple[dict[str, EnseignementAverage], dict[str, Sequence[EvaluationGradeIn]]]:
        sem = enrolment.semester
        # Rows usually come ordered by enseignement: groupby walks the runs at C speed; a code
        # seen in two runs (unordered input) is merged, so row order never changes a result.
        groups: dict[str, list[EvaluationGradeIn]] = {}
        for code, run in groupby(enrolment.evaluations, key=_BY_ENSEIGNEMENT):
            group = groups.get(code)
            if group is None:
                groups[code] = list(run)
            else:
                group.extend(run)
        counted = self.index.codes_by_semester.get(sem, frozenset())
        justified, settings = self.justified, self.settings
        averages = {
            code: enseignement_average(evs, justified, settings)
            for code, evs in groups.items()
            if is_current or code in counted
        }
        # Summed by the database: no ABI, ABJ or missing grade, so no motif; only their rows
        # (read when shown) go to the results.
        shown: dict[str, Sequence[EvaluationGradeIn]] = dict(groups)
        for summed in enrolment.sums:
            code = summed.enseignement
            if is_current or code in counted:
                averages[code] = summed_average(summed)
            shown[code] = summed.evaluations
        if is_current:
            for code, avg in averages.items():
                for label, day in avg.abi_alerts:
                    self.alerts.append(motif("A8", "a8_abi_justifiee", code=code, label=label, day=day))
                if avg.abj_labels:
                    pending = self.settings.abj_policy == "pending"
                    self.motifs.append(motif("A7", "a7_abj", code=code, labels=avg.abj_labels, pending=pending))
                if code in counted:
                    for label, when in avg.abi_labels:
                        self.motifs.append(abi_counted_zero(code, label, when, self.statuses, settings))
        return averages, shown

    def _releve(
        self,
        enrolment: EnrolmentIn,
        groups: dict[str, Sequence[EvaluationGradeIn]],
        averages: dict[str, EnseignementAverage],
    ) -> None:
        """The enseignement averages of the jury's year, for the relevé and the jury page."""
        sem = enrolment.semester
        counted = self.index.codes_by_semester.get(sem, frozenset())
        for code in sorted(set(groups) | counted):
            avg = averages.get(code)
            self.enseignements.append(
                EnseignementResult(
                    code=code,
                    annee=enrolment.annee,
                    semester=sem,
                    moyenne=as_decimal(avg.moyenne) if avg else None,
                    status=(avg.status if avg else NO_EVALUATION) if code in counted else "not_counted",
                    evaluations=_rows(groups.get(code, ())),
                    resolved=avg.resolved if avg else (),
                    coefficients=self.index.coefficients_by_code.get((sem, code), ()),
                )
            )
        if sem == self.semester:  # E1 is a check of the jury's own semester
            self.alerts.extend(too_few_evaluations(groups, sem, self.index, self.settings))

    def _stage(
        self,
        enrolment: EnrolmentIn,
        jury_date: date,
        averages: dict[str, EnseignementAverage],
        is_current: bool,
    ) -> StageCheck | None:
        sem = enrolment.semester
        code = self.index.stage_codes.get(sem)
        if code is None or not any(
            self.index.stage_of_ue.get(u.key) for u in self.index.ues_by_semester.get(sem, ())
        ):
            return None
        earlier = self.stage_done.get(sem)
        check = stage_validated(enrolment.stage, sem, jury_date, self.settings, validated_in=earlier)
        # S1 [interp] keeps the *stage* validated in a repeated year; its grade is not carried
        # over (R3: for a UE not acquired only the new year's grades count; S4: a missing stage
        # grade makes the UE ATT), so the secretariat enters the stage grade again for that year.
        if earlier is None and check.validated:
            self.stage_done[sem] = enrolment.annee
        if is_current:
            self.motifs.extend(m for m in check.motifs if m not in check.alerts)
            self.alerts.extend(check.alerts)
            abroad = stage_abroad(enrolment.stage, sem)
            if abroad is not None:
                self.motifs.append(abroad)
        return check

    def _ue(
        self,
        ue: UEDef,
        enrolment: EnrolmentIn,
        averages: dict[str, EnseignementAverage],
        check: StageCheck | None,
        bip: BipCount,
    ) -> UEState:
        counts_bip = bip.ue == ue.key
        result = ue_average(self.index.coefficients[ue.key], averages, bip.pairs if counts_bip else ())
        state = UEState(ue, enrolment.annee, result.moyenne, Code.AJ, missing=result.missing)
        if result.moyenne is None:
            state.code = Code.ATT
            if result.missing:
                state.motifs = [motif("V2", "v2_manquante", ue=ue.key, codes=result.missing)]
            else:
                state.motifs = [motif("V2", "v2_rien", ue=ue.key)]
        else:
            blocked = stage_blocks_ue(ue, self.index.stage_of_ue.get(ue.key), check)
            if blocked is not None:
                state.blocked = blocked
                state.motifs = [blocked]
            elif not acquired_by_average(state, self.settings):
                state.motifs = [code_below_threshold(state, enrolment.semester)]
        if result.neutralised:
            state.motifs.append(motif("A7", "a7_ue", ue=ue.key, codes=result.neutralised))
        if counts_bip and bip.motif is not None:
            state.motifs.append(bip.motif)
        return state

    def _rcues(self, enrolment: EnrolmentIn) -> dict[tuple[int, int], RCUEState]:
        rcues: dict[tuple[int, int], RCUEState] = {}
        for key in self.index.rcues_by_year.get(enrolment.but_year, ()):
            pair = tuple(self._state_or_missing(ue, enrolment.annee) for ue in self.index.rcue_groups[key])
            rcues[key] = rcue_average(
                pair[0], pair[1], self.settings, self.index.rcue_label(*key), enrolment.annee
            )
        return rcues

    def _state_or_missing(self, ue: UEDef, annee: str) -> UEState:
        state = self.states.get(ue.key)
        if state is None:
            state = UEState(ue, annee, None, Code.ATT, [motif("V2", "v2_aucune", ue=ue.key)])
            self.states[ue.key] = state
        return state

    def _compensate(
        self, rcues: dict[tuple[int, int], RCUEState], jury: tuple[str, int], annee: str, is_current: bool
    ) -> None:
        index, settings = self.index, self.settings
        for key, rcue in rcues.items():
            label = index.rcue_label(*key)
            for ue in index.rcue_groups[key]:
                state = self.states[ue.key]
                if state.final_at != jury:
                    compensate_in_rcue(state, rcue, label, settings)
            lower = [
                u
                for u in index.lower_levels.get(key, ())
                if (s := self.states.get(u.key)) is None or s.final_at != jury
            ]
            pair = [self.states[ue.key] for ue in index.rcue_groups[key]]
            changed = validate_lower_levels(rcue, pair, lower, self.states, annee, label, jury, settings)
            if is_current:
                self.changed.extend(changed)

    # ------------------------------------------------------------------ the proposal

    def _proposal(
        self, current: EnrolmentIn, enrolments: list[EnrolmentIn], statuses: list[AbsenceStatus]
    ) -> StudentProposal:
        index, settings, semester = self.index, self.settings, self.semester
        even = semester % 2 == 0
        final = semester == index.final_semester
        shown_semesters = (semester - 1, semester) if even else (semester,)
        ue_keys: list[str] = [u.key for s in shown_semesters for u in index.ues_by_semester.get(s, ())]
        for key in self.changed:
            if key not in ue_keys:
                ue_keys.append(key)
        states = [
            self.states.get(k) or self._state_or_missing(index.ue_by_key[k], self.annee) for k in ue_keys
        ]
        states.sort(key=lambda s: (s.ue.semester, s.ue.competence))
        rcues = [self.rcues[k] for k in sorted(self.rcues)] if even else []

        decision, passage, decision_motifs = self._decision(current, enrolments, rcues, even, final)

        for state in states:
            if state.code == Code.ATT:
                self.alerts.extend(m for m in state.motifs if m.rule_id == "V2")
        justified, unjustified, a2 = etat_des_absences(statuses, self.annee, semester, settings)
        self.alerts.extend(a2)
        self.alerts.extend(open_fraud_cases(self.student.fraud_cases))
        a9 = unjustified_absences_motif(unjustified)

        dut, d1 = dut_awarded(self.states, index, settings)
        but, d2 = but_awarded(self.states, index)
        motifs: list[Motif] = []
        for state in states:
            motifs.extend(state.motifs)
        for rcue in rcues:
            motifs.extend(rcue.motifs)
        motifs.extend(decision_motifs)
        motifs.extend(self.motifs)
        motifs.extend(m for m in (a9, d1, d2) if m is not None)

        return StudentProposal(
            numero=self.student.numero,
            nom=self.student.nom,
            prenom=self.student.prenom,
            annee=self.annee,
            semester=semester,
            ues=tuple(
                UEResult(
                    ue=s.ue.key,
                    competence=s.ue.competence,
                    level=s.ue.level,
                    semester=s.ue.semester,
                    annee=s.annee,
                    moyenne=as_decimal(s.moyenne),
                    code=s.code,
                    ects=s.ects,
                    motifs=tuple(s.motifs),
                    mobility=s.mobility,
                )
                for s in states
            ),
            rcues=tuple(
                RCUEResult(r.competence, r.level, r.annee, as_decimal(r.moyenne), r.code, tuple(r.motifs)) for r in rcues
            ),
            decision_annee=decision,
            passage=passage,
            ects_acquis=sum((s.ects for s in self.states.values()), Decimal(0)),
            dut=dut,
            but=but,
            absences_justifiees=justified,
            absences_injustifiees=unjustified,
            motifs=tuple(_unique(motifs)),
            alertes=tuple(_unique(self.alerts)),
            enseignements=tuple(self.enseignements),
            deliberated=current.deliberated is not None,
        )

    def _decision(
        self,
        current: EnrolmentIn,
        enrolments: list[EnrolmentIn],
        rcues: list[RCUEState],
        even: bool,
        final: bool,
    ) -> tuple[Code | None, bool | None, list[Motif]]:
        settings, semester, index = self.settings, self.semester, self.index
        no_next = None if final else False
        deliberation = self.deliberation
        if deliberation.decision_annee is not None:
            code = Code(deliberation.decision_annee)
            passage = deliberation.passage
            if passage is None and not final and code != Code.ATJ:
                passage = code in (Code.ADM, Code.PASD, Code.PAS1NCI)
            return code, passage, [m for m in (deliberation.motif,) if m is not None]
        exclusion = running_exclusion(self.student.fraud_cases, self.jury_date)
        if exclusion is not None:
            return Code.EXCLU, no_next, [exclusion]
        year = [e for e in enrolments if e.annee == self.annee and e.but_year == current.but_year]
        status = year_under_status(year)
        if status is not None:
            return status[0], no_next, [status[1]]
        if not even:
            return None, True, [even_semester_passage(semester)]
        labels = {(r.competence, r.level): index.rcue_label(r.competence, r.level) for r in rcues}
        waiting = [r for r in rcues if r.code == Code.ATT]
        if waiting:
            atj = motif("V2", "v2_atj", labels=tuple(labels[(r.competence, r.level)] for r in waiting))
            return Code.ATJ, None, [atj]
        all_validated = all(r.code in VALIDATED_RCUE_CODES for r in rcues)
        if final:
            complete, p5 = final_year_complete(rcues, labels)
            if complete:
                return Code.ADM, None, [p5]
            code, motifs = self._repeat(enrolments, p5)
            return code, None, list(motifs)
        may_continue, p2 = may_continue_to_odd(rcues, settings, labels)
        if not may_continue:
            code, motifs = self._repeat(enrolments, p2)
            return code, False, list(motifs)
        first_year, p3 = first_year_acquired(self.states, index, semester + 1, settings)
        if not first_year:
            assert p3 is not None
            code, motifs = self._repeat(enrolments, p3)
            return code, False, [p2, *motifs]
        decided = [p2] + ([p3] if p3 is not None else [])
        if all_validated:
            return Code.ADM, True, decided
        year_ues = [u for s in (semester - 1, semester) for u in index.ues_by_semester.get(s, ())]
        p4 = ues_still_to_acquire(self.states, year_ues)
        return Code.PASD, True, decided + ([p4] if p4 is not None else [])

    def _repeat(self, enrolments: list[EnrolmentIn], why: Motif) -> tuple[Code, tuple[Motif, ...]]:
        semesters = (self.semester - 1, self.semester)
        allowed, r2 = may_repeat(
            enrolments, semesters, self.student.repeat_authorisations, self.annee, self.settings
        )
        code, motifs = repeat_proposal(allowed, why)
        if not allowed:
            self.alerts.append(r2)
        return code, (*motifs, r2)


def _unique(motifs: Iterable[Motif]) -> list[Motif]:
    seen: set[Motif] = set()
    out: list[Motif] = []
    for m in motifs:
        if m not in seen:
            seen.add(m)
            out.append(m)
    return out


__all__ = [
    "compute_jury",
    "compute_proposal",
    "default_jury_date",
]

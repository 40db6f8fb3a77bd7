"""Builds the rule engine's inputs for a whole jury in a fixed number of queries (STYLE.md selectors).

The number of queries does not depend on the number of students: one query per table, with
subqueries instead of long IN lists. Grades are read as plain tuples (the costliest table).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q

from juries.models import (
    UE,
    Absence,
    BipParticipation,
    Coefficient,
    Competence,
    Enrolment,
    Enseignement,
    Evaluation,
    Formation,
    FraudCase,
    JuryDecision,
    JurySession,
    Mobility,
    RepeatAuthorisation,
    Stage,
)
from juries.models import ReglementSettings as SettingsModel
from juries.rules.codes import Code
from juries.rules.engine import default_jury_date
from juries.rules.inputs import (
    AbsenceIn,
    BipIn,
    CoefDef,
    CompetenceDef,
    DeliberatedIn,
    DeliberatedRCUE,
    DeliberatedUE,
    EnrolmentIn,
    EnseignementDef,
    FraudCaseIn,
    Maquette,
    MobilityIn,
    RepeatAuthorisationIn,
    StageIn,
    StudentIn,
    UEDef,
)
from juries.rules.settings import ReglementSettings
from juries.selectors.inputs import absence_input, grade_inputs


@dataclass(frozen=True)
class JuryInputs:
    formation: Formation
    annee: str
    semester: int
    jury_date: date
    jury: JurySession | None
    maquette: Maquette
    settings: ReglementSettings
    students: tuple[StudentIn, ...]
    enrolment_ids: dict[str, int]  # numero -> enrolment id at this jury


@dataclass(frozen=True, order=True)
class RcueKey:
    """An RCUE as the contract names it: competence and level, written "C1 N2"."""

    competence: int
    level: int

    @classmethod
    def parse(cls, text: str) -> RcueKey:
        """ "C1 N2" → RcueKey(1, 2); ValueError for anything else."""
        comp, level = text.split()
        if comp[:1] != "C" or level[:1] != "N":
            raise ValueError(f"clé de RCUE invalide : {text!r}")
        return cls(int(comp[1:]), int(level[1:]))

    def __str__(self) -> str:
        return f"C{self.competence} N{self.level}"


def load_formation(code: str | None = None) -> Formation | None:
    qs = Formation.objects.all()
    return qs.get(code=code) if code else qs.order_by("pk").first()


def load_settings(formation: Formation) -> ReglementSettings:
    row = SettingsModel.objects.filter(formation=formation).first()
    if row is None:
        return ReglementSettings()
    return ReglementSettings(
        abi_scope=row.abi_scope,
        abj_policy=row.abj_policy,
        rcue_weights=row.rcue_weights,
        p2_counts=row.p2_counts,
        stage_min_weeks={4: row.stage_min_weeks_s4, 6: row.stage_min_weeks_s6},
        bip_ue=row.bip_ue or None,
        max_repeats=row.max_repeats,
        justification_hours=row.justification_hours,
        odd_semester_start=_day_month(row.odd_semester_start, (9, 1)),
        even_semester_start=_day_month(row.even_semester_start, (2, 1)),
    )


def _day_month(text: str, default: tuple[int, int]) -> tuple[int, int]:
    try:
        d, m = (int(x) for x in text.split("/"))
        return (m, d)
    except ValueError:
        return default


def load_maquette(formation: Formation) -> Maquette:
    """Four queries: UEs, coefficients, competences with levels, enseignements."""
    ues = list(UE.objects.filter(competence__formation=formation).select_related("competence", "semester", "level"))
    coefs: dict[int, list[CoefDef]] = defaultdict(list)
    for ue_id, code, pole, value in Coefficient.objects.filter(ue__in=[u.pk for u in ues], value__gt=0).values_list(
        "ue_id", "enseignement__code", "pole", "value"
    ):
        coefs[ue_id].append(CoefDef(enseignement=code, pole=pole, value=value))
    competences = []
    for c in Competence.objects.filter(formation=formation).prefetch_related("levels"):
        levels = sorted(c.levels.all(), key=lambda lv: lv.number)
        competences.append(CompetenceDef(
            number=c.number, name=c.name,
            levels=tuple((lv.number, lv.but_year) for lv in levels),
            level_names=tuple((lv.number, lv.title) for lv in levels),
        ))
    enseignements = []
    stage_codes = {}
    for code, number, kind, name in Enseignement.objects.filter(formation=formation).values_list(
        "code", "semester__number", "kind", "name"
    ):
        enseignements.append(EnseignementDef(code=code, semester=number, kind=kind, name=name))
        if kind == Enseignement.Kind.STAGE:
            stage_codes[number] = code
    return Maquette(
        ues=tuple(
            UEDef(
                key=f"UE{u.competence.number} S{u.semester.number}",
                competence=u.competence.number, semester=u.semester.number, level=u.level.number,
                ects=u.ects, ects_ressources=u.ects_ressources, ects_sae=u.ects_sae,
                coefficients=tuple(sorted(coefs[u.pk], key=lambda c: c.enseignement)),
            )
            for u in sorted(ues, key=lambda u: (u.semester.number, u.competence.number))
        ),
        competences=tuple(competences),
        enseignements=tuple(enseignements),
        stage_codes=stage_codes,
    )


def load_jury_inputs(*, annee: str, semester: int, jury_date: date | None = None,
                     formation: Formation | None = None, numeros: list[str] | None = None) -> JuryInputs:
    """Everything the engine needs for every student enrolled in `semester` of `annee`."""
    formation = formation or load_formation()
    if formation is None:  # no formation at all: the maquette fixture was never loaded
        raise ValueError("La maquette n'est pas chargée (loaddata maquette_but_qlio_osc).")
    jury = (
        JurySession.objects.filter(formation=formation, annee=annee, semester__number=semester)
        .select_related("semester").first()
    )
    if jury_date is None:
        jury_date = jury.date if jury else default_jury_date(annee)
    maquette = load_maquette(formation)
    settings = load_settings(formation)

    target = Enrolment.objects.filter(annee=annee, semester__number=semester, semester__formation=formation)
    if numeros:
        target = target.filter(student__numero__in=numeros)
    student_ids = target.values("student_id")
    enrolments = list(
        Enrolment.objects.filter(student_id__in=student_ids)
        .select_related("student", "semester")
        .order_by("student__numero", "annee", "semester__number")
    )
    enrolment_ids = {e.student.numero: e.pk for e in enrolments if e.annee == annee and e.semester.number == semester}
    all_enrolments = Enrolment.objects.filter(student_id__in=student_ids)

    # Evaluations defined for each (enseignement, year) — common to every student (V1).
    years = {e.annee for e in enrolments}
    evaluation_rows = Evaluation.objects.filter(annee__in=years, enseignement__formation=formation).values_list(
        "id", "enseignement_id", "enseignement__semester__number", "enseignement__code", "annee", "label", "weight",
        "date")
    grades = grade_inputs(enrolments, evaluation_rows, all_enrolments.values("id"), annee)

    stages = {s.enrolment_id: s for s in Stage.objects.filter(enrolment__in=all_enrolments)}
    mobilities = {m.enrolment_id: m for m in Mobility.objects.filter(enrolment__in=all_enrolments)}
    bips = {
        b.enrolment_id: b
        for b in BipParticipation.objects.filter(enrolment__in=all_enrolments).select_related("ue__competence", "ue__semester")
    }
    absences: dict[int, list[AbsenceIn]] = defaultdict(list)
    for a in Absence.objects.filter(student_id__in=student_ids).only(
        "student_id", "start", "end", "declared_at", "justificatif_at", "reason"
    ):
        absences[a.student_id].append(absence_input(a))
    frauds: dict[int, list[FraudCaseIn]] = defaultdict(list)
    for f in FraudCase.objects.filter(student_id__in=student_ids):
        frauds[f.student_id].append(FraudCaseIn(
            date=f.date, closed=f.closed, sanction=f.sanction or None, sanction_start=f.sanction_start,
            sanction_end=f.sanction_end, sursis=f.sursis,
        ))
    authorisations: dict[int, list[RepeatAuthorisationIn]] = defaultdict(list)
    for sid, day, year, why in RepeatAuthorisation.objects.filter(student_id__in=student_ids).values_list(
        "student_id", "date", "annee", "reason"
    ):
        authorisations[sid].append(RepeatAuthorisationIn(date=day, annee=year or None, reason=why))
    jury_dates = {
        (j.annee, j.semester.number): j.date
        for j in JurySession.objects.filter(formation=formation, annee__in=years).select_related("semester")
    }
    deliberated = _deliberated_decisions(all_enrolments)

    students: dict[int, list[EnrolmentIn]] = defaultdict(list)
    people = {}
    for e in enrolments:
        people[e.student_id] = e.student
        number = e.semester.number
        evaluations, sums = grades[e.pk]
        stage = stages.get(e.pk)
        mobility = mobilities.get(e.pk)
        bip = bips.get(e.pk)
        students[e.student_id].append(EnrolmentIn(
            annee=e.annee, semester=number, regime=e.regime, redoublement=e.redoublement,
            amenagement=e.amenagement, status=e.status, evaluations=evaluations, sums=sums,
            stage=StageIn(start=stage.start, end=stage.end, abroad=stage.abroad) if stage else None,
            mobility=MobilityIn(institution=mobility.institution) if mobility else None,
            bip=BipIn(grade=bip.grade, ue=bip.ue.key if bip.ue else None, title=bip.title) if bip else None,
            deliberated=deliberated.get(e.pk),
            jury_date=jury_dates.get((e.annee, number)),
        ))
    inputs = tuple(
        StudentIn(
            numero=people[sid].numero, nom=people[sid].nom, prenom=people[sid].prenom,
            enrolments=tuple(ens), absences=tuple(absences.get(sid, ())),
            fraud_cases=tuple(frauds.get(sid, ())), repeat_authorisations=tuple(authorisations.get(sid, ())),
        )
        for sid, ens in students.items()
    )
    return JuryInputs(
        formation=formation, annee=annee, semester=semester, jury_date=jury_date, jury=jury,
        maquette=maquette, settings=settings,
        students=tuple(sorted(inputs, key=lambda s: s.numero)), enrolment_ids=enrolment_ids,
    )


def _deliberated_decisions(enrolments) -> dict[int, DeliberatedIn]:
    """R3 [interp] — where a jury has deliberated, its recorded decisions stand; so do the
    decisions of a student deliberated alone (`deliberated_at`: import_decisions)."""
    out = {}
    for d in JuryDecision.objects.filter(
        Q(jury__state=JurySession.State.DELIBERATED) | Q(deliberated_at__isnull=False),
        enrolment__in=enrolments,
    ).only("enrolment_id", "ue_codes", "rcue_codes", "decision_annee", "passage"):
        out[d.enrolment_id] = decision_to_input(d)
    return out


def decision_to_input(d: JuryDecision) -> DeliberatedIn:
    ues = tuple(
        DeliberatedUE(ue=key, code=Code(v["code"]),
                      moyenne=Decimal(v["moyenne"]) if v.get("moyenne") else None)
        for key, v in sorted((d.ue_codes or {}).items())
    )
    rcues = []
    for key, v in sorted((d.rcue_codes or {}).items()):
        rcue = RcueKey.parse(key)
        rcues.append(DeliberatedRCUE(competence=rcue.competence, level=rcue.level, code=Code(v["code"]),
                                     moyenne=Decimal(v["moyenne"]) if v.get("moyenne") else None))
    return DeliberatedIn(
        ues=ues, rcues=tuple(rcues),
        decision_annee=Code(d.decision_annee) if d.decision_annee else None, passage=d.passage,
    )

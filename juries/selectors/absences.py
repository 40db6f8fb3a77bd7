"""Reads of the absence register, judged at read time (A3-A5, A8) and summed per semester (A1).

Whether an absence is justified is never stored: the pure rules of ``juries.rules.absences`` judge
it here (A4 48 hours, A5 alternants), so a justificatif arriving later changes every screen at
once; this module adds what the rules do not compute (hours per semester, A1).

Every function runs a fixed number of queries whatever the number of students: the absences,
the enrolments that give each absence its régime (A5), the department's settings.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q

from juries.models import Absence, Enrolment, Student
from juries.rules import absences as rules
from juries.rules.absences import AbsenceStatus
from juries.rules.codes import Regime
from juries.rules.french import nombre_fr
from juries.rules.inputs import AbsenceIn
from juries.rules.motifs import Motif
from juries.rules.settings import DEFAULT_SETTINGS, ReglementSettings
from juries.selectors.inputs import absence_input, regime_for, regimes_of
from juries.selectors.jury import load_formation, load_settings

ZERO = Decimal(0)


def reglement_settings() -> ReglementSettings:
    formation = load_formation()
    return load_settings(formation) if formation else DEFAULT_SETTINGS


@dataclass(frozen=True)
class JudgedAbsence:
    absence: Absence
    status: AbsenceStatus
    regime: str

    @property
    def justified(self) -> bool:
        return self.status.justified

    @property
    def alternant(self) -> bool:
        return self.regime == Regime.FA


# --------------------------------------------------------------------------- verdicts (read time)


def judge(*, absence: Absence | AbsenceIn, regimes: Mapping[tuple[str, int], str],
          settings: ReglementSettings = DEFAULT_SETTINGS) -> rules.AbsenceStatus:
    """A3-A5 through the rules: justified only with a justificatif within 48 h (A4) and, for an
    alternant, one of the reasons of the Code du travail (A5)."""
    a = absence_input(absence) if isinstance(absence, Absence) else absence
    return rules.absence_status(a, regimes, settings)


def resolve_mark(*, mark: str, day: date | None, statuses: Iterable[rules.AbsenceStatus],
                 settings: ReglementSettings = DEFAULT_SETTINGS) -> tuple[str | None, bool]:
    """A8 through the rules: an ABS becomes ABJ on a day covered by a justified absence, else ABI.

    Returns (resolved mark, alert); the alert is an explicit ABI on a justified day.
    """
    return rules.resolve_mark(mark, day, rules.justified_days(statuses, settings))


@dataclass(frozen=True)
class SemesterAbsences:
    """A1 — the état des absences of one student for one semester period."""

    annee: str
    parity: int
    semester: int | None  # the enrolled semester of that period, None when not enrolled then
    justified: int = 0
    unjustified: int = 0
    hours_justified: Decimal = ZERO
    hours_unjustified: Decimal = ZERO
    without_hours: int = 0  # absences whose hours were not entered (not counted in the hours)
    alerts: tuple[Motif, ...] = ()

    @property
    def label(self) -> str:
        if self.semester:
            return f"S{self.semester} {self.annee}"
        return f"{self.annee}, semestre {'impair' if self.parity else 'pair'} (pas d'inscription)"

    @property
    def total(self) -> int:
        return self.justified + self.unjustified


def semester_summaries(statuses: Iterable[tuple[rules.AbsenceStatus, Decimal | None]],
                       semesters: Mapping[tuple[str, int], int]) -> list[SemesterAbsences]:
    """A1 — counts and hours, justified / unjustified, per semester period, newest first.

    The counts are the rules' ``etat_des_absences``; the hours are the ones entered on each
    absence (the rules do not count hours: a missing figure is reported, never guessed).
    """
    by_period: dict[tuple[str, int], list[tuple[rules.AbsenceStatus, Decimal | None]]] = {}
    for status, hours in statuses:
        by_period.setdefault((status.annee, status.parity), []).append((status, hours))
    out = []
    # Newest first: in a year the even semester (parity 0) comes after the odd one.
    for (annee, parity), items in sorted(by_period.items(), key=lambda kv: (kv[0][0], 1 - kv[0][1]), reverse=True):
        # etat_des_absences takes a semester number and keeps the statuses of its parity.
        justified, unjustified, alerts = rules.etat_des_absences([s for s, _ in items], annee, 2 - parity)
        hj = sum((h for s, h in items if s.justified and h is not None), ZERO)
        hu = sum((h for s, h in items if not s.justified and h is not None), ZERO)
        out.append(SemesterAbsences(
            annee=annee, parity=parity, semester=semesters.get((annee, parity)),
            justified=justified, unjustified=unjustified, hours_justified=hj, hours_unjustified=hu,
            without_hours=sum(1 for _, h in items if h is None), alerts=alerts,
        ))
    return out


# --------------------------------------------------------------------------- the register


@dataclass(frozen=True)
class StudentRegister:
    student: Student
    absences: list[JudgedAbsence]
    semesters: list[SemesterAbsences]


def _enrolments_by_student(student_ids) -> dict[int, list[tuple[str, int, str]]]:
    out: dict[int, list[tuple[str, int, str]]] = defaultdict(list)
    for sid, annee, number, regime in Enrolment.objects.filter(student_id__in=student_ids).values_list(
        "student_id", "annee", "semester__number", "regime"
    ):
        out[sid].append((annee, number, regime))
    return out


def _judge_all(absences: Iterable[Absence], enrolments: dict[int, list[tuple[str, int, str]]],
               settings: ReglementSettings) -> list[JudgedAbsence]:
    regimes = {sid: regimes_of(rows) for sid, rows in enrolments.items()}
    out = []
    for a in absences:
        r = regimes.get(a.student_id, {})
        status = judge(absence=a, regimes=r, settings=settings)
        out.append(JudgedAbsence(a, status, regime_for(status, r)))
    return out


def judged_absences(absences: list[Absence], *, settings: ReglementSettings | None = None) -> list[JudgedAbsence]:
    """These absences judged (A3-A5), in their order: two queries whatever their number."""
    settings = settings or reglement_settings()
    return _judge_all(absences, _enrolments_by_student({a.student_id for a in absences}), settings)


def student_register(*, student: Student, settings: ReglementSettings | None = None) -> StudentRegister:
    """A1 — every absence of a student, judged, and the état per semester."""
    settings = settings or reglement_settings()
    absences = list(Absence.objects.filter(student=student).order_by("-start"))
    enrolments = _enrolments_by_student([student.pk])
    judged = _judge_all(absences, enrolments, settings)
    semesters = {(annee, number % 2): number for annee, number, _ in enrolments.get(student.pk, [])}
    summaries = semester_summaries(((j.status, j.absence.hours) for j in judged), semesters)
    return StudentRegister(student=student, absences=judged, semesters=summaries)


def judged_absence(*, absence: Absence, settings: ReglementSettings | None = None) -> JudgedAbsence:
    settings = settings or reglement_settings()
    return _judge_all([absence], _enrolments_by_student([absence.student_id]), settings)[0]


def recent_absences(*, search: str = "", limit: int = 100,
                    settings: ReglementSettings | None = None) -> list[JudgedAbsence]:
    """The latest absences of the register (search on numero, nom, prénom), judged."""
    settings = settings or reglement_settings()
    qs = Absence.objects.select_related("student").order_by("-start")
    if search:
        qs = qs.filter(Q(student__numero__icontains=search) | Q(student__nom__icontains=search)
                       | Q(student__prenom__icontains=search))
    absences = list(qs[:limit])
    return _judge_all(absences, _enrolments_by_student({a.student_id for a in absences}), settings)


@dataclass(frozen=True)
class EtatRow:
    enrolment: Enrolment
    summary: SemesterAbsences


def etat_des_absences(*, annee: str, semester: int, group: str = "",
                      settings: ReglementSettings | None = None) -> list[EtatRow]:
    """A1 — for the jury of one semester: each enrolled student's counts and hours, justified or not.

    Four queries whatever the number of students (settings, enrolments, their absences, the
    enrolments giving each absence its régime).
    """
    settings = settings or reglement_settings()
    target = Enrolment.objects.filter(annee=annee, semester__number=semester).select_related("student", "semester")
    if group:
        target = target.filter(group=group)
    enrolments = list(target.order_by("student__nom", "student__prenom", "student__numero"))
    student_ids = target.values("student_id")
    absences = list(Absence.objects.filter(student_id__in=student_ids))
    judged = _judge_all(absences, _enrolments_by_student(student_ids), settings)
    by_student: dict[int, list[JudgedAbsence]] = defaultdict(list)
    for j in judged:
        by_student[j.absence.student_id].append(j)
    parity = semester % 2
    rows = []
    for e in enrolments:
        items = [(j.status, j.absence.hours) for j in by_student.get(e.student_id, [])
                 if j.status.annee == annee and j.status.parity == parity]
        summaries = semester_summaries(items, {(annee, parity): semester})
        summary = summaries[0] if summaries else SemesterAbsences(annee=annee, parity=parity, semester=semester)
        rows.append(EtatRow(e, summary))
    return rows


def statuses_by_student(*, student_ids, settings: ReglementSettings | None = None) -> dict[int, list[AbsenceStatus]]:
    """For A8 on grade screens: each student's absences, judged."""
    settings = settings or reglement_settings()
    absences = list(Absence.objects.filter(student_id__in=student_ids))
    judged = _judge_all(absences, _enrolments_by_student(student_ids), settings)
    out: dict[int, list[AbsenceStatus]] = defaultdict(list)
    for j in judged:
        out[j.absence.student_id].append(j.status)
    return out


def hours_text(value: Decimal | None) -> str:
    return nombre_fr(value, empty="0")


# --------------------------------------------------------------------------- finding a student


#: A search answers at most this many students: the list a browser completes, not a directory.
SEARCH_LIMIT = 15


def _name_filter(text: str) -> Q:
    """Every word of `text` in the student's numero, nom or prénom (« martin léa », « léa mar »)."""
    where = Q()
    for word in text.split()[:5]:
        where &= Q(numero__istartswith=word) | Q(nom__icontains=word) | Q(prenom__icontains=word)
    return where


def search_students(text: str, *, limit: int = SEARCH_LIMIT) -> list[Student]:
    """Students whose number starts with, or whose names contain, the words typed; at most `limit`."""
    text = text.strip()[:100]
    if not text:
        return []
    return list(Student.objects.filter(_name_filter(text)).order_by("nom", "prenom", "numero")[:limit])


def student_label(student: Student) -> str:
    """What the declaration form's list shows and sends back: « MARTIN Léa (26000001) »."""
    return f"{student.nom.upper()} {student.prenom} ({student.numero})"


def find_student(text: str) -> tuple[Student | None, list[Student]]:
    """The student a declaration names, by number, by « NOM Prénom (numéro) » (the list's choice) or
    by a name that only one student has; otherwise (None, the students it could be)."""
    text = text.strip()
    if text.endswith(")") and "(" in text:
        text = text[text.rindex("(") + 1:-1].strip() or text
    exact = Student.objects.filter(numero=text).first()
    if exact is not None:
        return exact, [exact]
    candidates = search_students(text, limit=6)
    return (candidates[0] if len(candidates) == 1 else None), candidates

"""factory_boy factories and the builders made of them; the structure is the real maquette.

Factories: users, students, enrolments, evaluations, grades, absences, jury sessions, decisions.
Builders used by several test folders: `semester`, `enrol`, `grade_all` (a whole semester graded),
`graded_student`, `graded_promo`, `but1_student`, `make_jury`, `deliberate`, `reopen`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from juries import roles
from juries.models import (
    Absence,
    Coefficient,
    Enrolment,
    Enseignement,
    Evaluation,
    Grade,
    JuryDecision,
    JurySession,
    Parcours,
    Semester,
    Stage,
    Student,
)

ANNEE = "2026-2027"
PREVIOUS = "2025-2026"
JURY_DATE = date(2027, 6, 24)
PASSWORD = "motdepasse-de-test-1"  # every UserFactory user's
PARIS = ZoneInfo("Europe/Paris")
MARKS = ("ABI", "ABJ", "ABS")


# --- Factories ---------------------------------------------------------------------------------

class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Prénom"
    last_name = factory.Sequence(lambda n: f"Nom{n}")
    password = factory.django.Password(PASSWORD)


def make_user(role: str | None = None, username: str | None = None, **kwargs):
    """A user in one of the groups of juries.roles (Secrétariat, Enseignant, Jury, Étudiant)."""
    user = UserFactory(username=username or factory.Faker("user_name").evaluate(None, None, {"locale": None}), **kwargs)
    if role:
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


class StudentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Student
        django_get_or_create = ("numero",)

    numero = factory.Sequence(lambda n: f"2600{n:04d}")
    nom = factory.Sequence(lambda n: f"Nom{n}")
    prenom = "Léa"
    email = factory.LazyAttribute(lambda o: f"{o.numero}@etu.example.fr")


def semester(number: int) -> Semester:
    return Semester.objects.get(formation__code="BUT-QLIO", number=number)


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    student = factory.SubFactory(StudentFactory)
    annee = ANNEE
    semester = factory.LazyFunction(lambda: semester(1))
    parcours = factory.LazyFunction(lambda: Parcours.objects.get(code="OSC"))
    regime = "FI"


class EvaluationFactory(factory.django.DjangoModelFactory):
    """An evaluation of R1.01 by default; `EvaluationFactory(enseignement=ens, label="DS2", date=…)`."""

    class Meta:
        model = Evaluation

    enseignement = factory.LazyFunction(lambda: Enseignement.objects.get(code="R1.01"))
    annee = ANNEE
    label = factory.Sequence(lambda n: f"Évaluation {n + 1}")
    date = None
    weight = Decimal("1")


def _first_counted(enrolment: Enrolment) -> Enseignement:
    return graded_enseignements(enrolment.semester.number)[0]


class GradeFactory(factory.django.DjangoModelFactory):
    """A grade: `note` is a number (the value) or ABI/ABJ/ABS (the mark); value=/mark= still work."""

    class Meta:
        model = Grade

    class Params:
        note = "12"

    enrolment = factory.SubFactory(EnrolmentFactory)
    evaluation = factory.LazyAttribute(lambda o: EvaluationFactory(enseignement=_first_counted(o.enrolment),
                                                                   annee=o.enrolment.annee))
    value = factory.LazyAttribute(lambda o: None if o.note in MARKS else Decimal(str(o.note)))
    mark = factory.LazyAttribute(lambda o: o.note if o.note in MARKS else "")


class AbsenceFactory(factory.django.DjangoModelFactory):
    """A morning's absence (8 h-12 h, Paris), declared at its start; `justified=True` adds the justificatif."""

    class Meta:
        model = Absence

    class Params:
        day = date(2026, 10, 5)
        justified = factory.Trait(justificatif_at=factory.SelfAttribute("start"))

    student = factory.SubFactory(StudentFactory)
    start = factory.LazyAttribute(lambda o: datetime(o.day.year, o.day.month, o.day.day, 8, tzinfo=PARIS))
    end = factory.LazyAttribute(lambda o: o.start + timedelta(hours=4))
    declared_at = factory.SelfAttribute("start")
    justificatif_at = None


class JurySessionFactory(factory.django.DjangoModelFactory):
    """The S2 jury of 2026-2027 by default; `members=[…]` adds members after creation."""

    class Meta:
        model = JurySession
        skip_postgeneration_save = True  # members are a many-to-many: the row needs no second save

    semester = factory.LazyFunction(lambda: semester(2))
    formation = factory.SelfAttribute("semester.formation")
    annee = ANNEE
    date = JURY_DATE
    president = factory.SubFactory(UserFactory)

    @factory.post_generation
    def members(self, create: bool, extracted: Iterable | None, **kwargs) -> None:
        if create and extracted:
            self.members.add(*extracted)


class JuryDecisionFactory(factory.django.DjangoModelFactory):
    """A decision recorded at a jury for one of its enrolments (the president decides by default).

    Rows only: the decisions service (`record_decision`, `deliberate`) is what runs the engine.
    """

    class Meta:
        model = JuryDecision

    jury = factory.SubFactory(JurySessionFactory)
    enrolment = factory.SubFactory(EnrolmentFactory, semester=factory.SelfAttribute("..jury.semester"),
                                   annee=factory.SelfAttribute("..jury.annee"))
    decision_annee = ""
    decided_by = factory.SelfAttribute("jury.president")
    version = 1


# --- The maquette --------------------------------------------------------------------------------

def enrol(student: Student, number: int, annee: str = ANNEE, **kwargs) -> Enrolment:
    return EnrolmentFactory(student=student, semester=semester(number), annee=annee, **kwargs)


def graded_enseignements(number: int) -> list[Enseignement]:
    """Enseignements of a semester that carry a coefficient (the ones that count)."""
    return list(
        Enseignement.objects.filter(semester__number=number, coefficients__value__gt=0).distinct().order_by("code")
    )


def exclusive(ue_key: str) -> list[str]:
    """The enseignements that count only in this UE ("UE1 S2"), so that its average can be lowered alone."""
    comp, sem = (int(x) for x in ue_key.replace("UE", "").replace("S", "").split())
    rows = list(Coefficient.objects.filter(ue__semester__number=sem, value__gt=0)
                .values_list("enseignement__code", "ue__competence__number"))
    uses = Counter(code for code, _ in rows)
    return sorted({code for code, c in rows if c == comp and uses[code] == 1})


# --- Grades --------------------------------------------------------------------------------------

def evaluations(number: int, annee: str = ANNEE, labels: Sequence[str] = ("DS1", "DS2"), *,
                dated: bool = True, bulk: bool = True) -> dict[tuple[str, str], Evaluation]:
    """The evaluations `labels` of every counted enseignement of a semester, common to every student.

    `dated`: DS1, DS2… two weeks apart from the semester's start (E1 needs dated evaluations).
    `bulk`: the missing ones are inserted at once (fast, without the models' save guards and history).
    """
    def stored() -> dict[tuple[str, str], Evaluation]:
        return {(ev.enseignement.code, ev.label): ev
                for ev in Evaluation.objects.filter(annee=annee, enseignement__semester__number=number,
                                                    label__in=labels).select_related("enseignement")}

    out = stored()
    start = date(int(annee[:4]), 10, 5) if number % 2 else date(int(annee[5:]), 3, 8)
    new = [EvaluationFactory.build(enseignement=ens, annee=annee, label=label,
                                   date=start + timedelta(days=14 * i) if dated else None)
           for ens in graded_enseignements(number) for i, label in enumerate(labels) if (ens.code, label) not in out]
    if new:
        if bulk:
            Evaluation.objects.bulk_create(new)
        else:
            for ev in new:
                ev.save()
        out = stored()
    return out


def grade_all(enrolment: Enrolment, value: Decimal | str | int = "12", *, overrides: dict | None = None,
              low: dict[str, str] | None = None, missing: Iterable[str] = (), label: str = "DS1",
              labels: Sequence[str] | None = None, dated: bool = False, bulk: bool = False) -> list[Grade]:
    """Every evaluation of the enrolment's semester graded `value` (one per counted enseignement by default).

    `overrides` maps an enseignement code, or a (code, label) pair, to another value, to "ABI"/"ABJ"/"ABS",
    or to None (no grade); `low` maps a UE key ("UE1 S2") to the value of its exclusive enseignements;
    `missing` lists codes left without grade (V2). `labels`, `dated`, `bulk`: see `evaluations`; with
    `bulk` the grades are inserted at once too.
    """
    number = enrolment.semester.number
    labels = tuple(labels or (label,))
    evs = evaluations(number, enrolment.annee, labels, dated=dated, bulk=bulk)
    by_ue = {code: v for ue_key, v in (low or {}).items() for code in exclusive(ue_key)}
    overrides = overrides or {}
    skip = set(missing)
    grades = []
    for (code, lab), ev in sorted(evs.items(), key=lambda item: (item[0][0], labels.index(item[0][1]))):
        v = overrides.get((code, lab), overrides.get(code, by_ue.get(code, value)))
        if code in skip or v is None:
            continue
        grades.append(GradeFactory.build(enrolment=enrolment, evaluation=ev, note=v))
    if bulk:
        return Grade.objects.bulk_create(grades)
    for grade in grades:
        grade.save()
    return grades


def graded_student(numero: str, nom: str, *, semesters: Iterable[int] = (1, 2), annee: str = ANNEE,
                   low: dict | None = None, prenom: str = "Léa", base: str = "12", **grade_kwargs):
    """A student enrolled in `semesters` of `annee`, each evaluated twice (DS1, DS2, dated) and graded
    `base`; `low` maps semester → {UE key: value}; S4 and S6 get their stage. → (student, {n: enrolment})."""
    s = StudentFactory(numero=numero, nom=nom, prenom=prenom)
    enrolments = {}
    for n in semesters:
        e = enrol(s, n, annee)
        grade_all(e, base, low=(low or {}).get(n), labels=("DS1", "DS2"), dated=True, bulk=True, **grade_kwargs)
        enrolments[n] = e
        if n in (4, 6):
            Stage.objects.create(enrolment=e, start=date(int(annee[5:]), 3, 29),
                                 end=date(int(annee[5:]), 6, 11), company="Bosch Rodez")
    return s, enrolments


def graded_promo(n: int, *, start: int = 0) -> list[Student]:
    """`n` BUT1 students of 2026-2027, every fifth one with a weak Qualité (RCUE C1 N1 AJ)."""
    out = []
    for i in range(start, start + n):
        low = {1: {"UE1 S1": "7"}, 2: {"UE1 S2": "7"}} if i % 5 == 0 else None
        out.append(graded_student(f"2600{i:04d}", f"Nom{i:03d}", prenom=f"P{i}", low=low)[0])
    return out


def but1_student(numero: str, nom: str, prenom: str = "Léa", *, s1: dict | None = None, s2: dict | None = None,
                 base: str = "12", ine: str = "", user=None, with_s2: bool = True) -> Student:
    """A BUT1 student of 2026-2027, one evaluation (DS1) per counted enseignement of S1 (and S2)."""
    student = StudentFactory(numero=numero, nom=nom, prenom=prenom, ine=ine, user=user, email="")
    grade_all(enrol(student, 1), base, overrides=s1 or {})
    if with_s2:
        grade_all(enrol(student, 2), base, overrides=s2 or {})
    return student


# --- Juries --------------------------------------------------------------------------------------

def make_jury(people: dict | int | None = None, number: int = 2, annee: str = ANNEE, jury_date: date = JURY_DATE,
              *, when: date | None = None, president=None) -> JurySession:
    """A jury session, in either of two call styles:

    - `make_jury(people, number=4)`: `people` is the `people` fixture; its president presides and
      sits with its member;
    - `make_jury(2, when=date(…), president=user)`: the semester first; without `president`, a Jury
      user "president-test" (Marc Lacombe) presides alone.
    """
    if isinstance(people, int):
        number, people = people, None
    if people is not None:
        president = people["president"]
        members = [people["president"], people["member"]]
    else:
        president = president or make_user(roles.JURY, username="president-test", first_name="Marc",
                                           last_name="Lacombe")
        members = []
    jury = JurySessionFactory(semester=semester(number), annee=annee, date=when or jury_date, president=president,
                              members=members)
    return JurySession.objects.select_related("semester", "formation", "president").get(pk=jury.pk)


def deliberate(jury: JurySession) -> JurySession:
    """The president deliberates through the decisions service: every proposal becomes a decision."""
    from juries.services.decisions import deliberate as deliberate_jury

    deliberate_jury(jury=jury, by=jury.president)
    return jury


def reopen(jury: JurySession) -> JurySession:
    from juries.services.decisions import reopen as reopen_jury

    reopen_jury(jury=jury, by=jury.president, reason="Erreur de saisie signalée par un enseignant.")
    return jury

"""factory_boy factories for people, enrolments and grades; the structure is the real maquette."""

from __future__ import annotations

from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from juries.models import Enrolment, Enseignement, Evaluation, Grade, Parcours, Semester, Student


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Prénom"
    last_name = factory.Sequence(lambda n: f"Nom{n}")
    password = factory.django.Password("motdepasse-de-test-1")


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


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    student = factory.SubFactory(StudentFactory)
    annee = "2026-2027"
    semester = factory.LazyFunction(lambda: Semester.objects.get(formation__code="BUT-QLIO", number=1))
    parcours = factory.LazyFunction(lambda: Parcours.objects.get(code="OSC"))
    regime = "FI"


def semester(number: int) -> Semester:
    return Semester.objects.get(formation__code="BUT-QLIO", number=number)


def enrol(student: Student, number: int, annee: str = "2026-2027", **kwargs) -> Enrolment:
    return EnrolmentFactory(student=student, semester=semester(number), annee=annee, **kwargs)


def graded_enseignements(number: int) -> list[Enseignement]:
    """Enseignements of a semester that carry a coefficient (the ones that count)."""
    return list(
        Enseignement.objects.filter(semester__number=number, coefficients__value__gt=0).distinct().order_by("code")
    )


def grade_all(enrolment: Enrolment, value: Decimal | str | int = "12", *, overrides: dict | None = None,
              label: str = "DS1") -> list[Grade]:
    """One evaluation per counted enseignement of the enrolment's semester, every grade `value`.

    `overrides` maps an enseignement code to another value, or to "ABI"/"ABJ"/"ABS", or None (missing).
    """
    overrides = overrides or {}
    grades = []
    for ens in graded_enseignements(enrolment.semester.number):
        ev, _ = Evaluation.objects.get_or_create(enseignement=ens, annee=enrolment.annee, label=label)
        v = overrides.get(ens.code, value)
        if v is None:
            continue
        if v in ("ABI", "ABJ", "ABS"):
            grades.append(Grade.objects.create(enrolment=enrolment, evaluation=ev, mark=v))
        else:
            grades.append(Grade.objects.create(enrolment=enrolment, evaluation=ev, value=Decimal(str(v))))
    return grades

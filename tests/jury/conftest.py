"""Builders for jury tests: a promo graded in bulk, UEs made weak on purpose, the jury's people."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group

from juries import roles
from juries.models import Coefficient, Enseignement, Evaluation, Grade, JurySession, Semester, Stage
from tests.factories import StudentFactory, enrol, make_user

ANNEE = "2026-2027"
PREVIOUS = "2025-2026"
JURY_DATE = date(2027, 6, 24)
PASSWORD = "motdepasse-de-test-1"


def semester(number: int) -> Semester:
    return Semester.objects.get(formation__code="BUT-QLIO", number=number)


def counted(number: int) -> list[Enseignement]:
    return list(Enseignement.objects.filter(semester__number=number, coefficients__value__gt=0)
                .distinct().order_by("code"))


def exclusive(ue_key: str) -> list[str]:
    """The enseignements that count only in this UE (so that its average can be lowered alone)."""
    comp, sem = (int(x) for x in ue_key.replace("UE", "").replace("S", "").split())
    rows = list(Coefficient.objects.filter(ue__semester__number=sem, value__gt=0)
                .values_list("enseignement__code", "ue__competence__number"))
    uses = Counter(code for code, _ in rows)
    return sorted({code for code, c in rows if c == comp and uses[code] == 1})


def evaluations(number: int, annee: str = ANNEE, labels=("DS1", "DS2")) -> dict[tuple[str, str], Evaluation]:
    """Two evaluations per counted enseignement (E1 satisfied), dated, common to every student."""
    def stored():
        return {(ev.enseignement.code, ev.label): ev
                for ev in Evaluation.objects.filter(annee=annee, enseignement__semester__number=number,
                                                    label__in=labels).select_related("enseignement")}

    out = stored()
    start = date(int(annee[:4]), 10, 5) if number % 2 else date(int(annee[5:]), 3, 8)
    new = [Evaluation(enseignement=ens, annee=annee, label=label, date=start + timedelta(days=14 * i))
           for ens in counted(number) for i, label in enumerate(labels) if (ens.code, label) not in out]
    if new:
        Evaluation.objects.bulk_create(new)
        out = stored()
    return out


def grade(enrolment, *, base="12", low: dict[str, str] | None = None, overrides: dict | None = None,
          missing: tuple[str, ...] = ()) -> None:
    """Every evaluation of the enrolment's semester graded `base`; `low` maps a UE key to the
    value of its exclusive enseignements; `overrides` maps (code, label) or code to a value or
    ABI/ABJ/ABS; `missing` lists codes left without grade (V2)."""
    number = enrolment.semester.number
    evs = evaluations(number, enrolment.annee)
    values = {}
    for ue_key, value in (low or {}).items():
        for code in exclusive(ue_key):
            values[code] = value
    overrides = overrides or {}
    grades = []
    for (code, label), ev in evs.items():
        if code in missing:
            continue
        v = overrides.get((code, label), overrides.get(code, values.get(code, base)))
        if v in ("ABI", "ABJ", "ABS"):
            grades.append(Grade(enrolment=enrolment, evaluation=ev, mark=v))
        else:
            grades.append(Grade(enrolment=enrolment, evaluation=ev, value=Decimal(str(v))))
    Grade.objects.bulk_create(grades)


def student(numero: str, nom: str, *, semesters=(1, 2), annee: str = ANNEE, low=None, prenom="Léa",
            **grade_kwargs):
    """A student enrolled and graded in `semesters` of `annee`; `low` maps semester → {UE: value}."""
    s = StudentFactory(numero=numero, nom=nom, prenom=prenom)
    enrolments = {}
    for n in semesters:
        e = enrol(s, n, annee)
        grade(e, low=(low or {}).get(n), **grade_kwargs)
        enrolments[n] = e
        if n in (4, 6):
            Stage.objects.create(enrolment=e, start=date(int(annee[5:]), 3, 29),
                                 end=date(int(annee[5:]), 6, 11), company="Bosch Rodez")
    return s, enrolments


def promo(n: int, *, start: int = 0) -> list:
    """`n` BUT1 students of 2026-2027, every fifth one with a weak Qualité (RCUE C1 N1 AJ)."""
    out = []
    for i in range(start, start + n):
        low = {1: {"UE1 S1": "7"}, 2: {"UE1 S2": "7"}} if i % 5 == 0 else None
        out.append(student(f"2600{i:04d}", f"Nom{i:03d}", prenom=f"P{i}", low=low)[0])
    return out


@pytest.fixture
def people(db):
    president = make_user(roles.JURY, "presidente", first_name="Marie", last_name="Curie")
    member = make_user(roles.JURY, "membre", first_name="Paul", last_name="Langevin")
    outsider = make_user(roles.JURY, "autre-jury", first_name="Jean", last_name="Perrin")
    secretariat = make_user(roles.SECRETARIAT, "secretaire", first_name="Sophie", last_name="Vidal", is_staff=True)
    teacher = make_user(roles.ENSEIGNANT, "enseignant")
    Group.objects.get_or_create(name=roles.ETUDIANT)
    return {"president": president, "member": member, "outsider": outsider, "secretariat": secretariat,
            "teacher": teacher}


def make_jury(people, number: int = 2, annee: str = ANNEE, jury_date: date = JURY_DATE) -> JurySession:
    sem = semester(number)
    jury = JurySession.objects.create(formation=sem.formation, semester=sem, annee=annee, date=jury_date,
                                      president=people["president"])
    jury.members.add(people["president"], people["member"])
    return JurySession.objects.select_related("semester", "formation", "president").get(pk=jury.pk)


@pytest.fixture
def jury(maquette, people):
    return make_jury(people)


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client

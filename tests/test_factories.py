"""The factories and builders of tests/factories.py make the rows the other tests believe they make."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from juries import roles
from juries.models import Grade, JurySession
from tests.factories import (
    AbsenceFactory,
    EnrolmentFactory,
    GradeFactory,
    JuryDecisionFactory,
    JurySessionFactory,
    StudentFactory,
    enrol,
    exclusive,
    grade_all,
    graded_enseignements,
    make_jury,
    make_user,
)

pytestmark = pytest.mark.django_db


def test_grade_note_is_a_value_or_an_absence_mark(maquette):
    enrolment = EnrolmentFactory()
    number = GradeFactory(enrolment=enrolment, note="13.5")
    assert (number.value, number.mark) == (Decimal("13.5"), "")
    absent = GradeFactory(enrolment=enrolment, note="ABJ")
    assert (absent.value, absent.mark) == (None, "ABJ")
    # Each grade has its own evaluation, of an enseignement of the enrolment's semester and year.
    assert number.evaluation != absent.evaluation
    assert {number.evaluation.annee, absent.evaluation.annee} == {enrolment.annee}
    assert number.evaluation.enseignement.semester == enrolment.semester


def test_grade_all_grades_every_counted_enseignement_with_overrides_low_ues_and_missing(maquette):
    enrolment = enrol(StudentFactory(), 2)
    counted = [e.code for e in graded_enseignements(2)]
    weak = exclusive("UE1 S2")
    assert weak and set(weak) < set(counted)
    grade_all(enrolment, "12", low={"UE1 S2": "7"}, overrides={"R2.01": "ABI", ("R2.02", "DS2"): "15"},
              missing=("R2.03",), labels=("DS1", "DS2"), dated=True, bulk=True)
    grades = {(g.evaluation.enseignement.code, g.evaluation.label): g
              for g in Grade.objects.filter(enrolment=enrolment).select_related("evaluation__enseignement")}
    assert len(grades) == 2 * (len(counted) - 1)
    assert ("R2.03", "DS1") not in grades
    assert grades[("R2.01", "DS2")].mark == "ABI"
    assert grades[("R2.02", "DS1")].value == Decimal("12") and grades[("R2.02", "DS2")].value == Decimal("15")
    assert all(grades[(code, "DS1")].value == Decimal("7") for code in weak)
    assert grades[("R2.02", "DS1")].evaluation.date < grades[("R2.02", "DS2")].evaluation.date


def test_absence_is_a_morning_justified_on_demand(maquette):
    plain = AbsenceFactory(day=date(2026, 11, 3))
    justified = AbsenceFactory(day=date(2026, 11, 4), justified=True)
    assert (plain.end - plain.start).total_seconds() == 4 * 3600 and plain.justificatif_at is None
    assert justified.justificatif_at == justified.start


def test_make_jury_in_both_call_styles(maquette, people):
    with_people = make_jury(people, number=4)
    assert (with_people.semester.number, with_people.president) == (4, people["president"])
    assert set(with_people.members.all()) == {people["president"], people["member"]}
    alone = make_jury(1, when=date(2027, 1, 28))
    assert (alone.semester.number, alone.date, alone.president.username) == (1, date(2027, 1, 28), "president-test")
    assert not alone.members.exists()
    assert JurySession.objects.count() == 2


def test_decision_belongs_to_an_enrolment_of_its_jury(maquette):
    president = make_user(roles.JURY, "pres")
    decision = JuryDecisionFactory(jury=JurySessionFactory(president=president, members=[president]),
                                   decision_annee="PASD")
    assert decision.enrolment.semester == decision.jury.semester
    assert decision.enrolment.annee == decision.jury.annee
    assert decision.decided_by == president and decision.version == 1

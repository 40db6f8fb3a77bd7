"""Issue 15 finding 5: E3 covers every fact an official relevé prints. After deliberation, an
enrolment's régime, statut and parcours, the student's numero, nom, prénom and INE, and the jury's
members (listed on the PV) change on no path — save, delete, QuerySet update/delete, bulk_update,
the admin, the import — except after a re-opening, which is recorded."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from juries.importers.errors import ImportFailed
from juries.models import Enrolment, JuryEvent, Student
from juries.models.guards import FrozenError
from juries.services.decisions import deliberate, reopen
from juries.services.imports import import_file
from tests.factories import ANNEE, graded_student, make_jury

pytestmark = pytest.mark.django_db


@pytest.fixture
def frozen(maquette, people):
    """A deliberated S2 jury and its one student: (jury, student, the S2 enrolment)."""
    jury = make_jury(people)
    student, enrolments = graded_student("26000100", "Garnier")
    deliberate(jury=jury, by=people["president"])
    return jury, student, enrolments[2]


def refused(attempt) -> None:
    with pytest.raises(FrozenError, match="E3"), transaction.atomic():
        attempt()


def test_an_enrolment_s_printed_facts_are_refused_on_every_orm_path(frozen):
    jury, student, enrolment = frozen
    e = Enrolment.objects.get(pk=enrolment.pk)
    e.regime = "FA"
    qs = Enrolment.objects.filter(pk=enrolment.pk)
    refused(e.save)
    refused(lambda: qs.update(regime="FA"))
    refused(lambda: qs.update(status=Enrolment.Status.DEMISSION))
    refused(lambda: Enrolment.objects.bulk_update([e], ["regime"]))
    refused(Enrolment.objects.get(pk=enrolment.pk).delete)
    refused(qs.delete)
    assert Enrolment.objects.get(pk=enrolment.pk).regime == enrolment.regime
    # What the relevé does not print stays editable (a group, for the timetable).
    qs.update(group="G9")
    assert Enrolment.objects.get(pk=enrolment.pk).group == "G9"


def test_the_student_identity_is_refused_on_every_orm_path(frozen):
    jury, student, enrolment = frozen
    s = Student.objects.get(pk=student.pk)
    s.nom = "Autre"
    refused(s.save)
    refused(lambda: Student.objects.filter(pk=student.pk).update(ine="1234567890A"))
    refused(lambda: Student.objects.bulk_update([s], ["nom"]))
    assert Student.objects.get(pk=student.pk).nom == "Garnier"
    Student.objects.filter(pk=student.pk).update(email="g@example.fr")  # not printed


def test_the_enrolment_import_refuses_the_change_by_line_and_writes_nothing(frozen):
    jury, student, enrolment = frozen
    data = (f"numero;nom;prenom;annee;semestre;regime;redoublement\n"
            f"26000100;{student.nom};{student.prenom};{ANNEE};2;FA;0\n").encode()
    with pytest.raises(ImportFailed) as exc:
        import_file(kind="enrolments", data=data, filename="i.csv")
    assert exc.value.errors[0].line == 2 and "E3" in exc.value.errors[0].message
    assert Enrolment.objects.get(pk=enrolment.pk).regime == "FI"


def test_the_admin_form_gets_the_e3_message_as_a_form_error(frozen):
    """The admin's ModelForm runs full_clean(): the refusal is a form error, not a 403 or a 500."""
    jury, student, enrolment = frozen
    e = Enrolment.objects.get(pk=enrolment.pk)
    e.regime = "FA"
    with pytest.raises(ValidationError, match="réouverture motivée"):
        e.full_clean()
    s = Student.objects.get(pk=student.pk)
    s.prenom = "Autre"
    with pytest.raises(ValidationError, match="réouverture motivée"):
        s.full_clean()


def test_a_deliberated_jury_s_members_cannot_change(frozen, people):
    jury, student, enrolment = frozen
    other = people["outsider"]
    before = set(jury.members.all())
    assert people["member"] in before and other not in before
    refused(lambda: jury.members.add(other))
    refused(lambda: jury.members.remove(people["member"]))
    refused(jury.members.clear)
    refused(lambda: jury.members.set([other]))
    refused(lambda: other.juries.add(jury))
    refused(people["member"].juries.clear)
    assert set(jury.members.all()) == before


def test_after_a_recorded_re_opening_the_facts_can_change(frozen, people):
    jury, student, enrolment = frozen
    reopen(jury=jury, by=people["president"], reason="Régime mal saisi.")
    assert JuryEvent.objects.filter(jury=jury, kind=JuryEvent.Kind.REOPENED).exists()
    Enrolment.objects.filter(pk=enrolment.pk).update(regime="FA")
    s = Student.objects.get(pk=student.pk)
    s.nom = "Garnier-Durand"
    s.save()
    jury.members.add(people["outsider"])
    assert Enrolment.objects.get(pk=enrolment.pk).regime == "FA"

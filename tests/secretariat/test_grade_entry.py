"""Grade entry page for one evaluation: shared validation, optimistic locking, nothing lost."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from juries.models import Evaluation, Grade, JurySession, Semester
from juries.services import grade_entry
from tests.factories import ANNEE, PARIS, JuryDecisionFactory

pytestmark = pytest.mark.django_db


def _url(ev) -> str:
    return reverse("secretariat:saisie", args=[ev.pk])


def _form(sheet_rows, **typed) -> dict:
    """The POST the page sends: every row with its hidden version and initial value, `typed` overriding notes."""
    data = {}
    for e, grade in sheet_rows:
        data[f"note-{e.pk}"] = "" if grade is None or grade.mark else grade.display
        data[f"absence-{e.pk}"] = grade.mark if grade else ""
        data[f"version-{e.pk}"] = str(grade.version) if grade else ""
        data[f"initial-{e.pk}"] = grade.display if grade else ""
    for key, value in typed.items():
        data[key] = value
    return data


def _rows(promo, ds1):
    grades = {g.enrolment_id: g for g in Grade.objects.filter(evaluation=ds1)}
    return [(e, grades.get(e.pk)) for e in promo]


def test_the_page_lists_every_enrolled_student_with_inputs_and_the_script(client, secretary, promo, ds1):
    client.force_login(secretary)
    response = client.get(_url(ds1))
    html = response.content.decode()
    assert response.status_code == 200
    for e in promo:
        assert e.student.nom in html and f'name="note-{e.pk}"' in html and f'name="version-{e.pk}"' in html
    assert "secretariat.js" in html and "<script>" not in html  # CSP: script-src 'self'
    assert "vider une case ne supprime pas la note" in html


def test_saving_goes_through_the_shared_validation(client, secretary, promo, ds1):
    client.force_login(secretary)
    a, b, c = promo
    data = _form(_rows(promo, ds1), **{f"note-{a.pk}": "12,5", f"note-{b.pk}": "12.75", f"absence-{c.pk}": "ABJ"})
    response = client.post(_url(ds1), data)
    assert response.status_code == 302
    got = {g.enrolment_id: (g.value, g.mark, g.version) for g in Grade.objects.filter(evaluation=ds1)}
    assert got == {a.pk: (Decimal("12.5"), "", 1), b.pk: (Decimal("12.75"), "", 1), c.pk: (None, "ABJ", 1)}
    page = client.get(response.url).content.decode()
    assert "Enregistré : 3 notes créées." in page and "Sophie Vidal" in page


def test_a_bad_grade_saves_nothing_and_keeps_what_was_typed(client, secretary, promo, ds1):
    client.force_login(secretary)
    a, b, _ = promo
    response = client.post(_url(ds1), _form(_rows(promo, ds1), **{f"note-{a.pk}": "14", f"note-{b.pk}": "25"}))
    html = response.content.decode()
    assert response.status_code == 400
    assert "Rien n'a été enregistré" in html and "Note 25 hors de l&#x27;intervalle 0 à 20" in html
    assert 'value="25"' in html and 'value="14"' in html
    assert not Grade.objects.exists()


def test_a_row_saved_by_someone_else_in_between_is_refused_not_overwritten(client, secretary, promo, ds1):
    a, b, _ = promo
    Grade.objects.create(enrolment=a, evaluation=ds1, value=Decimal("10"))
    loaded = _rows(promo, ds1)  # the page as the secretary opened it (version 1)
    other = Grade.objects.get(enrolment=a)
    other.value, other.version = Decimal("15"), 2  # a colleague saves 15 meanwhile
    other.save()
    client.force_login(secretary)
    response = client.post(_url(ds1), _form(loaded, **{f"note-{a.pk}": "11", f"note-{b.pk}": "9"}))
    html = response.content.decode()
    assert "Refusée : modifiée entre-temps" in html and "note enregistrée : 15,00" in html
    assert Grade.objects.get(enrolment=a).value == Decimal("15")  # not overwritten
    assert Grade.objects.get(enrolment=b).value == Decimal("9")   # the other row is saved


def test_an_untouched_row_is_not_a_conflict(client, secretary, promo, ds1):
    a, b, _ = promo
    Grade.objects.create(enrolment=a, evaluation=ds1, value=Decimal("10"))
    loaded = _rows(promo, ds1)
    g = Grade.objects.get(enrolment=a)
    g.value, g.version = Decimal("15"), 2
    g.save()
    client.force_login(secretary)
    response = client.post(_url(ds1), _form(loaded, **{f"note-{b.pk}": "9"}))
    assert response.status_code == 302
    assert Grade.objects.get(enrolment=a).value == Decimal("15")


def test_every_save_bumps_the_version(secretary, promo, ds1):
    a = promo[0]
    grade_entry.save_grades(evaluation=ds1, entries=[grade_entry.Entry(a.pk, note="10")], user=secretary)
    g = Grade.objects.get()
    outcome = grade_entry.save_grades(evaluation=ds1, entries=[grade_entry.Entry(a.pk, note="11", version=1,
                                                                                 initial="10,00")], user=secretary)
    assert outcome.saved and not outcome.conflicts
    g.refresh_from_db()
    assert (g.value, g.version) == (Decimal("11"), 2)
    stale = grade_entry.save_grades(evaluation=ds1, entries=[grade_entry.Entry(a.pk, note="12", version=1,
                                                                               initial="10,00")], user=secretary)
    assert a.pk in stale.conflicts


def test_emptying_a_cell_never_deletes_the_grade(client, secretary, promo, ds1):
    a = promo[0]
    Grade.objects.create(enrolment=a, evaluation=ds1, value=Decimal("10"))
    client.force_login(secretary)
    response = client.post(_url(ds1), _form(_rows(promo, ds1), **{f"note-{a.pk}": ""}))
    assert "la note enregistrée est conservée" in response.content.decode()
    assert Grade.objects.get(enrolment=a).value == Decimal("10")


def test_a_grade_and_an_absence_together_are_refused(client, secretary, promo, ds1):
    a = promo[0]
    client.force_login(secretary)
    response = client.post(_url(ds1), _form(_rows(promo, ds1), **{f"note-{a.pk}": "12", f"absence-{a.pk}": "ABI"}))
    assert response.status_code == 400 and "pas les deux" in response.content.decode()
    assert not Grade.objects.exists()


def test_the_page_shows_the_a8_resolution_of_abs(client, secretary, promo, ds1):
    from datetime import datetime

    from juries.services.absences import declare_absence

    a = promo[0]
    declare_absence(student=a.student, start=datetime(2026, 10, 5, 8), end=datetime(2026, 10, 5, 12),
                    declared_at=datetime(2026, 10, 5, 8), justificatif_at=datetime(2026, 10, 5, 15),
                    channel="email", reason="maladie", by=secretary)
    Grade.objects.create(enrolment=a, evaluation=ds1, mark="ABS")
    client.force_login(secretary)
    assert "ABS → ABJ" in client.get(_url(ds1)).content.decode()


def test_the_page_filters_by_group(client, secretary, promo, ds1):
    client.force_login(secretary)
    html = client.get(_url(ds1) + "?groupe=G2").content.decode()
    assert "Durand" in html and "Martin" not in html


def test_the_page_runs_a_bounded_number_of_queries(client, secretary, maquette, r101, django_assert_max_num_queries):
    from tests.factories import StudentFactory, enrol

    ev = Evaluation.objects.create(enseignement=r101, annee="2026-2027", label="DS", date=None)
    for i in range(30):
        e = enrol(StudentFactory(numero=f"2609{i:04d}"), 1, "2026-2027")
        Grade.objects.create(enrolment=e, evaluation=ev, mark="ABS" if i % 5 == 0 else "", value=None if i % 5 == 0 else 10)
    client.force_login(secretary)
    client.get(_url(ev))
    with django_assert_max_num_queries(20):
        assert client.get(_url(ev)).status_code == 200


def test_creating_an_evaluation_from_the_enseignement_page(client, secretary, promo, r101):
    client.force_login(secretary)
    url = reverse("secretariat:evaluation_new", args=["2026-2027", "R1.01"])
    response = client.post(url, {"label": "TP1", "day": "2026-11-20", "weight": "1,5"})
    ev = Evaluation.objects.get(label="TP1")
    assert response.status_code == 302 and response.url == _url(ev)
    assert ev.weight == Decimal("1.5") and ev.history.get().history_user == secretary
    again = client.post(url, {"label": "tp1", "weight": "1"})
    assert again.status_code == 400 and "existe déjà" in again.content.decode()



def _s1_jury(secretary, **kwargs) -> JurySession:
    s1 = Semester.objects.get(number=1)
    return JurySession.objects.create(formation=s1.formation, semester=s1, annee=ANNEE, date=date(2027, 1, 28),
                                      president=secretary, **kwargs)


def test_after_deliberation_the_page_is_read_only_and_says_why(client, secretary, promo, ds1):
    a, *_ = promo
    Grade.objects.create(enrolment=a, evaluation=ds1, value=Decimal("12.75"))
    _s1_jury(secretary, state=JurySession.State.DELIBERATED, deliberated_at=datetime(2027, 1, 28, 17, tzinfo=PARIS))
    client.force_login(secretary)
    html = client.get(_url(ds1)).content.decode()
    assert 'id="read-only"' in html and "a délibéré le 28/01/2027" in html and "E3" in html
    assert 'id="save-grades"' not in html and "secretariat.js" not in html
    assert f'name="note-{a.pk}" value="12,75"' in html
    assert html.count(" disabled>") == 2 * len(promo)  # every grade and every absence choice
    # A page opened before the deliberation and sent after it: refused, the grade kept.
    response = client.post(_url(ds1), _form(_rows(promo, ds1), **{f"note-{a.pk}": "14"}), follow=True)
    assert "Rien n&#x27;a été enregistré. E3 : le jury du S1" in response.content.decode()
    assert Grade.objects.get(enrolment=a).value == Decimal("12.75")


def test_before_deliberation_the_page_is_editable(client, secretary, promo, ds1):
    _s1_jury(secretary)  # in preparation
    client.force_login(secretary)
    html = client.get(_url(ds1)).content.decode()
    assert 'id="read-only"' not in html and 'id="save-grades"' in html and " disabled" not in html


def test_a_student_deliberated_alone_is_read_only_on_their_row(client, secretary, promo, ds1):
    a, b, _ = promo
    JuryDecisionFactory(jury=_s1_jury(secretary), enrolment=a, deliberated_at=timezone.now())
    client.force_login(secretary)
    html = client.get(_url(ds1)).content.decode()
    assert 'id="read-only-rows"' in html and "1 ligne en consultation seulement" in html
    assert html.count(" disabled>") == 2 and 'id="save-grades"' in html
    response = client.post(_url(ds1), _form(_rows(promo, ds1), **{f"note-{a.pk}": "14", f"note-{b.pk}": "9"}))
    assert response.status_code == 302
    assert {g.enrolment_id: g.value for g in Grade.objects.filter(evaluation=ds1)} == {b.pk: Decimal("9")}

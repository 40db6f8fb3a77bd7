"""Issue 15 finding 6: NUL and other control characters in a path, a query or a form field are a
400 (or a 404) before any query — on PostgreSQL a NUL in a query is a `psycopg.DataError` (500), so
the test asserts that not one query runs, which holds whatever the database."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import StudentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat(people):
    client = Client()
    client.force_login(people["secretariat"])
    return client


@pytest.mark.parametrize("url", [
    "/secretariat/absences/?q=%00",
    "/secretariat/absences/?q=a%00b",
    "/secretariat/absences/?q%00=1",
    "/jurys/1/etudiants/a%00b/",
    "/secretariat/etudiants/22%0000001/absences/",
    "/secretariat/notes/2026-2027/R1.01%00/",
    "/secretariat/notes/2026-2027/R1.01/feuille.xlsx?groupe=%22%0d%0aX:1",
    "/releves/verifier/ABC%1bD/",
    "/releves/verifier/?code=%7f",
])
def test_a_control_character_in_the_url_is_refused_before_any_query(secretariat, url,
                                                                     django_assert_max_num_queries):
    with django_assert_max_num_queries(0):
        response = secretariat.get(url)
    assert response.status_code == 400


def test_the_same_pages_without_the_control_character_still_answer(secretariat, maquette):
    StudentFactory(numero="22000001")
    assert secretariat.get("/secretariat/absences/?q=ab").status_code == 200
    assert secretariat.get("/secretariat/etudiants/22000001/absences/").status_code == 200


def test_a_nul_in_a_form_field_is_refused_but_a_textarea_keeps_its_line_breaks(secretariat,
                                                                             django_assert_max_num_queries):
    with django_assert_max_num_queries(0):
        response = secretariat.post("/secretariat/absences/declarer/", {"numero": "2200\x000001", "motif": "x"})
    assert response.status_code == 400
    assert "secretariat/absence_form.html" not in [t.name for t in response.templates]
    # Tab, CR and LF are what a textarea sends: such a form reaches its view (its own form errors).
    response = secretariat.post("/secretariat/absences/declarer/", {"numero": "22000001", "motif": "a\r\n\tb"})
    assert "secretariat/absence_form.html" in [t.name for t in response.templates]

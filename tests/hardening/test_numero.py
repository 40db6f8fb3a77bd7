"""Issue 15 finding 1: a `numero` goes in URLs, so it is validated on the way in
(`[A-Za-z0-9]{1,20}`, CONTRACTS.md) and every URL that carries one accepts exactly that."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import NoReverseMatch, reverse

from juries.importers.errors import ImportFailed
from juries.models import Student
from juries.services.imports import import_file
from tests.factories import StudentFactory

pytestmark = pytest.mark.django_db

HEADER = "numero;nom;prenom;annee;semestre\n"


@pytest.mark.parametrize("numero", ["99/000006", "22 000001", "Élodie1", "a" * 21, "a%00b", "../x", "x.y"])
def test_an_import_refuses_a_numero_that_cannot_go_in_a_url(maquette, numero):
    data = (HEADER + f"{numero};Martin;Léa;2026-2027;1\n" + "22000002;Durand;Paul;2026-2027;1\n").encode()
    with pytest.raises(ImportFailed) as exc:
        import_file(kind="enrolments", data=data, filename="i.csv")
    errors = exc.value.errors
    assert [(e.line, e.column) for e in errors] == [(2, "numero")]
    assert "1 à 20 lettres ou chiffres" in errors[0].message
    assert not Student.objects.exists()  # all or nothing: the good row is not written either


@pytest.mark.parametrize("cell", [22000001, 22000001.0, "22000001"])
def test_an_xlsx_number_cell_reads_as_the_numero(maquette, cell):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["numero", "nom", "prenom", "annee", "semestre"])
    ws.append([cell, "Martin", "Léa", "2026-2027", 1])
    buf = io.BytesIO()
    wb.save(buf)
    import_file(kind="enrolments", data=buf.getvalue(), filename="i.xlsx")
    assert list(Student.objects.values_list("numero", flat=True)) == ["22000001"]


def test_the_model_refuses_a_slash_so_the_admin_form_does_too(admin_client):
    with pytest.raises(ValidationError) as exc:
        Student(numero="99/000006", nom="Martin", prenom="Léa").full_clean()
    assert "numero" in exc.value.message_dict
    response = admin_client.post(reverse("admin:juries_student_add"),
                                 {"numero": "99/000006", "nom": "Martin", "prenom": "Léa"})
    assert response.status_code == 200  # the form again, with its error
    assert "1 à 20 lettres ou chiffres" in response.content.decode()
    assert not Student.objects.exists()


def test_urls_carrying_a_numero_match_what_is_stored(maquette, people):
    s = StudentFactory(numero="AB12cd34")
    assert reverse("jury:student", args=[1, s.numero]).endswith("/etudiants/AB12cd34/")
    assert reverse("secretariat:student_absences", args=[s.numero]) == "/secretariat/etudiants/AB12cd34/absences/"
    for bad in ("99/000006", "a.b", "x" * 21):
        with pytest.raises(NoReverseMatch):
            reverse("secretariat:student_absences", args=[bad])
    from django.test import Client

    client = Client()
    client.force_login(people["secretariat"])
    assert client.get("/secretariat/etudiants/a.b/absences/").status_code == 404

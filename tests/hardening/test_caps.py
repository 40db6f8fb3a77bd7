"""Issue 15 finding 4: every path that reads a file caps its rows, and no error list is unbounded
(« … et 149 850 autres erreurs »): a 150,000-line file of unknown students made a 31 MB page."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from juries.importers.errors import MAX_ERRORS, ImportFailed, more_errors_message
from juries.models import Enseignement, Grade
from juries.services import feuille
from juries.services.imports import import_file
from tests.factories import ANNEE, EvaluationFactory, StudentFactory, enrol

pytestmark = pytest.mark.django_db

GRADES = "numero;annee;semestre;code;evaluation;coefficient;date;note\n"


def _unknown_students(n: int) -> bytes:
    return (GRADES + "".join(f"9{i:07d};{ANNEE};1;R1.01;DS1;1;2026-10-05;12\n" for i in range(n))).encode()


def test_the_count_of_the_other_errors_reads_in_french():
    assert more_errors_message(149_850) == "… et 149\u00a0850 autres erreurs"
    assert more_errors_message(1) == "… et 1 autre erreur"


def test_an_import_lists_a_bounded_number_of_errors_and_counts_the_others(maquette):
    with pytest.raises(ImportFailed) as exc:
        import_file(kind="grades", data=_unknown_students(1000), filename="n.csv")
    assert exc.value.total == 1000
    assert len(exc.value.errors) == MAX_ERRORS + 1
    assert exc.value.errors[-1].message == f"… et {1000 - MAX_ERRORS} autres erreurs"


def test_an_import_command_prints_the_bounded_list_and_the_true_count(maquette, tmp_path, capsys):
    path = tmp_path / "n.csv"
    path.write_bytes(_unknown_students(1000))
    with pytest.raises(SystemExit):
        call_command("import_grades", str(path))
    err = capsys.readouterr().err
    assert len(err.splitlines()) == MAX_ERRORS + 2
    assert f"… et {1000 - MAX_ERRORS} autres erreurs" in err and "Import refusé : 1000 erreurs" in err


@pytest.fixture
def secretariat(people):
    client = Client()
    client.force_login(people["secretariat"])
    return client


def test_the_admin_import_page_is_bounded(secretariat, maquette):
    response = secretariat.post(reverse("admin:juries_grade_contract_import"),
                                {"fichier": SimpleUploadedFile("n.csv", _unknown_students(1000))})
    html = response.content.decode()
    assert response.status_code == 400 and "1000 erreurs" in html
    assert html.count("<li>ligne") == MAX_ERRORS and f"… et {1000 - MAX_ERRORS} autres erreurs" in html


@pytest.fixture
def r101(maquette):
    r101 = Enseignement.objects.get(code="R1.01")
    enrol(StudentFactory(numero="26000001", nom="Martin"), 1, ANNEE)
    EvaluationFactory(enseignement=r101, annee=ANNEE, label="DS1")
    return r101


def _feuille_with_unknown_students(r101, n: int) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(feuille.build_feuille(enseignement=r101, annee=ANNEE)))
    ws = wb.worksheets[0]
    for i in range(n):
        ws.append([f"9{i:07d}", "Inconnu", "X", 12])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_the_feuille_upload_lists_a_bounded_number_of_errors(secretariat, r101):
    response = secretariat.post(reverse("secretariat:feuille_upload", args=[ANNEE, "R1.01"]),
                                {"fichier": SimpleUploadedFile("f.xlsx", _feuille_with_unknown_students(r101, 600))})
    html = response.content.decode()
    assert response.status_code == 400 and "600 erreurs" in html
    assert len(re.findall(r'<td class="cellref">[A-Z]+\d+</td>', html)) == MAX_ERRORS
    assert f"… et {600 - MAX_ERRORS} autres erreurs" in html
    assert not Grade.objects.exists()


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_the_feuille_upload_has_a_row_cap(secretariat, r101, kind):
    n = feuille.MAX_FEUILLE_ROWS + 10
    if kind == "xlsx":
        data, name = _feuille_with_unknown_students(r101, n), "f.xlsx"
    else:
        data, name = ("numero;nom;prenom;DS1\n" + "".join(f"9{i:07d};X;Y;12\n" for i in range(n))).encode(), "f.csv"
    response = secretariat.post(reverse("secretariat:feuille_upload", args=[ANNEE, "R1.01"]),
                                {"fichier": SimpleUploadedFile(name, data)})
    html = response.content.decode()
    assert response.status_code == 400 and "Trop de lignes" in html
    assert not Grade.objects.exists()


def test_a_sheet_declaring_16384_columns_is_read_on_its_useful_width(maquette):
    """openpyxl pads every row to the declared width: a 36 kB file declaring XFD held a worker 34 s."""
    from juries.importers.tabular import MAX_COLUMNS, read_grid

    wb = openpyxl.Workbook()
    ws = wb.active
    for i in range(50):
        ws.append([f"9{i:07d}", "X"])
    ws["XFD50"] = 1
    buf = io.BytesIO()
    wb.save(buf)
    rows = read_grid(buf.getvalue(), "f.xlsx")
    assert len(rows) == 50 and {len(r) for r in rows} == {MAX_COLUMNS}
    assert rows[0][:2] == ["90000000", "X"]

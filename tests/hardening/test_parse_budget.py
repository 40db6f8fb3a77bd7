"""Issue 15, "Build": a spreadsheet parse that runs past its time budget (QLIO_IMPORT_TIME_BUDGET)
is stopped with a French message, on every path that reads a file; and the error list is capped
(« … et N autres erreurs ») on every one of them, the web pages included."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from juries.importers import decisions
from juries.importers.errors import MAX_ERRORS, ImportFailed
from juries.importers.tabular import read_grid
from juries.models import Enrolment, Enseignement, Grade
from juries.services import feuille
from juries.services.imports import KINDS, import_file
from tests.factories import ANNEE, EvaluationFactory, StudentFactory, enrol, grade_all

pytestmark = pytest.mark.django_db

STOPPED = "Lecture du fichier arrêtée : elle a dépassé"
TINY = 0.0001


def _csv(n: int) -> bytes:
    header = "numero;annee;semestre;code;evaluation;coefficient;date;note\n"
    return (header + "".join(f"9{i:07d};{ANNEE};1;R1.01;DS1;1;2026-10-05;12\n" for i in range(n))).encode()


def _xlsx(rows: list[list]) -> bytes:
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture
def tiny_budget(settings):
    settings.QLIO_IMPORT_TIME_BUDGET = TINY


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_parse_past_its_budget_is_stopped_with_a_french_message(tiny_budget, kind):
    data = _csv(3000) if kind == "csv" else _xlsx([["numero", "note"]] + [[f"9{i:07d}", 12] for i in range(3000)])
    with pytest.raises(ImportFailed) as exc:
        read_grid(data, f"f.{kind}")
    assert str(exc.value) == (f"{STOPPED} 0,0001 seconde de calcul. Diviser le fichier, ou l'enregistrer à nouveau depuis "
                              "le tableur (.xlsx ou CSV UTF-8).")


def test_within_the_default_budget_the_same_file_is_read(maquette):
    assert len(read_grid(_csv(3000), "f.csv")) == 3001


def test_the_budget_is_a_setting_in_seconds(settings):
    settings.QLIO_IMPORT_TIME_BUDGET = 20
    from juries.importers.tabular import ParseBudget

    assert ParseBudget().seconds == 20.0


def test_an_import_command_stops_past_the_budget(tiny_budget, maquette, tmp_path, capsys):
    path = tmp_path / "n.csv"
    path.write_bytes(_csv(3000))
    with pytest.raises(SystemExit):
        call_command("import_grades", str(path))
    err = capsys.readouterr().err
    assert STOPPED in err and "Traceback" not in err


@pytest.fixture
def secretariat(people):
    client = Client()
    client.force_login(people["secretariat"])
    return client


def test_the_admin_import_page_stops_past_the_budget(tiny_budget, secretariat, maquette):
    response = secretariat.post(reverse("admin:juries_grade_contract_import"),
                                {"fichier": SimpleUploadedFile("n.csv", _csv(3000))})
    assert response.status_code == 400 and STOPPED in response.content.decode()


@pytest.fixture
def r101(maquette):
    r101 = Enseignement.objects.get(code="R1.01")
    enrol(StudentFactory(numero="26000001", nom="Martin"), 1, ANNEE)
    EvaluationFactory(enseignement=r101, annee=ANNEE, label="DS1")
    return r101


def _feuille(r101, n: int) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(feuille.build_feuille(enseignement=r101, annee=ANNEE)))
    for i in range(n):
        wb.worksheets[0].append([f"9{i:07d}", "Inconnu", "X", 12])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_the_feuille_upload_stops_past_the_budget(tiny_budget, secretariat, r101):
    response = secretariat.post(reverse("secretariat:feuille_upload", args=[ANNEE, "R1.01"]),
                                {"fichier": SimpleUploadedFile("f.xlsx", _feuille(r101, 1500))})
    assert response.status_code == 400 and STOPPED in response.content.decode()
    assert not Grade.objects.exists()


def test_the_feuille_hidden_sheet_is_read_within_a_budget_too(settings, r101):
    """The versions sheet of a downloaded feuille is a second parse of the same file."""
    grade_all(Enrolment.objects.get(student__numero="26000001"), "12")
    data = feuille.build_feuille(enseignement=r101, annee=ANNEE)
    assert feuille._downloaded_state(data)
    settings.QLIO_IMPORT_TIME_BUDGET = 0
    with pytest.raises(ImportFailed) as exc:
        feuille._downloaded_state(data)
    assert STOPPED in str(exc.value)


# ------------------------------------------------------------------ the error-list cap, every path

def _admins_with_an_import():
    return sorted((m._meta.model_name, ma.import_kind) for m, ma in admin.site._registry.items()
                  if getattr(ma, "import_kind", ""))


def _every_row_wrong(kind: str, n: int) -> bytes:
    """The kind's required columns, then `n` rows whose every cell is wrong."""
    required = decisions.REQUIRED if kind == "decisions" else KINDS[kind][1]
    return (";".join(required) + "\n" + "".join(";".join(["?"] * len(required)) + "\n" for _ in range(n))).encode()


def test_every_admin_import_is_swept():
    kinds = {kind for _model, kind in _admins_with_an_import()}
    assert kinds == {*KINDS, "decisions"}


@pytest.mark.parametrize("model, kind", _admins_with_an_import())
def test_every_admin_import_page_caps_its_error_list(secretariat, maquette, model, kind):
    n = MAX_ERRORS + 50
    response = secretariat.post(reverse(f"admin:juries_{model}_contract_import"),
                                {"fichier": SimpleUploadedFile("n.csv", _every_row_wrong(kind, n))})
    html = response.content.decode()
    assert response.status_code == 400
    assert html.count("<li>ligne") == MAX_ERRORS
    assert "autres erreurs" in html and "… et " in html


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_import_service_caps_its_error_list(maquette, kind):
    with pytest.raises(ImportFailed) as exc:
        import_file(kind=kind, data=_every_row_wrong(kind, MAX_ERRORS + 50), filename="n.csv")
    assert len(exc.value.listed) == MAX_ERRORS and exc.value.omitted >= 50
    assert exc.value.errors[-1].message.startswith("… et ")

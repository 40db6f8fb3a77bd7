"""Issue 15 finding 2: a malformed XLSX inside a valid ZIP (truncated sheet XML, "billion laughs"
entities, a corrupt zip member) is a French error by file on every path that reads a spreadsheet:
the feuille upload, the admin imports and the import_* commands — never a 500 or a traceback.

openpyxl's read-only mode parses a sheet while its rows are read, so these files open fine and
fail later: the tests build such files and go through each path."""

from __future__ import annotations

import io
import re
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from juries.importers.errors import ImportFailed
from juries.models import Enseignement, Grade, Student
from juries.services import feuille
from juries.services.imports import import_file
from tests.factories import ANNEE, EvaluationFactory, StudentFactory, enrol

pytestmark = pytest.mark.django_db

SHEET = "xl/worksheets/sheet1.xml"
LAUGHS = (
    '<!DOCTYPE worksheet [<!ENTITY lol "lollollollollollollollollollol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    + "]>"
)


def _workbook(rows: list[list]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _rewrite(data: bytes, member: str, change) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            body = src.read(info.filename)
            zf.writestr(info.filename, change(body) if info.filename == member else body)
    return out.getvalue()


def truncated(data: bytes, member: str = SHEET) -> bytes:
    return _rewrite(data, member, lambda body: body[: len(body) * 2 // 3])


def billion_laughs(data: bytes, member: str = SHEET) -> bytes:
    def change(body: bytes) -> bytes:
        body = re.sub(rb"<\?xml[^>]*\?>", b"", body)
        body = body.replace(b"<t>X</t>", b"<t>&lol9;</t>", 1)
        return b'<?xml version="1.0" encoding="UTF-8"?>' + LAUGHS.encode() + body
    return _rewrite(data, member, change)


def bad_member(data: bytes, member: str = SHEET) -> bytes:
    """The sheet's compressed bytes damaged in place: the ZIP's directory is intact, its CRC is not."""
    buf = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        info = zf.getinfo(member)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for i in range(start + info.compress_size // 3, start + info.compress_size // 2):
        buf[i] ^= 0x5A
    return bytes(buf)


BREAKERS = {"truncated": truncated, "billion laughs": billion_laughs, "bad zip member": bad_member}

ENROLMENTS = [["numero", "nom", "prenom", "annee", "semestre"]] + [
    [f"2200{i:04d}", "X", "Léa", ANNEE, 1] for i in range(40)
]


@pytest.mark.parametrize("breaker", BREAKERS.values(), ids=BREAKERS.keys())
def test_the_imports_give_a_french_error_by_file(maquette, breaker):
    with pytest.raises(ImportFailed) as exc:
        import_file(kind="enrolments", data=breaker(_workbook(ENROLMENTS)), filename="i.xlsx")
    assert "Fichier XLSX illisible ou corrompu" in str(exc.value)
    assert not Student.objects.exists()


@pytest.mark.parametrize("breaker", BREAKERS.values(), ids=BREAKERS.keys())
def test_import_commands_print_french_and_exit_1_without_traceback(maquette, breaker, tmp_path, capsys):
    path = tmp_path / "i.xlsx"
    path.write_bytes(breaker(_workbook(ENROLMENTS)))
    with pytest.raises(SystemExit) as exit_:
        call_command("import_enrolments", str(path))
    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert "Fichier XLSX illisible ou corrompu" in err and "Traceback" not in err


@pytest.fixture
def secretariat(people):
    client = Client(raise_request_exception=False)
    client.force_login(people["secretariat"])
    return client


@pytest.mark.parametrize("breaker", BREAKERS.values(), ids=BREAKERS.keys())
def test_the_admin_import_answers_400_with_the_french_error(secretariat, maquette, breaker):
    response = secretariat.post(reverse("admin:juries_enrolment_contract_import"),
                                {"fichier": SimpleUploadedFile("i.xlsx", breaker(_workbook(ENROLMENTS)))})
    assert response.status_code == 400
    assert "Fichier XLSX illisible ou corrompu" in response.content.decode()


@pytest.fixture
def r101(maquette):
    r101 = Enseignement.objects.get(code="R1.01")
    for i in range(30):
        enrol(StudentFactory(numero=f"2600{i:04d}", nom="X"), 1, ANNEE)
    EvaluationFactory(enseignement=r101, annee=ANNEE, label="DS1")
    return r101


def _feuille(r101) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(feuille.build_feuille(enseignement=r101, annee=ANNEE)))
    ws = wb.worksheets[0]
    for row in range(feuille.FIRST_STUDENT_ROW, ws.max_row + 1):
        ws.cell(row, 4, 12)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("breaker", BREAKERS.values(), ids=BREAKERS.keys())
@pytest.mark.parametrize("member", [SHEET, "xl/worksheets/sheet2.xml"], ids=["sheet", "hidden sheet"])
def test_the_feuille_upload_answers_400_with_the_french_error(secretariat, r101, breaker, member):
    data = _feuille(r101)
    if breaker is billion_laughs:  # the entity goes where a text cell is
        data = _rewrite(data, member, lambda body: re.sub(rb"<t>[^<]*</t>", b"<t>X</t>", body, count=1))
    response = secretariat.post(reverse("secretariat:feuille_upload", args=[ANNEE, "R1.01"]),
                                {"fichier": SimpleUploadedFile("f.xlsx", breaker(data, member))})
    assert response.status_code == 400
    assert "illisible ou corrompu" in response.content.decode()
    assert not Grade.objects.exists()

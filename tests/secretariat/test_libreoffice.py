"""A feuille de notes as a secretary really saves it: opened and saved again by LibreOffice Calc.

`feuille_r101_libreoffice.xlsx` was made by the live test below on a machine with LibreOffice
(Debian's libreoffice-calc-nogui, 7.4): the application's download, filled with openpyxl as a
secretary types (a decimal comma kept as text, a number, ABI, an empty cell), then saved by
`soffice --headless --convert-to xlsx`. LibreOffice rewrites every part of the file (styles,
shared strings, the hidden versions sheet, the data validations): the committed file is what the
application must read. Regenerate it with `QLIO_WRITE_LO_FIXTURE=1 pytest tests/secretariat/test_libreoffice.py`.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from juries.models import Grade
from juries.services import feuille
from juries.services.feuille import FIRST_STUDENT_ROW

from .conftest import ANNEE

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).parent / "fixtures" / "feuille_r101_libreoffice.xlsx"
TYPED = {"26000001": "14,5", "26000002": 12.75, "26000003": "ABI"}
EXPECTED = {"26000001": "14,50", "26000002": "12,75", "26000003": "ABI"}


def _filled(r101) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(feuille.build_feuille(enseignement=r101, annee=ANNEE)))
    ws = wb.worksheets[0]
    for row in range(FIRST_STUDENT_ROW, ws.max_row + 1):
        numero = ws.cell(row, 1).value
        if numero in TYPED:
            ws.cell(row, 4).value = TYPED[numero]
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _resaved_by_libreoffice(data: bytes, tmp_path: Path) -> bytes:
    source, target = tmp_path / "in", tmp_path / "out"
    source.mkdir()
    (source / "feuille.xlsx").write_bytes(data)
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
         "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(target), str(source / "feuille.xlsx")],
        check=True, capture_output=True, timeout=180,
    )
    return (target / "feuille.xlsx").read_bytes()


def _stored() -> dict[str, str]:
    return {g.enrolment.student.numero: g.display for g in Grade.objects.select_related("enrolment__student")}


def test_a_feuille_saved_by_libreoffice_is_read_grade_for_grade(r101, promo, ds1, secretary):
    data = FIXTURE.read_bytes()
    assert zip_says_libreoffice(data)  # the committed file really is LibreOffice's
    outcome = feuille.upload_feuille(enseignement=r101, annee=ANNEE, data=data, filename="feuille.xlsx",
                                     user=secretary)
    assert not outcome.created_evaluations
    assert _stored() == EXPECTED
    assert Grade.objects.get(enrolment__student__numero="26000002").value == Decimal("12.75")


def zip_says_libreoffice(data: bytes) -> bool:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return "LibreOffice" in z.read("docProps/app.xml").decode("utf-8", "replace")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (libreoffice-calc-nogui) absent")
def test_a_feuille_resaved_by_libreoffice_now_is_read(r101, promo, ds1, secretary, tmp_path):
    data = _resaved_by_libreoffice(_filled(r101), tmp_path)
    assert zip_says_libreoffice(data)
    if os.environ.get("QLIO_WRITE_LO_FIXTURE") == "1":
        FIXTURE.write_bytes(data)
    feuille.upload_feuille(enseignement=r101, annee=ANNEE, data=data, filename="feuille.xlsx", user=secretary)
    assert _stored() == EXPECTED

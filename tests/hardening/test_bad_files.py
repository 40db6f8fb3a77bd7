"""Bad files: size limit, wrong types, zip bombs, formulas, huge sheets, and a fuzz of the parsers.

Whatever the bytes, an import ends in a French ImportFailed or a success — never a crash, never a
partial write.
"""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from juries.importers.errors import ImportFailed
from juries.importers.tabular import read_table
from juries.models import Evaluation, Grade, Student
from juries.services.imports import import_file
from tests.factories import StudentFactory, enrol

pytestmark = pytest.mark.django_db


def test_files_over_the_size_limit_are_refused(maquette, settings):
    settings.QLIO_MAX_UPLOAD_BYTES = 1000
    with pytest.raises(ImportFailed) as exc:
        import_file(kind="grades", data=b"numero;note\n" + b"1;10\n" * 500, filename="n.csv")
    assert "Fichier trop volumineux" in str(exc.value)


@pytest.mark.parametrize("name, data", [
    ("notes.pdf", b"%PDF-1.7 ..."),
    ("notes.exe", b"MZ\x90\x00"),
    ("notes.csv", b"\x00\x01\x02binary\x00"),
])
def test_wrong_file_types_are_refused(maquette, name, data):
    with pytest.raises(ImportFailed) as exc:
        import_file(kind="grades", data=data, filename=name)
    assert any(w in str(exc.value) for w in ("Type de fichier refusé", "binaire", "UTF-8"))


def test_an_xlsx_zip_bomb_is_refused_before_it_is_unpacked(maquette):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<x/>")
        zf.writestr("xl/worksheets/sheet1.xml", "0" * 50_000_000)  # 50 MB of zeros, ~50 kB packed
    with pytest.raises(ImportFailed) as exc:
        import_file(kind="grades", data=buf.getvalue(), filename="bomb.xlsx")
    assert "anormalement volumineux" in str(exc.value)


def test_a_corrupt_xlsx_gets_a_french_message(maquette):
    with pytest.raises(ImportFailed) as exc:
        import_file(kind="grades", data=b"PK\x03\x04 not really a zip", filename="x.xlsx")
    assert "illisible" in str(exc.value)


def test_a_sheet_above_the_row_limit_is_refused_without_reading_it_all(maquette, settings):
    settings.QLIO_MAX_IMPORT_ROWS = 50_000
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(["numero", "annee", "semestre", "code", "evaluation", "note"])
    for i in range(50_002):
        ws.append([f"{i:08d}", "2026-2027", 1, "R1.01", "DS1", 10])
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(ImportFailed) as exc:
        read_table(buf.getvalue(), "big.xlsx")
    assert "Trop de lignes" in str(exc.value)


VALID_HEADER = "numero;annee;semestre;code;evaluation;coefficient;date;note\n"


@pytest.fixture
def one_student(maquette):
    s = StudentFactory(numero="22000001")
    enrol(s, 1)
    return s


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=400))
def test_fuzz_random_bytes_never_crash_nor_write(one_student, data):
    before = (Grade.objects.count(), Evaluation.objects.count(), Student.objects.count())
    for name in ("f.csv", "f.xlsx"):
        try:
            import_file(kind="grades", data=data, filename=name)
        except ImportFailed as exc:
            assert all(str(e) for e in exc.errors)
    after = (Grade.objects.count(), Evaluation.objects.count(), Student.objects.count())
    # Random bytes can only ever be refused: nothing half written.
    assert after == before


cells = st.one_of(
    st.sampled_from(["22000001", "22000002", "2026-2027", "2026/2027", "1", "7", "R1.01", "SAÉ 1.01", "R9.99",
                     "DS1", "12,5", "12.5", "21", "-3", "ABI", "ABS", "abj", "", "=1+1", "2026-10-05", "2", "0"]),
    st.text(max_size=8),
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(cells, min_size=8, max_size=8), min_size=1, max_size=6))
@example(rows=[["22000001", "2026-2027", "¹", "R1.01", "DS1", "", "", "12"]])  # found by this test: a crash
def test_fuzz_near_valid_rows_are_all_or_nothing(one_student, rows):
    text = VALID_HEADER + "".join(";".join(c.replace(";", "").replace("\n", "").replace("\r", "").replace('"', "")
                                           for c in row) + "\n" for row in rows)
    before = Grade.objects.count()
    try:
        report = import_file(kind="grades", data=text.encode("utf-8"), filename="f.csv")
    except ImportFailed as exc:
        assert Grade.objects.count() == before
        for e in exc.errors:
            assert e.line is None or e.line >= 1
            assert str(e).startswith(("ligne ", "Fichier", "Le fichier", "Trop", "Type", "CSV", "encodage"))
    else:
        assert Grade.objects.count() - before == report.created

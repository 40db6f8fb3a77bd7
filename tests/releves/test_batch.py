"""A jury's relevés in one go: from the web (background job with progress), from the command, and
in a number of queries that does not depend on the number of students."""

from __future__ import annotations

import io
import subprocess
import time
import zipfile

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from juries import roles
from juries.models import Releve
from juries.presenters.releve import prepare_releves, releve_filename
from juries.services import releve_batch
from juries.services.releve_codes import issue_releve_codes, new_code, normalise_code
from tests.factories import make_user

from .conftest import ANNEE, but1_student, deliberate, make_jury, overrides, pdf_text

pytestmark = pytest.mark.django_db


def pages(path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


@pytest.fixture
def promo(maquette):
    students = [
        but1_student("26000301", "Lefèvre-Dupré", "Zoé"),
        but1_student("26000302", "N'Diaye", "Moussa", s1=overrides(1, ue1="8"), s2=overrides(2, ue2="8")),
        but1_student("26000303", "Ødegård", "Åsa", s1=overrides(1, ue3="4"), s2=overrides(2, ue3="4")),
    ]
    return students, make_jury(2)


def test_filenames_are_ascii_folded_and_safe():
    assert releve_filename(numero="26000301", nom="Lefèvre-Dupré", semester=2, annee=ANNEE) == \
        "26000301_Lefevre-Dupre_S2_2026-2027.pdf"
    assert releve_filename(numero="26000302", nom="N'Diaye / ../x", semester=2, annee=ANNEE) == \
        "26000302_N-Diaye-x_S2_2026-2027.pdf"
    assert releve_filename(numero="1", nom="Ødegård", semester=1, annee=ANNEE) == "1_degard_S1_2026-2027.pdf"


def test_codes_use_the_unambiguous_alphabet_and_normalise_what_people_type():
    codes = {new_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert len(code) == 14 and code.startswith("QLIO-")
        assert not set(code[5:].replace("-", "")) & set("01OIL")
    assert normalise_code(" qlio 7k3m 9xq2 ") == "QLIO-7K3M-9XQ2"
    assert normalise_code("7K3M9XQ2") == "QLIO-7K3M-9XQ2"
    assert normalise_code("QLIO-7K3M-9XQ0") is None  # 0 is not in the alphabet
    assert normalise_code("QLIO-7K3M") is None


def test_web_batch_shows_progress_then_offers_the_zip_and_the_merged_pdf(client, promo, settings, tmp_path):
    settings.QLIO_RELEVES_DIR = str(tmp_path / "lots")
    students, jury = promo
    deliberate(jury)
    client.force_login(make_user(roles.SECRETARIAT, username="secretariat"))
    response = client.post(reverse("releves:batch_start", args=[jury.pk]))
    assert response.status_code == 302
    page_url = response["Location"]
    job_id = page_url.rstrip("/").split("/")[-1]
    page = client.get(page_url).content.decode()
    assert "/ 3" in page and 'src="/static/releves.js"' in page
    assert f'data-status-url="/releves/lots/{job_id}/etat/"' in page
    status_url = reverse("releves:batch_status", args=[job_id])
    deadline = time.monotonic() + 120
    seen = []
    while time.monotonic() < deadline:
        status = client.get(status_url).json()
        seen.append(status["done"])
        if status["state"] != "running":
            break
        time.sleep(0.1)
    assert status["state"] == "done", status
    assert status["done"] == status["total"] == 3
    assert seen == sorted(seen)

    zip_response = client.get(status["zip_url"])
    assert zip_response["Content-Type"] == "application/zip"
    assert 'filename="releves_S2_2026-2027.zip"' in zip_response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(zip_response.streaming_content)))
    assert sorted(archive.namelist()) == [
        "26000301_Lefevre-Dupre_S2_2026-2027.pdf",
        "26000302_N-Diaye_S2_2026-2027.pdf",
        "26000303_degard_S2_2026-2027.pdf",
    ]
    text = pdf_text(archive.read("26000302_N-Diaye_S2_2026-2027.pdf"), tmp_path)
    assert "N'DIAYE" in text and "Moussa" in text
    code = Releve.objects.get(enrolment__student__numero="26000302").code
    assert code in text

    pdf_response = client.get(status["pdf_url"])
    merged = tmp_path / "merged.pdf"
    merged.write_bytes(b"".join(pdf_response.streaming_content))
    per_student = 0
    for name in archive.namelist():
        one = tmp_path / name
        one.write_bytes(archive.read(name))
        per_student += pages(one)
    assert pages(merged) == per_student
    merged_text = pdf_text(merged.read_bytes(), tmp_path, "merged")
    assert merged_text.index("LEFÈVRE-DUPRÉ") < merged_text.index("N'DIAYE") < merged_text.index("ØDEGÅRD")
    assert Releve.objects.filter(jury=jury).count() == 3


def test_batch_of_an_open_jury_is_provisional(client, promo, settings, tmp_path, monkeypatch):
    settings.QLIO_RELEVES_DIR = str(tmp_path / "lots")
    _, jury = promo
    client.force_login(make_user(roles.SECRETARIAT, username="secretariat"))
    page = client.get(reverse("releves:jury", args=[jury.pk])).content.decode()
    assert "provisoires" in page and "Générer les 3 relevés" in page
    response = client.post(reverse("releves:batch_start", args=[jury.pk]), follow=True)
    html = response.content.decode()
    assert "3 / 3" in html and "terminé" in html and "provisoires" in html
    assert not Releve.objects.exists()


def test_command_writes_one_pdf_per_student_and_the_merged_pdf(promo, tmp_path):
    _, jury = promo
    deliberate(jury)
    out = io.StringIO()
    call_command("releves", "--annee", ANNEE, "--semestre", "2", "--output", str(tmp_path / "out"), "--zip",
                 "--workers", "1", stdout=out)
    files = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert files == [
        "26000301_Lefevre-Dupre_S2_2026-2027.pdf", "26000302_N-Diaye_S2_2026-2027.pdf",
        "26000303_degard_S2_2026-2027.pdf", "releves_S2_2026-2027.zip", "releves_S2_2026-2027_impression.pdf",
    ]
    assert "3 relevés officiels écrits" in out.getvalue() and "3 / 3" in out.getvalue()


def test_command_with_two_worker_processes_gives_the_same_files(promo, tmp_path):
    _, jury = promo
    call_command("releves", "--annee", ANNEE, "--semestre", "2", "--output", str(tmp_path / "two"),
                 "--workers", "2", stdout=io.StringIO())
    one = tmp_path / "two" / "26000303_degard_S2_2026-2027.pdf"
    assert "ØDEGÅRD" in pdf_text(one.read_bytes(), tmp_path) and "PROVISOIRE" in pdf_text(one.read_bytes(), tmp_path)


def test_command_refuses_an_empty_jury(maquette, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Aucun étudiant inscrit en S4 2026-2027"):
        call_command("releves", "--annee", ANNEE, "--semestre", "4", "--output", str(tmp_path))


def test_preparing_a_jury_takes_a_number_of_queries_independent_of_its_size(promo):
    _, jury = promo

    def count(action) -> int:
        with CaptureQueriesContext(connection) as ctx:
            action()
        return len(ctx.captured_queries)

    def prepare():
        return prepare_releves(annee=ANNEE, semester=2)

    small = count(prepare)
    for i in range(4):
        but1_student(f"2600040{i}", f"Extra{i}")
    assert count(prepare) == small
    deliberate(jury)  # issues the seven codes
    assert Releve.objects.filter(jury=jury).count() == 7
    assert count(prepare) == small + 1  # the read of the issued relevés
    # A database from before codes were issued at deliberation: seven codes issued at once by the
    # batch: savepoint, read, taken-codes check, bulk insert, read back, release.
    Releve.objects.all().delete()
    assert count(lambda: issue_releve_codes(jury=jury, by=None)) <= small + 1 + 6
    assert Releve.objects.filter(jury=jury).count() == 7
    assert count(lambda: issue_releve_codes(jury=jury, by=None)) <= small + 1 + 3  # savepoint, read, release


def test_secretariat_pages_of_a_jury_take_a_number_of_queries_independent_of_its_size(client, promo):
    _, jury = promo
    client.force_login(make_user(roles.SECRETARIAT, username="secretariat"))

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    pages = [reverse("releves:index"), reverse("releves:jury", args=[jury.pk])]
    before = [count(url) for url in pages]
    for i in range(3):
        but1_student(f"2600050{i}", f"Extra{i}")
    assert [count(url) for url in pages] == before


def test_a_batch_waiting_for_its_worker_says_so(client, promo, settings, monkeypatch):
    """With the database backend and no worker running, the page says what it waits for."""
    _, jury = promo
    monkeypatch.setattr(releve_batch, "_enqueue", lambda batch: None)  # no worker picks it up
    job = releve_batch.start_batch(jury=jury, by=None)
    client.force_login(make_user(roles.SECRETARIAT, username="secretariat"))
    status = client.get(reverse("releves:batch_status", args=[job.id])).json()
    assert status["state"] == "running" and status["done"] == 0 and status["total"] == 3
    assert "manage.py worker" in status["waiting"]


def test_command_needs_no_system_binary_for_the_merged_pdf(promo, tmp_path, monkeypatch):
    """What `make run` alone installs is enough: no `pdfunite` (poppler-utils) on the PATH."""
    import shutil

    from pypdf import PdfReader

    _, jury = promo
    deliberate(jury)
    with monkeypatch.context() as m:
        empty = tmp_path / "bin"
        empty.mkdir()
        m.setenv("PATH", str(empty))
        assert shutil.which("pdfunite") is None
        call_command("releves", "--annee", ANNEE, "--semestre", "2", "--output", str(tmp_path / "out"),
                     "--workers", "2", stdout=io.StringIO())
    out = tmp_path / "out"
    students = {
        "26000301_Lefevre-Dupre_S2_2026-2027.pdf": ("26000301", "LEFÈVRE-DUPRÉ"),
        "26000302_N-Diaye_S2_2026-2027.pdf": ("26000302", "N'DIAYE"),
        "26000303_degard_S2_2026-2027.pdf": ("26000303", "ØDEGÅRD"),
    }
    assert sorted(p.name for p in out.iterdir()) == [*sorted(students), "releves_S2_2026-2027_impression.pdf"]
    total = 0
    for name, (numero, nom) in students.items():
        text = pdf_text((out / name).read_bytes(), tmp_path)
        code = Releve.objects.get(enrolment__student__numero=numero).code
        assert nom in text and code in text and "PROVISOIRE" not in text
        total += len(PdfReader(out / name).pages)
    merged = out / "releves_S2_2026-2027_impression.pdf"
    assert len(PdfReader(merged).pages) == total == pages(merged) >= 3
    text = pdf_text(merged.read_bytes(), tmp_path, "merged")
    assert text.index("LEFÈVRE-DUPRÉ") < text.index("N'DIAYE") < text.index("ØDEGÅRD")

"""The PV de jury is laid out by the task worker and kept by its content: while the worker works,
the jury's PV link shows « PV en préparation… », then « Télécharger le PV »; asked again with
nothing changed, the same PDF comes at once; a change in the jury's content makes a new one."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from django.test import Client

from juries.models import DocumentBatch
from juries.services import pv_document, releve_batch
from tests.factories import but1_student, make_jury

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def jury(maquette, people):
    but1_student("26000401", "Abadie", "Lou")
    but1_student("26000402", "Berthier", "Noé", base="7")
    return make_jury(people)


def _client(people) -> Client:
    c = Client()
    c.force_login(people["member"])
    return c


def pv_batches():
    return DocumentBatch.objects.filter(kind=DocumentBatch.Kind.PV)


def test_with_a_worker_the_pv_link_waits_then_offers_the_pdf(jury, people, monkeypatch):
    queued = []
    monkeypatch.setattr(releve_batch, "_enqueue", queued.append)  # the database backend: nobody runs it yet
    c = _client(people)
    response = c.get(f"/jurys/{jury.pk}/pv.pdf")
    assert response.status_code == 302 and response["Location"] == f"/jurys/{jury.pk}/pv/"
    page = text(c.get(f"/jurys/{jury.pk}/pv/"))
    assert "PV en préparation…" in page and "manage.py worker" in page and 'http-equiv="refresh"' in page
    assert "Télécharger le PV" not in page
    assert len(queued) == 1 and pv_batches().count() == 1  # reloading the page starts nothing more

    assert releve_batch.run_batch(queued[0].pk) == {"state": "done", "documents": 1}  # the worker's turn
    page = text(c.get(f"/jurys/{jury.pk}/pv/"))
    assert "Télécharger le PV" in page and "en préparation" not in page and "refresh" not in page
    response = c.get(f"/jurys/{jury.pk}/pv.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and 'PV-jury-S2-2026-2027-projet.pdf' in response["Content-Disposition"]


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils manque")
def test_the_same_content_is_served_again_and_a_change_makes_a_new_pv(jury, people, tmp_path):
    c = _client(people)
    first = c.get(f"/jurys/{jury.pk}/pv.pdf")  # the immediate backend: made in the request
    assert first.status_code == 200
    assert c.get(f"/jurys/{jury.pk}/pv.pdf").content == first.content
    assert pv_batches().count() == 1

    but1_student("26000403", "Chevalier", "Inès")  # a new student in the jury: new content
    second = c.get(f"/jurys/{jury.pk}/pv.pdf")
    assert pv_batches().count() == 2
    pdf = tmp_path / "pv.pdf"
    pdf.write_bytes(second.content)
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "CHEVALIER" in out and "ABADIE" in out and "PROJET" in out


def test_a_failed_pv_says_so_and_can_be_started_again(jury, people, monkeypatch):
    def broken(html: str) -> bytes:
        raise OSError("disque plein")

    monkeypatch.setattr(pv_document, "html_to_pdf", broken)
    c = _client(people)
    assert c.get(f"/jurys/{jury.pk}/pv.pdf").status_code == 302
    page = text(c.get(f"/jurys/{jury.pk}/pv/"))
    assert "La génération du PV a échoué : disque plein" in page and "Relancer la génération" in page
    assert pv_batches().count() == 1  # looking again does not loop on a failing PV
    monkeypatch.undo()
    page = text(c.get(f"/jurys/{jury.pk}/pv/?relancer=1"))
    assert "Télécharger le PV" in page and pv_batches().count() == 2


def test_someone_outside_the_jury_gets_no_pv(jury, people):
    c = Client()
    c.force_login(people["outsider"])
    assert c.get(f"/jurys/{jury.pk}/pv/").status_code == 403
    assert not pv_batches().exists()

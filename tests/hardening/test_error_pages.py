"""Finding 10 of issue 15: in production (DEBUG off) the 400, 403, 404, 500 and CSRF failure pages
were Django's English ones; they are French, in the site's layout. ``restore`` answers a missing
confirmation, a corrupt file or a wrong format in French with status 1, never a traceback."""

from __future__ import annotations

import builtins

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from juries import roles
from tests.factories import make_user

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.hardening.error_urls")]

LAYOUT = "QLIO Jury <small>BUT QLIO · IUT de Rodez</small>"
ENGLISH = ("Not Found", "Server Error", "Bad Request", "Forbidden", "CSRF verification failed", "requested resource")


@pytest.fixture
def production(settings):
    settings.DEBUG = False


@pytest.mark.parametrize(("url", "status", "french"), [
    ("/test-400/", 400, "Requête invalide"),
    ("/test-403/", 403, "Accès refusé"),
    ("/nulle-part/", 404, "Page introuvable"),
    ("/test-500/", 500, "Erreur du serveur"),
])
def test_error_pages_are_french_in_the_site_layout(production, url, status, french):
    response = Client(raise_request_exception=False).get(url)
    assert response.status_code == status
    html = response.content.decode()
    assert french in html and LAYOUT in html and '<html lang="fr">' in html
    for english in ENGLISH:
        assert english not in html
    assert "une panne" not in html  # nothing of the exception reaches the page


def test_a_permission_message_of_the_application_is_shown(production, client, maquette):
    client.force_login(make_user(roles.ENSEIGNANT, "enseignant"))
    response = client.get(reverse("releves:index"))
    assert response.status_code == 403
    assert "Page réservée au secrétariat." in response.content.decode()


def test_csrf_failure_is_french_in_the_site_layout(production, maquette):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user(roles.SECRETARIAT, "secretaire", is_staff=True))
    response = client.post(reverse("logout"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "Formulaire expiré" in html and LAYOUT in html and "Rechargez la page" in html
    for english in ENGLISH:
        assert english not in html


def _restore(capsys, *args):
    with pytest.raises(SystemExit) as exit_info:
        call_command("restore", *args)
    captured = capsys.readouterr()
    assert exit_info.value.code == 1
    assert "Traceback" not in captured.err + captured.out
    return captured.err


def test_restore_without_an_answer_stops_in_french(capsys, monkeypatch, tmp_path):
    def no_answer(prompt=""):
        raise EOFError

    monkeypatch.setattr(builtins, "input", no_answer)
    err = _restore(capsys, str(tmp_path / "x.sqlite3"))
    assert "Restauration annulée" in err


def test_restore_of_a_corrupt_file_says_so_in_french(capsys, tmp_path):
    if connection.vendor == "postgresql":
        # A backup of PostgreSQL is a pg_dump archive: a damaged one is refused by pg_restore.
        corrupt = tmp_path / "qlio-20261129.dump"
        corrupt.write_bytes(b"PGDMP" + b"\xff" * 5000)
        err = _restore(capsys, str(corrupt), "--yes")
        assert "Restauration impossible" in err and "pg_restore a échoué" in err
        return
    corrupt = tmp_path / "qlio-20261129.sqlite3"
    corrupt.write_bytes(b"SQLite format 3\x00" + b"\xff" * 5000)
    err = _restore(capsys, str(corrupt), "--yes")
    assert "Restauration impossible" in err and "corrompue" in err


def test_restore_of_a_wrong_format_says_so_in_french(capsys, tmp_path):
    wrong = tmp_path / "notes.csv"
    wrong.write_text("numero;note\n1;12\n", encoding="utf-8")
    err = _restore(capsys, str(wrong), "--yes")
    assert "Restauration impossible" in err and "n'est pas une sauvegarde" in err


def test_every_attachment_is_no_store_whichever_view_sent_it():
    from django.http import HttpResponse

    from juries.http import NoStoreDownloadsMiddleware

    sent = HttpResponse(b"x")
    sent["Content-Disposition"] = 'attachment; filename="export.csv"'
    sent["Cache-Control"] = "max-age=3600"
    assert NoStoreDownloadsMiddleware(lambda request: sent)(None)["Cache-Control"] == "private, no-store"
    page = HttpResponse(b"<p>page</p>")
    assert "Cache-Control" not in NoStoreDownloadsMiddleware(lambda request: page)(None)

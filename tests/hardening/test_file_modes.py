"""Finding 9 of issue 15: relevé batches and backups were readable by every local user (folders
0755, files 0644). Whatever the umask, the application's files are 0600 and its folders 0700."""

from __future__ import annotations

import os
import stat
import threading
import time
from pathlib import Path

import pytest
from django.urls import reverse

from juries import roles
from tests.factories import make_user
from tests.releves.conftest import but1_student, deliberate, make_jury


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask():
    old = os.umask(0o022)  # the usual umask, the one that gave 0755/0644
    yield
    os.umask(old)


def test_qlio_releves_dir_is_read_from_the_environment(monkeypatch):
    import importlib

    import qlio.settings

    monkeypatch.setenv("QLIO_RELEVES_DIR", "/srv/qlio/lots")
    try:
        assert importlib.reload(qlio.settings).QLIO_RELEVES_DIR == "/srv/qlio/lots"
    finally:
        monkeypatch.delenv("QLIO_RELEVES_DIR")
        importlib.reload(qlio.settings)


@pytest.mark.django_db
def test_a_relevé_batch_is_private(client, maquette, settings, tmp_path, open_umask):
    settings.QLIO_RELEVES_DIR = str(tmp_path)
    but1_student("26000401", "Garnier", "Inès")
    jury = deliberate(make_jury(2))
    client.force_login(make_user(roles.SECRETARIAT, username="secretariat"))
    job_id = client.post(reverse("releves:batch_start", args=[jury.pk]))["Location"].rstrip("/").split("/")[-1]
    status_url = reverse("releves:batch_status", args=[job_id])
    deadline = time.monotonic() + 120
    while client.get(status_url).json()["state"] == "running" and time.monotonic() < deadline:
        time.sleep(0.1)
    root = tmp_path / "qlio-releves"
    written = list(root.rglob("*"))
    assert any(p.suffix == ".zip" for p in written) and any(p.suffix == ".pdf" for p in written)
    assert mode(root) == 0o700
    for path in written:
        assert mode(path) == (0o700 if path.is_dir() else 0o600), (path, oct(mode(path)))


@pytest.mark.django_db(transaction=True)
def test_a_backup_is_private(tmp_path, open_umask, settings):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("the PostgreSQL backup needs pg_dump")
    # The in-memory test database cannot be copied by name: back up a file copy of it.
    import sqlite3

    from django.db import connections

    source = tmp_path / "db.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(source)
    connection.connection.backup(target)
    target.close()
    settings_dict = connections.settings["default"]
    original = settings_dict["NAME"]
    settings_dict["NAME"] = str(source)
    made: list[Path] = []
    try:
        from juries.services.backup import backup

        # In a thread: backup() closes its connection, and closing this thread's in-memory test
        # database would destroy it.
        worker = threading.Thread(target=lambda: made.append(backup(output_dir=tmp_path / "sauvegardes")))
        worker.start()
        worker.join(timeout=60)
    finally:
        settings_dict["NAME"] = original
    path, = made
    assert mode(path) == 0o600
    assert mode(tmp_path / "sauvegardes") == 0o700

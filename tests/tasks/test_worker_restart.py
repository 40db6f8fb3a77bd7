"""A relevé batch outlives its worker: the real worker process (`manage.py worker`, the database
backend) is killed with SIGKILL mid-batch, started again, and the batch completes with exactly one
PDF per student and the codes issued by the first run, none duplicated or changed."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STUDENTS = 10

SETUP = """
import os, sys
sys.path.insert(0, {root!r})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qlio.settings")
import django
django.setup()
from juries.models import Releve
from juries.services import releve_batch
from tests.factories import but1_student, deliberate, make_jury

for i in range({students}):
    but1_student(f"2600070{{i:02d}}", f"Reprise{{i:02d}}", s1={{"R1.07": str(6 + i)}})
jury = deliberate(make_jury(2))
# Codes are issued by the batch itself (as for a jury deliberated before codes existed).
Releve.objects.all().delete()
job = releve_batch.start_batch(jury=jury, by=None)
print(job.id)
"""


def _row(db: Path, sql: str, args=()) -> list[tuple]:
    for _ in range(50):
        try:
            with sqlite3.connect(db, timeout=5) as conn:
                return conn.execute(sql, args).fetchall()
        except sqlite3.OperationalError:  # the worker is writing: read again
            time.sleep(0.05)
    raise AssertionError(f"base verrouillée : {sql}")


def _wait(predicate, timeout: float, what: str, worker: subprocess.Popen, log: Path):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        if worker.poll() is not None:
            raise AssertionError(f"le worker s'est arrêté ({what}) :\n{log.read_text()}")
        time.sleep(0.02)
    raise AssertionError(f"délai dépassé : {what}\n{log.read_text()}")


def _start_worker(env: dict, log: Path) -> subprocess.Popen:
    out = log.open("a")
    return subprocess.Popen([sys.executable, "manage.py", "worker", "--interval", "0.1", "--no-startup-delay"],
                            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)


def test_a_batch_killed_mid_way_completes_after_a_restart_without_duplicates(tmp_path):
    db = tmp_path / "worker.sqlite3"
    lots = tmp_path / "lots"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "QLIO_RELEVES_DIR": str(lots), "DJANGO_DEBUG": "1",
           "QLIO_RELEVE_WORKERS": "1", "QLIO_WORKER_ID": "worker-test"}
    env.pop("QLIO_TASKS_BACKEND", None)  # the database backend, as in production

    def manage(*args: str) -> str:
        return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True,
                              capture_output=True, text=True).stdout

    manage("migrate", "--noinput", "-v0")
    manage("loaddata", "maquette_but_qlio_osc", "-v0")
    script = tmp_path / "setup_batch.py"
    script.write_text(SETUP.format(root=str(ROOT), students=STUDENTS))
    token = subprocess.run([sys.executable, str(script)], cwd=ROOT, env=env, check=True, capture_output=True,
                           text=True).stdout.strip().splitlines()[-1]
    state = "SELECT state, done, total, attempts FROM juries_documentbatch WHERE token = ?"
    assert _row(db, state, (token,)) == [("queued", 0, STUDENTS, 0)]

    log = tmp_path / "worker.log"
    worker = _start_worker(env, log)
    try:
        _wait(lambda: _row(db, state, (token,))[0][1] >= 1, 300, "premier PDF", worker, log)
        worker.send_signal(signal.SIGKILL)
        worker.wait(30)
    finally:
        if worker.poll() is None:
            worker.kill()
    (st, done, total, attempts), = _row(db, state, (token,))
    assert st == "running" and 1 <= done < total == STUDENTS and attempts == 1, (st, done, total)
    codes_before = sorted(_row(db, "SELECT enrolment_id, code FROM juries_releve"))
    assert len(codes_before) == STUDENTS  # issued by the first run, before its PDFs
    pdf_dir = lots / "qlio-releves" / token / "pdf"
    written_before = {p.name: p.stat().st_mtime_ns for p in pdf_dir.iterdir() if not p.name.startswith(".")}
    assert 1 <= len(written_before) < STUDENTS

    worker = _start_worker(env, log)  # same worker id: it knows its running task is lost
    try:
        _wait(lambda: _row(db, state, (token,))[0][0] == "done", 300, "lot terminé", worker, log)
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(30)
        except subprocess.TimeoutExpired:
            worker.kill()
    (st, done, total, attempts), = _row(db, state, (token,))
    assert (st, done, total, attempts) == ("done", STUDENTS, STUDENTS, 2)

    # Exactly one PDF per student, nothing left over; the ones written before the kill were kept.
    names = sorted(p.name for p in pdf_dir.iterdir())
    assert len(names) == STUDENTS and len(set(names)) == STUDENTS and not [n for n in names if n.startswith(".")]
    assert all(n.startswith("2600070") and n.endswith("_S2_2026-2027.pdf") for n in names)
    for name, mtime in written_before.items():
        assert (pdf_dir / name).stat().st_mtime_ns == mtime
    folder = pdf_dir.parent
    assert sorted(p.name for p in folder.iterdir()) == ["pdf", "releves_S2_2026-2027.zip",
                                                         "releves_S2_2026-2027_impression.pdf"]
    with zipfile.ZipFile(folder / "releves_S2_2026-2027.zip") as archive:
        assert sorted(archive.namelist()) == names

    # The codes: the same ones, one per student, none added by the second run.
    codes_after = sorted(_row(db, "SELECT enrolment_id, code FROM juries_releve"))
    assert codes_after == codes_before and len({c for _, c in codes_after}) == STUDENTS
    one = subprocess.run(["pdftotext", str(pdf_dir / names[-1]), "-"], check=True, capture_output=True,
                         text=True).stdout
    assert sum(code in one for _, code in codes_after) == 1

    # The lost task is recorded as such; the second one succeeded.
    tasks = _row(db, "SELECT status, exception_class_path FROM django_tasks_database_dbtaskresult ORDER BY enqueued_at")
    assert tasks == [("FAILED", "juries.tasks.WorkerLost"), ("SUCCEEDED", "")]

"""make backup / make restore: a populated database round-trips, every jury's proposals identical.

The test drives the real commands in subprocesses on a database of its own (a SQLite file, or a
new database on the PostgreSQL server of DATABASE_URL), as an operator would.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _database_url(tmp_path: Path) -> tuple[str, object]:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        name = f"qlio_backup_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")

        def drop():
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

        return url.rsplit("/", 1)[0] + "/" + name, drop
    return f"sqlite:///{tmp_path / 'qlio.sqlite3'}", lambda: None


def manage(url: str, *args: str, input_text: str | None = None) -> str:
    env = dict(os.environ, DATABASE_URL=url, DJANGO_SETTINGS_MODULE="qlio.settings")
    done = subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, input=input_text, timeout=600)
    assert done.returncode == 0, done.stderr
    return done.stdout


def all_proposals(url: str) -> dict[int, str]:
    return {s: manage(url, "jury_proposals", "--annee", "2026-2027", "--semestre", str(s)) for s in range(1, 7)}


def test_backup_then_restore_gives_back_every_jury_identical(tmp_path):
    url, drop = _database_url(tmp_path)
    try:
        manage(url, "migrate", "--noinput", "-v0")
        manage(url, "loaddata", "maquette_but_qlio_osc", "-v0")
        manage(url, "seed_demo", "--students", "40")
        before = all_proposals(url)
        assert all('"numero"' in text for text in before.values())
        path = manage(url, "backup", "--output", str(tmp_path / "backups")).strip().splitlines()[-1]
        assert Path(path).exists() and Path(path).stat().st_size > 0
        # Something happens after the backup: a grade is changed, the demo grows.
        manage(url, "shell", "-c",
               "from juries.models import Grade; g = Grade.objects.filter(value__isnull=False).order_by('pk').first(); "
               "g.value = 0 if g.value > 10 else 20; g.save()")
        manage(url, "seed_demo", "--students", "60")
        assert all_proposals(url) != before
        generation = "from juries.models import InputsGeneration; print(InputsGeneration.objects.get(id=1).epoch)"
        epoch = manage(url, "shell", "-c", generation).strip()
        manage(url, "restore", path, "--yes")
        assert all_proposals(url) == before
        # The restored data start a new series of generations: no jury run cached before is read.
        assert manage(url, "shell", "-c", generation).strip() not in {epoch, ""}
    finally:
        drop()

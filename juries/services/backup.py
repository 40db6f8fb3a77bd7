"""Backup and restore of the whole database: pg_dump/pg_restore for PostgreSQL, a consistent copy for SQLite."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from datetime import datetime
from pathlib import Path

from django.db import connections

from juries.files import new_private_file, private_dir, private_file


class BackupError(Exception):
    pass


def _pg_tool(name: str) -> str:
    for folder in (os.environ.get("QLIO_PG_BIN"), "/usr/lib/postgresql/15/bin"):
        if folder and Path(folder, name).exists():
            return str(Path(folder, name))
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} introuvable : installer postgresql-client")
    return found


def _pg_env(settings: dict) -> tuple[list[str], dict]:
    env = dict(os.environ)
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings["PASSWORD"])
    args = ["-h", settings.get("HOST") or "127.0.0.1", "-p", str(settings.get("PORT") or 5432),
            "-U", settings.get("USER") or "postgres"]
    return args, env


def backup(*, output_dir: str | Path, alias: str = "default") -> Path:
    """Writes one file in output_dir and returns its path."""
    out = Path(output_dir)
    if not out.exists():
        private_dir(out)  # an existing folder is the operator's choice: its mode is left alone
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    db = connections[alias].settings_dict
    if db["ENGINE"].endswith("postgresql"):
        target = out / f"qlio-{stamp}.dump"
        args, env = _pg_env(db)
        new_private_file(target)
        subprocess.run([_pg_tool("pg_dump"), *args, "-Fc", "--no-owner", "-f", str(target), db["NAME"]],
                       check=True, env=env)
        return private_file(target)
    if db["ENGINE"].endswith("sqlite3"):
        target = new_private_file(out / f"qlio-{stamp}.sqlite3")
        connections[alias].close()
        src = sqlite3.connect(db["NAME"])
        dst = sqlite3.connect(target)
        with dst:
            src.backup(dst)  # a consistent copy even while the application writes
        src.close()
        dst.close()
        return private_file(target)
    raise BackupError(f"moteur non pris en charge : {db['ENGINE']}")


SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"


def _check_sqlite_backup(p: Path) -> None:
    """Refuses, before the database is touched, a file that is not a sound backup of this application."""
    try:
        src = sqlite3.connect(f"file:{p}?mode=ro", uri=True)
        try:
            ok = src.execute("PRAGMA quick_check").fetchone()
            tables = {r[0] for r in src.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            src.close()
    except sqlite3.DatabaseError:
        raise BackupError(f"{p.name} est corrompue (fichier SQLite illisible).") from None
    if not ok or ok[0] != "ok":
        raise BackupError(f"{p.name} est corrompue (contrôle d'intégrité SQLite en échec).")
    if "django_migrations" not in tables:
        raise BackupError(f"{p.name} n'est pas une sauvegarde de QLIO Jury (aucune table de l'application).")


def _after_restore(alias: str) -> None:
    """Restored data start a new series of generations (juries/generation.py): nothing kept
    from the data as they were before the restore is read again; the triggers a restore of the
    tables removed are made again. A backup older than the generation's migration: its leftover
    objects are dropped, `migrate` makes them again."""
    from django.db import DatabaseError

    from juries import generation

    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM django_migrations WHERE app = 'juries' AND name = '0010_inputs_generation'")
        migrated = cursor.fetchone() is not None
    if not migrated:
        generation.uninstall(connection)
        with connection.cursor() as cursor:
            for table in ("juries_inputschange", "juries_inputsgeneration"):
                try:
                    cursor.execute(f"DROP TABLE IF EXISTS {table}")
                except DatabaseError:
                    pass
        return
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM juries_inputsgeneration")
    generation.install(connection)  # a new row, a new epoch; the missing triggers


def restore(*, path: str | Path, alias: str = "default") -> None:
    """Replaces the whole database by the backup's content; a file that is not a backup for this
    database's engine, or a corrupt one, is refused with a French BackupError before any change."""
    p = Path(path)
    if not p.is_file():
        raise BackupError(f"sauvegarde introuvable : {p}")
    with p.open("rb") as f:
        head = f.read(len(SQLITE_MAGIC))
    db = connections[alias].settings_dict
    connections[alias].close()
    if db["ENGINE"].endswith("postgresql"):
        if not head.startswith(PGDUMP_MAGIC):
            raise BackupError(f"{p.name} n'est pas une sauvegarde PostgreSQL (fichier .dump de `backup`).")
        args, env = _pg_env(db)
        done = subprocess.run([_pg_tool("pg_restore"), *args, "--clean", "--if-exists", "--no-owner",
                               "--single-transaction", "-d", db["NAME"], str(p)], env=env,
                              capture_output=True, text=True)
        if done.returncode:
            # --single-transaction: nothing was changed.
            raise BackupError(f"pg_restore a échoué, la base n'a pas été modifiée : {done.stderr.strip()[-500:]}")
        _after_restore(alias)
        return
    if db["ENGINE"].endswith("sqlite3"):
        if head != SQLITE_MAGIC:
            raise BackupError(f"{p.name} n'est pas une sauvegarde SQLite (fichier .sqlite3 de `backup`).")
        _check_sqlite_backup(p)
        src = sqlite3.connect(p)
        dst = sqlite3.connect(db["NAME"])
        try:
            with dst:
                src.backup(dst)
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{p.name} n'a pas pu être recopiée : {exc}") from None
        finally:
            src.close()
            dst.close()
        _after_restore(alias)
        return
    raise BackupError(f"moteur non pris en charge : {db['ENGINE']}")

"""Reading the inputs' generation (juries/generation.py) for the caches of the jury's run and of the
relevés: each kept thing is stored under a key naming *what* it is, with a stamp saying *which
state* of the data and of the code made it; a reading whose stamp differs is a miss (one entry per
thing, so the cache does not fill with the states of the past)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.conf import settings
from django.db import connection

from juries import generation

_ROOT = Path(__file__).resolve().parent.parent
#: The code that makes what is kept: the engine, the selectors, the models, the presenters, the
#: PDFs and their templates. A deployment changing any of it reads nothing kept by the code before.
_SOURCES = [*(_ROOT / folder for folder in ("rules", "selectors", "models", "presenters", "pdf")),
            _ROOT.parent / "templates" / "pdf"]


def _code_digest() -> str:
    digest = hashlib.blake2b(digest_size=8)
    for folder in _SOURCES:
        for path in sorted(p for p in folder.glob("*") if p.suffix in {".py", ".html", ".css"}):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


#: Computed when the process starts (a `git pull` under a running process changes nothing here).
CODE_DIGEST = _code_digest()


def database_scope() -> str:
    """Which database: two databases sharing a cache folder never read each other's entries."""
    db = settings.DATABASES["default"]
    ident = f"{connection.vendor}|{db.get('NAME')}|{db.get('HOST')}|{db.get('PORT')}"
    return hashlib.blake2b(ident.encode(), digest_size=6).hexdigest()


def inputs_generation() -> str | None:
    """« epoch.n » of the data as committed now (None: inside a transaction, whose own uncommitted
    writes nothing kept may hold; or no generation row — a database flushed and not migrated)."""
    if connection.in_atomic_block:
        return None
    found = generation.read(connection)
    return f"{found[0]}.{found[1]}" if found else None


def stamp(*parts: object) -> str | None:
    """The state of the data and of the code, plus `parts` (None: keep nothing)."""
    current = inputs_generation()
    if current is None:
        return None
    return ":".join((CODE_DIGEST, current, *(str(p) for p in parts)))


def cache_key(kind: str, *parts: object) -> str:
    return ":".join((kind, database_scope(), *(str(p) for p in parts)))

"""Reading the inputs' generation (juries/models/generation.py) and what a cached run is keyed by."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from django.db import connection

_SOURCES = ("rules", "selectors", "models")


def inputs_generation() -> str | None:
    """« epoch.n » of the data as committed now (None: no generation row — a database flushed by a
    test — or inside a transaction, whose own uncommitted writes a cached run must never hold)."""
    if connection.in_atomic_block:
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT epoch, n FROM juries_inputsgeneration WHERE id = 1")
        row = cursor.fetchone()
    return f"{row[0]}.{row[1]}" if row else None


def generation_key(kind: str, *parts: object) -> str | None:
    """A cache key for something computed from the inputs as they are now (None: do not cache)."""
    generation = inputs_generation()
    if generation is None:
        return None
    return ":".join((kind, code_digest(), generation, *(str(p) for p in parts)))


@cache
def code_digest() -> str:
    """The engine's, selectors' and models' source: a deployment that changes them reads no run
    cached by the code before it."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.blake2b(digest_size=8)
    for folder in _SOURCES:
        for path in sorted((root / folder).glob("*.py")):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()

"""Counting look-ups per address and window, atomically across threads and gunicorn workers.

Django's file cache (the production cache shared by the workers) increments with a read then a
write, and its ``incr`` rewrites the entry with the default timeout: under parallel requests some
increments were lost and the limit let more through. Here the read-modify-write
runs under a lock — an exclusive ``flock`` on a file in the cache's folder when the cache is a file
cache (it serialises the workers), a process lock otherwise (the in-memory cache of development
lives in one process) — and the window's end is stored with the count, so it never moves.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from django.core.cache import cache
from django.core.cache.backends.filebased import FileBasedCache

_process_lock = threading.Lock()


@contextlib.contextmanager
def _locked() -> Iterator[None]:
    with _process_lock:
        directory = _file_cache_dir()
        if directory is None:
            yield
            return
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(directory / ".throttle.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the flock


def _file_cache_dir() -> Path | None:
    from django.core.cache import caches

    backend = caches["default"]
    if isinstance(backend, FileBasedCache):
        return Path(getattr(backend, "_dir"))  # noqa: B009 - the folder the workers share (private)
    return None


def hit(key: str, *, limit: int, window: int) -> bool:
    """Counts one look-up for ``key``; True when it is beyond ``limit`` within ``window`` seconds."""
    with _locked():
        now = time.time()
        entry = cache.get(key)
        if isinstance(entry, tuple) and len(entry) == 2 and entry[1] > now:
            count, ends = entry[0] + 1, entry[1]
        else:
            count, ends = 1, now + window
        cache.set(key, (count, ends), max(1, int(ends - now) + 1))
    return count > limit

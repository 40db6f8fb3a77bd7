"""Finding 8 of issue 15: the verification page's limit let 70–74 look-ups through out of 60 under
30 parallel requests, because the file cache shared by the gunicorn workers increments a counter
with a read then a write. Parallel requests (threads, each its own client) on the production cache
backend must never get more than the limit through."""

from __future__ import annotations

import threading
from types import SimpleNamespace

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from juries.views import releves as views

LIMIT = 20
THREADS = 30
EACH = 3


@pytest.fixture
def file_cache(settings, tmp_path):
    settings.CACHES = {"default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(tmp_path / "cache"),
    }}
    caches._settings = None  # type: ignore[attr-defined]  # re-read CACHES on the next access
    yield
    caches.close_all()


def test_parallel_look_ups_never_pass_the_limit(file_cache, monkeypatch):
    monkeypatch.setattr(views, "VERIFY_LIMIT", LIMIT)
    # No database in the threads: an unknown code, told so without a query.
    monkeypatch.setattr(views, "verify_code", lambda code: SimpleNamespace(found=False))
    url = reverse("releves:verify", args=["QLIO-2222-2222"])
    barrier = threading.Barrier(THREADS)
    statuses: list[int] = []
    lock = threading.Lock()

    def visitor():
        client = Client()
        barrier.wait()
        for _ in range(EACH):
            status = client.get(url).status_code
            with lock:
                statuses.append(status)

    threads = [threading.Thread(target=visitor) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert len(statuses) == THREADS * EACH
    assert statuses.count(404) == LIMIT, statuses  # exactly the limit: none lost, none extra
    assert statuses.count(429) == THREADS * EACH - LIMIT

"""Finding 11 of issue 15: the load benchmark counted a redirect to the login page as a success and
called ``response.failure()`` outside ``catch_response=True``. Its checks are run here on stand-in
responses, in a subprocess: importing locust patches the standard library (gevent)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = r"""
import sys, types
sys.path.insert(0, "bench")
import locustfile

class Stub:
    def __init__(self, status, url, text):
        self.status_code, self.url, self.text, self.outcome = status, url, text, None
    def failure(self, why): self.outcome = "failure: " + why
    def success(self): self.outcome = "success"

cases = [
    (200, "http://h/jurys/1/", "<td>22000001</td>"),
    (200, "http://h/connexion/?next=/jurys/1/", "<form>"),
    (200, "http://h/jurys/1/", "<p>vide</p>"),
    (500, "http://h/jurys/1/", "erreur"),
]
for status, url, text in cases:
    r = Stub(status, url, text)
    locustfile.check(r, marker="22000001")
    print(r.outcome.split(":")[0])
"""


def test_the_load_benchmark_counts_a_login_redirect_or_a_wrong_page_as_a_failure():
    pytest.importorskip("locust")
    env = dict(os.environ, BENCH_JURY_PK="1", BENCH_JURY_NUMEROS="22000001,22000002",
               BENCH_STUDENT_SEMESTER="2026-2027/S1")
    done = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["success", "failure", "failure", "failure"]


def test_every_request_of_the_scenario_is_checked():
    source = (ROOT / "bench" / "locustfile.py").read_text(encoding="utf-8")
    requests = source.count("self.client.get(") + source.count("client.post(")
    assert requests == source.count("catch_response=True) as response") == 5
    assert "shutil.rmtree(cache_dir" in (ROOT / "bench" / "load.py").read_text(encoding="utf-8")

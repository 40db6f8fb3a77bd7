"""Finding 11 of issue 15: the load benchmark counted a redirect to the login page as a success and
called ``response.failure()`` outside ``catch_response=True``. The scenario is read, not run:
importing locust patches the standard library (gevent)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

def test_every_request_of_the_scenario_is_checked():
    source = (ROOT / "bench" / "locustfile.py").read_text(encoding="utf-8")
    requests = source.count("client.get(") + source.count("client.post(")
    assert requests == source.count("catch_response=True) as ") == 6  # the login page's GET too
    assert "shutil.rmtree(cache_dir" in (ROOT / "bench" / "load.py").read_text(encoding="utf-8")

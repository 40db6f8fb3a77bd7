"""Production settings: `check --deploy` clean with DJANGO_DEBUG=0, a real secret key required."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROD = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "k" * 20 + "-production-secret-used-only-by-this-test-0123456789",
    "DJANGO_ALLOWED_HOSTS": "jury-qlio.example.fr",
}


def run(*args: str, **env: str) -> subprocess.CompletedProcess:
    full = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    full.update(env)
    return subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=full, cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def test_check_deploy_is_clean_in_production():
    done = run("check", "--deploy", "--fail-level", "WARNING", **PROD)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_production_refuses_the_development_secret_key():
    done = run("check", DJANGO_DEBUG="0")
    assert done.returncode != 0
    assert "DJANGO_SECRET_KEY doit être défini" in done.stderr


def test_security_headers_on_every_page(client):
    response = client.get("/connexion/")
    assert response.status_code == 200
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"

"""Benchmark `jury page` (docs/BENCHMARKS.md): median server time of 20 GETs of the jury table
for 150 students (Django test client, warm cache), with the number of queries; the same for the
other jury pages, and the PV. Data: `seed_demo --students 150 --years 1` (one BUT1 promo, its
S2 jury). Runs in a fresh process per database. The size of each response is given as sent
and gzip-compressed; the last line, "BENCH {json}", is read by bench/run_all.py.

    .venv/bin/python bench/pages.py [--students 150] [--gets 20] [--db sqlite,postgres]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import PY, ROOT, machine, median, prepare_demo, sqlite_url, table  # noqa: E402

ANNEE, SEMESTER = "2026-2027", 2
TARGET_MS = 300


def measure(gets: int) -> dict:
    """Inside a child process whose DATABASE_URL is the prepared database."""
    from _common import django_setup

    django_setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from juries.models import Enrolment, JurySession

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    settings.AXES_ENABLED = False
    # The PV is made by the task worker: here in the request, so its row times the PV served again
    # (kept by content) after the warm-up made it; bench/releve.py times its layout.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    client = Client()
    assert client.login(username="president", password="president-qlio-2026"), "compte de démo manquant"
    jury = JurySession.objects.get(annee=ANNEE, semester__number=SEMESTER)
    numero = (Enrolment.objects.filter(annee=ANNEE, semester__number=SEMESTER)
              .order_by("student__numero").values_list("student__numero", flat=True).first())
    pages = [
        ("tableau du jury", f"/jurys/{jury.pk}/", gets),
        ("tableau, alertes seulement", f"/jurys/{jury.pk}/?alertes=1", gets),
        ("fiche étudiant", f"/jurys/{jury.pk}/etudiants/{numero}/", gets),
        ("contrôles pré-jury", f"/jurys/{jury.pk}/pre-jury/", gets),
        ("PV (XLSX)", f"/jurys/{jury.pk}/pv.xlsx", 5),
        ("PV (PDF)", f"/jurys/{jury.pk}/pv.pdf", 3),
    ]
    out = []
    for name, url, n in pages:
        response = client.get(url)  # warm-up: templates, imports, connection
        assert response.status_code == 200, (url, response.status_code)
        times = []
        for _ in range(n):
            t = time.perf_counter()
            client.get(url)
            times.append(time.perf_counter() - t)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        body = response.content
        out.append({"page": name, "gets": n, "median_ms": median(times) * 1000, "min_ms": min(times) * 1000,
                    "queries": len(ctx.captured_queries), "bytes": len(body),
                    "gzip_bytes": len(gzip.compress(body, 6))})
    students = Enrolment.objects.filter(annee=ANNEE, semester__number=SEMESTER).count()
    return {"students": students, "pages": out}


def run(database_url: str, gets: int) -> dict:
    env = dict(os.environ, DATABASE_URL=database_url)
    out = subprocess.run([PY, __file__, "--measure", "--gets", str(gets)], env=env, cwd=ROOT,
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=150)
    parser.add_argument("--gets", type=int, default=20)
    parser.add_argument("--db", default="sqlite")
    parser.add_argument("--measure", action="store_true")
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.gets)))
        return
    rows = []
    summary: list[dict] = []
    for db in args.db.split(","):
        if db == "sqlite":
            url = sqlite_url(f"pages-{args.students}.sqlite3")
        else:
            pg_url = os.environ.get("BENCH_POSTGRES_URL")
            if not pg_url:
                print("PostgreSQL ignoré : lancer via scripts/with_postgres.sh (BENCH_POSTGRES_URL)", file=sys.stderr)
                continue
            url = pg_url
        print(f"… {db} {args.students} étudiants", file=sys.stderr)
        prepare_demo(url, args.students, years="1")
        r = run(url, args.gets)
        for p in r["pages"]:
            verdict = ("≤ 300 ms" if p["median_ms"] <= TARGET_MS else "> 300 ms") if p["page"] == "tableau du jury" else ""
            rows.append([db, r["students"], p["page"], p["gets"], f"{p['median_ms']:.0f}", f"{p['min_ms']:.0f}",
                         p["queries"], f"{p['bytes'] / 1000:.0f}", f"{p['gzip_bytes'] / 1000:.0f}", verdict])
        summary.append({"db": db, **r})
    print(f"Pages du jury S2 {ANNEE}, temps serveur (client de test Django, cache chaud) — {machine()}")
    print(table(["base", "étudiants", "page", "GET", "médiane (ms)", "min (ms)", "requêtes", "réponse (ko)",
                 "réponse gzip (ko)", "cible"], rows))
    print("BENCH " + json.dumps({"pages": summary}))


if __name__ == "__main__":
    main()

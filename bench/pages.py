"""Benchmark `jury page` (docs/BENCHMARKS.md): median server time of 20 GETs of the jury table
for 150 students (Django test client, warm cache), with the number of queries; the same for the
other jury pages, and the PV. Data: `seed_demo --students 150 --years 1` (one BUT1 promo, its
S2 jury). Runs in a fresh process per database. The size of each response is given as sent
and gzip-compressed; the last line, "BENCH {json}", is read by bench/run_all.py.

The jury table is also loaded in headless Chromium (Playwright, the system's /usr/bin/chromium)
from `manage.py runserver --noreload` on the same database with production settings (static files
collected, kept by the browser after a first load), signed in as the president: the median of 5
loads of `loadEventEnd` (navigation timing), what the jury waits for in a browser.
`--shots DIR` saves screenshots of the table at 1366×768 and 390×844 there.

    .venv/bin/python bench/pages.py [--students 150] [--gets 20] [--db sqlite,postgres] [--loads 5]
        [--no-browser] [--shots DIR]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import PY, ROOT, machine, median, prepare_demo, sqlite_url, table  # noqa: E402

ANNEE, SEMESTER = "2026-2027", 2
TARGET_MS = 100      # the jury table, server side (issue "Performance II")
TARGET_KB = 60       # the jury table's HTML as sent, uncompressed
TARGET_LOAD_MS = 300  # the jury table's load event in a browser
CHROMIUM = "/usr/bin/chromium"
USER, PASSWORD = "president", "president-qlio-2026"


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
    assert client.login(username=USER, password=PASSWORD), "compte de démo manquant"
    jury = JurySession.objects.get(annee=ANNEE, semester__number=SEMESTER)
    numero = (Enrolment.objects.filter(annee=ANNEE, semester__number=SEMESTER)
              .order_by("student__numero").values_list("student__numero", flat=True).first())
    pages = [
        ("tableau du jury", f"/jurys/{jury.pk}/", gets),
        # The first view after a change: the jury's run is computed again (juries/generation.py).
        ("tableau du jury, après une modification", f"/jurys/{jury.pk}/", gets),
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
        changed = "modification" in name
        for _ in range(n):
            if changed:
                _touch_a_grade(connection)
            t = time.perf_counter()
            client.get(url)
            times.append(time.perf_counter() - t)
        if changed:
            _touch_a_grade(connection)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        body = response.content
        out.append({"page": name, "gets": n, "median_ms": median(times) * 1000, "min_ms": min(times) * 1000,
                    "queries": len(ctx.captured_queries), "bytes": len(body),
                    "gzip_bytes": len(gzip.compress(body, 6))})
    students = Enrolment.objects.filter(annee=ANNEE, semester__number=SEMESTER).count()
    return {"students": students, "jury": jury.pk, "pages": out}


def _touch_a_grade(connection) -> None:
    """A grade written again as it is: the inputs' generation moves, the values do not."""
    with connection.cursor() as cursor:
        cursor.execute("UPDATE juries_grade SET value = value WHERE id = (SELECT MIN(id) FROM juries_grade)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def browser_load(database_url: str, jury: int, loads: int, shots: str | None = None) -> dict | None:
    """The median `loadEventEnd` of `loads` loads of the jury table in headless Chromium, against
    `manage.py runserver --noreload` on the benchmark's database (None when no browser is there)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("navigateur ignoré : le paquet playwright manque", file=sys.stderr)
        return None
    if not Path(CHROMIUM).exists():
        print(f"navigateur ignoré : {CHROMIUM} manque", file=sys.stderr)
        return None
    port = _free_port()
    # Production settings, as bench/load.py: static files collected, served by WhiteNoise under
    # hashed names that the browser keeps (what a jury member's browser does after a first visit).
    cache_dir = Path(tempfile.mkdtemp(prefix="qlio-pages-cache-"))
    env = dict(os.environ, DATABASE_URL=database_url, AXES_ENABLED="0", DJANGO_DEBUG="0",
               DJANGO_SECRET_KEY="bench-" + "x" * 60, DJANGO_ALLOWED_HOSTS="127.0.0.1",
               DJANGO_SECURE_SSL_REDIRECT="0", DJANGO_SECURE_COOKIES="0", DJANGO_LOG_LEVEL="ERROR",
               QLIO_CACHE_DIR=str(cache_dir))
    subprocess.run([PY, str(ROOT / "manage.py"), "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    server = subprocess.Popen([PY, str(ROOT / "manage.py"), "runserver", "--noreload", f"127.0.0.1:{port}"],
                              env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("runserver n'a pas démarré") from None
                time.sleep(0.2)
        base = f"http://127.0.0.1:{port}"
        url = f"{base}/jurys/{jury}/"
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            context = browser.new_context(locale="fr-FR", viewport={"width": 1366, "height": 768})
            page = context.new_page()
            page.goto(f"{base}/connexion/")
            page.fill("input[name=username]", USER)
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_load_state("load")
            page.goto(url)  # warm-up: the server's caches, the browser's static files
            times = []
            for _ in range(loads):
                page.goto(url, wait_until="load")
                times.append(page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd"))
            if shots:
                Path(shots).mkdir(parents=True, exist_ok=True)
                for w, h in ((1366, 768), (390, 844)):
                    page.set_viewport_size({"width": w, "height": h})
                    page.goto(url, wait_until="load")
                    page.screenshot(path=str(Path(shots) / f"jury-tableau-{w}.png"))
                    page.locator("#jury-table").scroll_into_view_if_needed()
                    page.evaluate("document.getElementById('jury-table').scrollIntoView()")
                    page.screenshot(path=str(Path(shots) / f"jury-tableau-{w}-lignes.png"))
            browser.close()
        return {"loads": loads, "median_ms": median(times), "min_ms": min(times)}
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)
        shutil.rmtree(cache_dir, ignore_errors=True)


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
    parser.add_argument("--loads", type=int, default=5, help="chargements du tableau dans le navigateur")
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--shots", default=None, help="dossier des captures du tableau (1366 et 390 px)")
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
            main_page = p["page"] == "tableau du jury"
            rows.append([db, r["students"], p["page"], p["gets"], f"{p['median_ms']:.0f}", f"{p['min_ms']:.0f}",
                         f"≤ {TARGET_MS} ms" if main_page else "", p["queries"], f"{p['bytes'] / 1000:.0f}",
                         f"≤ {TARGET_KB} ko" if main_page else "", f"{p['gzip_bytes'] / 1000:.0f}"])
        if not args.no_browser:
            load = browser_load(url, r["jury"], args.loads, args.shots)
            if load is not None:
                r["browser"] = load
                rows.append([db, r["students"], "tableau du jury, événement load (Chromium)", load["loads"],
                             f"{load['median_ms']:.0f}", f"{load['min_ms']:.0f}", f"≤ {TARGET_LOAD_MS} ms",
                             "", "", "", ""])
        summary.append({"db": db, **r})
    print(f"Pages du jury S2 {ANNEE}, temps serveur (client de test Django, cache chaud) ; événement load "
          f"dans Chromium sans tête (runserver, réglages de production) — {machine()}")
    print(table(["base", "étudiants", "page", "GET", "médiane (ms)", "min (ms)", "cible (ms)", "requêtes",
                 "réponse (ko)", "cible (ko)", "réponse gzip (ko)"], rows))
    print("BENCH " + json.dumps({"pages": summary}))


if __name__ == "__main__":
    main()

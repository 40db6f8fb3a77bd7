"""Benchmark `load` (docs/BENCHMARKS.md): 50 concurrent users against gunicorn on 127.0.0.1.

Production settings (DJANGO_DEBUG=0) and PostgreSQL (BENCH_POSTGRES_URL, given by `make bench`
through scripts/with_postgres.sh). Locust runs headless for a bounded time: the users log in one
a second (--ramp, 50 s), the statistics are then reset and 60 s of work are measured, and it stops
by itself; every request goes to 127.0.0.1 only. Reports p50/p95/p99 per page and the errors.

    scripts/with_postgres.sh .venv/bin/python bench/run_all.py load
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import PY, ROOT, machine, manage, table  # noqa: E402

PASSWORD = "bench-load-password-2026"
SETUP = f"""
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from juries.models import JurySession, Student, Enrolment
User = get_user_model()
jury = JurySession.objects.get(annee="2026-2027", semester__number=2)
group_jury, group_etu = Group.objects.get(name="Jury"), Group.objects.get(name="Étudiant")
for i in range(1, 11):
    u, _ = User.objects.get_or_create(username=f"jury{{i}}")
    u.set_password("{PASSWORD}"); u.save(); u.groups.add(group_jury); jury.members.add(u)
students = list(Student.objects.filter(enrolments__annee="2026-2027", enrolments__semester__number=1,
                                       user__isnull=True).order_by("numero")[:40])
for i, s in enumerate(students, start=1):
    u, _ = User.objects.get_or_create(username=f"etu{{i}}")
    u.set_password("{PASSWORD}"); u.save(); u.groups.add(group_etu)
    s.user = u; s.save()
numeros = list(Enrolment.objects.filter(annee="2026-2027", semester__number=2).order_by("student__numero")
               .values_list("student__numero", flat=True))
print(jury.pk, ",".join(numeros))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--ramp", type=int, default=50, help="seconds to log the users in (one a second)")
    args = parser.parse_args()
    base = os.environ.get("BENCH_POSTGRES_URL")
    if not base:
        print("load : PostgreSQL requis (lancer via `make bench`)", file=sys.stderr)
        return 0
    import psycopg

    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS bench_load WITH (FORCE)")
        conn.execute("CREATE DATABASE bench_load")
    url = base.rsplit("/", 1)[0] + "/bench_load"
    manage(url, "migrate", "--noinput", "-v0")
    manage(url, "loaddata", "maquette_but_qlio_osc", "-v0")
    manage(url, "seed_demo")
    env = dict(os.environ, DATABASE_URL=url)
    out = subprocess.run([PY, "manage.py", "shell", "-c", SETUP], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True).stdout.strip().splitlines()[-1]
    jury_pk, numeros = out.split(" ", 1)
    cache_dir = ROOT / "bench" / ".data" / "cache"
    # A cold cache at every run: relevé PDFs of a previous run would make downloads look free.
    shutil.rmtree(cache_dir, ignore_errors=True)
    prod = dict(env, QLIO_CACHE_DIR=str(cache_dir), DJANGO_DEBUG="0", DJANGO_SECRET_KEY="bench-" + "x" * 60, DJANGO_ALLOWED_HOSTS="127.0.0.1",
                DJANGO_SECURE_SSL_REDIRECT="0", DJANGO_SECURE_COOKIES="0", DJANGO_LOG_LEVEL="ERROR")
    subprocess.run([PY, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=prod, check=True)
    port = free_port()
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "qlio.wsgi:application", "-b", f"127.0.0.1:{port}",
         "-w", str(args.workers), "--timeout", "60", "--log-level", "warning"],
        cwd=ROOT, env=prod, start_new_session=True)
    results = Path(ROOT / "bench" / ".data" / "load")
    results.parent.mkdir(parents=True, exist_ok=True)
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/connexion/", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        subprocess.run(
            [str(ROOT / ".venv/bin/locust"), "-f", str(ROOT / "bench/locustfile.py"), "--headless",
             "-u", str(args.users), "-r", str(args.users / args.ramp), "-t", f"{args.seconds + args.ramp}s", "--host", f"http://127.0.0.1:{port}",
             "--csv", str(results), "--only-summary", "--reset-stats", "--stop-timeout", "10", "--loglevel", "ERROR"],
            cwd=ROOT, check=False, timeout=args.seconds + args.ramp + 120,
            env=dict(prod, BENCH_JURY_PK=jury_pk, BENCH_JURY_NUMEROS=numeros,
                     BENCH_STUDENT_SEMESTER="2026-2027/S1"),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    rows = []
    errors = 0
    with open(f"{results}_stats.csv", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            errors += int(r["Failure Count"]) if r["Name"] == "Aggregated" else 0
            rows.append([r["Name"], r["Request Count"], r["Failure Count"], r["50%"], r["95%"], r["99%"]])
    report = "\n".join([
        f"(connexions étalées sur {args.ramp} s, puis statistiques remises à zéro et cache des relevés vidé : "
        f"{args.seconds} s de boucle de travail)",
        f"Charge : {args.users} utilisateurs ({args.seconds} s mesurées, gunicorn {args.workers} workers, "
        f"PostgreSQL) — {machine()}",
        table(["page", "requêtes", "erreurs", "p50 (ms)", "p95 (ms)", "p99 (ms)"], rows),
    ])
    print(report)
    # The raw output behind a README figure is kept, dated, with the machine.
    kept = ROOT / "bench" / "results"
    kept.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (kept / f"load_{stamp}.txt").write_text(report + "\n", encoding="utf-8")
    shutil.copyfile(f"{results}_stats.csv", kept / f"load_{stamp}_stats.csv")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())

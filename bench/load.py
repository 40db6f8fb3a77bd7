"""Benchmark `load` (docs/benchmarks.md): simulated users against gunicorn on 127.0.0.1.

Production settings (DJANGO_DEBUG=0), gunicorn with several worker processes (--workers, at least
2) and PostgreSQL (BENCH_POSTGRES_URL given by `make bench`, or DATABASE_URL under
scripts/with_postgres.sh). For each number of users in --users, locust runs headless for a bounded
time: the users log in at --rate per second, the statistics are then reset, the relevé cache is
emptied, and --seconds of work are measured; every response's content is checked and every failure
counted. Reports p50/p95/p99 per page and the errors, and keeps the raw output with the date, the
machine and its load in bench/results/load_<date>_<quiet|loaded>.txt.

    scripts/with_postgres.sh .venv/bin/python bench/load.py --users 50,100,200,300
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import re
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
# Locust's user classes weigh 10 jury members for 40 students (bench/locustfile.py).
JURY_SHARE = 10 / 50
SETUP = """
import os
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from juries.models import JurySession, Student, Enrolment
User = get_user_model()
jurors, wanted_students = int(os.environ["BENCH_JURORS"]), int(os.environ["BENCH_STUDENTS"])
# One PBKDF2 for every account: a million iterations each would take minutes for 300 accounts.
hashed = make_password(os.environ["BENCH_PASSWORD"])
jury = JurySession.objects.get(annee="2026-2027", semester__number=2)
group_jury, group_etu = Group.objects.get(name="Jury"), Group.objects.get(name="Étudiant")
for i in range(1, jurors + 1):
    u, _ = User.objects.get_or_create(username=f"jury{i}")
    u.password = hashed; u.save(); u.groups.add(group_jury); jury.members.add(u)
students = list(Student.objects.filter(enrolments__annee="2026-2027", enrolments__semester__number=1,
                                       user__isnull=True).order_by("numero")[:wanted_students])
for i, s in enumerate(students, start=1):
    u, _ = User.objects.get_or_create(username=f"etu{i}")
    u.password = hashed; u.save(); u.groups.add(group_etu)
    s.user = u; s.save()
numeros = list(Enrolment.objects.filter(annee="2026-2027", semester__number=2).order_by("student__numero")
               .values_list("student__numero", flat=True))
print(jury.pk, len(students), ",".join(numeros))
"""


def machine_state() -> tuple[str, str]:
    """The machine as the results file states it: cores, CPU model, load average; and a one-word
    state for the file name ("loaded" when the 1-minute load exceeds half the cores)."""
    model = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()
    cores = os.cpu_count() or 1
    text = (f"nproc {cores}, {model}, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} "
            f"— {machine()}")
    return text, ("loaded" if load[0] > cores / 2 else "quiet")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_locust(*, users: int, seconds: int, ramp: int, port: int, env: dict, results: Path) -> str:
    """One locust run (its raw output returned): `users` log in over `ramp` seconds, then the
    statistics are reset and `seconds` of work are measured."""
    done = subprocess.run(
        [str(ROOT / ".venv/bin/locust"), "-f", str(ROOT / "bench/locustfile.py"), "--headless",
         # The locustfile stops the run `seconds` after the last login; -t is only a safety net.
         "-u", str(users), "-r", f"{users / ramp:.3f}", "-t", f"{seconds + ramp + 600}s",
         "--host", f"http://127.0.0.1:{port}", "--csv", str(results), "--only-summary",
         "--stop-timeout", "10", "--loglevel", "ERROR"],
        cwd=ROOT, check=False, timeout=seconds + ramp + 900, env=dict(env, BENCH_MEASURE_SECONDS=str(seconds)),
        capture_output=True, text=True)
    return done.stdout + done.stderr


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", default="50",
                        help="users of each run, comma-separated (e.g. 50,100,200,300): one run each")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes (at least 2)")
    parser.add_argument("--rate", type=float, default=2.0,
                        help="logins per second during the ramp (each costs ~0.5 s of PBKDF2 CPU)")
    parser.add_argument("--note", default="", help="what else ran on the machine, written in the results file")
    args = parser.parse_args()
    runs = [int(u) for u in args.users.split(",")]
    # The machine before the benchmark starts anything (seeding, gunicorn and locust load it too):
    # what other work was running.
    state_before, state = machine_state()
    base = os.environ.get("BENCH_POSTGRES_URL") or os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        print("load : PostgreSQL requis (lancer via scripts/with_postgres.sh ou `make bench`)", file=sys.stderr)
        return 0
    import psycopg

    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS bench_load WITH (FORCE)")
        conn.execute("CREATE DATABASE bench_load")
    url = base.rsplit("/", 1)[0] + "/bench_load"
    manage(url, "migrate", "--noinput", "-v0")
    manage(url, "loaddata", "maquette_but_qlio_osc", "-v0")
    manage(url, "seed_demo")
    most = max(runs)
    jurors = max(1, round(most * JURY_SHARE))
    env = dict(os.environ, DATABASE_URL=url, BENCH_PASSWORD=PASSWORD, BENCH_JURORS=str(jurors), BENCH_STUDENTS=str(most - jurors))
    out = subprocess.run([PY, "manage.py", "shell", "-c", SETUP], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True).stdout.strip().splitlines()[-1]
    jury_pk, student_accounts, numeros = out.split(" ", 2)
    cache_dir = ROOT / "bench" / ".data" / "cache"
    prod = dict(env, QLIO_CACHE_DIR=str(cache_dir), DJANGO_DEBUG="0", DJANGO_SECRET_KEY="bench-" + "x" * 60,
                DJANGO_ALLOWED_HOSTS="127.0.0.1", DJANGO_SECURE_SSL_REDIRECT="0", DJANGO_SECURE_COOKIES="0",
                DJANGO_LOG_LEVEL="ERROR")
    subprocess.run([PY, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=prod, check=True)
    port = free_port()
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "qlio.wsgi:application", "-b", f"127.0.0.1:{port}",
         "-w", str(args.workers), "--timeout", "60", "--log-level", "warning"],
        cwd=ROOT, env=prod, start_new_session=True)
    results = Path(ROOT / "bench" / ".data" / "load")
    results.parent.mkdir(parents=True, exist_ok=True)
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    rows, raw, login_lines, errors = [], [], [], 0
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/connexion/", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        for users in runs:
            # A cold cache at every run: relevé PDFs of a previous run would make downloads look free
            # (the locustfile empties it again when the last user has logged in).
            shutil.rmtree(cache_dir, ignore_errors=True)
            ramp = max(5, round(users / args.rate))
            load_before = machine_state()[0]
            output = run_locust(users=users, seconds=args.seconds, ramp=ramp, port=port, results=results,
                                env=dict(prod, BENCH_JURY_PK=jury_pk, BENCH_JURY_NUMEROS=numeros,
                                         BENCH_JURY_ACCOUNTS=str(jurors), BENCH_STUDENT_ACCOUNTS=student_accounts,
                                         BENCH_STUDENT_SEMESTER="2026-2027/S1"))
            with open(f"{results}_stats.csv", encoding="utf-8") as fh:
                stats = fh.read()
            raw.append(f"### {users} utilisateurs (connexions lancées sur {ramp} s, puis {args.seconds} s mesurées)\n"
                       f"avant : {load_before}\naprès : {machine_state()[0]}\n\n{output.strip()}\n\n"
                       f"locust --csv (stats) :\n{stats.strip()}\n")
            logins = re.search(r"BENCH-LOGINS ok=(\d+) failed=(\d+) seconds=(\d+)", output)
            if logins is None:
                errors += 1
                login_lines.append(f"{users} utilisateurs : les connexions ne se sont pas terminées (mesure invalide)")
            else:
                errors += int(logins.group(2))
                login_lines.append(f"{users} utilisateurs : {logins.group(1)} connexions réussies, "
                                   f"{logins.group(2)} refusées, en {logins.group(3)} s (hors mesure)")
            for r in csv.DictReader(io.StringIO(stats)):
                if r["Name"] == "Aggregated":
                    errors += int(r["Failure Count"])
                rows.append([users, r["Name"], r["Request Count"], r["Failure Count"], r["50%"], r["95%"],
                             r["99%"]])
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    report = "\n".join([
        f"Charge : {args.users} utilisateurs ({jurors} comptes jury, {student_accounts} comptes étudiants ; "
        f"{args.seconds} s mesurées à partir de la dernière connexion, cache des relevés vidé), gunicorn {args.workers} workers, "
        f"PostgreSQL — {started}",
        f"Machine : {state_before}" + (" (machine partagée et chargée par d'autres travaux avant la mesure)"
                                       if state == "loaded" else ""),
        *([f"Note : {args.note}"] if args.note else []),
        table(["utilisateurs", "page", "requêtes", "erreurs", "p50 (ms)", "p95 (ms)", "p99 (ms)"], rows),
        "Connexions (avant la fenêtre mesurée) :", *login_lines,
    ])
    print(report)
    # The raw output behind a README figure is kept, dated, with the machine and its load.
    kept = ROOT / "bench" / "results"
    kept.mkdir(exist_ok=True)
    name = kept / f"load_{time.strftime('%Y-%m-%d', time.gmtime())}_{state}.txt"
    command = "bench/load.py " + " ".join(sys.argv[1:])
    name.write_text(f"# {command}\n{report}\n\n## Sortie brute de locust\n\n" + "\n".join(raw), encoding="utf-8")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())

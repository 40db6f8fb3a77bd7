"""Benchmark `jury` (docs/BENCHMARKS.md): proposals of one even-semester jury of BUT1 (S1+S2).

For 150, 1,000 and 10,000 generated students, on SQLite and PostgreSQL: wall time from "load the
jury" to "proposals in memory" (wall and CPU time of the process), queries, peak memory
(tracemalloc in a separate run, and the process's maximum RSS), and the time of one bare SQL
query fetching every grade row of the jury's students into tuples — the reference of issue 17.
Each figure is the median of several runs in a fresh process per database. The last line,
"BENCH {json}", is read by bench/run_all.py.

    .venv/bin/python bench/jury.py [--sizes 150,1000,10000] [--db sqlite,postgres] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import PY, ROOT, machine, median, prepare_demo, sqlite_url, table  # noqa: E402

ANNEE, SEMESTER = "2026-2027", 2


def measure(runs: int) -> dict:
    """Runs inside a child process whose DATABASE_URL is the prepared database."""
    from _common import django_setup

    django_setup()
    import tracemalloc

    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from juries.selectors.proposals import jury_proposals

    sql = (
        "SELECT g.enrolment_id, g.evaluation_id, g.value, g.mark FROM juries_grade g "
        "JOIN juries_enrolment e ON e.id = g.enrolment_id WHERE e.student_id IN ("
        "SELECT e2.student_id FROM juries_enrolment e2 JOIN juries_semester s ON s.id = e2.semester_id "
        "WHERE e2.annee = %s AND s.number = %s)"
    )
    fetch_times, jury_times, fetch_cpu, jury_cpu = [], [], [], []
    rows = 0
    jury_proposals(annee=ANNEE, semester=SEMESTER)  # warm-up: imports, connection
    for _ in range(runs):
        # Wall time, and this process's CPU time: on a shared machine the second is less
        # disturbed by the other processes (SQLite runs in this process; PostgreSQL does not).
        t, c = time.perf_counter(), time.process_time()
        with connection.cursor() as cur:
            cur.execute(sql, [ANNEE, SEMESTER])
            rows = len(cur.fetchall())
        fetch_times.append(time.perf_counter() - t)
        fetch_cpu.append(time.process_time() - c)
        t, c = time.perf_counter(), time.process_time()
        with CaptureQueriesContext(connection) as ctx:
            result = jury_proposals(annee=ANNEE, semester=SEMESTER).proposals
        jury_times.append(time.perf_counter() - t)
        jury_cpu.append(time.process_time() - c)
        queries = len(ctx.captured_queries)
        reset_queries()
        del result
    # Peak of the Python allocations of one jury (inputs, engine, proposals), apart from the
    # process's own baseline (Django, imports).
    tracemalloc.start()
    result = jury_proposals(annee=ANNEE, semester=SEMESTER).proposals
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "students": len(result.students), "grades": rows, "queries": queries,
        "jury_s": median(jury_times), "fetch_s": median(fetch_times),
        "jury_cpu_s": median(jury_cpu), "fetch_cpu_s": median(fetch_cpu), "peak_mb": peak / 1e6,
        # the whole process's high-water mark (Linux: KiB), Django and the measuring runs included
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def run(database_url: str, runs: int) -> dict:
    env = dict(os.environ, DATABASE_URL=database_url)
    out = subprocess.run([PY, __file__, "--measure", "--runs", str(runs)], env=env, cwd=ROOT,
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="150,1000,10000")
    parser.add_argument("--db", default="sqlite,postgres")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--measure", action="store_true")
    parser.add_argument("--prepare-only", action="store_true",
                        help="seed the databases and stop (with BENCH_KEEP_PG, a later run measures them)")
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.runs)))
        return
    rows = []
    summary: list[dict] = []
    for db in args.db.split(","):
        for size in (int(s) for s in args.sizes.split(",")):
            if db == "sqlite":
                url = sqlite_url(f"jury-{size}.sqlite3")
            else:
                pg_url = os.environ.get("BENCH_POSTGRES_URL")
                if not pg_url:
                    print("PostgreSQL ignoré : lancer via scripts/with_postgres.sh (BENCH_POSTGRES_URL)", file=sys.stderr)
                    continue
                url = _fresh_pg_database(pg_url, size)
            print(f"… {db} {size} étudiants", file=sys.stderr)
            prepare_demo(url, size)
            if args.prepare_only:
                continue
            r = run(url, args.runs)
            rows.append([db, r["students"], r["grades"], f"{r['jury_s']:.2f}", f"{r['fetch_s']:.2f}",
                         f"{r['jury_s'] / r['fetch_s']:.2f}", f"{r['jury_cpu_s']:.2f}", f"{r['fetch_cpu_s']:.2f}",
                         f"{r['jury_cpu_s'] / r['fetch_cpu_s']:.2f}", r["queries"], f"{r['peak_mb']:.0f}",
                         f"{r['rss_mb']:.0f}"])
            summary.append({"db": db, **r})
    print(f"Jury pair BUT1 (S1+S2), médiane de {args.runs} exécutions — {machine()}")
    print(table(["base", "étudiants", "notes", "jury (s)", "lecture SQL brute (s)", "ratio",
                 "jury CPU (s)", "lecture CPU (s)", "ratio CPU", "requêtes", "mémoire max du jury (Mo)",
                 "RSS max du processus (Mo)"], rows))
    print("BENCH " + json.dumps({"jury": summary}))


def _fresh_pg_database(url: str, size: int) -> str:
    import psycopg

    base, _, _ = url.rpartition("/")
    name = f"bench_jury_{size}"
    with psycopg.connect(url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and os.environ.get("BENCH_KEEP_PG"):
            return f"{base}/{name}"  # seeded by an earlier run on this cluster (prepare_demo checks)
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    return f"{base}/{name}"


if __name__ == "__main__":
    main()

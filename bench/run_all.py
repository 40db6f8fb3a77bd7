"""`make bench`: every benchmark of bench/, each in its own process; tables printed and kept,
then the table of performance targets: each target beside what the scripts measured.

Run under scripts/with_postgres.sh (as `make bench` does) so that the PostgreSQL figures exist:
the throwaway cluster's URL is passed to the scripts as BENCH_POSTGRES_URL. `make bench
BENCH=jury` runs one script; the summary then takes the other figures from the newest raw
output committed under bench/results/ (and says which file).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
SCRIPTS = [
    ["bench/jury.py"],
    ["bench/import.py"],
    ["bench/pages.py"],
    ["bench/releve.py"],
    # The target's own figure: 300 users (docs/benchmarks.md "Load" has the runs at 50 to 300).
    ["bench/load.py", "--users", "300"],
]


def markdown_tables(text: str) -> list[list[dict[str, str]]]:
    """Every markdown table of a script's output, as rows keyed by the header's cells."""
    tables, lines = [], text.splitlines()
    i = 0
    while i < len(lines) - 1:
        if lines[i].startswith("|") and re.match(r"^\|(\s*:?-+:?\s*\|)+\s*$", lines[i + 1]):
            header = [c.strip() for c in lines[i].strip().strip("|").split("|")]
            rows = []
            i += 2
            while i < len(lines) and lines[i].startswith("|"):
                cells = [c.strip() for c in lines[i].strip().strip("|").split("|")]
                rows.append(dict(zip(header, cells, strict=False)))
                i += 1
            tables.append(rows)
        else:
            i += 1
    return tables


def bench_line(text: str) -> dict:
    """The "BENCH {json}" lines of a script's output, merged."""
    out: dict = {}
    for line in text.splitlines():
        if line.startswith("BENCH "):
            out.update(json.loads(line[len("BENCH "):]))
    return out


def newest(prefix: str) -> Path | None:
    """The newest raw output of a script's table (a file with a "BENCH" line or a table)."""
    files = sorted((p for p in RESULTS.glob(f"{prefix}*.txt") if "_stats" not in p.name),
                   key=lambda p: p.stat().st_mtime, reverse=True)
    for path in files:
        text = path.read_text(encoding="utf-8")
        if "\nBENCH " in text or markdown_tables(text):
            return path
    return None


def source(outputs: dict[str, str], name: str) -> tuple[str, str]:
    """This run's output of bench/<name>.py, else the newest committed raw output."""
    if name in outputs:
        return outputs[name], f"bench/{name}.py (cette exécution)"
    path = newest(f"{name}_")
    if path is None:
        return "", "aucune mesure"
    return path.read_text(encoding="utf-8"), str(path.relative_to(ROOT))


def column(row: dict[str, str], *words: str) -> str | None:
    """The cell of the first column whose header contains every word."""
    for key, value in row.items():
        if all(w in key for w in words):
            return value
    return None


def summary(outputs: dict[str, str]) -> str:
    rows: list[list[str]] = []

    text, origin = source(outputs, "jury")
    jury = bench_line(text).get("jury", [])
    for r in jury:
        if r["students"] < 10000:
            continue
        ratio = r["jury_s"] / r["fetch_s"]
        cpu = f", CPU {r['jury_cpu_s'] / r['fetch_cpu_s']:.2f} ×" if r["db"] == "sqlite" else ""
        n = f"{r['students']:,}".replace(",", " ")
        rows.append([f"jury de {n} étudiants ({r['db']})",
                     "≤ 1,5 × la lecture brute des notes",
                     f"{ratio:.2f} × ({r['jury_s']:.2f} s / {r['fetch_s']:.2f} s{cpu})",
                     "atteint" if ratio <= 1.5 else "manqué", origin])
        rows.append([f"mémoire max, {n} étudiants ({r['db']})", "≤ 120 Mo",
                     f"{r['peak_mb']:.0f} Mo (tracemalloc du jury ; RSS du processus {r.get('rss_mb', 0):.0f} Mo)",
                     "atteint" if r["peak_mb"] <= 120 else "manqué", origin])
    if not jury:
        rows.append(["jury de 10 000 étudiants", "≤ 1,5 × la lecture brute", "non mesuré", "", origin])

    text, origin = source(outputs, "pages")
    pages = bench_line(text).get("pages", [])
    for run in pages:
        for p in run["pages"]:
            if p["page"] == "tableau du jury":
                rows.append([f"tableau du jury, {run['students']} étudiants ({run['db']}) : serveur",
                             "≤ 100 ms", f"{p['median_ms']:.0f} ms (médiane de {p['gets']})",
                             "atteint" if p["median_ms"] <= 100 else "manqué", origin])
                rows.append([f"tableau du jury, {run['students']} étudiants ({run['db']}) : HTML",
                             "≤ 60 ko, compressé ou non",
                             f"{p['bytes'] / 1000:.0f} ko ({p['gzip_bytes'] / 1000:.0f} ko gzip)",
                             # "compressed or not": the page as sent uncompressed must fit too
                             "atteint" if p["bytes"] <= 60_000 else "manqué", origin])
            if p["page"] == "PV (PDF)":
                rows.append([f"PV PDF, {run['students']} étudiants ({run['db']})", "≤ 1 s",
                             f"{p['median_ms'] / 1000:.2f} s (médiane de {p['gets']})",
                             "atteint" if p["median_ms"] <= 1000 else "manqué", origin])
    if not pages:
        rows.append(["tableau du jury, 150 étudiants", "≤ 100 ms", "non mesuré", "", origin])
    loads = [(run, run["browser"]) for run in pages if run.get("browser")]
    for run, load in loads:
        rows.append([f"tableau du jury, {run['students']} étudiants ({run['db']}) : événement load du navigateur",
                     "≤ 300 ms", f"{load['median_ms']:.0f} ms (médiane de {load['loads']}, Chromium sans tête)",
                     "atteint" if load["median_ms"] <= 300 else "manqué", origin])
    if not loads:
        rows.append(["tableau du jury : événement load du navigateur", "≤ 300 ms",
                     "non mesuré (bench/pages.py sans Chromium ou --no-browser)", "", origin])

    text, origin = source(outputs, "releve")
    found = False
    for table in markdown_tables(text):
        for row in table:
            one, batch = column(row, "1 relevé", "(s)"), column(row, "2 processus")
            label = next(iter(row.values()), "")
            if one is None or batch is None:
                continue
            found = True
            n = column(row, "étudiants") or "?"
            rows.append([f"1 relevé / lot sur 2 cœurs ({label}, {n} au jury)", "≤ 0,15 s / ≤ 15 s pour 150",
                         f"{one} s / {batch} s", "", origin])
    if not found:
        rows.append(["1 relevé / lot de 150 sur 2 cœurs", "≤ 0,15 s / ≤ 15 s", "non mesuré", "", origin])

    text, origin = source(outputs, "load")
    found = False
    for table in markdown_tables(text):
        for row in table:
            name = row.get("page") or next(iter(row.values()), "")
            if name in ("Aggregated", "toutes pages"):
                p95, errors, users = column(row, "p95"), column(row, "erreurs"), column(row, "utilisateurs")
                found = True
                met = (users == "300" and errors == "0" and p95 is not None and p95.isdigit()
                       and int(p95) <= 300)
                rows.append([f"charge : {users or '?'} utilisateurs",
                             "300 utilisateurs, p95 ≤ 300 ms, aucune erreur",
                             f"p95 {p95} ms, {errors} {'erreur' if errors in ('0', '1') else 'erreurs'}",
                             "atteint" if met else "manqué" if users == "300" else "", origin])
    if not found:
        rows.append(["charge", "300 utilisateurs, p95 ≤ 300 ms, aucune erreur", "non mesuré", "", origin])

    header = ["mesure", "cible", "mesuré", "verdict", "sortie brute"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def main() -> int:
    env = dict(os.environ)
    if env.get("DATABASE_URL", "").startswith("postgres"):
        env["BENCH_POSTGRES_URL"] = env.pop("DATABASE_URL")
    RESULTS.mkdir(exist_ok=True)
    failures = 0
    report = []
    outputs: dict[str, str] = {}
    only = set(sys.argv[1:])
    for script in SCRIPTS:
        name = Path(script[0]).stem
        if only and name not in only:
            continue
        if not (ROOT / script[0]).exists():
            continue
        print(f"=== {script[0]}", flush=True)
        done = subprocess.run([sys.executable, *script], cwd=ROOT, env=env, capture_output=True, text=True)
        print(done.stdout)
        outputs[name] = done.stdout
        if done.returncode:
            failures += 1
            print(done.stderr[-3000:], file=sys.stderr)
        report.append(f"## {name}\n\n{done.stdout}\n")
    table = summary(outputs)
    print("=== Cibles et mesures\n" + table)
    report.append(f"## Cibles et mesures\n\n{table}\n")
    (RESULTS / "latest.md").write_text("\n".join(report), encoding="utf-8")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

"""`make bench`: every benchmark of bench/, each in its own process; tables printed and kept.

Run under scripts/with_postgres.sh (as `make bench` does) so that the PostgreSQL figures exist:
the throwaway cluster's URL is passed to the scripts as BENCH_POSTGRES_URL.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = [
    ["bench/jury.py"],
    ["bench/import.py"],
    ["bench/pages.py"],
    ["bench/releve.py"],
    ["bench/load.py"],
]


def main() -> int:
    env = dict(os.environ)
    if env.get("DATABASE_URL", "").startswith("postgres"):
        env["BENCH_POSTGRES_URL"] = env.pop("DATABASE_URL")
    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(exist_ok=True)
    failures = 0
    report = []
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
        if done.returncode:
            failures += 1
            print(done.stderr[-3000:], file=sys.stderr)
        report.append(f"## {name}\n\n{done.stdout}\n")
    (out_dir / "latest.md").write_text("\n".join(report), encoding="utf-8")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

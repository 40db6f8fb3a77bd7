"""Import benchmark (docs/BENCHMARKS.md): 10,000 grade rows from XLSX and from CSV, validated and written.

Runs on a fresh SQLite database in a temporary directory (never the project's db.sqlite3): migrate,
load the maquette, enrol enough students in S1 directly, then time `import_file(kind="grades")`
(read, validate every row, write everything with history) for each format. Each measure is the
median of --repeat runs, the grades and evaluations deleted between runs so that every run
creates the same 10,000 grades. Also times a re-import of the same file (nothing changes) and an
import that changes every grade. Target: ≥ 1,000 rows/s.

    .venv/bin/python bench/import.py [--rows 10000] [--per-student 10] [--repeat 3]
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Django is set up in _setup(), after the database URL is chosen.
    from juries.importers.base import ImportReport

ROOT = Path(__file__).resolve().parents[1]


def _setup(tmp: Path) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qlio.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("loaddata", "maquette_but_qlio_osc", verbosity=0)


def _population(students: int, per_student: int):
    """`students` enrolled in S1 2026-2027 and the `per_student` enseignements each is graded in."""
    from juries.models import Coefficient, Enrolment, Enseignement, Parcours, Semester, Student

    semester = Semester.objects.get(formation__code="BUT-QLIO", number=1)
    parcours = Parcours.objects.get(code="OSC")
    graded = set(Coefficient.objects.filter(value__gt=0).values_list("enseignement_id", flat=True))
    codes = [e.code for e in Enseignement.objects.filter(semester=semester, parts__isnull=True).order_by("code")
             if e.pk in graded]
    labels = [(codes[i % len(codes)], f"Éval {i // len(codes) + 1}") for i in range(per_student)]
    Student.objects.bulk_create([Student(numero=f"26{k:06d}", nom=f"Nom{k}", prenom="Léa") for k in range(students)],
                                batch_size=2000)
    people = Student.objects.filter(numero__startswith="26")
    Enrolment.objects.bulk_create([Enrolment(student=s, annee="2026-2027", semester=semester, parcours=parcours,
                                             group=f"G{s.pk % 3}") for s in people], batch_size=2000)
    return [s.numero for s in people.order_by("numero")], labels


HEADER = ["numero", "annee", "semestre", "code", "evaluation", "coefficient", "date", "note"]


def _rows(numeros, labels, shift: int = 0):
    for i, numero in enumerate(numeros):
        for j, (code, label) in enumerate(labels):
            k = (i * 7 + j * 3 + shift) % 83
            note = "ABI" if k == 0 else f"{(k % 41) / 2:.2f}".replace(".", ",") if k % 2 else f"{(k % 41) / 2:g}"
            yield [numero, "2026-2027", "1", code, label, "1", "2026-10-05", note]


def _csv(rows) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    w.writerow(HEADER)
    w.writerows(rows)
    return ("\ufeff" + buf.getvalue()).encode()


def _xlsx(rows) -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("notes")
    ws.append(HEADER)
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _reset() -> None:
    from juries.models import Evaluation, Grade

    Grade.history.all().delete()
    Grade.objects.all().delete()
    Evaluation.history.all().delete()
    Evaluation.objects.all().delete()


def _time(data: bytes, filename: str) -> tuple[float, ImportReport]:
    from juries.services.imports import import_file

    start = time.perf_counter()
    report = import_file(kind="grades", data=data, filename=filename)
    return time.perf_counter() - start, report


def _read_only(data: bytes, filename: str) -> float:
    from juries.importers.tabular import read_table

    start = time.perf_counter()
    read_table(data, filename)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--per-student", type=int, default=10, help="grades per student (evaluations)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    students = -(-args.rows // args.per_student)
    tmp = Path(tempfile.mkdtemp(prefix="qlio-bench-import-"))
    try:
        t0 = time.perf_counter()
        _setup(tmp)
        numeros, labels = _population(students, args.per_student)
        rows = list(_rows(numeros, labels))[: args.rows]
        changed = list(_rows(numeros, labels, shift=1))[: args.rows]
        files = {"xlsx": ("notes.xlsx", _xlsx(rows), _xlsx(changed)), "csv": ("notes.csv", _csv(rows), _csv(changed))}
        print(f"Base SQLite neuve ({tmp}), maquette chargée, {students} étudiants inscrits en S1 "
              f"({time.perf_counter() - t0:.1f} s). Machine : {platform.machine()}, {os.cpu_count()} cœur(s), "
              f"Python {platform.python_version()}.")
        print(f"{len(rows)} lignes de notes, {len(labels)} évaluations ; médiane de {args.repeat} passage(s).\n")
        print(f"{'format':<6} {'scénario':<26} {'taille':>9} {'lecture s':>10} {'total s':>9} {'lignes/s':>10}")
        results = {}
        for fmt, (name, data, data_changed) in files.items():
            reads, creates, unchanged, updates = [], [], [], []
            for _ in range(args.repeat):
                _reset()
                reads.append(_read_only(data, name))
                seconds, report = _time(data, name)
                assert report.created == len(rows), report.summary()
                creates.append(seconds)
                seconds, report = _time(data, name)
                assert report.unchanged == len(rows), report.summary()
                unchanged.append(seconds)
                seconds, report = _time(data_changed, name)
                assert report.updated > 0.9 * len(rows), report.summary()
                updates.append(seconds)
            for label, series in (("création (base vide)", creates), ("réimport identique", unchanged),
                                  ("modification de tout", updates)):
                median = statistics.median(series)
                results[(fmt, label)] = len(rows) / median
                print(f"{fmt:<6} {label:<26} {len(data) / 1024:>7.0f} Ko {statistics.median(reads):>10.2f} "
                      f"{median:>9.2f} {len(rows) / median:>10.0f}")
        worst = min(results[(f, "création (base vide)")] for f in files)
        print(f"\nObjectif ≥ 1 000 lignes/s (création) : {'atteint' if worst >= 1000 else 'NON atteint'} "
              f"({worst:.0f} lignes/s au plus lent).")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()

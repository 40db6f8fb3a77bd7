"""Benchmark `relevé` (docs/BENCHMARKS.md): one relevé PDF, and the batch of a whole jury (one PDF
per student, the ZIP and the merged PDF), with 1 and 2 rendering processes.

Two databases made by `seed_demo`: the demo promo (150 students over BUT1-BUT3 with history: its
S2 jury has about 60 students) and 150 students in BUT1 only (an S2 jury of 150). Each S2 jury is
deliberated first (decisions service), so the relevés are official, with their codes.

    .venv/bin/python bench/releve.py [--runs 3] [--sample 10]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import PY, ROOT, machine, manage, median, prepare_demo, sqlite_url, table  # noqa: E402

ANNEE, SEMESTER = "2026-2027", 2


def _deliberate() -> None:
    from juries.models import JurySession
    from juries.services.decisions import deliberate

    jury = JurySession.objects.select_related("president", "semester").get(annee=ANNEE, semester__number=SEMESTER)
    if not jury.is_deliberated:
        deliberate(jury=jury, by=jury.president)


def measure(runs: int, sample: int, parts: str = "releve,pv") -> dict:
    """Runs inside a child process whose DATABASE_URL is the prepared database."""
    from _common import django_setup

    django_setup()
    from django.core.cache import cache

    from juries.models import Enrolment
    from juries.pdf.releve import html_to_pdf, releve_html, render_releve_pdf
    from juries.presenters.releve import prepare_releves, releve_for
    from juries.services.releve_batch import write_batch, zip_pdfs

    _deliberate()
    if "releve" not in parts:
        return _measure_pv(runs)
    enrolments = list(
        Enrolment.objects.filter(annee=ANNEE, semester__number=SEMESTER).select_related("student", "semester")
        .order_by("student__numero")
    )
    step = max(1, len(enrolments) // sample)
    picked = enrolments[::step][:sample]
    releve_for(picked[0])
    html_to_pdf(releve_html(releve_for(picked[0])))  # warm-up: imports, fonts

    # One relevé as the portal serves it (no cache): the student's facts, then the PDF.
    one_total, one_prepare, one_render = [], [], []
    for enrolment in picked:
        cache.clear()
        t0 = time.perf_counter()
        doc = releve_for(enrolment)
        t1 = time.perf_counter()
        render_releve_pdf(doc)
        t2 = time.perf_counter()
        one_prepare.append(t1 - t0)
        one_render.append(t2 - t1)
        one_total.append(t2 - t0)
    t = time.perf_counter()
    render_releve_pdf(doc)
    cached = time.perf_counter() - t

    # The whole jury: facts and HTML in this process, PDFs in 1 or 2 processes, ZIP, merged PDF.
    batch: dict[int, list[float]] = {1: [], 2: []}
    prepare_times = []
    pages = 0
    for _ in range(runs):
        for workers in (1, 2):
            with tempfile.TemporaryDirectory() as tmp:
                t0 = time.perf_counter()
                docs = prepare_releves(annee=ANNEE, semester=SEMESTER)
                htmls = [releve_html(d) for d in docs]
                t1 = time.perf_counter()
                paths, merged = write_batch(docs=docs, htmls=htmls, out_dir=Path(tmp) / "pdf", workers=workers)
                zip_pdfs(paths, Path(tmp) / "releves.zip")
                batch[workers].append(time.perf_counter() - t0)
                prepare_times.append(t1 - t0)
                out = subprocess.run(["pdfinfo", str(merged)], capture_output=True, text=True).stdout
                pages = int(next(x.split()[-1] for x in out.splitlines() if x.startswith("Pages:")))
    result = {
        "students": len(enrolments), "sample": len(picked),
        "one_s": median(one_total), "one_max_s": max(one_total), "one_prepare_s": median(one_prepare),
        "one_render_s": median(one_render), "cached_s": cached,
        "prepare_s": median(prepare_times), "batch1_s": median(batch[1]), "batch2_s": median(batch[2]),
        "pages": pages, "cores": os.cpu_count(),
    }
    if "pv" in parts:
        result.update(_measure_pv(runs))
    return result


def _measure_pv(runs: int) -> dict:
    # The PV of the whole jury: laid out (facts, HTML, PDF: what the task worker does), then asked
    # again with nothing changed, as the jury's PV link serves it once made (kept by content).
    from django.conf import settings

    from juries.models import Enrolment, JurySession
    from juries.presenters.pv import pv_pdf
    from juries.services.pv_document import request_pv

    jury = JurySession.objects.select_related("semester", "formation", "president").get(
        annee=ANNEE, semester__number=SEMESTER)
    pv_pdf(jury=jury)  # warm-up
    pv_times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        pv = pv_pdf(jury=jury)
        pv_times.append(time.perf_counter() - t0)
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    again_times = []
    with tempfile.TemporaryDirectory() as tmp:
        settings.QLIO_RELEVES_DIR = tmp
        assert request_pv(jury=jury).path is not None, "le PV n'a pas été fait"
        for _ in range(max(3, runs)):
            t0 = time.perf_counter()
            document = request_pv(jury=jury)
            assert document.path is not None
            document.path.read_bytes()
            again_times.append(time.perf_counter() - t0)
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pv)
        f.flush()
        out = subprocess.run(["pdfinfo", f.name], capture_output=True, text=True).stdout
        pv_pages = int(next(x.split()[-1] for x in out.splitlines() if x.startswith("Pages:")))
    students = Enrolment.objects.filter(annee=ANNEE, semester__number=SEMESTER).count()
    return {"pv_s": median(pv_times), "pv_again_s": median(again_times), "pv_pages": pv_pages,
            "pv_students": students}


def profile(sample: int) -> None:
    """cProfile of ``sample`` relevés and one PV rendered (HTML → PDF only), top functions by own
    time and cumulative time, on stdout."""
    import cProfile
    import pstats

    from _common import django_setup

    django_setup()
    from django.utils import timezone

    from juries.models import JurySession
    from juries.pdf.pv import pv_html
    from juries.pdf.releve import html_to_pdf, releve_html
    from juries.presenters.pv import build_pv
    from juries.presenters.releve import prepare_releves

    _deliberate()
    docs = prepare_releves(annee=ANNEE, semester=SEMESTER)[:sample]
    htmls = [releve_html(d) for d in docs]
    jury = JurySession.objects.select_related("semester", "formation", "president").get(
        annee=ANNEE, semester__number=SEMESTER)
    pv = pv_html(build_pv(jury, now=timezone.now()))
    html_to_pdf(htmls[0])  # warm-up: imports, fonts
    for label, items in (("relevés", htmls), ("PV", [pv])):
        prof = cProfile.Profile()
        t0 = time.perf_counter()
        prof.enable()
        for html in items:
            html_to_pdf(html)
        prof.disable()
        print(f"### {label} : {len(items)} en {time.perf_counter() - t0:.2f} s")
        stats = pstats.Stats(prof, stream=sys.stdout)
        stats.sort_stats("tottime").print_stats(18)
        stats.sort_stats("cumulative").print_stats(30)


def run(database_url: str, runs: int, sample: int, parts: str) -> dict:
    env = dict(os.environ, DATABASE_URL=database_url)
    out = subprocess.run([PY, __file__, "--measure", "--runs", str(runs), "--sample", str(sample), "--parts", parts],
                         env=env,
                         cwd=ROOT, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def prepare_full_demo(database_url: str) -> None:
    """The demo promo of `make run` (150 students, BUT1-BUT3, with history), cached for SQLite."""
    path = Path(database_url.removeprefix("sqlite:///"))
    marker = path.with_suffix(".ready")
    if marker.exists() and path.exists():
        return
    path.unlink(missing_ok=True)
    manage(database_url, "migrate", "--noinput", "-v0")
    manage(database_url, "loaddata", "maquette_but_qlio_osc", "-v0")
    manage(database_url, "seed_demo")
    marker.touch()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sample", type=int, default=10, help="relevés timed one by one")
    parser.add_argument("--data", default="demo,150", help="demo (promo de démo, jury S2 ≈ 60), 150 (BUT1 seul)")
    parser.add_argument("--measure", action="store_true")
    parser.add_argument("--profile", action="store_true", help="cProfile du rendu (base 150 BUT1)")
    parser.add_argument("--parts", default="releve,pv", help="releve (un relevé, les lots), pv (le PV du jury)")
    args = parser.parse_args()
    if args.profile:
        url = sqlite_url("releve-150.sqlite3")
        prepare_demo(url, 150, years="1")
        os.environ["DATABASE_URL"] = url
        profile(args.sample)
        return
    if args.measure:
        print(json.dumps(measure(args.runs, args.sample, args.parts)))
        return
    rows: list[list[object]] = []
    pv_rows: list[list[object]] = []
    target_rows: list[list[object]] = []
    datasets = {
        "demo": ("démo (150 étudiants, 3 ans)", sqlite_url("releve-demo.sqlite3"), prepare_full_demo),
        "150": ("150 étudiants en BUT1", sqlite_url("releve-150.sqlite3"), lambda u: prepare_demo(u, 150, years="1")),
    }
    for label, url, prepare in (datasets[name] for name in args.data.split(",")):
        print(f"… {label}", file=sys.stderr)
        prepare(url)
        r = run(url, args.runs, args.sample, args.parts)
        if "one_s" in r:
            rows.append([
                label, r["students"], f"{r['one_s']:.2f} (max {r['one_max_s']:.2f})", f"{r['one_prepare_s']:.3f}",
                f"{r['one_render_s']:.2f}", f"{r['cached_s'] * 1000:.1f} ms", f"{r['prepare_s']:.1f}",
                f"{r['batch1_s']:.1f}", f"{r['batch2_s']:.1f}", f"{r['batch2_s'] / r['students']:.2f}", r["pages"],
            ])
            target_rows.append([f"un relevé ({label})", f"{r['one_s']:.2f} s", "≤ 0,15 s"])
            target_rows.append([f"lot de {r['students']}, 2 cœurs ({label})", f"{r['batch2_s']:.1f} s",
                                f"≤ {15 * r['students'] / 150:.0f} s"])
        if "pv_s" in r:
            pv_rows.append([label, r["pv_students"], f"{r['pv_s']:.2f}", f"{r['pv_again_s']:.2f}", r["pv_pages"]])
            # Laid out by the task worker (« PV en préparation… »): what the page waits for is
            # the PV once made, served again while its content is unchanged.
            target_rows.append([f"PV de {r['pv_students']}, déjà prêt ({label})", f"{r['pv_again_s']:.2f} s",
                                f"≤ {r['pv_students'] / 150:.1f} s".replace(".", ",")])
            target_rows.append([f"PV de {r['pv_students']}, mise en page par le worker ({label})",
                                f"{r['pv_s']:.2f} s", "tâche de fond"])
    load = f"charge moyenne {os.getloadavg()[0]:.1f}"
    if rows:
        print(f"Relevés du jury S2 {ANNEE} (officiels), SQLite, médiane de {args.runs} lots — {machine()}, {load}")
        print(table(["données", "étudiants du jury", "1 relevé (s)", "dont faits (s)", "dont PDF (s)",
                     "1 relevé en cache", "lot : faits + HTML (s)", "lot, 1 processus (s)", "lot, 2 processus (s)",
                     "s / relevé (lot, 2 proc.)", "pages du PDF fusionné"], rows))
    if pv_rows:
        print(f"PV du jury S2 {ANNEE} (faits, HTML, PDF), SQLite, médiane de {args.runs} — {machine()}, {load}")
        print(table(["données", "étudiants", "PV mis en page (s)", "PV déjà prêt, servi (s)", "pages"], pv_rows))
    print("Cibles (issue 17, machine calme) :")
    print(table(["mesure", "obtenu", "cible"], target_rows))

if __name__ == "__main__":
    main()

"""A jury's relevés in one go: one PDF per student in a folder (and a ZIP), plus one merged PDF for
printing; from the web as a background job reporting its progress, or from ``manage.py releves``.

The request (or the command) does the database work: it issues the official codes of a
deliberated jury, then builds every relevé's HTML. Only the HTML → PDF step runs in the background.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from juries.files import private_dir, private_file
from juries.models import JurySession
from juries.pdf.releve import html_to_pdf, merge_pdfs, releve_html
from juries.presenters.releve import ReleveDoc, ReleveError, ascii_fold, prepare_releves
from juries.selectors.releves import recorded_jury

from .releve_codes import issue_releve_codes


def releves_to_print(*, annee: str, semester: int, numeros: Sequence[str] | None = None, by=None,
                     jury: JurySession | None = None) -> list[ReleveDoc]:
    """The relevés of a jury, official ones with their code: generating a deliberated jury's
    relevés is an explicit act of the secretariat, so it issues the codes still missing."""
    if jury is None:
        jury = recorded_jury(annee=annee, semester=semester)
    if jury is not None and jury.is_deliberated:
        return issue_releve_codes(jury=jury, by=by, numeros=numeros)
    return prepare_releves(annee=annee, semester=semester, formation=jury.formation if jury else None,
                           numeros=numeros)


def batch_root() -> Path:
    return Path(getattr(settings, "QLIO_RELEVES_DIR", "") or tempfile.gettempdir()) / "qlio-releves"


def batch_names(*, semester: int, annee: str) -> tuple[str, str]:
    """(ZIP name, merged PDF name) of a jury's batch."""
    stem = f"releves_S{semester}_{ascii_fold(annee)}"
    return f"{stem}.zip", f"{stem}_impression.pdf"


def write_batch(*, docs: Sequence[ReleveDoc], htmls: Sequence[str], out_dir: Path, workers: int = 1,
                progress: Callable[[int], None] | None = None) -> tuple[list[Path], Path]:
    """Writes one PDF per student in ``out_dir`` and the merged PDF; returns (PDF paths, merged path).

    HTML is rendered by the caller (it needs the database); only the HTML → PDF step runs here,
    in ``workers`` processes when more than one (WeasyPrint is pure Python: threads would not help).
    """
    private_dir(out_dir)
    paths = [out_dir / d.filename for d in docs]
    done = 0
    if workers > 1 and len(docs) > 1:
        # Imported here: only a batch of several relevés starts processes.
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor, as_completed

        # spawn, not fork: the caller may be a thread of a web server.
        ctx = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
            futures = {pool.submit(html_to_pdf, html): path for html, path in zip(htmls, paths, strict=True)}
            for future in as_completed(futures):
                private_file(_touch(futures[future])).write_bytes(future.result())
                done += 1
                if progress:
                    progress(done)
    else:
        for html, path in zip(htmls, paths, strict=True):
            private_file(_touch(path)).write_bytes(html_to_pdf(html))
            done += 1
            if progress:
                progress(done)
    _, merged_name = batch_names(semester=docs[0].semester, annee=docs[0].annee) if docs else ("", "vide.pdf")
    merged = out_dir / merged_name
    merge_pdfs(paths, private_file(_touch(merged)))
    return paths, private_file(merged)


def _touch(path: Path) -> Path:
    path.touch()
    return path


def zip_pdfs(paths: Iterable[Path], target: Path) -> Path:
    # PDFs are already compressed: store them, so the ZIP is written at disk speed.
    with zipfile.ZipFile(private_file(_touch(target)), "w", compression=zipfile.ZIP_STORED) as zf:
        for p in paths:
            zf.write(p, arcname=p.name)
    return private_file(target)


def default_workers(count: int) -> int:
    configured = getattr(settings, "QLIO_RELEVE_WORKERS", None)
    if configured:
        return max(1, int(configured))
    # Starting a process costs about half a second: worth it from a handful of relevés on.
    return min(2, os.cpu_count() or 1) if count >= 8 else 1


@dataclass
class BatchJob:
    """A batch generated in the background: its folder holds status.json, the PDFs, the ZIP."""

    id: str
    folder: Path
    status: dict = field(default_factory=dict)


_JOB_RE = re.compile(r"^[0-9a-f]{32}$")
JOB_MAX_AGE = 24 * 3600
# A running job writes its status after every relevé: silent this long, its process has died
# (server restarted) and the page must say so instead of waiting forever.
JOB_STALE = 600


def _write_status(folder: Path, status: dict) -> None:
    tmp = folder / "status.json.tmp"
    private_file(_touch(tmp)).write_text(json.dumps(status, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, folder / "status.json")


def read_job(job_id: str) -> BatchJob | None:
    if not _JOB_RE.match(job_id or ""):
        return None
    folder = batch_root() / job_id
    path = folder / "status.json"
    try:
        status = json.loads(path.read_text(encoding="utf-8"))
        age = time.time() - path.stat().st_mtime
    except (OSError, ValueError):
        return None
    if status.get("state") == "running" and age > JOB_STALE:
        status.update(state="error", error="La génération a été interrompue (serveur redémarré ?) : relancez-la.")
    return BatchJob(id=job_id, folder=folder, status=status)


def job_file(job: BatchJob, kind: str) -> Path | None:
    """The finished ZIP (``kind="zip"``) or merged PDF (``"pdf"``) of a job, if there is one."""
    if job.status.get("state") != "done":
        return None
    name = job.status.get(kind)
    if not name or "/" in name or "\\" in name:
        return None
    path = job.folder / name
    return path if path.is_file() else None


def _purge_old_jobs(root: Path) -> None:
    limit = time.time() - JOB_MAX_AGE
    for child in root.iterdir() if root.exists() else ():
        if _JOB_RE.match(child.name) and child.stat().st_mtime < limit:
            shutil.rmtree(child, ignore_errors=True)


def _spawn(target: Callable[[], None]) -> None:
    threading.Thread(target=target, name="releves-batch", daemon=True).start()


def start_batch(*, jury: JurySession, by, verify_url: str = "") -> BatchJob:
    """Prepares every relevé of ``jury`` now (database work, issue of official codes), then renders
    the PDFs in a background thread that reports its progress in the job's status.json.

    The thread never touches the database: it only turns the HTML made here into PDF files.
    """
    docs = releves_to_print(annee=jury.annee, semester=jury.semester.number, jury=jury, by=by)
    if not docs:
        raise ReleveError(f"Aucun étudiant inscrit pour le {jury}.")
    htmls = [releve_html(d, verify_url=verify_url) for d in docs]
    root = batch_root()
    private_dir(root)
    _purge_old_jobs(root)
    job_id = secrets.token_hex(16)
    folder = root / job_id
    folder.mkdir(mode=0o700)
    private_dir(folder)
    zip_name, pdf_name = batch_names(semester=jury.semester.number, annee=jury.annee)
    status = {
        "state": "running", "done": 0, "total": len(docs), "jury": str(jury), "jury_id": jury.pk,
        "official": docs[0].official, "by": getattr(by, "pk", None), "started": timezone.now().isoformat(),
        "zip": zip_name, "pdf": pdf_name, "error": "",
    }
    _write_status(folder, status)
    lock = threading.Lock()

    def progress(done: int) -> None:
        with lock:
            status["done"] = done
            _write_status(folder, status)

    def run() -> None:
        started = time.perf_counter()
        try:
            paths, _merged = write_batch(docs=docs, htmls=htmls, out_dir=folder / "pdf",
                                         workers=default_workers(len(docs)), progress=progress)
            zip_pdfs(paths, folder / zip_name)
            os.replace(_merged, folder / pdf_name)
            status.update(state="done", seconds=round(time.perf_counter() - started, 1))
        except Exception as exc:  # noqa: BLE001 — shown to the secretariat, the page must not spin forever
            status.update(state="error", error=f"La génération a échoué : {exc}")
        _write_status(folder, status)

    _spawn(run)
    return BatchJob(id=job_id, folder=folder, status=status)

"""A jury's documents in one go (relevés, or decision letters): one PDF per student in a folder, the
ZIP of them and one merged PDF for printing; from the web as a task of Django's tasks API run by the
worker (``manage.py worker``), or from ``manage.py releves``.

The batch's progress is a database row (``DocumentBatch``), not the memory of the process rendering
it: a worker killed mid-batch is resumed by the next one (``requeue_interrupted``). Resuming is
idempotent: a student's PDF is written under its final name only once complete (temporary file,
then rename), so a restarted batch keeps the PDFs already written and writes the others; the
official codes come from ``issue_releve_codes``, which never changes a code once issued.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from juries.files import private_dir, private_file
from juries.models import DocumentBatch, Enrolment, JurySession
from juries.pdf.releve import PdfRenderer, merge_pdfs, releve_html, render_many
from juries.presenters.releve import ReleveDoc, ReleveError, ascii_fold, prepare_releves
from juries.selectors.releves import recorded_jury

from .releve_codes import issue_releve_codes

logger = logging.getLogger(__name__)


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


def batch_names(*, semester: int, annee: str, kind: str = DocumentBatch.Kind.RELEVES) -> tuple[str, str]:
    """(ZIP name, merged PDF name) of a jury's batch."""
    stem = f"{kind}_S{semester}_{ascii_fold(annee)}"
    return f"{stem}.zip", f"{stem}_impression.pdf"


def _write_atomically(path: Path, data: bytes) -> None:
    """The file appears under its name complete or not at all: a batch resumed after a crash
    trusts every PDF it finds."""
    tmp = path.with_name(f".{path.name}.tmp")
    private_file(_touch(tmp)).write_bytes(data)
    os.replace(tmp, path)


def render_pdfs(jobs: Sequence[tuple[str, Path]], *, workers: int = 1,
                progress: Callable[[int], None] | None = None) -> None:
    """Writes each (HTML, path) as a PDF, in ``workers`` processes when more than one (WeasyPrint is
    pure Python: threads would not help). ``progress`` gets the number written so far."""
    done = 0
    if workers > 1 and len(jobs) > 1:
        # Imported here: only a batch of several documents starts processes.
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # spawn, not fork: the caller may hold database connections or threads.
        ctx = multiprocessing.get_context("spawn")
        # One chunk of documents per process and call: each process parses the stylesheet and
        # loads the fonts once for its whole chunk (PdfRenderer), not once per document.
        chunks = [list(jobs[i::workers]) for i in range(workers)]
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
            for chunk_result in _as_completed_chunks(pool, chunks):
                for path, pdf in chunk_result:
                    _write_atomically(path, pdf)
                    done += 1
                    if progress:
                        progress(done)
    else:
        renderer = PdfRenderer()
        for html, path in jobs:
            _write_atomically(path, renderer.render(html))
            done += 1
            if progress:
                progress(done)


# A chunk is sent back in small slices so the progress bar moves while a process works.
_SLICE = 4


def _as_completed_chunks(pool, chunks: list[list[tuple[str, Path]]]) -> Iterable[list[tuple[Path, bytes]]]:
    from concurrent.futures import as_completed

    futures = [pool.submit(render_many, chunk[i:i + _SLICE]) for chunk in chunks for i in range(0, len(chunk), _SLICE)]
    for future in as_completed(futures):
        yield future.result()


def write_batch(*, docs: Sequence[ReleveDoc], htmls: Sequence[str], out_dir: Path, workers: int = 1,
                progress: Callable[[int], None] | None = None) -> tuple[list[Path], Path]:
    """Writes one PDF per student in ``out_dir`` and the merged PDF; returns (PDF paths, merged path)."""
    private_dir(out_dir)
    paths = [out_dir / d.filename for d in docs]
    render_pdfs(list(zip(htmls, paths, strict=True)), workers=workers, progress=progress)
    _, merged_name = batch_names(semester=docs[0].semester, annee=docs[0].annee) if docs else ("", "vide.pdf")
    merged = out_dir / merged_name
    merge_pdfs(paths, private_file(_touch(merged)))
    return paths, private_file(merged)


def _touch(path: Path) -> Path:
    path.touch()
    return path


def zip_pdfs(paths: Iterable[Path], target: Path) -> Path:
    # PDFs are already compressed: store them, so the ZIP is written at disk speed.
    tmp = target.with_name(f".{target.name}.tmp")
    with zipfile.ZipFile(private_file(_touch(tmp)), "w", compression=zipfile.ZIP_STORED) as zf:
        for p in paths:
            zf.write(p, arcname=p.name)
    os.replace(tmp, target)
    return private_file(target)


def default_workers(count: int) -> int:
    configured = getattr(settings, "QLIO_RELEVE_WORKERS", None) or os.environ.get("QLIO_RELEVE_WORKERS")
    if configured:
        return max(1, int(configured))
    # Starting a process costs about a second of CPU: one per core, each with four relevés at least.
    return max(1, min(os.cpu_count() or 1, count // 4))


# --------------------------------------------------------------------------- batches (tasks)


@dataclass
class BatchJob:
    """A batch as its pages see it: its public id, its folder and its state (``status``)."""

    id: str
    folder: Path
    status: dict = field(default_factory=dict)
    kind: str = DocumentBatch.Kind.RELEVES


_JOB_RE = re.compile(r"^[0-9a-f]{32}$")
JOB_MAX_AGE = 24 * 3600
# A running batch records a heartbeat after every PDF: silent this long, its worker has died and
# the next look at it (a worker starting, the progress page) hands it to a worker again.
JOB_STALE = 120
MAX_ATTEMPTS = 5


def _status(batch: DocumentBatch) -> dict:
    state = batch.state
    waiting = ""
    if state == DocumentBatch.State.QUEUED:
        waiting = "En attente du programme de génération (manage.py worker)…"
    return {
        # The page polls while "running": a batch waiting for its worker is shown as such.
        "state": "running" if state in (DocumentBatch.State.QUEUED, DocumentBatch.State.RUNNING) else state,
        "queued": state == DocumentBatch.State.QUEUED, "waiting": waiting,
        "done": batch.done, "total": batch.total, "jury": str(batch.jury), "jury_id": batch.jury_id,
        "official": batch.official, "by": batch.by_id, "error": batch.error,
        "zip": batch.zip_name, "pdf": batch.pdf_name, "seconds": batch.seconds, "kind": batch.kind,
        "started": batch.started_at.isoformat() if batch.started_at else "",
    }


def job_of(batch: DocumentBatch) -> BatchJob:
    return BatchJob(id=batch.token, folder=batch_root() / batch.token, status=_status(batch), kind=batch.kind)


def read_job(job_id: str) -> BatchJob | None:
    if not _JOB_RE.match(job_id or ""):
        return None
    batch = DocumentBatch.objects.select_related("jury__semester").filter(token=job_id).first()
    if batch is None:
        return None
    if batch.state == DocumentBatch.State.RUNNING and _is_stale(batch):
        # Its worker died: hand it to another one (the page keeps polling, the batch resumes).
        requeue_interrupted(batches=[batch])
        batch.refresh_from_db()
    return job_of(batch)


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
    DocumentBatch.objects.filter(created_at__lt=timezone.now() - timedelta(seconds=JOB_MAX_AGE)).exclude(
        state__in=[DocumentBatch.State.QUEUED, DocumentBatch.State.RUNNING]).delete()


def _enqueue(batch: DocumentBatch) -> None:
    """Hands the batch to the task worker (the immediate backend runs it here and now)."""
    from juries.tasks import run_document_batch

    result = run_document_batch.enqueue(batch.pk)
    DocumentBatch.objects.filter(pk=batch.pk, task_id="").update(task_id=str(result.id))


def start_batch(*, jury: JurySession, by, verify_url: str = "",
                kind: str = DocumentBatch.Kind.RELEVES) -> BatchJob:
    """Records a batch of ``jury``'s documents and queues its task; the worker does the rest (the
    facts, the codes of a deliberated jury's relevés, the PDFs) and reports in the row."""
    total = Enrolment.objects.filter(annee=jury.annee, semester=jury.semester).count()
    if not total:
        raise ReleveError(f"Aucun étudiant inscrit pour le {jury}.")
    root = batch_root()
    private_dir(root)
    _purge_old_jobs(root)
    zip_name, pdf_name = batch_names(semester=jury.semester.number, annee=jury.annee, kind=kind)
    batch = DocumentBatch.objects.create(
        kind=kind, jury=jury, by=by if getattr(by, "pk", None) else None, verify_url=verify_url,
        total=total, official=jury.is_deliberated, zip_name=zip_name, pdf_name=pdf_name,
    )
    _enqueue(batch)
    batch.refresh_from_db()
    return job_of(batch)


# --------------------------------------------------------------------------- the task's body


@dataclass(frozen=True)
class _Docs:
    docs: list
    html: Callable[[object], str]


def _documents(batch: DocumentBatch) -> _Docs:
    jury = batch.jury
    if batch.kind == DocumentBatch.Kind.LETTRES:
        from juries.pdf.lettre import lettre_html
        from juries.presenters.lettre import prepare_lettres

        return _Docs(prepare_lettres(jury=jury), lettre_html)
    docs = releves_to_print(annee=jury.annee, semester=jury.semester.number, jury=jury, by=batch.by)
    url = batch.verify_url

    def html(doc) -> str:
        return releve_html(doc, verify_url=url)

    return _Docs(docs, html)


def _beat(batch: DocumentBatch, **fields) -> None:
    DocumentBatch.objects.filter(pk=batch.pk).update(heartbeat_at=timezone.now(), **fields)


def run_batch(batch_pk: int) -> dict:
    """The task's body: writes the batch's missing PDFs, then the ZIP and the merged PDF.

    Run again (a retry, a worker restarted mid-batch), it writes only what is missing and the same
    files: nothing is duplicated, no code changes.
    """
    batch = DocumentBatch.objects.select_related("jury__semester", "jury__formation", "jury__president",
                                                 "by").filter(pk=batch_pk).first()
    if batch is None or batch.state in (DocumentBatch.State.DONE, DocumentBatch.State.ERROR):
        return {"state": getattr(batch, "state", "missing")}
    if batch.kind == DocumentBatch.Kind.PV:
        from .pv_document import run_pv

        return run_pv(batch)
    now = timezone.now()
    _beat(batch, state=DocumentBatch.State.RUNNING, attempts=F("attempts") + 1, error="",
          started_at=batch.started_at or now)
    started = time.perf_counter()
    try:
        made = _documents(batch)
        docs = made.docs
        if not docs:
            raise ReleveError(f"Aucun étudiant inscrit pour le {batch.jury}.")
        # Each level made private on its own: mkdir's parents would get the umask's mode.
        folder = private_dir(private_dir(batch_root()) / batch.token)
        out = private_dir(folder / "pdf")
        paths = [out / d.filename for d in docs]
        wanted = {p.name for p in paths}
        for stray in out.iterdir():
            if stray.name not in wanted:  # a temporary file of a killed run, a student gone since
                stray.unlink()
        missing = [(d, p) for d, p in zip(docs, paths, strict=True) if not p.exists()]
        already = len(docs) - len(missing)
        _beat(batch, total=len(docs), done=already, official=bool(docs[0].official))

        def progress(n: int) -> None:
            _beat(batch, done=already + n)

        jobs = [(made.html(d), p) for d, p in missing]
        render_pdfs(jobs, workers=default_workers(len(jobs)), progress=progress)
        zip_pdfs(paths, folder / batch.zip_name)
        merged_tmp = folder / f".{batch.pdf_name}.tmp"
        merge_pdfs(paths, private_file(_touch(merged_tmp)))
        os.replace(merged_tmp, folder / batch.pdf_name)
    except Exception as exc:  # noqa: BLE001 — shown to the secretariat, the page must not spin forever
        logger.exception("Lot %s en échec", batch.token)
        _beat(batch, state=DocumentBatch.State.ERROR, error=f"La génération a échoué : {exc}",
              finished_at=timezone.now())
        batch.refresh_from_db()
        from .mail import notify_batch_finished

        notify_batch_finished(batch)
        return {"state": "error"}
    _beat(batch, state=DocumentBatch.State.DONE, done=len(docs), finished_at=timezone.now(),
          seconds=round(time.perf_counter() - started, 1))
    batch.refresh_from_db()
    from .mail import notify_batch_finished, notify_documents_available

    notify_documents_available(batch, docs)
    notify_batch_finished(batch)
    return {"state": "done", "documents": len(docs)}


# --------------------------------------------------------------------------- recovery


def _is_stale(batch: DocumentBatch, seconds: float = JOB_STALE) -> bool:
    last = batch.heartbeat_at or batch.started_at or batch.created_at
    return last is not None and last < timezone.now() - timedelta(seconds=seconds)


def requeue_interrupted(*, worker_id: str = "", batches: Sequence[DocumentBatch] | None = None,
                        stale_seconds: float = JOB_STALE) -> list[DocumentBatch]:
    """Hands again to the worker the batches whose worker died mid-way, and returns them.

    A batch is interrupted when it is unfinished and its task is not going to finish it: the task
    ended (failed, or stopped by a signal) while the batch was not done, or it is still marked
    running by ``worker_id`` — the id of the worker starting now, so that one is dead — or by any
    worker but silent for ``stale_seconds``. Its lost task is marked failed, a new one is queued.
    """
    from django.apps import apps

    if not apps.is_installed("django_tasks.backends.database"):
        return []
    from django_tasks import TaskResultStatus
    from django_tasks.backends.database.models import DBTaskResult

    if batches is None:
        batches = list(DocumentBatch.objects.filter(state__in=[DocumentBatch.State.RUNNING,
                                                               DocumentBatch.State.QUEUED]).exclude(task_id=""))
    tasks = {str(t.id): t for t in DBTaskResult.objects.filter(id__in=[b.task_id for b in batches if b.task_id])}
    requeued = []
    for batch in batches:
        task = _find(tasks, batch.task_id)
        if task is None:
            continue  # another backend (immediate): nothing to resume from
        lost = False
        if task.status in (TaskResultStatus.FAILED, TaskResultStatus.SUCCEEDED):
            lost = True
        elif task.status == TaskResultStatus.RUNNING:
            ran_here = bool(worker_id) and bool(task.worker_ids) and task.worker_ids[-1] == worker_id
            lost = ran_here or _is_stale(batch, stale_seconds)
        if not lost:
            continue
        if task.status == TaskResultStatus.RUNNING:
            DBTaskResult.objects.filter(pk=task.pk, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.FAILED, finished_at=timezone.now(),
                exception_class_path="juries.tasks.WorkerLost",
                traceback="Le worker s'est arrêté pendant le lot ; le lot a été confié à un autre.")
        if batch.attempts >= MAX_ATTEMPTS:
            _beat(batch, state=DocumentBatch.State.ERROR, finished_at=timezone.now(),
                  error=f"La génération a été interrompue {batch.attempts} fois : relancez-la.")
            continue
        # Only one caller requeues a given lost task: the update succeeds once.
        if DocumentBatch.objects.filter(pk=batch.pk, task_id=batch.task_id).update(task_id="", heartbeat_at=timezone.now()):
            batch.task_id = ""
            _enqueue(batch)
            requeued.append(batch)
    return requeued


def _find(tasks: dict, task_id: str):
    """The task row of ``task_id`` (UUIDs are stored with or without dashes, depending on the database)."""
    wanted = task_id.replace("-", "")
    return next((t for key, t in tasks.items() if key.replace("-", "") == wanted), None)

"""The PV de jury as a background document: laying out the PV of a large jury takes WeasyPrint a
couple of seconds (one box per cell, thousands of cells), longer than a page may make its user
wait. So the PV is a ``DocumentBatch`` of kind ``pv`` rendered by the task worker, and kept by its
content: asked again while nothing in it has changed, the PDF already made is served at once.

The content is the PV's HTML with its edition time left out: a grade, a decision, the deliberation
or a member of the jury that changes changes the digest, and so asks for a new PDF.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.db.models import F
from django.utils import timezone

from juries.files import private_dir
from juries.models import DocumentBatch, JurySession
from juries.pdf.pv import pv_html
from juries.pdf.releve import LAYOUT_VERSION, html_to_pdf
from juries.presenters.pv import PV, build_pv
from juries.presenters.releve import ascii_fold

from . import releve_batch
from .releve_batch import (
    _beat,
    _is_stale,
    _purge_old_jobs,
    _write_atomically,
    batch_root,
    requeue_interrupted,
)

logger = logging.getLogger(__name__)

# Stands for the edition time while the content is digested: the time alone is no new content.
_NO_TIME = datetime(2000, 1, 1, tzinfo=UTC)
_ACTIVE = (DocumentBatch.State.QUEUED, DocumentBatch.State.RUNNING)


def pv_digest(pv: PV) -> str:
    html = pv_html(dataclasses.replace(pv, generated_at=_NO_TIME))
    return hashlib.sha256(f"{LAYOUT_VERSION}|{html}".encode()).hexdigest()


@dataclass
class PvDocument:
    """Where a jury's PV stands: ``path`` once its PDF is there, else the batch making it."""

    batch: DocumentBatch
    path: Path | None = None

    @property
    def state(self) -> str:
        return "ready" if self.path else ("error" if self.batch.state == DocumentBatch.State.ERROR else "running")

    @property
    def waiting_for_worker(self) -> bool:
        return self.batch.state == DocumentBatch.State.QUEUED


def _file(batch: DocumentBatch) -> Path | None:
    if batch.state != DocumentBatch.State.DONE or not batch.pdf_name or "/" in batch.pdf_name:
        return None
    path = batch_root() / batch.token / batch.pdf_name
    return path if path.is_file() else None


def request_pv(*, jury: JurySession, by=None, retry: bool = False) -> PvDocument:
    """The PV of ``jury`` as it stands now: its PDF if one was made for this content, else the
    batch making it (started here when none is; the immediate backend makes it at once)."""
    digest = pv_digest(build_pv(jury, now=_NO_TIME))
    mine = DocumentBatch.objects.select_related("jury").filter(kind=DocumentBatch.Kind.PV, jury=jury, digest=digest)
    for made in mine.filter(state=DocumentBatch.State.DONE).order_by("-finished_at"):
        path = _file(made)
        if path is not None:
            return PvDocument(made, path)
    active = mine.filter(state__in=_ACTIVE).order_by("-created_at").first()
    if active is not None:
        if active.state == DocumentBatch.State.RUNNING and _is_stale(active):
            requeue_interrupted(batches=[active])  # its worker died: another one takes it
            active.refresh_from_db()
        return PvDocument(active)
    failed = mine.filter(state=DocumentBatch.State.ERROR).order_by("-created_at").first()
    if failed is not None and not retry:
        return PvDocument(failed)
    root = private_dir(batch_root())
    _purge_old_jobs(root)
    batch = DocumentBatch.objects.create(kind=DocumentBatch.Kind.PV, jury=jury, by=by if getattr(by, "pk", None) else None,
                                         total=1, official=jury.is_deliberated, digest=digest)
    releve_batch._enqueue(batch)  # looked up at call time: tests stand in for the worker
    batch.refresh_from_db()
    return PvDocument(batch, _file(batch))


def run_pv(batch: DocumentBatch) -> dict:
    """The task's body for a PV: lays out the PV as it is now and records its digest. Run again
    after a crash, it writes the same file again (atomically)."""
    started = time.perf_counter()
    _beat(batch, state=DocumentBatch.State.RUNNING, attempts=F("attempts") + 1, error="",
          started_at=batch.started_at or timezone.now())
    jury = batch.jury
    try:
        pv = build_pv(jury, now=timezone.now())
        digest = pv_digest(pv)
        folder = private_dir(private_dir(batch_root()) / batch.token)
        name = f"pv_S{jury.semester.number}_{ascii_fold(jury.annee)}.pdf"
        _write_atomically(folder / name, html_to_pdf(pv_html(pv)))
    except Exception as exc:  # noqa: BLE001 — shown on the page, which must not spin forever
        logger.exception("PV %s en échec", batch.token)
        _beat(batch, state=DocumentBatch.State.ERROR, error=f"La génération du PV a échoué : {exc}",
              finished_at=timezone.now())
        return {"state": "error"}
    _beat(batch, state=DocumentBatch.State.DONE, done=1, total=1, digest=digest, pdf_name=name,
          official=pv.deliberated, finished_at=timezone.now(), seconds=round(time.perf_counter() - started, 1))
    return {"state": "done", "documents": 1}

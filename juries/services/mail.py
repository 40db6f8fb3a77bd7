"""E-mails for what people wait for: a student's document available, the secretariat's batch done.

Each event is sent once: its key is recorded (``SentMail``, unique) before the message leaves, so a
task run again after a crash, or a batch resumed, tells nobody twice. A message that fails to leave
drops its record, so the next run sends it. Django's mail API; the backend comes from the settings.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.conf import settings
from django.core.mail import get_connection, send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse

from juries.models import DocumentBatch, Enrolment, SentMail
from juries.rules.french import plural

logger = logging.getLogger(__name__)


def _site(path: str) -> str:
    base = (getattr(settings, "QLIO_PUBLIC_URL", "") or "").rstrip("/")
    return f"{base}{path}"


def send_once(*, key: str, to: str, subject: str, body: str, connection=None) -> bool:
    """Sends the message unless ``key`` was already sent; True when it was sent now."""
    if not to:
        return False
    try:
        with transaction.atomic():
            SentMail.objects.create(key=key[:200], to=to, subject=subject[:200])
    except IntegrityError:
        return False
    try:
        send_mail(subject, body, None, [to], connection=connection)
    except Exception:  # noqa: BLE001 — a mail server down must not fail the batch; the next run retries
        logger.exception("Courriel non envoyé (%s)", key)
        SentMail.objects.filter(key=key[:200]).delete()
        return False
    return True


_WHAT = {
    DocumentBatch.Kind.RELEVES: ("relevé de notes officiel", "Votre relevé de notes"),
    DocumentBatch.Kind.LETTRES: ("lettre de décision du jury", "Votre lettre de décision"),
}


def notify_documents_available(batch: DocumentBatch, docs: Sequence) -> int:
    """Tells each student with an e-mail address that their official document can be downloaded
    from the portal (provisional documents are no event). Returns how many were sent now."""
    if not batch.official or not docs:
        return 0
    what, subject_start = _WHAT[DocumentBatch.Kind(batch.kind)]
    jury = batch.jury
    emails = dict(Enrolment.objects.filter(pk__in=[d.enrolment_id for d in docs])
                  .values_list("pk", "student__email"))
    portal = _site(reverse("portal:index"))
    subject = f"{subject_start} du S{jury.semester.number} {jury.annee} est disponible"
    sent = 0
    connection = get_connection()
    for doc in docs:
        to = emails.get(doc.enrolment_id) or ""
        body = (
            "Bonjour,\n\n"
            f"Votre {what} du semestre {jury.semester.number} ({jury.annee}) est disponible.\n"
            f"Téléchargez-le depuis votre espace étudiant : {portal}\n\n"
            "Le secrétariat pédagogique du département"
        )
        key = f"{batch.kind}:{jury.pk}:{doc.enrolment_id}:{doc.digest}"
        sent += send_once(key=key, to=to, subject=subject, body=body, connection=connection)
    return sent


def notify_batch_finished(batch: DocumentBatch) -> bool:
    """Tells whoever asked for the batch that it is finished (or failed), once."""
    user = batch.by
    to = getattr(user, "email", "") or ""
    what = "relevés" if batch.kind == DocumentBatch.Kind.RELEVES else "lettres de décision"
    page = _site(reverse("releves:batch", args=[batch.token]))
    if batch.state == DocumentBatch.State.DONE:
        subject = f"Les {what} du {batch.jury} sont prêts"
        state = "officiel" if batch.official else "provisoire"
        body = (f"Bonjour,\n\nGénération terminée pour le {batch.jury} : "
                f"{plural(batch.total, 'document ' + state, 'documents ' + state + 's')}.\n"
                f"ZIP et PDF d'impression : {page}\n")
    elif batch.state == DocumentBatch.State.ERROR:
        subject = f"Échec de la génération des {what} du {batch.jury}"
        body = f"Bonjour,\n\n{batch.error}\n{page}\n"
    else:
        return False
    return send_once(key=f"batch:{batch.token}:{batch.state}", to=to, subject=subject, body=body)

"""Decision letters: what a letter says (read back from the PDF), PROJET before the deliberation,
who may download which letter, the secretariat's batch, and the e-mails sent once per event."""

from __future__ import annotations

import io
import zipfile
from html import unescape

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from juries import roles
from juries.models import DocumentBatch, SentMail
from juries.rules.french import date_fr
from juries.services import releve_batch
from juries.services.mail import notify_batch_finished, notify_documents_available
from tests.factories import make_user
from tests.releves.conftest import ANNEE, but1_student, deliberate, make_jury, overrides, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _mail_and_folders(settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.QLIO_RELEVES_DIR = str(tmp_path / "lots")


@pytest.fixture
def promo(maquette):
    alice_user = make_user(roles.ETUDIANT, username="alice")
    bruno_user = make_user(roles.ETUDIANT, username="bruno")
    alice = but1_student("26000801", "Aubert", "Alice", user=alice_user)
    # Bruno fails UE2 of both semesters: not every UE acquired.
    bruno = but1_student("26000802", "Barbier", "Bruno", user=bruno_user, s1=overrides(1, ue2="6"),
                         s2=overrides(2, ue2="6"))
    for student, email in ((alice, "alice@etu.example.fr"), (bruno, "bruno@etu.example.fr")):
        student.email = email
        student.save()
    secretariat = make_user(roles.SECRETARIAT, username="secretariat", email="scol@iut.example.fr")
    return {"alice": alice, "bruno": bruno, "alice_user": alice_user, "bruno_user": bruno_user,
            "secretariat": secretariat, "jury": make_jury(2)}


def _letter_url(semester: int = 2) -> str:
    return reverse("portal:lettre", kwargs={"annee": ANNEE, "semester": semester})


def test_the_letter_states_decision_ues_ects_date_president_and_appeal(client, promo, tmp_path):
    jury = deliberate(promo["jury"])
    client.force_login(promo["alice_user"])
    response = client.get(_letter_url())
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(response.content, tmp_path, "alice").split())
    assert "AUBERT" in text and "Alice" in text and "26000801" in text
    assert "Décision du jury" in text and "PROJET" not in text
    assert "ADM — Admis" in text  # the year's decision, as deliberated
    assert "Autorisé à poursuivre en semestre 3" in text
    assert "ECTS obtenus au semestre 2 : 30 / 30" in text and "ECTS acquis dans le cursus (total) : 60" in text
    assert "3 UE acquises" in text or "6 UE acquises" in text
    assert f"Le {date_fr(timezone.localtime(jury.deliberated_at).date())}" in text
    president = jury.president.get_full_name()
    assert president and f"Pour le jury, le président : {president}" in text
    assert "recours gracieux" in text and "deux mois" in text and "tribunal administratif" in text

    client.force_login(promo["bruno_user"])
    bruno = " ".join(pdf_text(client.get(_letter_url()).content, tmp_path, "bruno").split())
    assert "BARBIER" in bruno and "AUBERT" not in bruno
    assert "AJ Ajourné" in bruno  # his UE2
    assert "ECTS obtenus au semestre 2 : 20 / 30" in bruno


def test_the_department_sets_its_own_appeal_text(client, promo, settings, tmp_path):
    settings.QLIO_LETTRE_RECOURS = "Recours auprès de la présidence de l'Université Champollion sous deux mois."
    deliberate(promo["jury"])
    client.force_login(promo["alice_user"])
    text = " ".join(pdf_text(client.get(_letter_url()).content, tmp_path).split())
    assert "Université Champollion sous deux mois" in text and "Télérecours" not in text


def test_before_deliberation_students_get_no_letter_and_the_secretariat_a_projet(client, promo, tmp_path):
    client.force_login(promo["alice_user"])
    response = client.get(_letter_url())
    assert response.status_code == 409
    assert "pas encore délibéré" in unescape(response.content.decode())
    assert "Lettre de décision" not in client.get(reverse("portal:index")).content.decode()

    client.force_login(promo["secretariat"])
    enrolment = promo["alice"].enrolments.get(semester__number=2)
    response = client.get(reverse("releves:student_lettre", args=[enrolment.pk]))
    assert response.status_code == 200
    text = pdf_text(response.content, tmp_path)
    assert "PROJET" in text and "pourrait prendre" in text and "Pour le jury, le président" not in text

    deliberate(promo["jury"])
    client.force_login(promo["alice_user"])
    assert "Lettre de décision du jury (PDF)" in client.get(reverse("portal:index")).content.decode()
    assert client.get(_letter_url()).status_code == 200


def test_a_student_downloads_only_their_own_letter(client, promo, tmp_path):
    deliberate(promo["jury"])
    for user, mine, theirs in ((promo["alice_user"], "AUBERT", "BARBIER"), (promo["bruno_user"], "BARBIER", "AUBERT")):
        client.force_login(user)
        text = pdf_text(client.get(_letter_url()).content, tmp_path)
        assert mine in text and theirs not in text
    client.force_login(promo["alice_user"])
    assert client.get(_letter_url(3)).status_code == 404  # not enrolled in S3
    client.force_login(make_user(roles.ENSEIGNANT, username="prof"))
    assert client.get(_letter_url()).status_code == 403
    enrolment = promo["alice"].enrolments.get(semester__number=2)
    assert client.get(reverse("releves:student_lettre", args=[enrolment.pk])).status_code == 403
    client.force_login(promo["alice_user"])
    assert client.get(reverse("releves:student_lettre", args=[enrolment.pk])).status_code == 403


def test_letters_batch_writes_one_letter_per_student_and_mails_each_event_once(client, promo, tmp_path):
    deliberate(promo["jury"])
    client.force_login(promo["secretariat"])
    response = client.post(reverse("releves:lettres_start", args=[promo["jury"].pk]))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Génération des lettres de décision" in page and "2 / 2" in page and "terminé" in page
    job_id = response["Location"].rstrip("/").split("/")[-1]
    status = client.get(reverse("releves:batch_status", args=[job_id])).json()
    assert status["state"] == "done"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(client.get(status["zip_url"]).streaming_content)))
    assert sorted(archive.namelist()) == ["lettre_26000801_Aubert_S2_2026-2027.pdf",
                                          "lettre_26000802_Barbier_S2_2026-2027.pdf"]
    assert "ADM — Admis" in pdf_text(archive.read("lettre_26000801_Aubert_S2_2026-2027.pdf"), tmp_path)

    # One mail per student (their letter is available), one to the secretariat (the batch is done).
    by_to = {m.to[0]: m for m in mail.outbox}
    assert sorted(by_to) == ["alice@etu.example.fr", "bruno@etu.example.fr", "scol@iut.example.fr"]
    assert "lettre de décision" in by_to["alice@etu.example.fr"].body
    assert "/mes-releves/" in by_to["alice@etu.example.fr"].body
    assert "prêts" in by_to["scol@iut.example.fr"].subject and "2 documents officiels" in by_to["scol@iut.example.fr"].body

    # The task run again (a retry after a crash): same files, no second mail.
    batch = DocumentBatch.objects.get(token=job_id)
    DocumentBatch.objects.filter(pk=batch.pk).update(state=DocumentBatch.State.RUNNING)
    before = sorted(p.name for p in (releve_batch.batch_root() / job_id / "pdf").iterdir())
    assert releve_batch.run_batch(batch.pk)["state"] == "done"
    assert sorted(p.name for p in (releve_batch.batch_root() / job_id / "pdf").iterdir()) == before
    assert len(mail.outbox) == 3
    assert SentMail.objects.count() == 3


def test_releves_batch_tells_students_and_the_secretariat_once(client, promo):
    deliberate(promo["jury"])
    client.force_login(promo["secretariat"])
    client.post(reverse("releves:batch_start", args=[promo["jury"].pk]))
    subjects = sorted(m.subject for m in mail.outbox)
    assert subjects.count("Votre relevé de notes du S2 2026-2027 est disponible") == 2
    assert len(subjects) == 3
    batch = DocumentBatch.objects.get()
    from juries.presenters.releve import prepare_releves

    docs = prepare_releves(annee=ANNEE, semester=2)
    assert notify_documents_available(batch, docs) == 0
    assert notify_batch_finished(batch) is False
    assert len(mail.outbox) == 3


def test_provisional_batches_mail_only_the_secretariat(client, promo):
    client.force_login(promo["secretariat"])
    client.post(reverse("releves:batch_start", args=[promo["jury"].pk]))
    assert [m.to for m in mail.outbox] == [["scol@iut.example.fr"]]
    assert "provisoires" in mail.outbox[0].body


def test_a_mail_that_fails_is_sent_by_the_next_run(promo, monkeypatch):
    from juries.services import mail as mail_service

    deliberate(promo["jury"])
    calls = []

    def broken(*args, **kwargs):
        calls.append(args)
        raise OSError("serveur SMTP injoignable")

    monkeypatch.setattr(mail_service, "send_mail", broken)
    assert mail_service.send_once(key="k1", to="a@example.fr", subject="s", body="b") is False
    assert not SentMail.objects.exists() and len(calls) == 1
    monkeypatch.undo()
    assert mail_service.send_once(key="k1", to="a@example.fr", subject="s", body="b") is True
    assert mail_service.send_once(key="k1", to="a@example.fr", subject="s", body="b") is False
    assert len(mail.outbox) == 1

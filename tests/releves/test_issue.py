"""Official codes are issued by the acts that make a relevé official (the deliberation, the
secretariat's batch), never by a read: downloading, listing or verifying a relevé writes nothing."""

from __future__ import annotations

from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from juries import roles
from juries.models import Enrolment, Releve
from juries.presenters.releve import prepare_releves
from tests.factories import make_user

from .conftest import ANNEE, but1_student, deliberate, make_jury, reopen

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE")


def writes_to_juries(ctx: CaptureQueriesContext) -> list[str]:
    """The statements that changed an application table (sessions and cache are not ours)."""
    return [q["sql"] for q in ctx.captured_queries
            if q["sql"].lstrip().upper().startswith(WRITES) and '"juries_' in q["sql"]]


@pytest.fixture
def promo(maquette, settings, tmp_path):
    settings.QLIO_RELEVES_DIR = str(tmp_path / "lots")
    alice = make_user(roles.ETUDIANT, username="alice")
    a = but1_student("26000701", "Aubert", "Alice", user=alice)
    b = but1_student("26000702", "Barbier", "Bruno")
    return {"a": a, "b": b, "alice": alice, "jury": make_jury(2),
            "secretariat": make_user(roles.SECRETARIAT, username="secretariat")}


def test_the_deliberation_issues_every_code_with_the_digest_of_what_is_printed(promo):
    jury = promo["jury"]
    assert not Releve.objects.exists()
    deliberate(jury)
    rows = {r.enrolment_id: r for r in Releve.objects.filter(jury=jury)}
    docs = prepare_releves(annee=ANNEE, semester=2)
    assert len(rows) == len(docs) == 2
    for doc in docs:
        assert doc.official and doc.code == rows[doc.enrolment_id].code
        assert doc.digest == rows[doc.enrolment_id].digest


def test_a_new_deliberation_keeps_every_code(promo):
    jury = deliberate(promo["jury"])
    before = {r.enrolment_id: (r.code, r.digest, r.issued_at) for r in Releve.objects.all()}
    reopen(jury)
    deliberate(jury)
    assert {r.enrolment_id: (r.code, r.digest, r.issued_at) for r in Releve.objects.all()} == before


def test_downloading_an_official_releve_writes_nothing(client, promo, tmp_path):
    from .conftest import pdf_text

    deliberate(promo["jury"])
    before = list(Releve.objects.order_by("pk").values())
    a_s2 = Enrolment.objects.get(student=promo["a"], semester__number=2)
    code = Releve.objects.get(enrolment=a_s2).code
    client.force_login(promo["alice"])
    with CaptureQueriesContext(connection) as ctx:
        mine = client.get(reverse("portal:download", kwargs={"annee": ANNEE, "semester": 2}))
        portal = client.get(reverse("portal:index"))
    client.force_login(promo["secretariat"])
    with CaptureQueriesContext(connection) as ctx2:
        secretariat = client.get(reverse("releves:student_pdf", args=[a_s2.pk]))
        listing = client.get(reverse("releves:jury", args=[promo["jury"].pk]))
        verified = client.get(reverse("releves:verify", args=[code]))
    assert mine.status_code == secretariat.status_code == portal.status_code == 200
    assert listing.status_code == verified.status_code == 200
    assert code in pdf_text(mine.content, tmp_path) and code in portal.content.decode()
    assert "Code valide" in verified.content.decode()
    assert writes_to_juries(ctx) == [] and writes_to_juries(ctx2) == []
    assert list(Releve.objects.order_by("pk").values()) == before


def test_a_deliberated_jury_without_codes_refuses_the_download_in_french_until_the_batch_issues_them(
        client, promo, monkeypatch):
    # A database from before codes were issued at deliberation: deliberated, no Releve row.
    deliberate(promo["jury"])
    Releve.objects.all().delete()
    a_s2 = Enrolment.objects.get(student=promo["a"], semester__number=2)

    client.force_login(promo["alice"])
    portal = client.get(reverse("portal:index")).content.decode()
    assert "Relevé officiel pas encore émis par le secrétariat." in portal
    assert "Télécharger le relevé officiel (PDF)" not in portal
    response = client.get(reverse("portal:download", kwargs={"annee": ANNEE, "semester": 2}))
    assert response.status_code == 409 and response["Content-Type"].startswith("text/html")
    html = unescape(response.content.decode())
    assert "le relevé officiel n'a pas encore été émis" in html and "Le secrétariat l'émet" in html

    client.force_login(promo["secretariat"])
    assert client.get(reverse("releves:student_pdf", args=[a_s2.pk])).status_code == 409
    page = client.get(reverse("releves:jury", args=[promo["jury"].pk])).content.decode()
    assert "2 relevés officiels sans code de vérification" in page
    assert not Releve.objects.exists()

    # The secretariat's batch (a POST) issues them; the download then serves the official relevé.
    # (The batch's task runs in the request here: the immediate backend of the tests.)
    assert client.post(reverse("releves:batch_start", args=[promo["jury"].pk])).status_code == 302
    assert Releve.objects.filter(jury=promo["jury"]).count() == 2
    response = client.get(reverse("releves:student_pdf", args=[a_s2.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "sans code de vérification" not in client.get(reverse("releves:jury", args=[promo["jury"].pk])).content.decode()

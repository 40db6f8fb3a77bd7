"""Privacy: every route of the portal and of the relevés, as anonymous, as the owner, as another
student, and as each role. A student never reaches another student's data."""

from __future__ import annotations

import pytest
from django.urls import get_resolver, reverse

from juries import roles
from juries.models import DocumentBatch, Enrolment
from juries.services import releve_batch
from tests.factories import make_user

from .conftest import ANNEE, but1_student, deliberate, make_jury

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "owner", "other", "student_without_record", "teacher", "jury", "secretariat", "superuser")


@pytest.fixture
def world(maquette, settings, tmp_path, monkeypatch):
    settings.QLIO_RELEVES_DIR = str(tmp_path / "lots")
    owner = make_user(roles.ETUDIANT, username="alice")
    other = make_user(roles.ETUDIANT, username="bob")
    a = but1_student("26000201", "Aubert", "Alice", user=owner)
    b = but1_student("26000202", "Barbier", "Bruno", user=other)
    jury2 = deliberate(make_jury(2))
    jury1 = make_jury(1, president=jury2.president)
    users = {
        "anonymous": None, "owner": owner, "other": other,
        "student_without_record": make_user(roles.ETUDIANT, username="carole"),
        "teacher": make_user(roles.ENSEIGNANT, username="prof"),
        "jury": make_user(roles.JURY, username="jure"),
        "secretariat": make_user(roles.SECRETARIAT, username="secretariat"),
        "superuser": make_user(None, username="root", is_superuser=True, is_staff=True),
    }
    # A finished batch of jury 2, its rendering skipped (test_batch.py renders real ones); a batch
    # started by a request of this module is not rendered either.
    monkeypatch.setattr(releve_batch, "_enqueue", lambda batch: None)
    job = releve_batch.start_batch(jury=jury2, by=users["secretariat"])
    job.folder.mkdir(parents=True)
    (job.folder / job.status["zip"]).write_bytes(b"PK fake zip of Aubert 26000201")
    (job.folder / job.status["pdf"]).write_bytes(b"%PDF- fake of AUBERT 26000201")
    DocumentBatch.objects.filter(token=job.id).update(state="done", done=job.status["total"])
    return {"a": a, "b": b, "jury1": jury1, "jury2": jury2, "users": users, "job": job,
            "a_s2": Enrolment.objects.get(student=a, semester__number=2)}


def client_for(client, world, who):
    user = world["users"][who]
    if user is not None:
        client.force_login(user)
    return client


def urls(world) -> dict[str, tuple[str, str]]:
    """Every route of the two namespaces, with the method used to call it."""
    job, a_s2 = world["job"].id, world["a_s2"]
    return {
        "portal:index": ("get", reverse("portal:index")),
        "portal:download": ("get", reverse("portal:download", kwargs={"annee": ANNEE, "semester": 2})),
        "portal:notes": ("get", reverse("portal:notes")),
        "portal:notes_semester": ("get", reverse("portal:notes_semester", kwargs={"annee": ANNEE, "semester": 2})),
        "releves:index": ("get", reverse("releves:index")),
        "releves:jury": ("get", reverse("releves:jury", args=[world["jury2"].pk])),
        "releves:batch_start": ("post", reverse("releves:batch_start", args=[world["jury1"].pk])),
        "releves:batch": ("get", reverse("releves:batch", args=[job])),
        "releves:batch_status": ("get", reverse("releves:batch_status", args=[job])),
        "releves:batch_zip": ("get", reverse("releves:batch_zip", args=[job])),
        "releves:batch_pdf": ("get", reverse("releves:batch_pdf", args=[job])),
        "releves:student_pdf": ("get", reverse("releves:student_pdf", args=[a_s2.pk])),
        "releves:lettres_start": ("post", reverse("releves:lettres_start", args=[world["jury1"].pk])),
        "releves:student_lettre": ("get", reverse("releves:student_lettre", args=[a_s2.pk])),
        "portal:lettre": ("get", reverse("portal:lettre", kwargs={"annee": ANNEE, "semester": 2})),
        "releves:verify_form": ("get", reverse("releves:verify_form")),
        "releves:verify": ("get", reverse("releves:verify", args=["QLIO-2222-2222"])),
    }


def test_every_route_of_portal_and_releves_is_in_the_matrix(world):
    names = set()
    for namespace in ("portal", "releves"):
        resolver = get_resolver().namespace_dict[namespace][1]
        names |= {f"{namespace}:{n}" for n in resolver.reverse_dict if isinstance(n, str)}
    assert names == set(urls(world))


SECRETARIAT_ONLY = ("releves:index", "releves:jury", "releves:batch_start", "releves:batch", "releves:batch_status",
                    "releves:batch_zip", "releves:batch_pdf", "releves:student_pdf", "releves:lettres_start",
                    "releves:student_lettre")
STUDENT_ONLY = ("portal:index", "portal:download", "portal:lettre", "portal:notes", "portal:notes_semester")
PUBLIC = ("releves:verify_form", "releves:verify")

EXPECTED = {}
for name in SECRETARIAT_ONLY:
    EXPECTED.update({(name, who): 403 for who in ROLES})
    EXPECTED.update({(name, "anonymous"): 302, (name, "secretariat"): 200, (name, "superuser"): 200})
EXPECTED[("releves:batch_start", "secretariat")] = EXPECTED[("releves:batch_start", "superuser")] = 302
EXPECTED[("releves:lettres_start", "secretariat")] = EXPECTED[("releves:lettres_start", "superuser")] = 302
for name in STUDENT_ONLY:
    EXPECTED.update({(name, who): 403 for who in ROLES})
    EXPECTED.update({(name, "anonymous"): 302, (name, "owner"): 200, (name, "other"): 200})
for name in PUBLIC:
    EXPECTED.update({(name, who): 200 for who in ROLES})
    EXPECTED.update({("releves:verify", who): 404 for who in ROLES})  # an unknown code


@pytest.mark.parametrize("who", ROLES)
def test_every_route_answers_each_role(client, world, who):
    client = client_for(client, world, who)
    wrong = []
    for name, (method, url) in sorted(urls(world).items()):
        response = getattr(client, method)(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if response.status_code != EXPECTED[(name, who)]:
            wrong.append(f"{name}: {response.status_code} au lieu de {EXPECTED[(name, who)]}")
        if response.status_code == 302 and who == "anonymous" and not response["Location"].startswith(reverse("login")):
            wrong.append(f"{name}: redirigé vers {response['Location']}")
        if who not in ("owner", "secretariat", "superuser") and (
            b"Aubert" in body or b"AUBERT" in body or b"26000201" in body
        ):
            wrong.append(f"{name}: les données d'Alice sont visibles")
    assert not wrong, wrong


def test_the_portal_lists_only_the_students_own_semesters(client, world):
    client_for(client, world, "owner")
    page = client.get(reverse("portal:index")).content.decode()
    assert "Aubert".upper() in page and "26000201" in page
    assert "Barbier".upper() not in page and "26000202" not in page
    assert "Télécharger le relevé officiel (PDF)" in page  # S2: deliberated
    assert "Télécharger le relevé provisoire (PDF)" in page  # S1: jury open
    code = world["a_s2"].releves.get().code
    assert code in page


def test_the_same_portal_url_serves_each_student_their_own_releve(client, world, tmp_path):
    from .conftest import pdf_text

    url = reverse("portal:download", kwargs={"annee": ANNEE, "semester": 2})
    for who, mine, theirs in (("owner", "AUBERT", "BARBIER"), ("other", "BARBIER", "AUBERT")):
        client.logout()
        response = client_for(client, world, who).get(url)
        assert response["Content-Type"] == "application/pdf"
        assert response["Cache-Control"] == "private, no-store"
        text = pdf_text(response.content, tmp_path, who)
        assert mine in text and theirs not in text


def test_a_semester_the_student_is_not_enrolled_in_is_not_found(client, world):
    client_for(client, world, "owner")
    assert client.get(reverse("portal:download", kwargs={"annee": ANNEE, "semester": 3})).status_code == 404
    assert client.get(reverse("portal:download", kwargs={"annee": "2025-2026", "semester": 1})).status_code == 404
    assert client.get("/mes-releves/2026-2027/S7/releve.pdf").status_code == 404


def test_unknown_or_malformed_job_ids_are_not_found(client, world):
    client_for(client, world, "secretariat")
    for job in ("0" * 32, "../../etc", "abc"):
        assert client.get(f"/releves/lots/{job}/etat/").status_code == 404
        assert client.get(f"/releves/lots/{job}/zip/").status_code == 404


def test_batch_start_refuses_get(client, world):
    client_for(client, world, "secretariat")
    assert client.get(reverse("releves:batch_start", args=[world["jury2"].pk])).status_code == 405

"""Issue 15, "Done when": every URL of the site, as every role, with hostile values in each path
parameter and in each query parameter the page reads (plus a junk one), never answers 500 nor
shows a traceback, in production mode (DEBUG off, exceptions turned into responses).

The URL list is the permission matrix's (imported, so a new page is swept as soon as it is in the
matrix). Which segments of a path are parameters is asked of the URL resolver, not guessed.
"""

from __future__ import annotations

import logging
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import resolve, reverse

from juries import roles
from juries.models import Student
from juries.presenters.releve import ReleveError
from juries.services import releve_batch
from tests.factories import make_user
from tests.hardening.test_permission_matrix import MATRIX, world  # noqa: F401  (world: a fixture)

pytestmark = pytest.mark.django_db

# Label → the text as it goes, already percent-encoded, into a URL.
HOSTILE = {
    "NUL": "%00",
    "NUL au milieu": "22%0000001",
    "CR/LF": "x%0d%0aSet-Cookie:%20a=b",
    "../": "../../etc/passwd",
    "../ encodé": quote("../../etc/passwd", safe=""),
    "..": "..",
    "10 000 caractères": "A" * 10_000,
    "non UTF-8": "%ff%fe",
    "UTF-8 trop long": "%c0%af",
    "SQL": quote("' OR 1=1 --", safe=""),
    "HTML": quote("<script>alert(1)</script>", safe=""),
    "%": "%",
    "nombre hors 64 bits": "9" * 20,
}

# The query parameters each page reads (grep request.GET in juries/views and juries/admin); every
# page also gets JUNK, and a hostile parameter name.
JUNK = "zz_inconnu"
_ADMIN = ["q", "o", "p", "all", "e", "_popup", "_to_field"]
QUERY_PARAMS = {
    "secretariat:index": ["annee"],
    "secretariat:feuille": ["groupe"],
    "secretariat:feuille_upload": ["groupe"],
    "secretariat:absences": ["q"],
    "secretariat:student_search": ["q"],
    "secretariat:saisie": ["groupe"],
    "secretariat:absence_new": ["numero"],
    "secretariat:etat_absences": ["annee", "semestre", "format"],
    "jury:table": ["decision", "alertes", "a_decider", "q", "tri", "sens"],
    "jury:student": ["decision", "alertes", "a_decider", "q", "tri", "sens"],
    "releves:verify_form": ["code"],
    "admin:juries_grade_changelist": [*_ADMIN, "evaluation__annee", "enrolment__semester__id__exact", "enseignement"],
    "admin:juries_student_changelist": [*_ADMIN, "enrolments__annee", "enrolments__semester__id__exact"],
}

ROLES = ("anonyme", "secretariat", "jury_membre", "jury_externe", "etudiant", "etudiant_2", "enseignant")

# The verification page is outside the matrix (public, tested in tests/releves); its code is a
# path parameter, so it is swept here too.
URLS = [(name, method, template) for name, method, template, _allowed in MATRIX]
URLS.append(("releves:verify", "GET", "/releves/verifier/ABCD-EFGH/"))


def _variants(path: str, query_params: list[str]):
    """(what, url) pairs: each path parameter replaced by each hostile value, then each query
    parameter set to each hostile value, then a hostile parameter name."""
    path = path.split("?", 1)[0]  # a matrix URL may carry its own query (the student search's ?q=)
    match = resolve(path)
    segments = path.split("/")
    values = {str(v) for v in match.kwargs.values()} | {str(v) for v in match.args}
    for i, segment in enumerate(segments):
        # A parameter is a whole segment (R1.01, 7) or a part of one (S2, 12.pdf): exact first.
        exact = [v for v in values if v == segment]
        partial = sorted((v for v in values if v and (segment.startswith(v) or segment.endswith(v))), key=len)
        for value in exact or partial[-1:]:
            start = segment.index(value) if segment.startswith(value) else len(segment) - len(value)
            for label, hostile in HOSTILE.items():
                changed = segment[:start] + hostile + segment[start + len(value):]
                yield f"chemin {value!r} → {label}", "/".join([*segments[:i], changed, *segments[i + 1:]])
    for param in query_params:
        for label, hostile in HOSTILE.items():
            yield f"?{param}= {label}", f"{path}?{param}={hostile}"
    # A parameter no page reads, with a hostile name and a hostile value, in one request: what
    # reads it is the middleware and whatever copies the query string (sort links, pagination).
    for label, hostile in HOSTILE.items():
        yield f"?{JUNK}= et nom de paramètre {label}", f"{path}?{JUNK}={hostile}&{hostile}=1"


@pytest.fixture
def production(settings, caplog):
    settings.DEBUG = False
    # Thousands of refused requests: their log lines (with a traceback each) cost more than the
    # requests. A 500 is still seen, by its status.
    caplog.set_level(logging.CRITICAL, logger="django")


@pytest.fixture
def no_batch_thread(monkeypatch):
    """A batch started by the secretariat renders every relevé in a thread: each accepted POST of
    the sweep would start one. The view's answer to a refused start is what is swept."""
    def refused(**kwargs):
        raise ReleveError("Génération refusée (test).")

    monkeypatch.setattr(releve_batch, "start_batch", refused)


@pytest.fixture
def people_of_the_sweep(world):  # noqa: F811  (the imported fixture)
    users, ids = world
    second = Student.objects.get(numero="22000002")
    second.user = make_user(roles.ETUDIANT, "second")
    second.save()
    everyone = {
        "anonyme": None, "secretariat": users["secretariat"], "jury_membre": users["jury_membre"],
        "jury_externe": users["jury_externe"], "etudiant": users["etudiant"], "etudiant_2": second.user,
        "enseignant": users["enseignant"],
    }
    return everyone, ids


def _body(response) -> bytes:
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
        response.close()
        return content
    return response.content


@pytest.mark.parametrize("name, method, template", URLS, ids=[u[0] for u in URLS])
def test_hostile_values_never_give_a_500(production, no_batch_thread, people_of_the_sweep, name, method, template):
    users, ids = people_of_the_sweep
    path = template.format(**ids)
    failures = []
    for role in ROLES:
        client = Client(raise_request_exception=False)
        if users[role] is not None:
            client.force_login(users[role])
        for what, url in _variants(path, QUERY_PARAMS.get(name.split(" ")[0], [])):
            response = client.post(url, {}) if method == "POST" else client.get(url)
            body = _body(response)
            if response.status_code >= 500 or b"Traceback" in body:
                failures.append(f"{role} {method} {url[:120]} ({what}) : {response.status_code}")
    assert not failures, "\n".join(failures)


def test_the_sweep_reaches_every_parameter_of_a_page():
    """The sweep is not vacuous: a jury student's page has its two path parameters replaced."""
    whats = [w for w, _ in _variants("/jurys/7/etudiants/22000001/", [])]
    assert "chemin '7' → NUL" in whats and "chemin '22000001' → HTML" in whats
    assert f"?{JUNK}= et nom de paramètre 10 000 caractères" in whats
    assert reverse("releves:verify", args=["ABCD-EFGH"]) == URLS[-1][2]


@pytest.mark.parametrize("url, status", [
    ("/admin/juries/grade/?enseignement=99999999999999999999", 400),
    ("/admin/juries/grade/?enrolment__semester__id__exact=99999999999999999999", 400),
    ("/admin/juries/grade/?enrolment__semester__id__exact=9223372036854775807", 200),
    ("/admin/juries/student/?q=99999999999999999999", 200),
])
def test_an_admin_filter_beyond_any_identifier_is_a_400_not_a_500(production, people, maquette, url, status):
    """Django bounds an integer field's lookups, not a foreign key's: the admin filters overflowed
    (OverflowError on SQLite, DataError on PostgreSQL). The search box keeps any number."""
    client = Client(raise_request_exception=False)
    client.force_login(people["secretariat"])
    assert client.get(url).status_code == status

"""The permission matrix of the README, asserted: every URL of the site, as every role and anonymous.

"allowed" means the page (or its action) answers for that role: not 403/404 and no redirect to a
login page. "refused" means 403 or 404 for a signed-in user, and a redirect to the login page
(or 403) for an anonymous visitor. The test fails if a URL of the site is missing from the matrix.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from juries import roles
from juries.models import AttendanceSheet, Enseignement, Evaluation
from tests.factories import (
    PARIS,
    AbsenceFactory,
    JurySessionFactory,
    StudentFactory,
    enrol,
    grade_all,
    make_user,
    semester,
)

pytestmark = pytest.mark.django_db

ROLES = ("anonyme", "secretariat", "enseignant", "jury_membre", "jury_externe", "etudiant")
SEC, ENS, JM, JX, ETU = "secretariat", "enseignant", "jury_membre", "jury_externe", "etudiant"
ALL = {SEC, ENS, JM, JX, ETU}
PUBLIC = {"anonyme", *ALL}

# name, method, path template, roles allowed
MATRIX = [
    ("home", "GET", "/", ALL),
    ("login", "GET", "/connexion/", PUBLIC),
    ("secretariat:index", "GET", "/secretariat/", {SEC, ENS}),
    ("secretariat:enseignement", "GET", "/secretariat/notes/2026-2027/R1.01/", {SEC, ENS}),
    ("secretariat:enseignement (pas le sien)", "GET", "/secretariat/notes/2026-2027/R1.02/", {SEC}),
    ("secretariat:feuille", "GET", "/secretariat/notes/2026-2027/R1.01/feuille.xlsx", {SEC, ENS}),
    ("secretariat:feuille_upload", "POST", "/secretariat/notes/2026-2027/R1.01/deposer/", {SEC, ENS}),
    ("secretariat:evaluation_new", "GET", "/secretariat/notes/2026-2027/R1.01/evaluation/", {SEC, ENS}),
    ("secretariat:saisie", "GET", "/secretariat/evaluations/{evaluation}/saisie/", {SEC, ENS}),
    ("secretariat:saisie (pas la sienne)", "GET", "/secretariat/evaluations/{other_evaluation}/saisie/", {SEC}),
    ("secretariat:appel", "GET", "/secretariat/appel/", {SEC, ENS}),
    ("secretariat:appel_sheet", "GET", "/secretariat/appel/{sheet}/", {SEC, ENS}),
    ("secretariat:appel_sheet (pas la sienne)", "GET", "/secretariat/appel/{other_sheet}/", {SEC}),
    ("secretariat:publication", "POST", "/secretariat/evaluations/{evaluation}/publication/", {SEC, ENS}),
    ("secretariat:publication (pas la sienne)", "POST", "/secretariat/evaluations/{other_evaluation}/publication/", {SEC}),
    ("secretariat:absences", "GET", "/secretariat/absences/", {SEC}),
    ("secretariat:absence_new", "GET", "/secretariat/absences/declarer/", {SEC}),
    ("secretariat:etat_absences", "GET", "/secretariat/absences/etat/", {SEC}),
    ("secretariat:absence_detail", "GET", "/secretariat/absences/{absence}/", {SEC}),
    ("secretariat:student_absences", "GET", "/secretariat/etudiants/{numero}/absences/", {SEC}),
    ("secretariat:student_search", "GET", "/secretariat/etudiants/recherche/?q=mar", {SEC}),
    ("jury:list", "GET", "/jurys/", {SEC, JM, JX}),  # a jury member sees only their own juries
    ("jury:table", "GET", "/jurys/{jury}/", {SEC, JM}),
    ("jury:checks", "GET", "/jurys/{jury}/pre-jury/", {SEC, JM}),
    ("jury:student", "GET", "/jurys/{jury}/etudiants/{numero}/", {SEC, JM}),
    ("jury:deliberation", "GET", "/jurys/{jury}/deliberation/", {SEC, JM}),
    ("jury:deliberate", "POST", "/jurys/{jury}/deliberer/", {JM}),
    ("jury:reopen", "POST", "/jurys/{jury}/rouvrir/", {JM}),
    ("jury:pv_pdf", "GET", "/jurys/{jury}/pv.pdf", {SEC, JM}),
    ("jury:pv", "GET", "/jurys/{jury}/pv/", {SEC, JM}),
    ("jury:pv_xlsx", "GET", "/jurys/{jury}/pv.xlsx", {SEC, JM}),
    ("portal:index", "GET", "/mes-releves/", {ETU}),
    ("portal:download", "GET", "/mes-releves/2026-2027/S2/releve.pdf", {ETU}),
    ("portal:notes", "GET", "/mes-releves/notes/", {ETU}),
    ("portal:notes_semester", "GET", "/mes-releves/notes/2026-2027/S2/", {ETU}),
    ("releves:index", "GET", "/releves/", {SEC}),
    ("releves:jury", "GET", "/releves/jury/{jury}/", {SEC}),
    ("releves:batch_start", "POST", "/releves/jury/{jury}/generer/", {SEC}),
    ("releves:batch", "GET", "/releves/lots/{job}/", {SEC}),
    ("releves:batch_status", "GET", "/releves/lots/{job}/etat/", {SEC}),
    ("releves:batch_zip", "GET", "/releves/lots/{job}/zip/", {SEC}),
    ("releves:batch_pdf", "GET", "/releves/lots/{job}/pdf/", {SEC}),
    ("releves:student_pdf", "GET", "/releves/inscription/{enrolment}/releve.pdf", {SEC}),
    ("releves:verify_form", "GET", "/releves/verifier/", PUBLIC),
    ("releves:lettres_start", "POST", "/releves/jury/{jury}/lettres/generer/", {SEC}),
    ("releves:student_lettre", "GET", "/releves/inscription/{enrolment}/lettre.pdf", {SEC}),
    # The student's own letter: 409 (explained) until the jury deliberates, then the PDF.
    ("portal:lettre", "GET", "/mes-releves/2026-2027/S2/lettre.pdf", {ETU}),
    ("reglement", "GET", "/reglement/", ALL),
    ("aide", "GET", "/aide/", ALL),
    ("aide_guide", "GET", "/aide/etudiant/", ALL),
    ("admin:index", "GET", "/admin/", {SEC}),
    ("admin:juries_grade_changelist", "GET", "/admin/juries/grade/", {SEC}),
    ("admin:juries_student_changelist", "GET", "/admin/juries/student/", {SEC}),
    ("password_reset", "GET", "/mot-de-passe-oublie/", PUBLIC),
    ("password_reset_done", "GET", "/mot-de-passe-oublie/envoye/", PUBLIC),
    ("password_reset_confirm", "GET", "/mot-de-passe-oublie/MQ/lien-invalide/", PUBLIC),
    ("password_reset_complete", "GET", "/mot-de-passe-oublie/termine/", PUBLIC),
    ("cas_login", "GET", "/cas/connexion/", PUBLIC),  # CAS off by default: 404; tests/auth/test_cas.py
]
# Routes whose allowed answer cannot be produced without side effects in a request test; the
# refusals are still asserted for every other role. (A batch needs a running job: its pages are
# exercised by tests/releves; an unknown job is 404 for everyone, which is what is checked here.)
NOT_FOUND_FOR_EVERYONE = {"releves:batch", "releves:batch_status", "releves:batch_zip", "releves:batch_pdf",
                          "cas_login"}
NAMES_NOT_IN_MATRIX = {"logout", "releves:verify"}  # logout: POST for anyone; verify: public, tests/releves


@pytest.fixture
def world(maquette):
    secretariat = make_user(roles.SECRETARIAT, "sec", is_staff=True)
    teacher = make_user(roles.ENSEIGNANT, "prof")
    Enseignement.objects.get(code="R1.01").teachers.add(teacher)
    president = make_user(roles.JURY, "presidente")
    outsider = make_user(roles.JURY, "externe")
    mine = StudentFactory(numero="22000001", nom="Martin")
    other = StudentFactory(numero="22000002", nom="Durand")
    student_user = make_user(roles.ETUDIANT, "lea")
    mine.user = student_user
    mine.save()
    for s in (mine, other):
        for number in (1, 2):
            grade_all(enrol(s, number), "12")
    jury = JurySessionFactory(semester=semester(2), president=president, members=[president])
    absence = AbsenceFactory(student=mine, day=date(2026, 10, 5), declared_at=datetime(2026, 10, 5, 9, tzinfo=PARIS))
    users = {SEC: secretariat, ENS: teacher, JM: president, JX: outsider, ETU: student_user, "anonyme": None}
    ids = {
        "evaluation": Evaluation.objects.get(enseignement__code="R1.01").pk,
        "other_evaluation": Evaluation.objects.get(enseignement__code="R1.02").pk,
        "absence": absence.pk, "numero": mine.numero, "jury": jury.pk, "job": "inconnu",
        "enrolment": mine.enrolments.get(semester__number=2).pk,
        "sheet": _sheet("R1.01").pk, "other_sheet": _sheet("R1.02").pk,
    }
    return users, ids


def _sheet(code: str) -> AttendanceSheet:
    start = datetime(2026, 10, 6, 8, tzinfo=PARIS)
    return AttendanceSheet.objects.create(enseignement=Enseignement.objects.get(code=code), annee="2026-2027",
                                          start=start, end=start.replace(hour=10))


def _is_login_redirect(response) -> bool:
    return response.status_code == 302 and ("/connexion/" in response["Location"] or "/admin/login/" in response["Location"])


@pytest.mark.parametrize("name, method, template, allowed", MATRIX, ids=[m[0] for m in MATRIX])
def test_permission_matrix(client, world, name, method, template, allowed):
    users, ids = world
    path = template.format(**ids)
    # Refused roles first: an allowed POST (deliberate) changes what comes after it.
    for role in sorted(ROLES, key=lambda r: r in allowed):
        client.logout()
        if users[role] is not None:
            client.force_login(users[role])
        response = client.post(path, {}) if method == "POST" else client.get(path)
        if name.split(" ")[0] in NOT_FOUND_FOR_EVERYONE and role in allowed:
            assert response.status_code == 404, (role, path)
        elif role in allowed:
            assert response.status_code not in (403, 404) and not _is_login_redirect(response), (
                f"{role} doit pouvoir ouvrir {path} : {response.status_code}")
        elif role == "anonyme":
            assert _is_login_redirect(response) or response.status_code == 403, (path, response.status_code)
        else:
            assert response.status_code in (403, 404) or _is_login_redirect(response), (
                f"{role} ne doit pas ouvrir {path} : {response.status_code}")


def _names(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{p.namespace}:" if p.namespace else prefix
            if p.namespace == "admin":
                continue  # the admin's own URLs: asserted through its index and changelists
            yield from _names(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield prefix + p.name


def test_every_url_of_the_site_is_in_the_matrix():
    covered = {m[0].split(" ")[0] for m in MATRIX} | NAMES_NOT_IN_MATRIX
    missing = sorted(set(_names(get_resolver().url_patterns)) - covered)
    assert not missing, f"URL absentes de la matrice des permissions : {missing}"

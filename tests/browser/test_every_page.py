"""Every page of every role, in Chromium at 1366×768 (a laptop) and at 390×844 (a phone).

The pages are those of the permission matrix (tests/hardening/test_permission_matrix.py) that each
role may open, plus the pages a role reaches without a URL of its own there: the error pages, a
deliberated jury, a relevé's verification, the admin's pages the secretariat works in.

- no page scrolls sideways: `document.documentElement.scrollWidth <= innerWidth`; on the phone the
  student's relevé download link is inside the viewport; a screenshot of each page at each size
  goes to test-artifacts/ (role-page-size.png);
- axe-core (the copy bundled by the axe-playwright-python package: no network) finds no violation,
  whatever its impact.

Any violation fails: there is no list of accepted ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path

import pytest
from django.template.loader import render_to_string

from juries.models import AttendanceSheet, Enseignement, Evaluation, Releve
from juries.services.attendance import record_call
from tests.factories import PARIS, PASSWORD, AbsenceFactory, deliberate, graded_student, make_jury, make_user
from tests.hardening.test_permission_matrix import (
    ENS,
    ETU,
    JM,
    JX,
    MATRIX,
    NOT_FOUND_FOR_EVERYONE,
    PUBLIC,
    SEC,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOT_MAX_HEIGHT = 4000
SIZES = {"1366x768": {"width": 1366, "height": 768}, "390x844": {"width": 390, "height": 844}}
# role of this test -> (its role in the matrix, the username it signs in with; None: anonymous)
ROLES = {
    "anonyme": ("anonyme", None),
    "secretariat": (SEC, "secretaire"),
    "enseignant": (ENS, "enseignant"),
    "jury": (JM, "presidente"),
    "jury-externe": (JX, "autre-jury"),
    "etudiant": (ETU, "etudiant"),
}

NAMES = [("Arnaud", "Hugo"), ("Blanchard", "Clément"), ("Bourgeois", "Margaux"), ("Brun", "Thomas"),
         ("Carpentier", "Inès"), ("Dumas", "Lucas"), ("Fabre", "Chloé")]

# Pages without an entry of their own in the matrix (or in another state of the data).
EXTRA = [
    ("jury:table (délibéré)", "/jurys/{jury_s1}/", {SEC, JM}),
    ("jury:student (délibéré)", "/jurys/{jury_s1}/etudiants/{numero}/", {SEC, JM}),
    ("jury:deliberation (délibéré)", "/jurys/{jury_s1}/deliberation/", {SEC, JM}),
    ("releves:jury (délibéré)", "/releves/jury/{jury_s1}/", {SEC}),
    ("releves:verify", "/releves/verifier/{code}/", PUBLIC),
    ("releves:verify (inconnu)", "/releves/verifier/AAAA-BBBB-CCCC/", PUBLIC),
    ("admin:juries_student_change", "/admin/juries/student/{student}/change/", {SEC}),
    ("admin:juries_student_import", "/admin/juries/student/importer/", {SEC}),
    ("admin:juries_evaluation_changelist", "/admin/juries/evaluation/", {SEC}),
    ("admin:juries_absence_changelist", "/admin/juries/absence/", {SEC}),
    ("admin:juries_jurysession_changelist", "/admin/juries/jurysession/", {SEC}),
    ("404", "/page-inexistante/", PUBLIC),
    ("403", "/releves/", {ENS, JM, JX, ETU}),
]
# The same document for every signed-in role, the top bar aside (which every other page of the role
# shows): opened by one role only. axe-core takes 10 s on the règlement alone.
ONE_ROLE = {"reglement": "etudiant", "aide_guide": "etudiant"}
# Matrix entries that are actions, not pages (the form that posts to them is on another page).
ACTIONS = {"secretariat:evaluation_new", "secretariat:student_search"}  # an action and a JSON endpoint
STATUS = {"404": 404, "403": 403, "releves:verify (inconnu)": 404}
# Error pages that need a failing request: their template is served as Django serves it.
RENDERED = {"400": "400.html", "403-csrf": "403_csrf.html", "500": "500.html"}



@dataclass(frozen=True)
class Page:
    name: str
    path: str

    @property
    def slug(self) -> str:
        return re.sub(r"[^a-z0-9]+", "-", self.name.lower().replace("é", "e")).strip("-")


def pages_of(role: str, ids: dict) -> list[Page]:
    """Every page `role` opens: the matrix's GET pages it is allowed (downloads aside), then EXTRA."""
    matrix_role = ROLES[role][0]
    out = []
    for name, method, template, allowed in [*((m[0], m[1], m[2], m[3]) for m in MATRIX),
                                             *((e[0], "GET", e[1], e[2]) for e in EXTRA)]:
        if method != "GET" or matrix_role not in allowed or name.split(" ")[0] in NOT_FOUND_FOR_EVERYONE:
            continue
        if template.endswith((".pdf", ".xlsx")) or name in ACTIONS or ONE_ROLE.get(name, role) != role:
            continue
        try:
            out.append(Page(name, template.format(**ids)))
        except KeyError as missing:
            pytest.fail(f"{name} : l'identifiant {missing} manque à la fixture world de ce fichier")
    if role == "anonyme":
        out += [Page(name, f"/__rendu__/{name}/") for name in RENDERED]
    return out


@pytest.fixture
def world(maquette, people, settings, tmp_path):
    settings.QLIO_RELEVES_DIR = str(tmp_path / "lots")
    teacher = people["teacher"]
    teacher.first_name, teacher.last_name = "Claire", "Rivière"
    teacher.save()
    Enseignement.objects.get(code="R1.01").teachers.add(teacher)
    # Named like a real promotion: these screenshots are the README's. Every fifth one is weak in Qualité.
    students = [graded_student(f"2600{i:04d}", nom, prenom=prenom,
                               low={1: {"UE1 S1": "7"}, 2: {"UE1 S2": "7"}} if i % 5 == 0 else None)[0]
                for i, (nom, prenom) in enumerate(NAMES)]
    me = students[0]
    me.user = make_user("Étudiant", "etudiant", first_name=me.prenom, last_name=me.nom)
    me.save()
    # A declaration made two days late: the S2 jury shows an alert.
    absence = AbsenceFactory(student=me, day=date(2027, 3, 2), declared_at=datetime(2027, 3, 4, 9, tzinfo=PARIS))
    jury_s1 = deliberate(make_jury(people, number=1))
    jury_s2 = make_jury(people, number=2)
    # A feuille d'appel of the teacher's S2 enseignement with two absents, and one of another's.
    Enseignement.objects.get(code="R2.01").teachers.add(teacher)
    sheets = [AttendanceSheet.objects.create(enseignement=Enseignement.objects.get(code=code), annee="2026-2027",
                                             start=datetime(2027, 3, 9, 8, tzinfo=PARIS),
                                             end=datetime(2027, 3, 9, 10, tzinfo=PARIS)) for code in ("R2.01", "R1.02")]
    record_call(sheets[0], {students[1].numero, students[-1].numero}, by=teacher)
    return {
        "evaluation": Evaluation.objects.filter(enseignement__code="R1.01").order_by("pk").first().pk,
        "other_evaluation": Evaluation.objects.filter(enseignement__code="R1.02").order_by("pk").first().pk,
        "absence": absence.pk, "numero": me.numero, "jury": jury_s2.pk, "jury_s1": jury_s1.pk, "job": "inconnu",
        "enrolment": me.enrolments.get(semester__number=2).pk, "student": me.pk,
        "code": Releve.objects.filter(enrolment__student=me).first().code,
        "sheet": sheets[0].pk, "other_sheet": sheets[1].pk,
    }


@cache
def axe_source() -> str:
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


def _serve_rendered(context, base_url: str) -> None:
    """/__rendu__/500/ answers the 500 template as Django's handler renders it (no request context)."""
    def answer(body: str):
        return lambda route: route.fulfill(status=200, body=body, content_type="text/html; charset=utf-8")

    for name, template in RENDERED.items():
        context.route(f"{base_url}/__rendu__/{name}/", answer(render_to_string(template)))


def _sign_in(browser, base_url: str, role: str, tmp_path: Path) -> str | None:
    """The role's session, signed in once through the login form and reused by every context."""
    username = ROLES[role][1]
    if username is None:
        return None
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.goto(f"{base_url}/connexion/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "/connexion/" not in page.url, f"{username} n'a pas pu se connecter"
    state = tmp_path / f"{role}.json"
    context.storage_state(path=str(state))
    context.close()
    return str(state)


def visit_every_page(browser, base_url: str, role: str, ids: dict, tmp_path: Path,
                     check) -> list[tuple[str, str, str]]:
    """Opens every page of `role` at both sizes and calls check(page, Page, size) on each; returns its problems."""
    state = _sign_in(browser, base_url, role, tmp_path)
    problems: list[tuple[str, str, str]] = []
    for size, viewport in SIZES.items():
        context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris", viewport=viewport,
                                      storage_state=state)
        context.set_default_timeout(15000)
        _serve_rendered(context, base_url)
        pg = context.new_page()
        for p in pages_of(role, ids):
            response = pg.goto(base_url + p.path)
            assert response is not None
            expected = STATUS.get(p.name, 200)
            assert response.status == expected, f"{role} : {p.path} répond {response.status}"
            if expected == 200:
                assert p.name == "login" or "/connexion/" not in pg.url, (role, p.path)
            problems += check(pg, p, size)
        context.close()
    return problems


def _known(problems: list[tuple[str, str, str]]) -> list[str]:
    """(page, rule, detail) → one line each."""
    return [f"{page} · {rule} · {detail}" for page, rule, detail in problems]


@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_fits_the_laptop_and_the_phone(browser, live_server, world, role, artifacts, tmp_path):
    def check(pg, p: Page, size: str) -> list[tuple[str, str, str]]:
        # The whole page, down to SHOT_MAX_HEIGHT: the règlement is 40,000 px tall on a phone.
        height = min(pg.evaluate("document.documentElement.scrollHeight"), SHOT_MAX_HEIGHT)
        pg.screenshot(path=str(artifacts / f"{role}-{p.slug}-{size}.png"), full_page=True, timeout=60000,
                      clip={"x": 0, "y": 0, "width": SIZES[size]["width"], "height": height})
        found = []
        widths = pg.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if widths[0] > widths[1]:
            wide = pg.evaluate("""() => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
                .filter(e => !e.parentElement || e.parentElement.getBoundingClientRect().right <= window.innerWidth + 1)
                .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '')
                                      + ' ' + Math.round(e.getBoundingClientRect().right) + 'px')""")
            found.append((p.name, "overflow", f"{size} : page de {widths[0]} px pour {widths[1]} px ({wide})"))
        if role == "etudiant" and p.name == "portal:index" and size == "390x844":
            # Scrolled to vertically as a thumb would; measured from the page's left edge, so that a
            # page scrolled sideways to reach it does not count as "in view".
            link = pg.locator("a[href$='releve.pdf']").first
            link.scroll_into_view_if_needed()
            left, right, top, bottom = link.evaluate(
                "a => { const r = a.getBoundingClientRect(); "
                "return [r.left + window.scrollX, r.right + window.scrollX, r.top, r.bottom]; }")
            if not (left >= 0 and right <= 390 and top >= 0 and bottom <= 844):
                found.append((p.name, "download-link",
                              f"{size} : lien du relevé hors de l'écran (de {left:.0f} à {right:.0f} px)"))
        return found

    problems = _known(visit_every_page(browser, live_server.url, role, world, tmp_path, check))
    assert not problems, "Pages plus larges que l'écran :\n" + "\n".join(problems)


@pytest.mark.parametrize("role", list(ROLES))
def test_axe_finds_no_violation_on_any_page(browser, live_server, world, role, tmp_path):
    def check(pg, p: Page, size: str) -> list[tuple[str, str, str]]:
        pg.evaluate(axe_source())
        violations = pg.evaluate("async () => (await axe.run(document)).violations.map(v => ({id: v.id, "
                                 "impact: v.impact, nodes: v.nodes.map(n => [n.target.join(' '), "
                                 "(n.any[0] || n.all[0] || n.none[0] || {}).message || ''])}))")
        return [(p.name, v["id"], f"{size} {v['impact']} : {target} — {message}")
                for v in violations for target, message in v["nodes"]]

    problems = _known(visit_every_page(browser, live_server.url, role, world, tmp_path, check))
    assert not problems, f"axe-core ({role}) :\n" + "\n".join(problems)

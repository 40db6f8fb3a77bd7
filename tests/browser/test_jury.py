"""A jury president in a real browser (Playwright, Debian's headless chromium): opens the table,
filters the alerts, opens a student, overrides one decision with a reason, deliberates and
downloads the PV. Screenshots and the PV's first page go to test-artifacts/."""

from __future__ import annotations

import re
import subprocess
from datetime import date, datetime

import pytest

from juries.models import JuryDecision, JurySession
from tests.factories import PARIS, PASSWORD, AbsenceFactory, graded_promo, graded_student, make_jury

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: A student's row of the jury table (an alert line follows some): it starts with the numero.
STUDENT_ROWS = "#jury-table tbody tr:not(.alert-line)"


def row(page, numero: str):
    """The jury table's row of `numero`."""
    return page.locator(STUDENT_ROWS, has=page.locator(f"th:text-is('{numero}')"))


@pytest.fixture
def setting(maquette, people):
    jury = make_jury(people)
    students = graded_promo(12)
    # 26000000 (weak Qualité, PASD) declared an absence late: the only student alert (A2).
    AbsenceFactory(student=students[0], day=date(2027, 3, 2), declared_at=datetime(2027, 3, 4, 9, tzinfo=PARIS))
    return jury


def test_president_decides_deliberates_and_downloads_the_pv(page, live_server, login, artifacts, setting, tmp_path):
    jury = setting
    login(page, "presidente", PASSWORD)

    # The list of juries, then the table.
    page.goto(f"{live_server.url}/jurys/")
    page.click("text=Jury du S2 — 2026-2027")
    page.wait_for_selector("#jury-table")
    assert page.inner_text("#row-count") == "12 étudiants affichés"
    assert page.locator(STUDENT_ROWS).count() == 12                              # + 1 alert line
    assert page.locator("#jury-table thead svg.chart").count() == 9
    first = row(page, "26000000")
    assert "PASD" in first.inner_text() and "AJ" in first.inner_text()
    page.screenshot(path=str(artifacts / "jury-tableau.png"), full_page=False)

    # Alerts only: the checkbox submits the filter (static/jury.js).
    page.check("input[name=alertes]")
    page.wait_for_url(re.compile(r"alertes=1"))
    assert page.inner_text("#row-count") == "1 étudiant affiché sur 12"
    assert page.locator(STUDENT_ROWS).count() == 1
    assert "A2" in page.inner_text("#jury-table tbody tr td.alerts")
    assert "Absence du 02/03/2027 déclarée tardivement" in page.inner_text("#jury-table tr.alert-line")
    page.screenshot(path=str(artifacts / "jury-alertes.png"), full_page=False)

    # The student's file: the proposal explained.
    row(page, "26000000").locator("th a").click()
    page.wait_for_selector("#decision-form")
    assert "NOM000 P0" in page.inner_text("h2")
    motifs = page.inner_text("#motifs")
    assert "C3 RCUE Qualité niveau 1 non validé : 8,88 < 10" in motifs
    assert "P2 2 RCUE sur 3 avec une moyenne d'au moins 10 : 8,88 ;" in motifs
    assert "A2 absence du 02/03/2027 déclarée tardivement" in motifs
    assert "PASD Passage de droit" in page.inner_text(".proposal-box")
    page.screenshot(path=str(artifacts / "jury-etudiant.png"), full_page=True)

    # Override: the RCUE Qualité by decision of the jury (ADJ), with a written reason.
    page.check("input[name=choice][value=modifier]")
    page.check("input[name=rcue_adj][value='C1 N1']")
    page.fill("textarea[name=reason]", "Progression nette au second semestre ; stage d'observation remarquable.")
    page.click("text=Enregistrer la décision")
    page.wait_for_selector(".msg-success")
    box = page.inner_text("#decision")
    assert "ADM" in box and "différente de la proposition" in box and "Progression nette" in box
    assert "Marie Curie" in box and "version 1" in box
    assert "PASD" in page.inner_text(".proposal-box")                       # the proposal stays visible
    page.screenshot(path=str(artifacts / "jury-decision.png"), full_page=False)

    # Back to the table: the decision and the changed RCUE show.
    page.click("text=← Tableau du jury")
    decided = row(page, "26000000")
    assert "✎ modifiée" in decided.inner_text() and "ADJ" in decided.inner_text()

    # The pré-jury checks the secretariat went through.
    page.click(".tabs >> text=Contrôles pré-jury")
    assert "A2 absence du 02/03/2027 déclarée tardivement" in page.inner_text("#absences")
    assert "Aucune note manquante." in page.inner_text("#missing")
    page.screenshot(path=str(artifacts / "jury-prejury.png"), full_page=True)

    # Deliberation (the confirm dialog is accepted).
    page.click(".tabs >> text=Délibération")
    assert page.inner_text("#to-accept") == "11"
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#deliberate-button")
    page.wait_for_selector(".msg-success")
    assert "12 décisions définitives, dont 11 propositions acceptées" in page.inner_text(".messages")
    assert "Délibéré le" in page.inner_text(".jury-state")
    page.screenshot(path=str(artifacts / "jury-delibere.png"), full_page=True)
    assert JurySession.objects.get(pk=jury.pk).is_deliberated
    assert JuryDecision.objects.filter(jury=jury).count() == 12

    # The PV, downloaded as the president would.
    with page.expect_download() as info:
        page.click("#pv-pdf")
    pdf = tmp_path / info.value.suggested_filename
    info.value.save_as(pdf)
    assert pdf.name == "PV-jury-S2-2026-2027-delibere.pdf"
    (artifacts / "jury-pv.pdf").write_bytes(pdf.read_bytes())
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Procès-verbal du jury du semestre S2 — 2026-2027" in out and "Délibéré le" in out
    line = next(ln for ln in out.splitlines() if "NOM000" in ln)
    assert "ADJ" in line and "ADM" in line
    assert sum(1 for ln in out.splitlines() if re.match(r"\s*2600\d{4}\s", ln)) == 12
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(artifacts / "jury-pv")],
                   check=True)

    # After deliberation the student's page offers no decision form any more.
    page.goto(f"{live_server.url}/jurys/{jury.pk}/etudiants/26000000/")
    assert page.locator("#decision-form").count() == 0
    assert "décision définitive" in page.inner_text("#decision")


# --------------------------------------------------------------------------- laptop and phone (issue 13)

SIZES = {"1366": {"width": 1366, "height": 768}, "390": {"width": 390, "height": 844}}


def _axe_source() -> str | None:
    try:
        import axe_playwright_python
    except ImportError:  # the package that bundles axe-core (no network at run time)
        return None
    from pathlib import Path

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


def _fits(page) -> None:
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    wide = page.evaluate("""() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right
        > window.innerWidth + 1 && !(e.parentElement && e.parentElement.closest('.table-scroll'))).slice(0, 8).map(e => e.tagName + '.' + e.className
        + ' ' + Math.round(e.getBoundingClientRect().right))""")
    assert width <= inner, f"{page.url}: the page scrolls sideways ({width} > {inner}): {wide}"


@pytest.mark.parametrize("size", SIZES)
def test_jury_pages_fit_and_keep_the_filtered_list(browser, live_server, login, artifacts, setting, size):
    jury = setting
    graded_student("26000099", "Zfaible", base="5")      # proposed RED: listed before deliberating
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris", viewport=SIZES[size])
    context.set_default_timeout(15000)
    page = context.new_page()
    try:
        login(page, "presidente", PASSWORD)
        base = f"{live_server.url}/jurys/{jury.pk}/"

        # The table: no sideways page scroll, the table scrolls inside its frame.
        page.goto(base)
        _fits(page)
        frame = page.locator(".table-scroll").first
        assert frame.evaluate("e => e.scrollWidth > e.clientWidth")      # wide: it scrolls in its box
        # The alert's text is on the page, under its row, at the left of the frame: read without hovering.
        alert = page.locator("tr.alert-line[data-alerts-of='26000000'] li").first
        assert alert.is_visible()
        assert "Absence du 02/03/2027 déclarée tardivement" in alert.inner_text()
        box = alert.bounding_box()
        assert box and 0 <= box["x"] and box["x"] + min(box["width"], 200) <= SIZES[size]["width"]
        page.screenshot(path=str(artifacts / f"jury-tableau-{size}.png"), full_page=False)
        alert.scroll_into_view_if_needed()
        page.screenshot(path=str(artifacts / f"jury-tableau-alerte-{size}.png"), full_page=False)
        # The name column stays in view when the table is scrolled to its far right.
        frame.evaluate("e => { e.scrollLeft = e.scrollWidth; }")
        name = row(page, "26000000").locator("th + th").bounding_box()
        assert name and 0 <= name["x"] < SIZES[size]["width"] / 2
        page.screenshot(path=str(artifacts / f"jury-tableau-droite-{size}.png"), full_page=False)

        # Filter PASD (26000000, 26000005, 26000010), open the second: previous / next stay in that list.
        page.goto(base + "?decision=PASD")
        assert page.inner_text("#row-count") == "3 étudiants affichés sur 13"
        row(page, "26000005").locator("th a").click()
        page.wait_for_selector("#decision-form")
        assert "decision=PASD" in page.url
        _fits(page)
        assert page.inner_text("#list-position") == "2 sur 3"
        page.screenshot(path=str(artifacts / f"jury-etudiant-{size}.png"), full_page=True)
        page.click("a[rel=next]")
        page.wait_for_url(re.compile(r"/etudiants/26000010/\?decision=PASD"))
        assert page.locator("a[rel=next]").count() == 0                     # the last of the list
        page.click("a[rel=prev]")
        page.wait_for_url(re.compile(r"/etudiants/26000005/\?decision=PASD"))
        page.click("#back-to-table")
        page.wait_for_url(re.compile(r"/jurys/\d+/\?decision=PASD"))
        assert page.inner_text("#row-count") == "3 étudiants affichés sur 13"

        # The override fields are readable before "Décision différente" is chosen (no faded opacity).
        page.goto(base + "etudiants/26000005/")
        assert page.locator("#decision-form.accepting").count() == 1
        assert page.eval_on_selector("#override-fields", "e => getComputedStyle(e).opacity") == "1"

        for slug, url in (("prejury", "pre-jury/"), ("deliberation", "deliberation/"), ("liste", "../")):
            page.goto(base + url)
            _fits(page)
            page.screenshot(path=str(artifacts / f"jury-{slug}-{size}.png"), full_page=True)
            if slug == "deliberation":
                assert "ZFAIBLE Léa" in page.inner_text("#to-review")

        # axe-core on the jury's pages: no contrast, link-in-text-block or empty-header problem.
        source = _axe_source()
        if source is not None:
            problems = []
            for url in ("", "?decision=PASD&tri=UE1+S1", "etudiants/26000000/?alertes=1", "pre-jury/",
                        "deliberation/"):
                page.goto(base + url)
                page.evaluate(source)
                found = page.evaluate("async () => (await axe.run(document)).violations.map(v => v.id + ' : ' "
                                      "+ v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))")
                problems += [f"{url or 'tableau'} — {v}" for v in found]
            assert not problems, "\n".join(problems)
    finally:
        context.close()

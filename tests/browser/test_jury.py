"""A jury president in a real browser (Playwright, Debian's headless chromium): opens the table,
filters the alerts, opens a student, overrides one decision with a reason, deliberates and
downloads the PV. Screenshots and the PV's first page go to test-artifacts/."""

from __future__ import annotations

import re
import subprocess
from datetime import date, datetime

import pytest

from juries.models import JuryDecision, JurySession
from tests.factories import PARIS, PASSWORD, AbsenceFactory, graded_promo, make_jury

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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
    assert page.locator("#jury-table tbody tr").count() == 12
    assert page.locator("#jury-table thead svg.chart").count() == 9
    first = page.locator("#jury-table tbody tr[data-numero='26000000']")
    assert "PASD" in first.inner_text() and "AJ" in first.inner_text()
    page.screenshot(path=str(artifacts / "jury-tableau.png"), full_page=False)

    # Alerts only: the checkbox submits the filter (static/jury.js).
    page.check("input[name=alertes]")
    page.wait_for_url(re.compile(r"alertes=1"))
    assert page.inner_text("#row-count") == "1 étudiant affiché sur 12"
    assert page.locator("#jury-table tbody tr").count() == 1
    assert "A2" in page.inner_text("#jury-table tbody tr td.alerts")
    page.screenshot(path=str(artifacts / "jury-alertes.png"), full_page=False)

    # The student's file: the proposal explained.
    page.click("#jury-table tbody tr[data-numero='26000000'] td.name a")
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
    row = page.locator("#jury-table tbody tr[data-numero='26000000']")
    assert "✎ modifiée" in row.inner_text() and "ADJ" in row.inner_text()

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

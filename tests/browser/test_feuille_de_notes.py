"""A secretary in a real browser (Playwright, Debian's headless chromium): the feuille de notes
round trip, keyboard grade entry, and the secretariat pages (screenshots in test-artifacts/)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from juries import roles
from juries.models import Enseignement, Grade
from juries.services.absences import declare_absence
from juries.services.feuille import FIRST_STUDENT_ROW
from tests.factories import ANNEE, PASSWORD, EvaluationFactory, GradeFactory, StudentFactory, enrol, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PEOPLE = [("26000001", "Martin", "Léa", "G1"), ("26000002", "Bernard", "Hugo", "G1"), ("26000003", "Durand", "Inès", "G2"),
          ("26000004", "Petit", "Zoé", "G2"), ("26000005", "Roux", "Tom", "G1"), ("26000006", "Faure", "Jade", "G2")]


@pytest.fixture
def setting(maquette):
    secretary = make_user(roles.SECRETARIAT, username="secretaire", first_name="Sophie", last_name="Vidal",
                          is_staff=True)
    enrolments = [enrol(StudentFactory(numero=n, nom=nom, prenom=prenom), 1, ANNEE, group=g,
                        regime="FA" if n.endswith("3") else "FI")
                  for n, nom, prenom, g in PEOPLE]
    r101 = Enseignement.objects.get(code="R1.01")
    ds1 = EvaluationFactory(enseignement=r101, annee=ANNEE, label="DS1", date=date(2026, 10, 5))
    return secretary, enrolments, ds1


def _row(ws, numero: str) -> int:
    return next(r for r in range(FIRST_STUDENT_ROW, ws.max_row + 1) if ws.cell(r, 1).value == numero)


def test_secretary_fills_a_feuille_de_notes_with_one_bad_cell_then_fixes_it(page, live_server, login, artifacts,
                                                                             setting, tmp_path: Path):
    secretary, enrolments, ds1 = setting
    login(page, "secretaire", PASSWORD)
    page.goto(f"{live_server.url}/secretariat/")
    page.click("text=R1.01")
    page.wait_for_selector("h1:has-text('R1.01')")
    page.screenshot(path=str(artifacts / "secretariat-enseignement.png"), full_page=True)

    with page.expect_download() as info:
        page.click("#download-feuille")
    sheet = tmp_path / info.value.suggested_filename
    info.value.save_as(sheet)
    assert sheet.name == "feuille_R1.01_2026-2027.xlsx"

    wb = openpyxl.load_workbook(sheet)
    ws = wb.worksheets[0]
    ws.cell(_row(ws, "26000001"), 4, "12,5")
    ws.cell(_row(ws, "26000002"), 4, "22")     # the bad cell: above 20
    ws.cell(_row(ws, "26000003"), 4, "ABJ")
    ws.cell(_row(ws, "26000004"), 4, 9.75)
    bad_cell = f"D{_row(ws, '26000002')}"
    wb.save(sheet)

    page.set_input_files("input[name=fichier]", str(sheet))
    page.click("#upload-feuille")
    page.wait_for_selector("text=Feuille refusée")
    body = page.inner_text("main")
    assert "rien n'a été enregistré" in body
    assert bad_cell in body and "Note 22 hors de l'intervalle 0 à 20" in body
    page.screenshot(path=str(artifacts / "feuille-refusee.png"), full_page=True)
    assert not Grade.objects.exists()

    ws.cell(_row(ws, "26000002"), 4, "15")
    wb.save(sheet)
    page.set_input_files("input[name=fichier]", str(sheet))
    page.click("#upload-feuille")
    page.click("#confirm-feuille")
    page.wait_for_selector("text=Feuille enregistrée")
    assert "4 notes créées" in page.inner_text("main")
    page.screenshot(path=str(artifacts / "feuille-enregistree.png"), full_page=True)

    page.click("text=Voir et saisir")
    page.wait_for_selector("#saisie-form")
    values = {numero: page.input_value(f"input[name=note-{e.pk}]")
              for (numero, *_), e in zip(PEOPLE, enrolments, strict=True)}
    assert values["26000001"] == "12,50" and values["26000002"] == "15,00" and values["26000004"] == "9,75"
    assert page.input_value(f"select[name=absence-{enrolments[2].pk}]") == "ABJ"
    assert "Sophie Vidal" in page.inner_text(f"tr[data-enrolment='{enrolments[0].pk}']")
    page.screenshot(path=str(artifacts / "saisie-apres-feuille.png"), full_page=True)

    page.click(f"tr[data-enrolment='{enrolments[0].pk}'] >> text=historique")
    page.wait_for_selector("#change-history")
    history = page.inner_text("#change-history")
    assert "secretaire" in history and "12,50" in history
    page.screenshot(path=str(artifacts / "historique-note.png"), full_page=True)
    record = Grade.objects.get(enrolment=enrolments[0]).history.get()
    assert record.history_user == secretary


def test_keyboard_grade_entry_moves_down_and_refuses_a_concurrent_change(page, live_server, login, artifacts,
                                                                         setting):
    secretary, enrolments, ds1 = setting
    ordered = sorted(enrolments, key=lambda e: e.student.nom)
    first = ordered[0]
    GradeFactory(enrolment=first, evaluation=ds1, note="10")
    login(page, "secretaire", PASSWORD)
    page.goto(f"{live_server.url}/secretariat/evaluations/{ds1.pk}/saisie/")
    page.wait_for_selector("#saisie-form")
    assert page.evaluate("document.activeElement.name") == f"note-{first.pk}"  # focus on the first grade
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.name") == f"note-{ordered[1].pk}"
    page.keyboard.type("14,5")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == f"note-{ordered[2].pk}"
    page.keyboard.type("abi")
    page.keyboard.press("Enter")
    assert page.input_value(f"select[name=absence-{ordered[2].pk}]") == "ABI"
    page.keyboard.press("Shift+Enter")
    assert page.evaluate("document.activeElement.name") == f"note-{ordered[2].pk}"
    page.fill(f"input[name=note-{first.pk}]", "11")
    assert "3 lignes modifiées" in page.inner_text("#dirty-count")

    g = Grade.objects.get(enrolment=first)  # a colleague saves 16 meanwhile
    g.value, g.version = Decimal("16"), g.version + 1
    g.save()
    page.click("#save-grades")
    page.wait_for_selector("text=Refusée")
    page.screenshot(path=str(artifacts / "saisie-conflit.png"), full_page=True)
    assert Grade.objects.get(enrolment=first).value == Decimal("16")
    assert Grade.objects.get(enrolment=ordered[1]).value == Decimal("14.5")
    assert Grade.objects.get(enrolment=ordered[2]).mark == "ABI"


def test_screenshots_of_the_absence_pages_and_the_admin(page, live_server, login, artifacts, setting):
    secretary, enrolments, ds1 = setting
    for i, e in enumerate(enrolments[:4]):
        declare_absence(student=e.student, start=datetime(2026, 10, 5 + i, 8), end=datetime(2026, 10, 5 + i, 12),
                        declared_at=datetime(2026, 10, 5 + i, 8, 30) if i != 2 else datetime(2026, 10, 8 + i, 9),
                        justificatif_at=datetime(2026, 10, 6 + i, 9) if i % 2 == 0 else None,
                        channel="telephone", reason="autre" if i == 2 else "maladie", hours=Decimal("4"), by=secretary)
    GradeFactory(enrolment=enrolments[0], evaluation=ds1, note="ABS")
    login(page, "secretaire", PASSWORD)
    page.goto(f"{live_server.url}/secretariat/")
    page.screenshot(path=str(artifacts / "secretariat-index.png"), full_page=True)
    page.goto(f"{live_server.url}/secretariat/absences/")
    assert "Justifiée" in page.inner_text("main") and "Injustifiée" in page.inner_text("main")
    page.screenshot(path=str(artifacts / "absences-registre.png"), full_page=True)
    for size, viewport in (("1366", {"width": 1366, "height": 768}), ("390", {"width": 390, "height": 844})):
        page.set_viewport_size(viewport)
        page.screenshot(path=str(artifacts / f"absences-registre-{size}.png"), full_page=True)
        assert page.evaluate("document.querySelector('main').scrollWidth <= innerWidth")  # the table scrolls in its box
        row = page.locator("table.register tbody tr").first
        if size == "1366":  # everything in view
            for cell in (row.locator("td").nth(2), row.locator("a:has-text('Ouvrir')")):
                box = cell.bounding_box()
                assert box is not None and box["x"] + box["width"] <= viewport["width"]
        else:  # the student and the verdict in view; « Ouvrir » also on the absence's dates
            box = row.locator("td").nth(2).bounding_box()
            assert box is not None and box["x"] < viewport["width"]
            assert row.locator("td").nth(1).locator("a").count() == 1
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{live_server.url}/secretariat/absences/declarer/")
    page.fill("#id_numero", "ma")
    page.keyboard.type("r")  # the list completes from the server's search as the secretary types
    page.wait_for_selector("#student-options option[value='MARTIN Léa (26000001)']", state="attached")
    page.screenshot(path=str(artifacts / "absence-declarer.png"), full_page=True)
    page.fill("#id_numero", "MARTIN Léa (26000001)")  # what choosing in the list puts in the field
    page.fill("#id_start", "2026-11-02T08:00")
    page.fill("#id_end", "2026-11-02T10:00")
    page.click("text=Enregistrer l'absence")
    page.wait_for_selector("text=Dépôt du justificatif")
    assert enrolments[0].student.absences.count() == 2
    page.goto(f"{live_server.url}/secretariat/etudiants/26000003/absences/")
    assert "non recevable" in page.inner_text("main")
    page.screenshot(path=str(artifacts / "absences-etudiant.png"), full_page=True)
    page.goto(f"{live_server.url}/secretariat/absences/etat/?annee={ANNEE}&semestre=1")
    page.screenshot(path=str(artifacts / "absences-etat.png"), full_page=True)
    page.goto(f"{live_server.url}/secretariat/evaluations/{ds1.pk}/saisie/")
    assert "ABS → ABJ" in page.inner_text("main")
    page.screenshot(path=str(artifacts / "saisie-abs-resolue.png"), full_page=True)
    page.goto(f"{live_server.url}/admin/juries/grade/")
    page.screenshot(path=str(artifacts / "admin-notes.png"), full_page=True)
    page.click("text=Importer (CSV / XLSX)")
    csv = "numero;annee;semestre;code;evaluation;note\n26000002;2026-2027;1;R1.01;DS1;13,5\n"
    page.set_input_files("input[name=fichier]", files=[{"name": "notes.csv", "mimeType": "text/csv",
                                                       "buffer": csv.encode()}])
    page.click("input[type=submit]")
    page.wait_for_selector("#confirm-import")
    page.screenshot(path=str(artifacts / "admin-import-apercu.png"), full_page=True)
    page.click("#confirm-import")
    page.wait_for_selector("text=enregistré")
    assert Grade.objects.get(enrolment=enrolments[1]).value == Decimal("13.5")

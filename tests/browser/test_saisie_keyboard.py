"""Grade entry with the keyboard alone (issue 13): arriving in a filled cell selects its grade, so
typing replaces it; Enter goes down and saves on the last row; Ctrl+Enter saves from anywhere."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from juries import roles
from juries.models import Enseignement, Grade
from tests.factories import ANNEE, PASSWORD, EvaluationFactory, GradeFactory, StudentFactory, enrol, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}


@pytest.fixture
def sheet(maquette):
    make_user(roles.SECRETARIAT, username="secretaire", first_name="Sophie", last_name="Vidal", is_staff=True)
    people = [("26000001", "Bernard", "Hugo"), ("26000002", "Durand", "Inès"), ("26000003", "Martin", "Léa")]
    enrolments = [enrol(StudentFactory(numero=n, nom=nom, prenom=p), 1, ANNEE, group="G1") for n, nom, p in people]
    ds1 = EvaluationFactory(enseignement=Enseignement.objects.get(code="R1.01"), annee=ANNEE, label="DS1",
                            date=date(2026, 10, 5))
    GradeFactory(enrolment=enrolments[0], evaluation=ds1, note="12.75")
    GradeFactory(enrolment=enrolments[1], evaluation=ds1, note="5.5")
    return ds1, enrolments


def _focused(page) -> str:
    return page.evaluate("document.activeElement.name")


def test_typing_into_a_filled_cell_replaces_the_grade_and_enter_on_the_last_row_saves(page, live_server, login,
                                                                                      artifacts, sheet):
    ds1, (hugo, ines, lea) = sheet
    page.set_viewport_size(LAPTOP)
    login(page, "secretaire", PASSWORD)
    page.goto(f"{live_server.url}/secretariat/evaluations/{ds1.pk}/saisie/")
    page.wait_for_selector("#saisie-form")
    assert _focused(page) == f"note-{hugo.pk}"
    page.keyboard.type("14,5")  # the page opened on 12,75: selected, so replaced
    assert page.input_value(f"input[name=note-{hugo.pk}]") == "14,5"
    page.keyboard.press("Enter")
    assert _focused(page) == f"note-{ines.pk}"
    page.keyboard.press("Enter")  # 5,50 left as it is
    assert _focused(page) == f"note-{lea.pk}"
    page.keyboard.type("9")
    page.screenshot(path=str(artifacts / "saisie-clavier-1366.png"), full_page=True)
    with page.expect_navigation():
        page.keyboard.press("Enter")  # the last row: saves
    assert "Enregistré : 1 note créée, 1 note modifiée." in page.inner_text("main")
    grades = {g.enrolment_id: g.value for g in Grade.objects.filter(evaluation=ds1)}
    assert grades == {hugo.pk: Decimal("14.50"), ines.pk: Decimal("5.50"), lea.pk: Decimal("9")}
    assert isinstance(grades[hugo.pk], Decimal) and str(grades[hugo.pk]) == "14.50"


def test_a_click_selects_the_grade_and_ctrl_enter_saves_from_anywhere_on_a_phone(page, live_server, login,
                                                                                artifacts, sheet):
    ds1, (hugo, ines, lea) = sheet
    page.set_viewport_size(PHONE)
    login(page, "secretaire", PASSWORD)
    page.goto(f"{live_server.url}/secretariat/evaluations/{ds1.pk}/saisie/")
    page.wait_for_selector("#saisie-form")
    # The page's own content fits (the table scrolls in its box); the top bar is tests/browser's site-wide check.
    assert page.evaluate("document.querySelector('main').scrollWidth <= window.innerWidth")
    page.click(f"input[name=note-{ines.pk}]")
    page.keyboard.type("1")  # before: "15,50" (valid, wrong); now the grade is replaced
    assert page.input_value(f"input[name=note-{ines.pk}]") == "1"
    save = page.locator("#save-grades")
    box = save.bounding_box()
    assert box is not None and 0 <= box["y"] and box["y"] + box["height"] <= PHONE["height"]  # in view
    page.screenshot(path=str(artifacts / "saisie-clavier-390.png"), full_page=False)
    page.focus(f"select[name=absence-{lea.pk}]")
    with page.expect_navigation():
        page.keyboard.press("Control+Enter")
    assert "Enregistré : 1 note modifiée." in page.inner_text("main")
    assert Grade.objects.get(enrolment=ines).value == Decimal("1")
    assert Grade.objects.get(enrolment=hugo).value == Decimal("12.75")


def test_a_deliberated_jury_s_grades_are_shown_read_only_with_the_reason(page, live_server, login, artifacts, sheet):
    from juries.models import JurySession, Semester

    ds1, (hugo, _ines, _lea) = sheet
    s1 = Semester.objects.get(number=1)
    JurySession.objects.create(formation=s1.formation, semester=s1, annee=ANNEE, date=date(2027, 1, 28),
                               president=make_user(roles.JURY, username="president"),
                               state=JurySession.State.DELIBERATED)
    login(page, "secretaire", PASSWORD)
    for size, viewport in (("1366", LAPTOP), ("390", PHONE)):
        page.set_viewport_size(viewport)
        page.goto(f"{live_server.url}/secretariat/evaluations/{ds1.pk}/saisie/")
        assert "ses notes sont définitives (règle E3" in page.inner_text("#read-only")
        assert page.locator("#save-grades").count() == 0
        assert page.locator(f"input[name=note-{hugo.pk}]").is_disabled()
        assert page.input_value(f"input[name=note-{hugo.pk}]") == "12,75"
        page.screenshot(path=str(artifacts / f"saisie-deliberee-{size}.png"), full_page=True)

"""Browser, on a phone: a teacher opens the call of their group and ticks three absents."""

from __future__ import annotations

from datetime import date

import pytest

from juries import roles
from juries.models import Absence, Enseignement
from tests.factories import PASSWORD, StudentFactory, enrol, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris", viewport={"width": 390, "height": 844},
                                  has_touch=True)
    context.set_default_timeout(15000)
    pg = context.new_page()
    yield pg
    context.close()


def test_a_teacher_marks_three_absents_on_a_phone(phone, login, live_server, maquette, artifacts):
    teacher = make_user(roles.ENSEIGNANT, "prof", first_name="Anne", last_name="Roux")
    Enseignement.objects.get(code="R1.01").teachers.add(teacher)
    students = [StudentFactory(numero=f"2600030{i}", nom=f"Gamma{i}", prenom=f"Élève{i}") for i in range(6)]
    for s in students:
        enrol(s, 1, group="TD1")

    login(phone, "prof", PASSWORD)
    phone.goto(f"{live_server.url}/secretariat/appel/")
    phone.select_option("select[name=enseignement]", label="R1.01 " + Enseignement.objects.get(code="R1.01").name
                        + " (S1)")
    phone.fill("input[name=group]", "TD1")
    phone.fill("input[name=day]", date(2026, 10, 6).isoformat())
    phone.fill("input[name=start]", "08:00")
    phone.fill("input[name=end]", "10:00")
    phone.screenshot(path=str(artifacts / "appel-ouvrir-telephone.png"), full_page=True)
    phone.click("text=Ouvrir la feuille d'appel")
    phone.wait_for_url("**/secretariat/appel/*/")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    for s in students[1:4]:
        phone.locator("label.appel-row", has_text=s.numero).tap()
    phone.screenshot(path=str(artifacts / "appel-telephone.png"), full_page=True)
    phone.click("text=Enregistrer l'appel")
    phone.wait_for_load_state("networkidle")
    assert "3 absences enregistrées" in phone.content()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert sorted(Absence.objects.values_list("student__numero", flat=True)) == [s.numero for s in students[1:4]]
    assert all(phone.locator(f"input[value='{s.numero}']").is_checked() for s in students[1:4])

"""Browser, on a phone: a student sees a grade the moment its evaluation is published, and
« ce qu'il te faut » for an unfinished UE; the secretariat publishes from the grade entry page."""

from __future__ import annotations

import pytest

from juries import roles
from juries.models import Enseignement, Evaluation
from juries.services.publication import set_published
from tests.factories import PASSWORD, but1_student, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris", viewport=PHONE, device_scale_factor=1)
    context.set_default_timeout(15000)
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture
def cohort(maquette):
    secretary = make_user(roles.SECRETARIAT, "secretaire", is_staff=True)
    lea_user = make_user(roles.ETUDIANT, "lea")
    lea = but1_student("26000801", "Aubert", "Léa", user=lea_user, base="10", s2={"R2.01": None, "R2.03": "13.25"})
    but1_student("26000802", "Barbier", "Bruno", base="14")
    for ev in Evaluation.objects.filter(annee="2026-2027").exclude(enseignement__code="R2.03"):
        set_published(evaluation=ev, published=True, by=secretary)
    return {"lea": lea, "secretary": secretary,
            "r203": Evaluation.objects.get(enseignement=Enseignement.objects.get(code="R2.03"), label="DS1")}


def overflowing(pg) -> list[str]:
    """The page's own content wider than the phone, outside the boxes that scroll by design (the
    top bar belongs to base.html, shared by every page)."""
    return pg.evaluate("""() => [...document.querySelectorAll('main *')]
        .filter(e => !e.closest('.table-scroll') && e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
        .map(e => e.tagName + '.' + e.className)""")


def test_student_sees_a_newly_published_grade_and_what_she_needs(phone, browser, login, live_server, cohort,
                                                                 artifacts):
    login(phone, "lea", PASSWORD)
    phone.goto(f"{live_server.url}/mes-releves/")
    phone.click("text=Mes notes")
    phone.wait_for_url(f"{live_server.url}/mes-releves/notes/")
    card = phone.locator("article.card", has_text="R2.03")
    assert "pas encore publiée" in card.inner_text() and "13,25" not in phone.content()
    besoins = phone.locator("#besoins")
    assert "Ce qu'il te faut" in besoins.inner_text()
    assert "UE1 S2" in besoins.inner_text() and "au moins" in besoins.inner_text()

    # The secretariat publishes R2.03 from its grade entry page (another browser, a desktop).
    desk = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris")
    sec = desk.new_page()
    login(sec, "secretaire", PASSWORD)
    sec.goto(f"{live_server.url}/secretariat/evaluations/{cohort['r203'].pk}/saisie/")
    assert "Non publiée" in sec.locator("#publication-form").inner_text()
    sec.click("#publication-form button:has-text('Publier les notes')")
    sec.wait_for_load_state("networkidle")
    assert "Retirer la publication" in sec.locator("#publication-form").inner_text()
    desk.close()

    phone.reload()
    card = phone.locator("article.card", has_text="R2.03")
    assert "13,25" in card.inner_text()
    assert "Ce qu'il te faut" in phone.locator("#besoins").inner_text()  # R2.01 is still to come
    assert overflowing(phone) == []
    phone.screenshot(path=str(artifacts / "mes-notes-390.png"), full_page=True)
    phone.screenshot(path=str(artifacts / "mes-notes-390-ecran.png"))  # the first screen: the README's picture

    phone.set_viewport_size({"width": 1366, "height": 768})
    assert overflowing(phone) == []
    phone.screenshot(path=str(artifacts / "mes-notes-1366.png"))

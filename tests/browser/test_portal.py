"""Browser: a student signs in, downloads their own relevé, and is refused another student's;
the secretariat generates a jury's relevés and sees the progress, then the download links."""

from __future__ import annotations

import subprocess

import pytest

from juries import roles
from juries.models import Enrolment
from tests.factories import PASSWORD, but1_student, deliberate, make_jury, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]



@pytest.fixture
def promo(maquette, settings, tmp_path):
    settings.QLIO_RELEVES_DIR = str(tmp_path / "lots")
    alice = make_user(roles.ETUDIANT, username="alice")
    bob = make_user(roles.ETUDIANT, username="bob")
    a = but1_student("26000601", "Aubert", "Alice", user=alice)
    b = but1_student("26000602", "Barbier", "Bruno", user=bob)
    deliberate(make_jury(2))
    return {"a": a, "b": b}


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", "-nodiag", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def test_student_downloads_own_releve_and_is_refused_another(page, login, live_server, promo, artifacts, tmp_path):
    login(page, "alice", PASSWORD)
    page.click("text=Mes relevés")
    page.wait_for_url(f"{live_server.url}/mes-releves/")
    assert page.locator("h1").inner_text() == "Mes relevés de notes"
    assert "AUBERT" in page.content() and "BARBIER" not in page.content()
    cards = page.locator(".portal-card")
    assert cards.count() == 2
    assert "Provisoire" in cards.nth(1).inner_text()  # S1: no jury recorded
    assert no_page_overflow(page)
    page.screenshot(path=str(artifacts / "portail-etudiant.png"), full_page=True)

    with page.expect_download() as info:
        page.click("text=Télécharger le relevé officiel (PDF)")
    download = info.value
    assert download.suggested_filename == "26000601_Aubert_S2_2026-2027.pdf"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    assert path.read_bytes().startswith(b"%PDF-")
    text = pdf_text(path)
    assert "AUBERT" in text and "Alice" in text and "26000601" in text and "BARBIER" not in text
    code = promo["a"].enrolments.get(semester__number=2).releves.get().code
    assert code in text

    # Bob's relevé: the secretariat's URL is refused, the portal has no URL naming another student.
    bob_s2 = Enrolment.objects.get(student=promo["b"], semester__number=2)
    response = page.request.get(f"{live_server.url}/releves/inscription/{bob_s2.pk}/releve.pdf")
    assert response.status == 403
    assert b"BARBIER" not in response.body() and b"Barbier" not in response.body()
    response = page.request.get(f"{live_server.url}/mes-releves/2026-2027/S3/releve.pdf")
    assert response.status == 404

    # An employer checks the code printed on the relevé, without an account.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/releves/verifier/")
    page.fill("input[name=code]", code.lower().replace("-", " "))
    page.click("button[type=submit]")
    assert "Code valide" in page.locator(".verify-result").inner_text()
    assert "Alice AUBERT" in page.content() and "26000601" not in page.content()
    page.screenshot(path=str(artifacts / "verification-releve.png"), full_page=True)


def no_page_overflow(pg) -> bool:
    return pg.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def in_viewport(pg, locator) -> bool:
    box = locator.bounding_box()
    size = pg.viewport_size
    return (box is not None and box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= size["width"]
            and box["y"] + box["height"] <= size["height"])


def test_on_a_phone_the_portal_is_cards_with_the_state_and_download_in_view(browser, live_server, login, promo,
                                                                            artifacts):
    context = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True, device_scale_factor=1)
    pg = context.new_page()
    try:
        login(pg, "alice", PASSWORD)
        assert no_page_overflow(pg)
        assert "Bonjour Alice Aubert" in pg.locator("h1").inner_text()
        pg.screenshot(path=str(artifacts / "accueil-etudiant-390.png"), full_page=True)
        pg.goto(f"{live_server.url}/mes-releves/")
        assert no_page_overflow(pg)
        # The top bar holds everything inside its band: "Se déconnecter" included.
        band = pg.locator("header.topbar").bounding_box()
        for item in ("header.topbar .brand", "header.topbar .logout button"):
            box = pg.locator(item).bounding_box()
            assert box["x"] >= band["x"] and box["x"] + box["width"] <= band["x"] + band["width"], item
            assert box["y"] >= band["y"] and box["y"] + box["height"] <= band["y"] + band["height"], item
        assert pg.locator("header.topbar .brand").bounding_box()["height"] < 40  # one line
        first = pg.locator(".portal-card").first
        assert in_viewport(pg, first.locator(".state"))
        assert in_viewport(pg, first.get_by_role("link", name="Télécharger le relevé officiel (PDF)"))
        pg.screenshot(path=str(artifacts / "portail-etudiant-390.png"), full_page=True)
    finally:
        context.close()


def test_the_top_bar_fits_at_1366_for_every_role(browser, live_server, login, promo, artifacts):
    make_user(roles.SECRETARIAT, username="secretariat")
    context = browser.new_context(locale="fr-FR", viewport={"width": 1366, "height": 768})
    pg = context.new_page()
    try:
        for who in ("alice", "secretariat"):
            pg.context.clear_cookies()
            login(pg, who, PASSWORD)
            pg.goto(f"{live_server.url}/mes-releves/" if who == "alice" else f"{live_server.url}/")
            assert no_page_overflow(pg)
            band = pg.locator("header.topbar").bounding_box()
            assert band["height"] < 60, who  # brand and links on one line
            box = pg.locator("header.topbar .logout button").bounding_box()
            assert box["x"] + box["width"] <= band["width"]
            pg.screenshot(path=str(artifacts / f"topbar-{who}-1366.png"))
    finally:
        context.close()


def test_secretariat_sees_the_batch_progress_then_the_links(page, login, live_server, promo, artifacts):
    make_user(roles.SECRETARIAT, username="secretariat")
    login(page, "secretariat", PASSWORD)
    page.goto(f"{live_server.url}/releves/")
    page.click("text=Ouvrir")
    page.click("text=Générer les 2 relevés")
    page.wait_for_selector("#batch-links:not([hidden])", timeout=60000)
    assert page.locator("#batch-count").inner_text() == "2 / 2"
    assert "terminé" in page.locator("#batch-state").inner_text()
    page.screenshot(path=str(artifacts / "releves-lot.png"), full_page=True)
    with page.expect_download() as info:
        page.click("#batch-zip")
    assert info.value.suggested_filename == "releves_S2_2026-2027.zip"


@pytest.mark.parametrize("width, height", [(1366, 768), (390, 844)])
def test_login_page_offers_the_ent_and_the_password_reset(browser, live_server, settings, artifacts, width, height):
    settings.CAS_SERVER_URL = "https://cas.example.test/cas/"  # on: the page offers the ENT (no call made)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    make_user(roles.SECRETARIAT, username="sophie", email="sophie.vidal@iut-rodez.test")
    context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": height})
    pg = context.new_page()
    try:
        pg.goto(f"{live_server.url}/connexion/")
        assert no_page_overflow(pg)
        for name in ("Se connecter avec l'ENT", "Mot de passe oublié ?"):
            assert in_viewport(pg, pg.get_by_role("link", name=name)), name
        pg.screenshot(path=str(artifacts / f"connexion-{width}.png"), full_page=True)
        pg.get_by_role("link", name="Mot de passe oublié ?").click()
        pg.fill("input[name=email]", "sophie.vidal@iut-rodez.test")
        pg.get_by_role("button", name="Recevoir le lien").click()
        pg.wait_for_url(f"{live_server.url}/mot-de-passe-oublie/envoye/")
        assert "Vérifiez votre messagerie" in pg.locator("h1").inner_text()
        assert no_page_overflow(pg)
        pg.screenshot(path=str(artifacts / f"mot-de-passe-envoye-{width}.png"), full_page=True)
    finally:
        context.close()

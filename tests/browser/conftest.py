"""Browser tests: Playwright's Python package driving Debian's /usr/bin/chromium, headless.

Never `playwright install`: nothing is downloaded. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Django's live_server runs beside Playwright's sync API, which keeps an event loop running.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic",
]


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium manque : `make test` l'installe (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris", accept_downloads=True,
                                  viewport={"width": 1440, "height": 900})
    context.set_default_timeout(15000)
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def login(live_server):
    """login(page, username, password): signs in through the real login form."""

    def _login(pg, username: str, password: str) -> None:
        pg.goto(f"{live_server.url}/connexion/")
        pg.fill("input[name=username]", username)
        pg.fill("input[name=password]", password)
        pg.click("button[type=submit]")
        pg.wait_for_load_state("networkidle")

    return _login

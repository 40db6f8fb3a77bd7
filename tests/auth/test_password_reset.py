"""Password reset by e-mail (Django's views, French pages), with Django's in-memory mail backend:
the mail goes to an address on file, its link sets a new password once, and neither the pages nor
the mails tell whether an address belongs to an account."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client

from juries import roles
from tests.factories import PASSWORD, StudentFactory, make_user

pytestmark = pytest.mark.django_db

NEW = "Nouveau-mot-de-passe-2027"


@pytest.fixture(autouse=True)
def _locmem_and_fresh_throttle(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.DEFAULT_FROM_EMAIL = "QLIO Jury <jury@iut-rodez.test>"
    cache.clear()
    yield
    cache.clear()


def _ask(client: Client, email: str):
    return client.post("/mot-de-passe-oublie/", {"email": email}, follow=True)


def _link(message) -> str:
    match = re.search(r"https?://[^/\s]+(/mot-de-passe-oublie/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_the_login_page_offers_the_reset():
    page = Client().get("/connexion/").content.decode()
    assert 'href="/mot-de-passe-oublie/"' in page and "Mot de passe oublié ?" in page


def test_the_mail_is_sent_and_its_link_sets_a_new_password_once():
    user = make_user(roles.SECRETARIAT, username="sophie", email="sophie.vidal@iut-rodez.test")
    client = Client()
    response = _ask(client, "Sophie.Vidal@iut-rodez.test")
    assert response.status_code == 200 and "Vérifiez votre messagerie" in response.content.decode()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["Sophie.Vidal@iut-rodez.test"]
    assert message.from_email == "QLIO Jury <jury@iut-rodez.test>"
    assert message.subject == "QLIO Jury : choisir un nouveau mot de passe"
    assert "« sophie »" in message.body and "ignorez ce message" in message.body

    link = _link(message)
    form = client.get(link, follow=True)  # Django swaps the token for a session one, then shows the form
    assert "Nouveau mot de passe" in form.content.decode() and "new_password1" in form.content.decode()
    done = client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW}, follow=True)
    assert "Mot de passe enregistré" in done.content.decode()
    user.refresh_from_db()
    assert user.check_password(NEW) and not user.check_password(PASSWORD)
    assert Client().login(username="sophie", password=NEW)
    # The link served once.
    again = Client().get(link, follow=True).content.decode()
    assert "Ce lien n'est plus valable" in again


def test_a_student_may_use_the_address_the_secretariat_recorded():
    user = make_user(roles.ETUDIANT, username="cmartin", email="")
    StudentFactory(numero="26000401", nom="Martin", prenom="Camille", user=user, email="camille.martin@etu.test")
    _ask(Client(), "camille.martin@etu.test")
    assert [m.to for m in mail.outbox] == [["camille.martin@etu.test"]]
    assert "« cmartin »" in mail.outbox[0].body


def test_nothing_tells_whether_an_address_has_an_account():
    make_user(roles.SECRETARIAT, username="sophie", email="sophie.vidal@iut-rodez.test")
    known = _ask(Client(), "sophie.vidal@iut-rodez.test")
    unknown = _ask(Client(), "personne@ailleurs.test")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["sophie.vidal@iut-rodez.test"]  # none to the unknown

    def strip(response) -> str:
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())

    assert known.status_code == unknown.status_code == 200
    assert known.redirect_chain == unknown.redirect_chain
    assert strip(known) == strip(unknown)


def test_an_account_without_a_usable_password_or_inactive_gets_no_mail():
    cas_only = make_user(roles.JURY, username="cas-only", email="cas@iut-rodez.test")
    cas_only.set_unusable_password()
    cas_only.save()
    make_user(roles.JURY, username="parti", email="parti@iut-rodez.test", is_active=False)
    _ask(Client(), "cas@iut-rodez.test")
    _ask(Client(), "parti@iut-rodez.test")
    assert mail.outbox == []


def test_requests_are_throttled_per_mailbox_and_per_address(settings):
    settings.QLIO_PASSWORD_RESET_LIMIT = 2
    make_user(roles.SECRETARIAT, username="sophie", email="sophie.vidal@iut-rodez.test")
    client = Client()
    for _ in range(4):
        assert _ask(client, "sophie.vidal@iut-rodez.test").status_code == 200
    assert len(mail.outbox) == 2  # a mailbox is not flooded; the page stays the same
    statuses = [_ask(client, f"x{i}@ailleurs.test").status_code for i in range(6)]
    assert statuses[-1] == 429  # 4 × the limit per address and hour
    assert "Trop de demandes" in _ask(client, "y@ailleurs.test").content.decode()

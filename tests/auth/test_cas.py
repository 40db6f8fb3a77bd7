"""Sign-in with the university's CAS: against the suite's own CAS 3.0 endpoint, a staff account is
found by username, a student by their numero, an unknown identity gets no account and a French
page; with CAS off (the default) nothing changes."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from juries import roles
from tests.factories import PASSWORD, StudentFactory, make_user

pytestmark = pytest.mark.django_db


def _signed_in_as(client: Client):
    return client.get("/").wsgi_request.user


def test_off_by_default_local_accounts_only(settings):
    assert not settings.CAS_SERVER_URL  # nothing in the environment turns it on
    assert "Se connecter avec l'ENT" not in Client().get("/connexion/").content.decode()
    assert Client().get("/cas/connexion/").status_code == 404
    make_user(roles.SECRETARIAT, username="sophie")
    client = Client()
    response = client.post("/connexion/", {"username": "sophie", "password": PASSWORD})
    assert response.status_code == 302 and _signed_in_as(client).username == "sophie"


def test_the_login_page_offers_the_ent_and_sends_the_browser_to_cas(cas_server):
    page = Client().get("/connexion/?next=/mes-releves/").content.decode()
    assert "Se connecter avec l&#x27;ENT" in page or "Se connecter avec l'ENT" in page
    assert 'href="/cas/connexion/?next=/mes-releves/"' in page or "/cas/connexion/?next=%2Fmes-releves%2F" in page
    # The local form stays for accounts outside the university.
    assert 'name="password"' in page
    response = Client().get("/cas/connexion/?next=/mes-releves/")
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == f"{cas_server.url}login"
    service = parse_qs(target.query)["service"][0]
    assert service.startswith("http://testserver/cas/connexion/") and "mes-releves" in service


def test_a_staff_account_is_found_by_username(cas_server):
    make_user(roles.JURY, username="mlacombe", first_name="Marc", last_name="Lacombe")
    ticket = cas_server.issue("ST-1-staff", "mlacombe", mail="marc.lacombe@univ.test")
    client = Client()
    response = client.get(f"/cas/connexion/?ticket={ticket}")
    assert response.status_code == 302 and response["Location"] == "/"
    assert _signed_in_as(client).username == "mlacombe"
    # The ticket went to the CAS 3.0 validation URL, with the service it was issued for.
    (validation,) = cas_server.validations
    assert validation["ticket"] == "ST-1-staff" and validation["service"].startswith("http://testserver/cas/connexion/")


def test_a_student_is_found_by_their_numero(cas_server):
    user = make_user(roles.ETUDIANT, username="etudiant-26000501")
    StudentFactory(numero="26000501", nom="Martin", prenom="Camille", user=user)
    ticket = cas_server.issue("ST-2-student", "cmartin42", supannEtuId="26000501",
                              eduPersonAffiliation=["student", "member"])
    client = Client()
    response = client.get(f"/cas/connexion/?ticket={ticket}&next=/mes-releves/")
    assert response.status_code == 302 and response["Location"] == "/mes-releves/"
    assert _signed_in_as(client).pk == user.pk
    assert "Bonjour Camille Martin" in client.get("/").content.decode()


def test_an_unknown_identity_gets_no_account_and_a_french_page(cas_server):
    users_before = get_user_model().objects.count()
    # A numero that matches no student, and a student without an account: neither opens anything.
    StudentFactory(numero="26000502", nom="Sans", prenom="Compte", user=None)
    for ticket, numero in (("ST-3-unknown", "99999999"), ("ST-4-no-account", "26000502")):
        cas_server.issue(ticket, "inconnu", supannEtuId=numero)
        client = Client()
        response = client.get(f"/cas/connexion/?ticket={ticket}")
        page = response.content.decode()
        assert response.status_code == 403
        assert "n'est relié à aucun compte de QLIO Jury" in page and "« inconnu »" in page
        assert not _signed_in_as(client).is_authenticated
    assert get_user_model().objects.count() == users_before
    assert not get_user_model().objects.filter(username="inconnu").exists()


def test_a_replayed_or_forged_ticket_is_refused(cas_server):
    make_user(roles.JURY, username="mlacombe")
    ticket = cas_server.issue("ST-5", "mlacombe")
    assert Client().get(f"/cas/connexion/?ticket={ticket}").status_code == 302
    replay = Client()
    response = replay.get(f"/cas/connexion/?ticket={ticket}")  # the CAS server validates a ticket once
    assert response.status_code == 403 and "ticket est invalide ou a expiré" in response.content.decode()
    assert not _signed_in_as(replay).is_authenticated


def test_an_inactive_account_is_refused(cas_server):
    make_user(roles.JURY, username="parti", is_active=False)
    ticket = cas_server.issue("ST-6", "parti")
    response = Client().get(f"/cas/connexion/?ticket={ticket}")
    assert response.status_code == 403 and "désactivé" in response.content.decode()


def test_the_cas_single_sign_out_ends_the_session(cas_server):
    make_user(roles.JURY, username="mlacombe")
    ticket = cas_server.issue("ST-8-slo", "mlacombe")
    browser = Client()
    browser.get(f"/cas/connexion/?ticket={ticket}")
    assert _signed_in_as(browser).is_authenticated
    # The CAS server's back-channel logout: a SAML LogoutRequest naming the ticket, with no CSRF token.
    logout_request = (
        '<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" '
        'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="LR-1" Version="2.0" '
        'IssueInstant="2027-06-25T10:00:00Z"><saml:NameID>@NOT_USED@</saml:NameID>'
        f"<samlp:SessionIndex>{ticket}</samlp:SessionIndex></samlp:LogoutRequest>"
    )
    server = Client(enforce_csrf_checks=True)
    assert server.post("/cas/connexion/", {"logoutRequest": logout_request}).status_code == 302
    assert not _signed_in_as(browser).is_authenticated

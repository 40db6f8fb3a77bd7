"""Authentication: login throttling (django-axes), session expiry, password validators, demo accounts."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_password_guessing_is_locked_out_after_five_failures(client, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    get_user_model().objects.create_user("secretaire", password="un-vrai-mot-de-passe-42")
    for _ in range(4):
        response = client.post("/connexion/", {"username": "secretaire", "password": "mauvais"})
        assert response.status_code == 200
    response = client.post("/connexion/", {"username": "secretaire", "password": "mauvais"})
    assert response.status_code == 429
    assert "Trop de tentatives" in response.content.decode()
    # Locked: even the right password is refused now.
    response = client.post("/connexion/", {"username": "secretaire", "password": "un-vrai-mot-de-passe-42"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_right_password_signs_in(client, settings):
    settings.AXES_ENABLED = True
    get_user_model().objects.create_user("secretaire", password="un-vrai-mot-de-passe-42")
    response = client.post("/connexion/", {"username": "secretaire", "password": "un-vrai-mot-de-passe-42"})
    assert response.status_code == 302
    assert client.session.get_expire_at_browser_close()


def test_sessions_expire(settings):
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


@pytest.mark.parametrize("password", ["court", "12345678901", "motdepasse", "azertyuiop"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_demo_accounts_exist_only_when_the_demo_is_loaded(maquette):
    users = get_user_model().objects
    assert not users.filter(username__in=["secretariat", "president", "etudiant"]).exists()
    call_command("seed_demo", "--students", "12", verbosity=0)
    assert users.filter(username__in=["secretariat", "president", "etudiant"]).count() == 3

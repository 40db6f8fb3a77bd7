"""Shared fixtures: the real maquette fixture loaded once, factories for people and grades."""

from __future__ import annotations

import pytest
from django.core.management import call_command


def _ensure_maquette() -> None:
    from juries.models import Formation

    if not Formation.objects.filter(code="BUT-QLIO").exists():
        call_command("loaddata", "maquette_but_qlio_osc", verbosity=0)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        _ensure_maquette()


@pytest.fixture
def maquette(db):
    """The shipped maquette (loaded again after a transactional test flushed it)."""
    _ensure_maquette()
    from juries.models import Formation

    return Formation.objects.get(code="BUT-QLIO")


@pytest.fixture(autouse=True)
def _no_login_throttling(settings):
    """django-axes stays off in tests (client.login has no request); its own test turns it on."""
    settings.AXES_ENABLED = False


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2's million iterations are for production; tests create many users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

"""Fixtures shared by every test folder: the real maquette loaded once, the jury's people, test settings.

Factories and builders are in tests/factories.py; a folder's conftest.py holds only its own fixtures.
"""

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


@pytest.fixture
def people(db):
    """The people of a jury: its president and a member, a jury user who does not sit on it, the
    secretariat (staff) and a teacher; the Étudiant group exists."""
    from django.contrib.auth.models import Group

    from juries import roles
    from tests.factories import make_user

    president = make_user(roles.JURY, "presidente", first_name="Marie", last_name="Curie")
    member = make_user(roles.JURY, "membre", first_name="Paul", last_name="Langevin")
    outsider = make_user(roles.JURY, "autre-jury", first_name="Jean", last_name="Perrin")
    secretariat = make_user(roles.SECRETARIAT, "secretaire", first_name="Sophie", last_name="Vidal", is_staff=True)
    teacher = make_user(roles.ENSEIGNANT, "enseignant")
    Group.objects.get_or_create(name=roles.ETUDIANT)
    return {"president": president, "member": member, "outsider": outsider, "secretariat": secretariat,
            "teacher": teacher}


@pytest.fixture(autouse=True)
def _no_login_throttling(settings):
    """django-axes stays off in tests (client.login has no request); its own test turns it on."""
    settings.AXES_ENABLED = False


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2's million iterations are for production; tests create many users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _tasks_run_in_the_request(settings):
    """Background tasks run at once, in the test's process (tests/tasks/ starts a real worker)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

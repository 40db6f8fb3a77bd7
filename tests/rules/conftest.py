"""Plain pytest for the pure rule engine: no database, no Django (run with ``-p no:django``)."""

from __future__ import annotations

import pytest

from .qlio_maquette import QLIO


@pytest.fixture(autouse=True)
def _no_login_throttling():
    """Overrides the project-wide autouse fixture, which needs pytest-django's ``settings``."""
    yield


@pytest.fixture
def qlio():
    return QLIO


@pytest.fixture(autouse=True)
def _fast_password_hashing():
    """Overrides the project-wide autouse fixture (no users in the pure engine's tests)."""
    yield

"""Fixtures and builders of the jury tests: a promo graded in bulk, UEs made weak on purpose, a jury.

The builders live in tests/factories.py (the browser tests use them too); the names the test modules
of this folder import from here are kept. `people` is a fixture of tests/conftest.py.
"""

from __future__ import annotations

import pytest

from juries.models import JurySession
from tests.factories import (
    ANNEE,
    JURY_DATE,
    PASSWORD,
    PREVIOUS,
    grade_all,
    graded_promo,
    graded_student,
    make_jury,
    semester,
)

__all__ = ["ANNEE", "JURY_DATE", "PASSWORD", "PREVIOUS", "grade", "login", "make_jury", "promo", "semester",
           "student"]

student = graded_student
promo = graded_promo


def grade(enrolment, *, base="12", low: dict[str, str] | None = None, overrides: dict | None = None,
          missing: tuple[str, ...] = ()) -> None:
    """Every evaluation (DS1 and DS2, dated) of the enrolment's semester graded `base`: see
    `tests.factories.grade_all` for `low`, `overrides` and `missing`."""
    grade_all(enrolment, base, low=low, overrides=overrides, missing=missing, labels=("DS1", "DS2"), dated=True,
              bulk=True)


@pytest.fixture
def jury(maquette, people) -> JurySession:
    return make_jury(people)


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client

"""Fixtures of the oracle's built cases: a harness feeding the public commands, a book of rows."""

from __future__ import annotations

import pytest

from .cohorts import Book
from .harness import MAQUETTE, Harness


@pytest.fixture
def h(maquette, tmp_path):
    return Harness(tmp_path)


@pytest.fixture
def book():
    return Book(MAQUETTE)

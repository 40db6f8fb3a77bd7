"""French display (REGLEMENT.md V3 and "Explanations"): the one place a value becomes text."""

from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction

import pytest
from django.template import Context, Template

from juries.rules import french


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("9.995"), "10,00"),  # V3: half-up on the exact value, 9.995 validates
        (Decimal("9.9949"), "9,99"),
        (Fraction(29985, 3000), "10,00"),  # 9.995 as a fraction: no float on the way
        (Fraction(7995, 1000) - Fraction(1, 10**9), "7,99"),
        (Decimal("12.5"), "12,50"),
        (0, "0,00"),
        (None, ""),
    ],
    ids=["v3-9.995", "v3-9.9949", "v3-fraction-9.995", "v3-fraction-below-7.995", "two-decimals", "zero", "none"],
)
def test_v3_average_shown_with_a_decimal_comma(value, shown):
    assert french.moyenne_fr(value) == shown


def test_contract_average_keeps_a_point():
    assert french.moyenne_text(Decimal("10.5")) == "10.50"
    assert french.moyenne_text(None) is None


@pytest.mark.parametrize(
    ("value", "shown"),
    [(Decimal("10.00"), "10"), (Decimal("3.50"), "3,5"), (Decimal("0.25"), "0,25"), (7, "7"), (None, "")],
)
def test_coefficients_and_ects_without_useless_zeros(value, shown):
    assert french.nombre_fr(value) == shown


@pytest.mark.parametrize(
    ("count", "text"),
    [
        (0, "0 absence injustifiée"),
        (1, "1 absence injustifiée"),
        (2, "2 absences injustifiées"),
        (3, "3 refus"),
    ],
)
def test_real_plurals(count, text):
    singular = "refus" if text.endswith("refus") else "absence injustifiée"
    assert french.plural(count, singular) == text
    assert "(s)" not in text


def test_irregular_plural_given_explicitly():
    assert french.plural(2, "travail noté", "travaux notés") == "2 travaux notés"


def test_dates_and_codes():
    assert french.date_fr(date(2027, 6, 12)) == "12/06/2027"
    assert french.datetime_fr(datetime(2027, 6, 12, 14, 5)) == "12/06/2027 à 14:05"
    assert french.enseignement_label("SAE2.04") == "SAÉ2.04"
    assert french.enseignement_label("R2.03") == "R2.03"


def test_template_filters_use_the_same_functions():
    html = Template(
        '{% load fr %}{{ m|moyenne }}|{{ e|nombre }}|{{ c|enseignement }}|{% compte n "absence injustifiée" %}'
    ).render(Context({"m": Decimal("9.995"), "e": Decimal("3.50"), "c": "SAE1.01", "n": 2}))
    assert html == "10,00|3,5|SAÉ1.01|2 absences injustifiées"

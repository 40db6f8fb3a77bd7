"""French display of numbers, counts and dates: the one place where a value becomes text.

Pure Python (the engine's motifs use it, REGLEMENT.md "Explanations"); the template-tag library
``juries.templatetags.fr`` exposes the same functions to templates, PDFs and exports.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

_CENT = Decimal("0.01")


def _decimal(value: Decimal | Fraction | int) -> Decimal:
    if isinstance(value, Fraction):
        # V3: the exact quotient rounded half-up to the hundredth, without a float on the way.
        n, d = value.numerator * 100, value.denominator
        q, r = divmod(abs(n), d)
        if 2 * r >= d:
            q += 1
        return Decimal(-q if n < 0 else q).scaleb(-2)
    return Decimal(value)


def moyenne_text(value: Decimal | Fraction | int | None) -> str | None:
    """V3 — an average as shown and stored in the contract: two decimals, half-up, a point ("12.50")."""
    if value is None:
        return None
    return str(_decimal(value).quantize(_CENT, rounding=ROUND_HALF_UP))


def moyenne_fr(value: Decimal | Fraction | int | None, empty: str = "") -> str:
    """V3 — an average as a French reader sees it: "12,50"; ``empty`` when there is none."""
    text = moyenne_text(value)
    return empty if text is None else text.replace(".", ",")


def nombre_fr(value: Decimal | int | float | None, empty: str = "") -> str:
    """A coefficient, an ECTS count or hours without useless zeros: "10", "3,5", "0,25"."""
    if value is None:
        return empty
    d = value if isinstance(value, Decimal) else Decimal(str(value))
    if d == d.to_integral_value():
        return str(int(d))
    return format(d.normalize(), "f").replace(".", ",")


def plural(count: int, singular: str, plural_form: str | None = None, *, with_count: bool = True) -> str:
    """Real French plurals: "1 absence injustifiée", "2 absences injustifiées", "aucune" never "(s)".

    ``plural_form`` defaults to each word of ``singular`` with an "s" (words already ending in
    s, x or z are kept). French uses the singular for 0 and 1.
    """
    if abs(count) < 2:
        words = singular
    elif plural_form is not None:
        words = plural_form
    else:
        words = " ".join(w if w[-1:] in "sxz" or not w[-1:].isalpha() else w + "s" for w in singular.split(" "))
    return f"{count} {words}" if with_count else words


def date_fr(value: date | datetime | None, empty: str = "") -> str:
    """"12/06/2027"."""
    return empty if value is None else f"{value:%d/%m/%Y}"


def datetime_fr(value: datetime | None, empty: str = "") -> str:
    """"12/06/2027 à 14:30" (the value is shown as given: pass a Europe/Paris time)."""
    return empty if value is None else f"{value:%d/%m/%Y à %H:%M}"


def enseignement_label(code: str) -> str:
    """Codes are stored without accents ("SAE2.04"); people read "SAÉ2.04"."""
    return "SAÉ" + code[3:] if code.startswith("SAE") else code

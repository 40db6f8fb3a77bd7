"""Exact arithmetic for V3: averages are Decimal while their division terminates, Fraction otherwise.

A weighted mean of two-decimal grades divides by a sum of weights such as 3.5 or 7: the
quotient may not terminate, and any rounding there (even at 28 or 34 digits) can turn an exact
9.995 into 9.99499…, shown 9.99. So a quotient is kept as a Decimal only when it is exact, and
as a Fraction otherwise; sums of products are exact in both. Only ``shown`` rounds (V3).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_EVEN, Context, Decimal, Inexact
from fractions import Fraction
from math import floor

Exact = Decimal | Fraction

_CTX = Context(prec=60, rounding=ROUND_HALF_EVEN)
_HALF = Fraction(1, 2)


def quotient(num: Decimal, den: Decimal) -> Exact:
    """num / den, exactly."""
    _CTX.clear_flags()
    q = _CTX.divide(num, den)
    if _CTX.flags[Inexact]:
        return Fraction(num) / Fraction(den)
    return q


def weighted_mean(pairs: Iterable[tuple[Decimal, Exact]]) -> Exact | None:
    """Σ(w × v) / Σ(w), exactly; None when there is nothing to average."""
    pairs = list(pairs)
    if not pairs:
        return None
    if all(type(v) is Decimal for _, v in pairs):
        _CTX.clear_flags()
        num = Decimal(0)
        den = Decimal(0)
        for w, v in pairs:
            num = _CTX.add(num, _CTX.multiply(w, v))
            den = _CTX.add(den, w)
        if not _CTX.flags[Inexact]:
            return quotient(num, den) if den else None
    num_f = sum((Fraction(w) * Fraction(v) for w, v in pairs), Fraction(0))
    den_f = sum((Fraction(w) for w, _ in pairs), Fraction(0))
    return num_f / den_f if den_f else None


def round_half_up(value: Exact, places: int = 2) -> Decimal:
    """The exact value rounded half-up to `places` decimals (averages are never negative)."""
    if type(value) is Decimal:
        from decimal import ROUND_HALF_UP

        return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    scale = 10**places
    return Decimal(floor(value * scale + _HALF)).scaleb(-places)


def as_decimal(value: Exact | None) -> Decimal | None:
    """For results and display: an exact Decimal, or a 60-digit approximation of a Fraction.

    A Fraction here never terminates, so it never lies on a rounding boundary: its
    approximation rounds (V3) exactly as the Fraction does.
    """
    if value is None or type(value) is Decimal:
        return value
    return _CTX.divide(Decimal(value.numerator), Decimal(value.denominator))

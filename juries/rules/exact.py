"""Exact arithmetic for V3: averages are Decimal while their division terminates, Fraction otherwise.

A weighted mean of two-decimal grades divides by a sum of weights such as 3.5 or 7: the
quotient may not terminate, and any rounding there (even at 28 or 34 digits) can turn an exact
9.995 into 9.99499…, shown 9.99. So a quotient is kept as a Decimal only when it is exact, and
as a Fraction otherwise; sums of products are exact in both. Only ``shown`` rounds (V3).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal
from fractions import Fraction
from math import gcd

Exact = Decimal | Fraction

_CTX = Context(prec=60, rounding=ROUND_HALF_EVEN)


def _exact(n: int, d: int) -> Exact:
    """n / d (d > 0) as a Decimal when it terminates, else as a Fraction."""
    g = gcd(n, d)
    if g != 1:
        n //= g
        d //= g
    k, twos, fives = d, 0, 0
    while not k & 1:
        k >>= 1
        twos += 1
    while k % 5 == 0:
        k //= 5
        fives += 1
    if k != 1:
        return Fraction(n, d)
    e = max(twos, fives)
    return Decimal(n * (10**e // d)).scaleb(-e)


def ratio(num: int, den: int) -> Exact:
    """num / den (den > 0) for integers, exactly: the same value (and Decimal form) as
    ``quotient`` of the same numbers written as Decimals."""
    return _exact(num, den)


def quotient(num: Decimal, den: Decimal) -> Exact:
    """num / den, exactly."""
    n1, d1 = num.as_integer_ratio()
    n2, d2 = den.as_integer_ratio()
    return _exact(n1 * d2, d1 * n2)


def weighted_mean(pairs: Iterable[tuple[Decimal, Exact]]) -> Exact | None:
    """Σ(w × v) / Σ(w), exactly, in integers (Fraction objects only for a non-terminating result);
    None when there is nothing to average."""
    num, den, wnum, wden = 0, 1, 0, 1
    for w, v in pairs:
        wn, wd = w.as_integer_ratio()
        if isinstance(v, Decimal):
            vn, vd = v.as_integer_ratio()
        else:
            vn, vd = v.numerator, v.denominator
        pd = wd * vd
        num = num * pd + wn * vn * den
        den *= pd
        wnum = wnum * wd + wn * wden
        wden *= wd
    if not wnum:
        return None
    return _exact(num * wden, den * wnum)


def round_half_up(value: Exact, places: int = 2) -> Decimal:
    """The exact value rounded half-up to `places` decimals (averages are never negative)."""
    if isinstance(value, Decimal):
        return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    scale = 10**places
    n, d = value.numerator, value.denominator
    # floor(n/d × scale + 1/2) in integers
    return Decimal((2 * n * scale + d) // (2 * d)).scaleb(-places)


def as_decimal(value: Exact | None) -> Decimal | None:
    """For results and display: an exact Decimal, or a 60-digit approximation of a Fraction.

    A Fraction here never terminates, so it never lies on a rounding boundary: its
    approximation rounds (V3) exactly as the Fraction does.
    """
    if value is None or isinstance(value, Decimal):
        return value
    return _CTX.divide(Decimal(value.numerator), Decimal(value.denominator))


def shown(value: Exact) -> Decimal:
    """V3 — « la moyenne obtenue … est égale ou supérieure à 10 » [interp]: every average is
    computed exactly with Decimal and never rounded before the next computation; what is shown
    or compared is rounded once, to 2 decimals, half-up (9.995 shows 10.00 and validates).
    """
    return round_half_up(value, 2)


def shown_text(value: Exact) -> str:
    """The shown value as the contract writes it, "12.50" (V3); French text uses french.moyenne_fr."""
    return str(shown(value))


def at_least(value: Exact, threshold: Decimal) -> bool:
    """A threshold (10, 8) is compared on the shown value (V3)."""
    return shown(value) >= threshold

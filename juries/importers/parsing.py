"""Cell parsers shared by every import: each returns a value or raises CellError in French."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from juries.models.assessment import MARKS, GradeRefused, validate_grade

PARIS = ZoneInfo("Europe/Paris")
ANNEE_RE = re.compile(r"^(\d{4})-(\d{4})$")


class CellError(ValueError):
    """A cell that cannot be read; the message is French and shown as is."""


def parse_grade(text: str) -> tuple[Decimal | None, str]:
    """E2 — a grade on 20, two decimals at most, `,` or `.`; or ABI / ABJ / ABS.

    Returns (value, mark). The text is read here; what a grade may be is the model's
    ``validate_grade``, shared with the admin and the grade entry.
    """
    t = text.strip().upper().replace(" ", "").replace("\u00a0", "")
    if t in MARKS:
        return None, t
    if not t:
        raise CellError("note vide")
    if not re.fullmatch(r"\d{1,2}([.,]\d{1,2})?", t):
        raise CellError(f"« {text.strip()} » n'est pas une note : un nombre de 0 à 20 (2 décimales au plus) ou ABI, ABJ, ABS")
    value = Decimal(t.replace(",", "."))
    try:
        validate_grade(value, "")
    except GradeRefused as exc:
        raise CellError(exc.message) from None
    return value, ""


def parse_decimal(text: str, *, what: str, positive: bool = True) -> Decimal:
    t = text.strip().replace(",", ".").replace(" ", "")
    try:
        value = Decimal(t)
    except InvalidOperation:
        raise CellError(f"« {text.strip()} » n'est pas un nombre ({what})") from None
    if not value.is_finite() or (positive and value <= 0) or abs(value) >= 1000:
        raise CellError(f"{what} doit être un nombre strictement positif")
    if value != value.quantize(Decimal("0.01")):
        raise CellError(f"{what} : deux décimales au plus")
    return value


def parse_annee(text: str) -> str:
    m = ANNEE_RE.match(text.strip())
    if not m or int(m.group(2)) != int(m.group(1)) + 1:
        raise CellError(f"« {text.strip()} » n'est pas une année universitaire (AAAA-AAAA, ex. 2026-2027)")
    return text.strip()


def parse_semestre(text: str, allowed: range | tuple[int, ...] = range(1, 7)) -> int:
    t = text.strip().upper().removeprefix("S")
    if not (t.isascii() and t.isdecimal()) or int(t) not in allowed:
        values = ", ".join(str(a) for a in allowed)
        raise CellError(f"semestre « {text.strip()} » invalide (valeurs : {values})")
    return int(t)


def parse_bool(text: str) -> bool:
    t = text.strip().lower()
    if t in ("", "0", "non", "n", "false", "faux"):
        return False
    if t in ("1", "oui", "o", "true", "vrai"):
        return True
    raise CellError(f"« {text.strip()} » : attendu 0 ou 1")


_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_FR_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})")
_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?")
DATE_FORMS = "JJ/MM/AAAA, JJ/MM/AA ou AAAA-MM-JJ"


def _date_part(t: str) -> date | None:
    """ISO `2027-06-25` or French `25/06/2027`, `25/06/27` (a two-digit year is 20YY)."""
    m = _ISO_DATE.fullmatch(t)
    if m:
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        m = _FR_DATE.fullmatch(t)
        if not m:
            return None
        d, mo, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if len(m.group(3)) == 2:
            y += 2000
    try:
        return date(y, mo, d)
    except ValueError:
        return None


def parse_date(text: str) -> date:
    """A date; a spreadsheet date cell at midnight (`2027-06-25 00:00:00`) is that day."""
    t = text.strip()
    day = _date_part(t)
    if day is None:
        head, _, rest = t.replace("T", " ").partition(" ")
        day = _date_part(head) if _TIME.fullmatch(rest.strip()) else None
    if day is None:
        raise CellError(f"« {t} » n'est pas une date ({DATE_FORMS})")
    return day


def parse_datetime(text: str) -> datetime:
    """A date-time (a date as in `parse_date`, then `HH:MM` or `HH:MM:SS`, an offset allowed);
    without an offset it is Europe/Paris wall-clock time (A4).

    A wall-clock time that does not exist (spring forward) or is ambiguous (the hour the
    clocks go back) is refused: the 48 hours of A4 could not be counted.
    """
    t = text.strip()
    dt = None
    head, _, rest = t.replace("T", " ", 1).partition(" ") if _ISO_DATE.match(t) else t.partition(" ")
    day = _date_part(head)
    m = _TIME.fullmatch(rest.strip()) if day is not None else None
    if day is not None and m is not None:
        try:
            dt = datetime(day.year, day.month, day.day, int(m.group(1)), int(m.group(2)), int(m.group(3) or 0))
        except ValueError:
            dt = None
        if dt is not None and m.group(4):
            try:
                offset = datetime.strptime(m.group(4).replace("Z", "+0000"), "%z").tzinfo
            except ValueError:
                dt = None
            else:
                return dt.replace(tzinfo=offset)
    if dt is None:
        raise CellError(f"« {t} » n'est pas une date-heure ({DATE_FORMS} suivi de HH:MM)")
    return make_paris_aware(dt)


def make_paris_aware(naive: datetime) -> datetime:
    early = naive.replace(tzinfo=PARIS, fold=0)
    late = naive.replace(tzinfo=PARIS, fold=1)
    roundtrip = early.astimezone(ZoneInfo("UTC")).astimezone(PARIS).replace(tzinfo=None)
    if roundtrip != naive:
        raise CellError(f"{naive:%d/%m/%Y %H:%M} n'existe pas (passage à l'heure d'été)")
    if early.utcoffset() != late.utcoffset():
        raise CellError(
            f"{naive:%d/%m/%Y %H:%M} est ambiguë (passage à l'heure d'hiver) : préciser le décalage, ex. +02:00"
        )
    return early


def normalise_code(text: str) -> str:
    """`SAÉ1.01`, `SAE1.01`, `SAÉ 1.01`, `sae2.01-q` → `SAE1.01` / `SAE2.01-Q`."""
    s = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return s.replace(" ", "").upper()

"""Reads CSV (UTF-8 with or without BOM, or Windows-1252; `;` or `,`) and XLSX files into header-keyed rows."""

from __future__ import annotations

import csv
import io
import time
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TypeVar

from django.conf import settings

from juries.rules.french import nombre_fr, plural

from .errors import ImportFailed, RowError

XLSX_MAGIC = b"PK\x03\x04"
# An XLSX whose uncompressed size exceeds this many times its compressed size is a zip bomb.
MAX_COMPRESSION_RATIO = 100
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
#: The quote the exports put before a text that a spreadsheet would run (services/exports.py).
NEUTRALISED_START = ("=", "+", "-", "@")
ENCODING_HELP = (
    "encodage non reconnu : le fichier n'est ni en UTF-8 ni en Windows-1252. L'enregistrer en CSV UTF-8 — "
    "LibreOffice : « Enregistrer sous », type « Texte CSV », cocher « Éditer les paramètres du filtre », "
    "Jeu de caractères : Unicode (UTF-8) ; Excel : « Enregistrer sous », type « CSV UTF-8 (délimité par des "
    "virgules) »"
)


def unescape(text: str) -> str:
    """A cell the application neutralised on export (`'=1+1`) reads as it was (`=1+1`);
    any other apostrophe is part of the text."""
    if text.startswith("'") and text[1:].startswith(NEUTRALISED_START):
        return text[1:]
    return text
#: Columns read from a sheet (a feuille de notes: numero, nom, prénom and its evaluations).
MAX_COLUMNS = 100

T = TypeVar("T")


class ParseBudget:
    """The CPU time one file may take to be read (setting QLIO_IMPORT_TIME_BUDGET, seconds).

    The row caps bound what a file may hold, not how long a crafted one takes to parse (a sheet of
    huge cells, a CSV of a million delimiters): past the budget the reading stops with a French
    message instead of holding a web worker. Checked between rows, and once openpyxl has opened
    the workbook (its shared strings are read at opening and cannot be interrupted).
    """

    def __init__(self, seconds: float | None = None):
        self.seconds = float(settings.QLIO_IMPORT_TIME_BUDGET if seconds is None else seconds)
        # CPU time of the thread, not the wall clock: a busy machine does not make a normal file
        # fail, a crafted one is stopped after the same amount of work wherever it runs.
        self.deadline = time.thread_time() + self.seconds

    def check(self) -> None:
        if time.thread_time() > self.deadline:
            seconds = plural(int(self.seconds), "seconde", with_count=False)
            raise ImportFailed([RowError(None, None, (
                f"Lecture du fichier arrêtée : elle a dépassé {nombre_fr(self.seconds)} {seconds} de calcul. "
                "Diviser le fichier, ou l'enregistrer à nouveau depuis le tableur (.xlsx ou CSV UTF-8)."))])


def within_budget(rows: Iterable[T], budget: ParseBudget | None = None) -> Iterator[T]:
    """The rows of a parser, stopped (ImportFailed) when `budget` (a new one if None) runs out."""
    budget = ParseBudget() if budget is None else budget
    for row in rows:
        budget.check()
        yield row


def normalise_header(text: object) -> str:
    """Case- and accent-insensitive header key: "Prénom " → "prenom"."""
    s = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    return " ".join(s.strip().lower().replace("_", " ").split()).replace(" ", "_")


@dataclass(frozen=True)
class Row:
    line: int  # 1-based, header is line 1
    values: dict[str, str]  # normalised header -> cell text (stripped)
    headers: dict[str, str]  # normalised header -> header as written
    columns: dict[str, int]  # normalised header -> 0-based column index (for cell references)

    def get(self, key: str) -> str:
        return self.values.get(key, "")

    def column(self, key: str) -> str:
        return self.headers.get(key, key)

    def cell(self, key: str) -> str:
        return f"{column_letter(self.columns.get(key, 0))}{self.line}"


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ") if (value.hour or value.minute or value.second) else value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        # Spreadsheet numbers come as binary floats: give them back as the shortest decimal.
        d = Decimal(repr(value))
        return format(d.normalize(), "f") if d == d.to_integral() else repr(value)
    return unescape(str(value).strip())


class Grid(list):
    """The cells of a sheet as text, row by row; `formula_errors` are the formula cells, refused
    together with every other fault of the file (`merge_formula_errors`)."""

    formula_errors: list[RowError]

    def __init__(self, rows=(), formula_errors: list[RowError] | None = None):
        super().__init__(rows)
        self.formula_errors = list(formula_errors or [])


def merge_formula_errors(rows: object, errors: list[RowError]) -> list[RowError]:
    """The formula cells of the file read (if `rows` came from `read_table` / `read_grid`) with the
    other faults, in line order; a fault found in a formula cell is the formula's."""
    formulas = list(getattr(rows, "formula_errors", []))
    if not formulas:
        return errors
    cells = {e.cell for e in formulas}
    rest = [e for e in errors if e.cell is None or e.cell not in cells]
    return sorted(formulas + rest, key=lambda e: (e.line or 0, len(e.cell or ""), e.cell or ""))


def read_grid(data: bytes, filename: str = "", *, max_rows: int | None = None) -> Grid:
    """The cells of a CSV or of the first XLSX sheet as text, row by row (no header handling).

    Same size, type and encoding checks as `read_table`; the feuille de notes reads its header
    rows itself and builds `Row`s from this grid. Formula cells are not refused here but listed
    in `Grid.formula_errors`, so that the caller reports them with every other fault.
    """
    max_bytes = settings.QLIO_MAX_UPLOAD_BYTES
    if len(data) > max_bytes:
        raise ImportFailed(
            [RowError(None, None, f"Fichier trop volumineux ({len(data)} octets, maximum {max_bytes}).")]
        )
    name = filename.lower()
    max_rows = settings.QLIO_MAX_IMPORT_ROWS if max_rows is None else max_rows
    budget = ParseBudget()
    if data.startswith(XLSX_MAGIC) or name.endswith(".xlsx"):
        rows = _read_xlsx(data, max_rows, budget)
    elif name and not name.endswith((".csv", ".txt")):
        raise ImportFailed([RowError(None, None, "Type de fichier refusé : seuls .csv et .xlsx sont acceptés.")])
    else:
        rows = _read_csv(data, budget)
    if len(rows) - 1 > max_rows:  # every path that reads a file, the feuille de notes included
        raise ImportFailed([RowError(None, None, f"Trop de lignes (maximum {max_rows}) : diviser le fichier.")])
    return rows


class Table(list):
    """The rows of a file; `formula_errors` as in `Grid`."""

    formula_errors: list[RowError]

    def __init__(self, rows=(), formula_errors: list[RowError] | None = None):
        super().__init__(rows)
        self.formula_errors = list(formula_errors or [])


def read_table(data: bytes, filename: str = "", *, required: Iterable[str] = ()) -> Table:
    """Parse a whole file; raise ImportFailed with French messages on an unreadable file.

    Formula cells are kept in `Table.formula_errors`: the import reports them with the other
    faults (`merge_formula_errors`) and writes nothing.
    """
    rows = read_grid(data, filename)
    if not rows:
        raise ImportFailed([RowError(None, None, "Le fichier est vide : la ligne d'en-tête manque.")])
    max_rows = settings.QLIO_MAX_IMPORT_ROWS
    if len(rows) - 1 > max_rows:
        raise ImportFailed([RowError(None, None, f"Trop de lignes ({len(rows) - 1}, maximum {max_rows}).")])
    raw_headers = rows[0]
    headers: dict[str, str] = {}
    columns: dict[str, int] = {}
    errors: list[RowError] = []
    for idx, h in enumerate(raw_headers):
        key = normalise_header(h)
        if not key:
            continue
        if key in headers:
            errors.append(RowError(1, str(h), "colonne en double"))
            continue
        headers[key] = str(h).strip()
        columns[key] = idx
    for key in required:
        if key not in headers:
            errors.append(RowError(1, None, f"colonne obligatoire « {key} » absente"))
    if errors:
        raise ImportFailed(merge_formula_errors(rows, errors))
    out = Table(formula_errors=rows.formula_errors)
    for n, raw in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in raw):
            continue
        values = {key: (raw[i].strip() if i < len(raw) else "") for key, i in columns.items()}
        out.append(Row(line=n, values=values, headers=headers, columns=columns))
    return out


def _decode(data: bytes) -> str:
    """Strict UTF-8 (with or without BOM), else strict Windows-1252 — what Excel and LibreOffice
    save by default in France. Windows-1252 decodes almost any byte, so a text with control
    characters (other than tab and line ends) is not taken for one."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        first_bad_line = data[: exc.start].count(b"\n") + 1
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = None
    if text is None or any(ord(ch) < 32 and ch not in "\t\r\n" for ch in text):
        raise ImportFailed([RowError(first_bad_line, None, ENCODING_HELP)])
    return text


def _read_csv(data: bytes, budget: ParseBudget) -> Grid:
    text = _decode(data)
    if "\x00" in text:
        raise ImportFailed([RowError(None, None, "Fichier binaire refusé : ce n'est pas un CSV.")])
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    try:
        return Grid([unescape(c.strip()) for c in r]
                    for r in within_budget(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), budget))
    except csv.Error as exc:
        raise ImportFailed([RowError(None, None, f"CSV illisible : {exc}")]) from None


def _read_xlsx(data: bytes, max_rows: int, budget: ParseBudget) -> Grid:
    # openpyxl (slow to import) is loaded only when a spreadsheet is read or written.
    import openpyxl

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            total = sum(i.file_size for i in zf.infolist())
            if total > MAX_UNCOMPRESSED_BYTES or total > MAX_COMPRESSION_RATIO * max(len(data), 1):
                raise ImportFailed(
                    [RowError(None, None, "Fichier XLSX refusé : contenu décompressé anormalement volumineux.")]
                )
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except ImportFailed:
        raise
    except Exception:
        raise ImportFailed([RowError(None, None, "Fichier XLSX illisible ou corrompu.")]) from None
    try:
        budget.check()
        ws = wb.worksheets[0]
        rows = Grid()
        header: list[str] = []
        # A sheet may declare 16,384 columns for a handful of cells, and openpyxl pads every row to
        # the declared width: no contract has more than MAX_COLUMNS columns, the rest is not read.
        width = min(ws.max_column or MAX_COLUMNS, MAX_COLUMNS)
        for r_idx, row in enumerate(within_budget(ws.iter_rows(max_col=width), budget), start=1):
            cells = []
            for c_idx, cell in enumerate(row):
                value = getattr(cell, "value", None)
                # Only a real formula is refused: a text cell that starts with "=" cannot run.
                if getattr(cell, "data_type", None) == "f" and value is not None:
                    col = header[c_idx] if c_idx < len(header) and header[c_idx] else column_letter(c_idx)
                    ref = f"{column_letter(c_idx)}{r_idx}"
                    rows.formula_errors.append(
                        RowError(r_idx, col, f"formule refusée en {ref} : saisir une valeur", cell=ref)
                    )
                    cells.append(str(value))
                else:
                    cells.append(_cell_text(value))
            if r_idx == 1:
                header = cells
            rows.append(cells)
            if len(rows) > max_rows + 1:
                break
        return rows
    except ImportFailed:
        raise
    except Exception:
        # openpyxl's read-only mode parses the sheet while its rows are read: a truncated sheet,
        # an entity payload refused by defusedxml or a bad zip member fails here, not on open.
        raise ImportFailed([RowError(None, None, "Fichier XLSX illisible ou corrompu : la feuille ne peut pas "
                                                 "être lue jusqu'au bout (l'enregistrer à nouveau depuis le "
                                                 "tableur).")]) from None
    finally:
        wb.close()

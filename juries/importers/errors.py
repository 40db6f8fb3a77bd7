"""Import errors: French messages that name the line and the column (docs/formats.md)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RowError:
    """One fault: `line` counts the header as line 1; `column` is the header as written."""

    line: int | None
    column: str | None
    message: str
    cell: str | None = None  # spreadsheet reference such as "D7" when known

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        if self.column is None:
            return f"ligne {self.line} : {self.message}"
        return f"ligne {self.line}, colonne {self.column} : {self.message}"


#: Errors listed at most; the others are counted in a last line (a 150,000-line file of unknown
#: students made a 31 MB page).
MAX_ERRORS = 200


def more_errors_message(count: int) -> str:
    """« … et 149 850 autres erreurs » (a no-break space groups the thousands)."""
    number = f"{count:,}".replace(",", "\u00a0")
    return f"… et {number} autre{'s' if count > 1 else ''} erreur{'s' if count > 1 else ''}"


class ImportFailed(Exception):
    """Raised when a file has at least one fault: nothing was written.

    ``errors`` lists at most MAX_ERRORS faults, then a line that counts the others; ``listed``
    is the faults without that line, ``omitted`` how many were left out, ``total`` all of them.
    """

    def __init__(self, errors: list[RowError], *, omitted: int = 0):
        self.listed = list(errors[:MAX_ERRORS])
        self.omitted = omitted + max(len(errors) - MAX_ERRORS, 0)
        self.total = len(self.listed) + self.omitted
        self.errors = self.listed + ([RowError(None, None, more_errors_message(self.omitted))] if self.omitted else [])
        super().__init__("\n".join(str(e) for e in self.errors))

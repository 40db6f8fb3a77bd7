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


class ImportFailed(Exception):
    """Raised when a file has at least one fault: nothing was written."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))

"""Validate every row first, then write once (STYLE.md §16): the shared frame of every import."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from juries.rules.french import plural

from .errors import RowError
from .parsing import CellError
from .tabular import Row


@dataclass
class RowResult:
    line: int
    action: str  # "nouveau", "modifié", "inchangé"
    label: str


@dataclass
class ImportReport:
    kind: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rows: list[RowResult] = field(default_factory=list)
    dry_run: bool = False

    def count(self, action: str, line: int, label: str) -> None:
        if action == "nouveau":
            self.created += 1
        elif action == "modifié":
            self.updated += 1
        else:
            self.unchanged += 1
        self.rows.append(RowResult(line, action, label))

    def summary(self) -> str:
        verb = "seraient" if self.dry_run else ""
        parts = [plural(self.created, "création"), plural(self.updated, "modification"),
                 plural(self.unchanged, "ligne inchangée")]
        head = f"{self.kind} : " + ", ".join(parts)
        return head + (f" ({verb} — aperçu, rien n'est enregistré)" if self.dry_run else "")


class RowReader:
    """Reads the cells of one row, collecting every fault instead of stopping at the first."""

    def __init__(self, row: Row, errors: list[RowError]):
        self.row = row
        self.errors = errors
        self.ok = True

    def cell(self, key: str, parser: Callable[[str], Any] | None = None, *, required: bool = True,
             default: Any = None) -> Any:
        text = self.row.get(key)
        if not text:
            if required:
                self.fail(key, "valeur obligatoire manquante")
            return default
        if parser is None:
            return text
        try:
            return parser(text)
        except CellError as exc:
            self.fail(key, str(exc))
            return default

    def fail(self, key: str | None, message: str) -> None:
        self.ok = False
        column = self.row.column(key) if key else None
        cell = self.row.cell(key) if key else None
        self.errors.append(RowError(self.row.line, column, message, cell=cell))

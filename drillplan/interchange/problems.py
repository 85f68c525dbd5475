"""What an import found wrong, and what it did: one :class:`Problem` per bad cell or row."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


def column_letter(index: int) -> str:
    """Excel column letter of a 0-based column index (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass(frozen=True)
class Problem:
    """One problem: where (sheet, row as Excel shows it, column header as in the file), which
    rule, and the message in Chinese and English. ``row`` 0 means the file or sheet as a whole.
    """

    sheet: str
    row: int
    column: str
    rule: str
    message: str
    message_en: str
    letter: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def __str__(self) -> str:
        where = [self.sheet] if self.sheet else []
        if self.row:
            where.append(f"第 {self.row} 行")
        if self.column:
            where.append(f"列“{self.column}”" + (f"({self.letter})" if self.letter else ""))
        return f"{'，'.join(where)}：{self.message} [{self.rule}]"

    def english(self) -> str:
        where = [self.sheet] if self.sheet else []
        if self.row:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column!r}" + (f" ({self.letter})" if self.letter else ""))
        return f"{', '.join(where)}: {self.message_en} [{self.rule}]"


@dataclass
class ImportReport:
    """The outcome of an import (or a dry run): counts, problems, ignored columns."""

    kind: str
    file: str
    sheet: str = ""
    dry_run: bool = False
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)  # derived values (expiry_derived ...)
    ignored_columns: list[str] = field(default_factory=list)  # row numbers (序号)
    kept_columns: list[str] = field(default_factory=list)  # the office's own, kept
    kept_rows: int = 0  # rows with a kept cell
    encoding: str | None = None
    seconds: float = 0.0
    backup: str | None = None  # the copy of the database taken before the import wrote

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "file": self.file,
            "sheet": self.sheet,
            "dry_run": self.dry_run,
            "ok": self.ok,
            "written": self.written,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "ignored_columns": self.ignored_columns,
            "kept_columns": self.kept_columns,
            "kept_rows": self.kept_rows,
            "encoding": self.encoding,
            "seconds": round(self.seconds, 3),
            "problems": [p.as_dict() for p in self.problems],
            "warnings": [p.as_dict() for p in self.warnings],
            "notes": [p.as_dict() for p in self.notes],
        }

"""The state of one import: its records, where each value came from, the problems found."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Protocol

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from drillplan.interchange.problems import Problem, column_letter
from drillplan.interchange.spec import HeaderMatch, Kind
from drillplan.kernel.errors import DrillplanError, ValidationError
from drillplan.kernel.progress import Cancelled
from drillplan.kernel.vocab import label
from drillplan.listing.refs import RefError, Refs

ProgressFn = Callable[[int, int], None]
CancelFn = Callable[[], bool]
CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"


@dataclass(slots=True)
class Record:
    """One data row: its row number, the converted values, what the import will do with it."""

    row: int
    values: dict[str, object]
    ok: bool = True
    action: str = ""
    target: object = None
    resolved: dict[str, object] = field(default_factory=dict)
    # the office's own columns, set by :func:`extras.read_cells` (None where the sheet has
    # none: an empty dict per row of a 100,000-row sheet is 6 MB)
    extras: dict[str, str | None] | None = None


class Context:
    """Everything a handler needs: session, kind, headers, today, and where problems go."""

    def __init__(
        self,
        session: Session,
        kind: Kind,
        sheet: str,
        match: HeaderMatch,
        *,
        today: dt.date,
        operator: str,
        progress: ProgressFn | None = None,
        cancel: CancelFn | None = None,
    ) -> None:
        self.session, self.kind, self.sheet, self.match = session, kind, sheet, match
        self.today, self.operator = today, operator
        self.progress, self.cancel = progress, cancel
        self.refs = Refs(session)
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.notes: list[Problem] = []  # derived values, shown by the dry run (rule: what)
        self.total = 0
        self._vocab: tuple[re.Pattern[str], dict[str, str]] | None = None

    def present(self, key: str) -> bool:
        """True when the file has this column."""
        return key in self.match.columns

    def where(self, key: str) -> tuple[str, str]:
        """The column's header as written in the file (else the spec's) and its letter."""
        index = self.match.columns.get(key)
        header = self.match.headers.get(key)
        if header is None:
            col = self.kind.by_field(key)
            header = col.zh if col is not None else key
            if col is not None:
                index = self.match.columns.get(col.key)
                header = self.match.headers.get(col.key, header)
        return header, column_letter(index) if index is not None else ""

    def problem(
        self, row: int, key: str, rule: str, zh: str, en: str, *, warning: bool = False
    ) -> None:
        header, letter = self.where(key) if key else ("", "")
        found = Problem(self.sheet, row, header, rule, zh, en, letter)
        (self.warnings if warning else self.problems).append(found)

    def note(self, row: int, key: str, rule: str, zh: str, en: str) -> None:
        """A value the import derived (not a problem): listed by the dry run and the report."""
        header, letter = self.where(key)
        self.notes.append(Problem(self.sheet, row, header, rule, zh, en, letter))

    def error(self, row: int, exc: Exception, *, known: Iterable[str] = ()) -> None:
        """A core error as problems of this row: a ValidationError (with those of the other
        fields checked with it) in the column of its field, unless that column already has a
        problem (``known``: the headers)."""
        if isinstance(exc, ValidationError):
            skip = set(known)
            for err in exc.every():
                if self.where(err.field)[0] in skip:
                    continue
                text_en = err.message_en or err.message
                zh = self.chinese(err.message)
                self.problem(row, err.field, err.rule or "rule", zh, text_en)
        elif isinstance(exc, IntegrityError):
            self.problem(row, "", "database", f"数据库拒绝了此行：{exc.orig}", str(exc.orig))
        else:
            text = str(exc)
            self.problem(row, "", type(exc).__name__.lower(), text, text)

    def chinese(self, message: str) -> str:
        """A core message with the vocabulary keys of this kind's columns (``high_risk``,
        ``testing``) replaced by their Chinese labels: the Chinese report shows no English key."""
        if self._vocab is None:
            words = {
                m.value: label(m, "zh")
                for col in self.kind.columns
                if col.enum is not None
                for m in col.enum
            }
            pattern = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
            self._vocab = (re.compile(rf"(?<![A-Za-z0-9_])(?:{pattern})(?![A-Za-z0-9_])"), words)
        regex, words = self._vocab
        return regex.sub(lambda m: words[m[0]], message) if words else message

    def resolve(self, rec: Record, key: str, ref: str, text: object) -> object | None:
        try:
            return self.refs.resolve(ref, str(text))
        except RefError as exc:
            self.problem(rec.row, key, exc.rule, exc.message, exc.message_en)
            rec.ok = False
            return None

    def duplicates(
        self, records: Iterable[Record], key: Callable[[Record], Hashable], columns: str
    ) -> None:
        """Report every row whose natural key repeats an earlier row of the file."""
        first: dict[Hashable, int] = {}
        for rec in records:
            k = key(rec)
            if k is None:
                continue
            if k in first:
                self.problem(
                    rec.row,
                    columns,
                    "duplicate_in_file",
                    f"与第 {first[k]} 行重复（同一{self.kind.zh}在文件中出现两次）",
                    f"duplicates row {first[k]} (the same {self.kind.en.lower()} twice)",
                )
                rec.ok = False
            else:
                first[k] = rec.row

    def tick(self, done: int) -> None:
        if self.cancel is not None and self.cancel():
            raise Cancelled()
        if self.progress is not None:
            self.progress(done, self.total)

    @contextmanager
    def row(self, rec: Record) -> Iterator[None]:
        """Write one row inside a savepoint: a core error becomes a problem of that row."""
        savepoint = self.session.begin_nested()
        try:
            yield
            self.session.flush()
        except (DrillplanError, IntegrityError) as exc:
            savepoint.rollback()
            self.error(rec.row, exc)
            return
        savepoint.commit()


class Handler(Protocol):
    """How one kind is checked, written and read back."""

    kind: Kind

    def check(self, ctx: Context, records: list[Record]) -> None: ...

    def write(self, ctx: Context, records: list[Record]) -> None: ...

    def export_rows(self, session: Session) -> Iterator[dict[str, object]]: ...

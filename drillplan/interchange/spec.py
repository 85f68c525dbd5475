"""The column-spec engine: one declaration per register drives import, export and templates.

A :class:`Kind` lists its :class:`Column` s (key, Chinese and English header, synonyms, type,
required, example, help). Headers in a file are matched to columns by name, Chinese or English,
ignoring case, spaces, full-width forms and a trailing ``*``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from drillplan.interchange import values as v
from drillplan.kernel.errors import ValidationError
from drillplan.kernel.values import normalize_text, validate_phone
from drillplan.kernel.vocab import label


class T(StrEnum):
    """Column types."""

    TEXT = "text"
    INT = "int"
    DECIMAL = "decimal"
    DATE = "date"
    DATETIME = "datetime"
    BOOL = "bool"
    ENUM = "enum"
    LIST = "list"  # several values in one cell, separated by 、 , ; or new lines
    REF = "ref"  # a code or the exact name of a row of another register
    REFS = "refs"  # several references
    PHONE = "phone"
    CREDIT_CODE = "credit_code"
    DURATION = "duration"  # whole days: 730, 730天, 24个月, 2年 (a bare number: the header's unit)


TYPE_LABELS: dict[T, tuple[str, str]] = {
    T.TEXT: ("文本", "text"),
    T.INT: ("整数", "whole number"),
    T.DECIMAL: ("数字", "number"),
    T.DATE: ("日期", "date"),
    T.DATETIME: ("日期时间", "date and time"),
    T.BOOL: ("是/否", "yes/no"),
    T.ENUM: ("下拉选项", "one of a list"),
    T.LIST: ("多个文本（用、分隔）", "several texts separated by 、"),
    T.REF: ("编码或名称", "code or exact name"),
    T.REFS: ("多个编码（用、分隔）", "several codes separated by 、"),
    T.PHONE: ("电话", "phone number"),
    T.CREDIT_CODE: ("统一社会信用代码", "unified social credit code"),
    T.DURATION: ("天数或月数（730、730天、24个月、2年）", "days, or months/years with a unit"),
}


# codes: full-width letters and digits typed in them are folded to ASCII
FOLDED = frozenset({"code", "batch_no", "number", "uom", "version"})


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    en: str
    type: T = T.TEXT
    synonyms: tuple[str, ...] = ()
    required: bool = False
    example: str = ""
    help: str = ""
    help_en: str = ""
    enum: type[StrEnum] | None = None
    ref: str | None = None  # unit, material, holder, team, plan, member
    max_len: int = 200
    min_value: Decimal | None = None
    positive: bool = False  # strictly greater than zero
    width: int = 14
    decimals: int = 0  # decimals shown in exported number cells
    info: bool = False  # exported for people to read; accepted and not checked on import
    # the record's version when it was exported: compared on re-import (drillplan.interchange
    # .stale), never written; not in templates (a new record has none)
    stamp: bool = False
    field: str | None = None  # the core's name of the field, when it is not ``key``

    @property
    def names(self) -> tuple[str, ...]:
        """Every header this column answers to, the preferred ones first."""
        return (self.zh, self.en, *self.synonyms)

    def choices(self) -> list[str]:
        if self.type == T.ENUM and self.enum is not None:
            return [label(m, "zh") for m in self.enum]
        if self.type == T.BOOL:
            return ["是", "否"]
        return []

    def convert(self, raw: object, *, check_range: bool = True, unit: str = "day") -> object:
        """The value of a non-blank cell, or :class:`values.BadValue`; ``check_range`` False
        leaves the column's minimum to the core function that checks the row; ``unit`` is what
        a bare number in a duration column counts (from its header: 保质期（月） -> month)."""
        t = self.type
        if isinstance(raw, str) and len(raw) > v.MAX_CELL:
            raise v.BadValue(
                "too_long",
                f"单元格超过 {v.MAX_CELL} 个字符（{len(raw)} 个）",
                f"the cell is longer than {v.MAX_CELL} characters ({len(raw)})",
            )
        fold = t in (T.REF, T.REFS) or self.key in FOLDED
        if t in (T.TEXT, T.REF):
            return v.to_text(raw, self.max_len, fold=fold)
        if t in (T.INT, T.DECIMAL, T.DURATION):
            if t == T.DURATION:
                number: int | Decimal = v.to_days(raw, unit)
            else:
                number = v.to_int(raw) if t == T.INT else v.to_decimal(raw)
            if check_range:
                self._check_range(Decimal(number), raw)
            return number
        if t == T.DATE:
            return v.to_date(raw)
        if t == T.DATETIME:
            return v.to_datetime(raw)
        if t == T.BOOL:
            return v.to_bool(raw)
        if t == T.ENUM:
            assert self.enum is not None
            return v.to_enum(raw, self.enum, self.key)
        if t in (T.LIST, T.REFS):
            return v.to_list(raw, self.max_len, fold=fold)
        if t == T.CREDIT_CODE:
            # checked by the domain write function, with the row's 信用代码已核实 override
            return v.to_text(raw, 40, fold=True)
        try:
            return validate_phone(raw if isinstance(raw, str) else v.to_text(raw, 40))
        except ValidationError as exc:
            raise v.BadValue(f"bad_{t.value}", exc.message, exc.message_en or "") from exc

    def _check_range(self, number: Decimal, raw: object) -> None:
        if self.positive and number <= 0:
            raise v.BadValue(
                "not_positive", f"应大于 0（填写的是 {v.shown(raw)}）", "must be greater than 0"
            )
        if self.min_value is not None and number < self.min_value:
            rule = "negative" if self.min_value == 0 else "too_small"
            raise v.BadValue(
                rule,
                f"不能小于 {self.min_value}（填写的是 {v.shown(raw)}）",
                f"must not be less than {self.min_value} (got {v.shown(raw)})",
            )


def version_column(*, fingerprint: bool = False) -> Column:
    """The 记录版本 column of a register people edit (see :mod:`drillplan.interchange.stale`):
    a number, or (``fingerprint``, a register without a version column) a short digest."""
    return Column(
        "row_version", "记录版本", "Record version", T.TEXT if fingerprint else T.INT,
        ("record version", "row version"), max_len=40, width=14 if fingerprint else 10,
        stamp=True,
        help="导出时该记录的版本，请勿修改：重新导入时若记录已被他人修改则报错，"
        "以免覆盖他人的修改；新增的行留空",
        help_en="the record's version when exported, do not edit: a re-import refuses a row"
        " changed by someone else since; leave it blank on new rows",
    )  # fmt: skip


@dataclass(frozen=True)
class Kind:
    """A register that can be imported, exported and templated."""

    name: str
    zh: str
    en: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # the natural key columns: a re-import matches rows on them
    order: int = 0  # import order of a whole data set (parents first)
    notes: str = ""  # said in the template's instructions, after the general ones

    @property
    def sheet_name(self) -> str:
        return self.zh

    @property
    def stamp(self) -> Column | None:
        """The version column, for a register whose export carries one."""
        return next((c for c in self.columns if c.stamp), None)

    @property
    def data_columns(self) -> tuple[Column, ...]:
        """The columns of a template: all but the version column."""
        return tuple(c for c in self.columns if not c.stamp)

    def column(self, key: str) -> Column:
        for col in self.columns:
            if col.key == key:
                return col
        raise KeyError(key)

    def by_field(self, name: str) -> Column | None:
        for col in self.columns:
            if name in (col.key, col.field):
                return col
        return None


_NOISE = re.compile(r"[\s*＊:：]+")


def header_key(text: object) -> str:
    """How a header is compared: full-width folded, lower case, no spaces, no ``*`` or ``:``."""
    return _NOISE.sub("", normalize_text(str(text or ""))).lower()


@dataclass
class HeaderMatch:
    """Which file column (0-based index) feeds which spec column, and what is left over."""

    columns: dict[str, int] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)  # key -> header as in the file
    extras: list[str] = field(default_factory=list)
    extra_indexes: list[int] = field(default_factory=list)  # where the extras are
    missing: list[Column] = field(default_factory=list)
    duplicates: list[tuple[int, str]] = field(default_factory=list)

    @property
    def score(self) -> int:
        return len(self.columns)


def match_headers(kind: Kind, header: Sequence[object]) -> HeaderMatch:
    """Match a header row to the kind's columns: for each column the earliest of its names
    found in the file wins, real columns before information-only ones."""
    found: dict[str, list[int]] = {}
    for index, cell in enumerate(header):
        name = header_key(cell)
        if name:
            found.setdefault(name, []).append(index)
    match = HeaderMatch()
    taken: set[int] = set()
    for col in sorted(kind.columns, key=lambda c: c.info):
        for name in col.names:
            indexes = [i for i in found.get(header_key(name), []) if i not in taken]
            if indexes:
                match.columns[col.key] = indexes[0]
                match.headers[col.key] = str(header[indexes[0]]).strip()
                taken.add(indexes[0])
                break
        else:
            if col.required:
                match.missing.append(col)
    for name, indexes in found.items():
        for i in indexes:
            if i in taken:
                continue
            if any(header_key(n) == name for c in kind.columns for n in c.names):
                match.duplicates.append((i, str(header[i]).strip()))
            else:
                match.extras.append(str(header[i]).strip())
                match.extra_indexes.append(i)
    return match

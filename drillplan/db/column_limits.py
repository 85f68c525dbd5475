"""What a column can hold, checked before the database sees it: the one home of length limits.

Every ``String(n)`` column of a new or changed row is checked in a ``before_flush`` listener,
so every door (a form, a command, an import, a restore through the ORM) refuses over-long text
the same way, with the field and its limit in the message. SQLite would store the text
whatever its length; PostgreSQL would raise ``StringDataRightTruncation`` out of the flush.
The same listener refuses a NUL character (PostgreSQL cannot store one in text), a
non-finite or too large number in a ``Numeric(p, s)`` column and a date outside
1900-01-01 .. 2199-12-31 (:func:`drillplan.kernel.values.check_date_range`) in a date column.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from decimal import Decimal
from itertools import chain
from typing import Any

from sqlalchemy import Date, DateTime, Enum, Numeric, String, event, inspect
from sqlalchemy.orm import Mapper, Session

from drillplan.kernel.errors import ValidationError
from drillplan.kernel.values import check_date_range

__all__ = ["check_row", "column_limits"]


@functools.cache
def column_limits(mapper: Mapper[Any]) -> tuple[tuple[str, str, Any], ...]:
    """(attribute key, column key, column type) of every String(n), Numeric and date column."""
    out = []
    for attr in mapper.column_attrs:
        for column in attr.columns:
            kind = column.type
            if isinstance(kind, Enum):
                continue  # checked against its members
            text = isinstance(kind, String) and bool(kind.length)
            number = isinstance(kind, Numeric) and bool(kind.precision) and kind.scale is not None
            if text or number or isinstance(kind, Date | DateTime):
                out.append((attr.key, column.key, kind))
    return tuple(out)


def _check_text(field: str, value: str, length: int) -> None:
    if len(value) > length:
        raise ValidationError(
            field,
            f"{field} 不能超过 {length} 个字符（输入为 {len(value)} 个）",
            message_en=f"{field}: at most {length} characters (got {len(value)})",
            rule="too_long",
        )
    if "\x00" in value:
        raise ValidationError(
            field,
            f"{field} 含有不可保存的空字符（NUL）",
            message_en=f"{field} contains a NUL character, which cannot be stored",
            rule="nul_character",
        )


def _check_number(field: str, value: object, kind: Numeric[Any]) -> None:
    if isinstance(value, bool) or not isinstance(value, Decimal | float | int):
        return
    finite = value.is_finite() if isinstance(value, Decimal) else math.isfinite(value)
    limit = Decimal(10) ** (kind.precision - kind.scale)  # type: ignore[operator]
    if not finite or abs(Decimal(str(value))) >= limit:
        raise ValidationError(
            field,
            f"{field} 的数值 {value} 超出可保存的范围（绝对值小于 {limit}）",
            message_en=f"{field}: {value} is outside what the column holds (|x| < {limit})",
            rule="number.finite",
        )


def check_row(obj: object) -> None:
    """Refuse a row whose text or numbers the database cannot hold (see the module)."""
    state = inspect(obj)
    loaded = state.dict  # only what is loaded or set: never a lazy load in a flush
    for key, field, kind in column_limits(state.mapper):
        value = loaded.get(key)
        if value is None:
            continue
        if isinstance(kind, String):
            if isinstance(value, str):
                _check_text(field, value, kind.length)  # type: ignore[arg-type]
        elif isinstance(kind, Numeric):
            _check_number(field, value, kind)
        elif isinstance(value, dt.date):
            check_date_range(value.date() if isinstance(value, dt.datetime) else value, field=field)


@event.listens_for(Session, "before_flush")
def _before_flush(session: Session, _context: object, _instances: object) -> None:
    for obj in chain(session.new, session.dirty):
        check_row(obj)

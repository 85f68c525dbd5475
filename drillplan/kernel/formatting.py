"""Plain-value formatting shared by the command line, reports and the audit log (no I/O)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from decimal import Decimal
from enum import Enum
from typing import Any

__all__ = ["date_text", "dumps", "fmt_number", "to_jsonable"]


def to_jsonable(value: Any) -> Any:
    if isinstance(value, Enum):  # a vocabulary member: its code ("grassroots"), never its repr
        return to_jsonable(value.value)
    if isinstance(value, Decimal):
        if not value.is_finite():  # only from a database written before migration 0008
            return str(value)
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    return value


def fmt_number(value: Any, decimals: int | None = None) -> str:
    """Thousands separators; integral values without decimals; None as empty."""
    if value is None or value == "":
        return ""
    if isinstance(value, Decimal | float | int) and not isinstance(value, bool):
        d = Decimal(str(value))
        if not d.is_finite():  # NaN / Infinity stored before migration 0008: shown, not a crash
            return str(d)
        if decimals is None:
            exponent = d.normalize().as_tuple().exponent
            decimals = 0 if d == d.to_integral_value() else min(3, -int(exponent))
        return f"{d:,.{decimals}f}"
    return str(value)


def dumps(value: Any) -> str:
    return json.dumps(to_jsonable(value), ensure_ascii=False, indent=2)


def date_text(value: Any) -> str | None:
    """A date as YYYY-MM-DD and a date-time as YYYY-MM-DD HH:MM (every table, export and
    report writes them so); None for anything else."""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return None

"""Rendering command results as an aligned text table, JSON or CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import unicodedata
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

FORMATS = ("table", "json", "csv")


def to_jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
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
        if decimals is None:
            exponent = d.normalize().as_tuple().exponent
            decimals = 0 if d == d.to_integral_value() else min(3, -int(exponent))
        return f"{d:,.{decimals}f}"
    return str(value)


def dumps(value: Any) -> str:
    return json.dumps(to_jsonable(value), ensure_ascii=False, indent=2)


def _width(text: str) -> int:
    """Display width: CJK characters take two columns in a terminal."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cell(value: Any) -> str:
    value = to_jsonable(value)
    return "" if value is None else str(value)


def render(rows: Sequence[Mapping[str, Any]], columns: Sequence[str], fmt: str) -> str:
    """Render ``rows`` (dicts) restricted to ``columns`` in the format asked for."""
    if fmt == "json":
        return dumps([dict(r) for r in rows])
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_cell(row.get(c)) for c in columns])
        return buf.getvalue()
    cells = [[_cell(row.get(c)) for c in columns] for row in rows]
    widths = [max([_width(c)] + [_width(r[i]) for r in cells]) for i, c in enumerate(columns)]

    def line(values: Sequence[str]) -> str:
        return "  ".join(v + " " * (w - _width(v)) for v, w in zip(values, widths, strict=True))

    out = [line(columns), line(["-" * w for w in widths])]
    out.extend(line(r) for r in cells)
    return "\n".join(s.rstrip() for s in out) + "\n"

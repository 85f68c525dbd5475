"""Rendering command results as an aligned text table, JSON or CSV.

CSV cells go through :func:`drillplan.kernel.cells.csv_text`: a text a spreadsheet would run
as a formula (``=``, ``+``, ``-``, ``@`` ...) gets a leading ``'``; numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

from drillplan.kernel.cells import csv_text
from drillplan.kernel.formatting import dumps, fmt_number, to_jsonable

__all__ = ["FORMATS", "dumps", "fmt_number", "render", "to_jsonable"]

FORMATS = ("table", "json", "csv")


def _width(text: str) -> int:
    """Display width: CJK characters take two columns in a terminal."""
    if text.isascii():  # codes, numbers, dates: one column each
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cell(value: Any) -> str:
    value = to_jsonable(value)
    return "" if value is None else str(value)


def _csv_cell(value: Any) -> str:
    return csv_text(value, _cell(value))


def render(rows: Sequence[Mapping[str, Any]], columns: Sequence[str], fmt: str) -> str:
    """Render ``rows`` (dicts) restricted to ``columns`` in the format asked for."""
    if fmt == "json":
        return dumps([dict(r) for r in rows])
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_csv_cell(row.get(c)) for c in columns])
        return buf.getvalue()
    cells = [[_cell(row.get(c)) for c in columns] for row in rows]
    sizes = [[_width(v) for v in r] for r in cells]  # each cell measured once
    widths = [max([_width(c)] + [s[i] for s in sizes]) for i, c in enumerate(columns)]

    def line(values: Sequence[str], measured: Sequence[int]) -> str:
        return "  ".join(
            v + " " * (w - n) for v, n, w in zip(values, measured, widths, strict=True)
        )

    out = [line(columns, [_width(c) for c in columns]), line(["-" * w for w in widths], widths)]
    out.extend(line(r, s) for r, s in zip(cells, sizes, strict=True))
    return "\n".join(s.rstrip() for s in out) + "\n"

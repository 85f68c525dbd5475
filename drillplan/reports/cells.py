"""What a report prints in a table cell: numbers with thousands separators, dates, and a
status as a colour *and* a symbol with a word (so it still reads on a black-and-white
printout); :class:`CellTexts` holds a table's rows formatted once, for measuring the columns
and then printing them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from reportlab.lib import colors

from drillplan.kernel.formatting import date_text, fmt_number

# status key -> (colour, symbol, zh, en)
STATUS_MARKS: dict[str, tuple[colors.Color, str, str, str]] = {
    "expired": (colors.HexColor("#b42318"), "■", "已过期", "Expired"),
    "overdue": (colors.HexColor("#b42318"), "■", "已逾期", "Overdue"),
    "critical": (colors.HexColor("#b42318"), "■", "严重", "Critical"),
    "missing": (colors.HexColor("#b42318"), "■", "缺项", "Missing"),
    "warning": (colors.HexColor("#b54708"), "▲", "注意", "Warning"),
    "conflict": (colors.HexColor("#b42318"), "▲", "冲突", "Conflict"),
    "ok": (colors.HexColor("#027a48"), "○", "正常", "OK"),
}


def fmt_cell(value: Any) -> str:
    if value is None:
        return ""
    if (when := date_text(value)) is not None:
        return when
    if isinstance(value, Decimal | float | int) and not isinstance(value, bool):
        return fmt_number(value)
    return str(value)


# "within_<days>" for whatever horizons the office set: the fewer days, the more urgent the mark
_WITHIN_MARKS: tuple[tuple[int, colors.Color, str], ...] = (
    (30, colors.HexColor("#c4320a"), "▲"),
    (90, colors.HexColor("#b54708"), "●"),
    (10**6, colors.HexColor("#667085"), "◆"),
)


def status_mark(status: str) -> tuple[colors.Color, str, str, str] | None:
    """Colour, mark and 中文/English caption of a status key (``within_45`` -> 45天内)."""
    if status in STATUS_MARKS:
        return STATUS_MARKS[status]
    days = status.removeprefix("within_")
    if days == status or not days.isdigit():
        return None
    colour, mark = next((c, m) for limit, c, m in _WITHIN_MARKS if int(days) <= limit)
    return colour, mark, f"{days}天内", f"≤{days} days"


def status_text(status: str, lang: str = "zh") -> str:
    mark = status_mark(status)
    if mark is None:
        return status
    return f"{mark[1]} {mark[2] if lang == 'zh' else mark[3]}"


@dataclass(frozen=True)
class Col:
    title: str
    width: float  # relative weight (kept for callers; widths are measured from the content)
    align: str = "LEFT"  # LEFT, RIGHT, CENTER
    wrap: bool = False  # (no longer needed: any cell that does not fit wraps)
    status: bool = False  # the cell holds a status key: colour + symbol + word
    decimals: int | None = None  # fixed decimals for numbers (2 for money)


@dataclass(frozen=True, slots=True)
class CellTexts:
    """Rows as a table prints them (one text per cell) with each row's status marks, made
    once by :func:`cell_texts` when the same rows are measured and then printed."""

    texts: list[list[str]]
    statuses: list[dict[int, str]]

    def pick(self, indexes: Iterable[int]) -> CellTexts:
        """The rows at ``indexes``, in that order."""
        chosen = list(indexes)
        return CellTexts([self.texts[i] for i in chosen], [self.statuses[i] for i in chosen])


def cell_texts(columns: Sequence[Col], rows: Iterable[Sequence[Any]], lang: str) -> CellTexts:
    """The texts :func:`data_table` prints for ``rows`` (pass them to it and to
    :func:`table_widths` instead of the rows: each cell is formatted once)."""
    return CellTexts(*_texts(columns, rows, lang))


def _texts(
    columns: Sequence[Col], rows: Iterable[Sequence[Any]], lang: str
) -> tuple[list[list[str]], list[dict[int, str]]]:
    texts: list[list[str]] = []
    statuses: list[dict[int, str]] = []
    # each distinct value of a column is formatted once (dates, units, statuses repeat down a
    # long table); keyed with its type: 1 == 1.0 == True, but True prints as "True"
    memos: list[dict[tuple[type, Any], str]] = [{} for _ in columns]
    for row in rows:
        cells: list[str] = []
        marks: dict[int, str] = {}
        for i, (col, value) in enumerate(zip(columns, row, strict=True)):
            if col.status:
                marks[i] = str(value)
            try:
                key = (type(value), value)
                text = memos[i].get(key)
            except TypeError:  # an unhashable value: formatted each time
                key, text = None, None
            if text is None:
                if col.status:
                    text = status_text(str(value), lang)
                elif col.decimals is not None:
                    text = fmt_number(value, col.decimals)
                else:
                    text = fmt_cell(value)
                if key is not None:
                    memos[i][key] = text
            cells.append(text)
        texts.append(cells)
        statuses.append(marks)
    return texts, statuses

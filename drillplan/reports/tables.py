"""Tables, figures and status marks for reports.

Long tables are built as a series of small tables (one ``Table`` of a platypus is
superlinear in its row count); each repeats the header row, rows are zebra-striped,
numbers are right-aligned with thousands separators, and a status is a colour *and* a
symbol with a word, so it still reads on a black-and-white printout.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from drillplan.kernel.formatting import date_text, fmt_number
from drillplan.reports.frame import FONT, INK, RULE, styles

HEADER_BG = colors.HexColor("#e9edf2")
ZEBRA = colors.HexColor("#f6f8fa")

# status key -> (colour, symbol, zh, en)
STATUS_MARKS: dict[str, tuple[colors.Color, str, str, str]] = {
    "expired": (colors.HexColor("#b42318"), "■", "已过期", "Expired"),
    "overdue": (colors.HexColor("#b42318"), "■", "已逾期", "Overdue"),
    "critical": (colors.HexColor("#b42318"), "■", "严重", "Critical"),
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
    width: float  # relative width
    align: str = "LEFT"  # LEFT, RIGHT, CENTER
    wrap: bool = False  # wrap long text (a Paragraph; slower)
    status: bool = False  # the cell holds a status key: colour + symbol + word
    decimals: int | None = None  # fixed decimals for numbers (2 for money)


_HEIGHTS: dict[tuple[object, ...], dict[str, float]] = {}


class PagedTable(Flowable):
    """A long table laid out one page at a time.

    A single platypus ``Table`` is superlinear in its row count, so this flowable only ever
    builds a table of the rows that can fit on the current page (at most ``page_rows``) and
    carries the remaining rows to the next page. The header row repeats at the top of each
    page, and only there. When no cell wraps, every row has the same height: it is measured
    once and each page's table is built exactly once; otherwise platypus splits a page-sized
    table.
    """

    def __init__(
        self,
        header: list[str],
        rows: list[list[Any]],
        statuses: list[dict[int, str]],
        widths: list[float],
        style: list[tuple[Any, ...]],
        page_rows: int = 60,
        uniform: bool = False,
        heights: dict[str, float] | None = None,
    ) -> None:
        super().__init__()
        self.header, self.rows, self.statuses = header, rows, statuses
        self.widths, self.style, self.page_rows = widths, style, page_rows
        self.uniform = uniform  # no wrapping cells: every body row has the same height
        # measured row heights, shared by every table of the same widths and style
        key = (tuple(widths), tuple(map(repr, style)))
        self.heights = heights if heights is not None else _HEIGHTS.setdefault(key, {})
        self._table: Table | None = None

    def _row_heights(self, avail_width: float) -> tuple[float, float]:
        """(header height, body row height), measured once on a one-row table."""
        if not self.heights:
            probe = Table([self.header, self.rows[0]], colWidths=self.widths)
            probe.setStyle(TableStyle(self.style))
            probe.wrap(avail_width, 10_000)
            self.heights["header"], self.heights["row"] = probe._rowHeights[:2]
        return self.heights["header"], self.heights["row"]

    def _make(self, n: int) -> Table:
        table = Table([self.header, *self.rows[:n]], colWidths=self.widths, repeatRows=1)
        cmds = list(self.style)
        # one TEXTCOLOR command per run of equal statuses in a column (rows come sorted)
        for c in sorted({c for marks in self.statuses[:n] for c in marks}):
            keys = [marks.get(c) for marks in self.statuses[:n]]
            first = 0
            for r in range(1, n + 1):
                if r == n or keys[r] != keys[first]:
                    mark = status_mark(keys[first] or "")
                    if mark:
                        cmds.append(("TEXTCOLOR", (c, first + 1), (c, r), mark[0]))
                    first = r
        table.setStyle(TableStyle(cmds))
        return table

    def _rest(self, n: int) -> PagedTable:
        return PagedTable(
            self.header,
            self.rows[n:],
            self.statuses[n:],
            self.widths,
            self.style,
            self.page_rows,
            self.uniform,
            self.heights,
        )

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        if self.uniform:
            header, row = self._row_heights(avail_width)
            height = header + row * len(self.rows)
            if height <= avail_height:
                self._table = self._make(len(self.rows))
                return self._table.wrap(avail_width, avail_height)
            self._table = None
            return sum(self.widths), height
        if len(self.rows) <= self.page_rows:
            self._table = self._make(len(self.rows))
            return self._table.wrap(avail_width, avail_height)
        self._table = None
        return sum(self.widths), avail_height + 1  # more than a page: ask to be split

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        if self.uniform:
            header, row = self._row_heights(avail_width)
            fit = min(int((avail_height - header) // row), len(self.rows))
            if fit < 1:
                return []  # not even the header and one row fit here: next page
            head = self._make(fit)
            return [head] if fit == len(self.rows) else [head, self._rest(fit)]
        n = min(len(self.rows), self.page_rows)
        parts = self._make(n).split(avail_width, avail_height)
        if not parts:
            return []  # not even the header and one row fit here: next page
        head = parts[0]
        taken = n if len(parts) == 1 else len(head._cellvalues) - 1  # header excluded
        return [head] if taken == len(self.rows) else [head, self._rest(taken)]

    def draw(self) -> None:
        assert self._table is not None
        self._table.drawOn(self.canv, 0, 0)


def data_table(
    columns: Sequence[Col],
    rows: Iterable[Sequence[Any]],
    *,
    width: float,
    lang: str = "zh",
    font_size: float = 8,
    page_rows: int = 60,
) -> list[Flowable]:
    """The rows as one table laid out page by page (see ``PagedTable``)."""
    st = styles()["cell"]
    total = sum(c.width for c in columns)
    widths = [width * c.width / total for c in columns]
    style: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), FONT, font_size),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_BG),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, RULE),
        ("LINEBELOW", (0, -1), (-1, -1), 0.4, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, ZEBRA]),
    ]
    style += [
        ("ALIGN", (i, 0), (i, -1), c.align) for i, c in enumerate(columns) if c.align != "LEFT"
    ]
    cells_rows: list[list[Any]] = []
    statuses: list[dict[int, str]] = []
    for row in rows:
        cells: list[Any] = []
        marks: dict[int, str] = {}
        for i, (col, value) in enumerate(zip(columns, row, strict=True)):
            if col.status:
                marks[i] = str(value)
                cells.append(status_text(str(value), lang))
            elif col.decimals is not None:
                cells.append(fmt_number(value, col.decimals))
            elif col.wrap:
                cells.append(Paragraph(fmt_cell(value), st))
            else:
                cells.append(fmt_cell(value))
        cells_rows.append(cells)
        statuses.append(marks)
    if not cells_rows:
        return []
    header = [c.title for c in columns]
    uniform = not any(c.wrap for c in columns)
    if not uniform:  # rows of different heights: centre the single-line cells
        style.append(("VALIGN", (0, 0), (-1, -1), "MIDDLE"))
    return [PagedTable(header, cells_rows, statuses, widths, style, page_rows, uniform)]


def key_value_table(pairs: Sequence[tuple[str, Any]], *, width: float) -> Table:
    """A two-column summary (label, value) with right-aligned values."""
    table = Table([[k, fmt_cell(v)] for k, v in pairs], colWidths=[width * 0.6, width * 0.4])
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 9.5),
                ("ALIGN", (1, 0), (1, -1), "RIGHT"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def bar_chart(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    width: float,
    title: str = "",
    max_value: float | None = None,
    unit: str = "",
) -> Drawing:
    """A horizontal bar chart with the value printed at each bar (reads without colour)."""
    n = max(len(values), 1)
    bar_h = 14
    height = n * bar_h + 34
    drawing = Drawing(width, height)
    chart = HorizontalBarChart()
    chart.x = 90
    chart.y = 10
    chart.width = width - 140
    chart.height = n * bar_h
    chart.data = [list(values) or [0]]
    chart.categoryAxis.categoryNames = list(labels) or [""]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 8
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max_value or (max(values) * 1.1 if values and max(values) else 1)
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7
    chart.bars[0].fillColor = colors.HexColor("#44618b")
    chart.bars[0].strokeColor = None
    integral = all(float(v).is_integer() for v in values)
    chart.barLabelFormat = (
        (lambda v: f"{v:,.0f}{unit}") if integral else (lambda v: f"{v:,.1f}{unit}")
    )
    chart.barLabels.fontName = FONT
    chart.barLabels.fontSize = 7
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    drawing.add(chart)
    if title:
        drawing.add(String(0, height - 12, title, fontName=FONT, fontSize=9, fillColor=INK))
    return drawing

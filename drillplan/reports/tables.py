"""Tables, figures and status marks for reports.

Long tables are built as a series of small tables (one ``Table`` of a platypus is
superlinear in its row count); each repeats the header row, rows are zebra-striped,
numbers are right-aligned with thousands separators, and a status is a colour *and* a
symbol with a word, so it still reads on a black-and-white printout.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from drillplan.output import fmt_number
from drillplan.reports.frame import FONT, INK, RULE, styles

HEADER_BG = colors.HexColor("#e9edf2")
ZEBRA = colors.HexColor("#f6f8fa")

# status key -> (colour, symbol, zh, en)
STATUS_MARKS: dict[str, tuple[colors.Color, str, str, str]] = {
    "expired": (colors.HexColor("#b42318"), "■", "已过期", "Expired"),
    "overdue": (colors.HexColor("#b42318"), "■", "已逾期", "Overdue"),
    "critical": (colors.HexColor("#b42318"), "■", "严重", "Critical"),
    "within_30": (colors.HexColor("#c4320a"), "▲", "30天内", "≤30 days"),
    "within_90": (colors.HexColor("#b54708"), "●", "90天内", "≤90 days"),
    "within_180": (colors.HexColor("#667085"), "◆", "180天内", "≤180 days"),
    "warning": (colors.HexColor("#b54708"), "▲", "注意", "Warning"),
    "conflict": (colors.HexColor("#b42318"), "▲", "冲突", "Conflict"),
    "ok": (colors.HexColor("#027a48"), "○", "正常", "OK"),
}


def fmt_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal | float | int) and not isinstance(value, bool):
        return fmt_number(value)
    return str(value)


def status_text(status: str, lang: str = "zh") -> str:
    mark = STATUS_MARKS.get(status)
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


def data_table(
    columns: Sequence[Col],
    rows: Iterable[Sequence[Any]],
    *,
    width: float,
    lang: str = "zh",
    chunk: int = 40,
    font_size: float = 8,
) -> list[Flowable]:
    """The rows as a series of tables of ``chunk`` rows, each with the header repeated."""
    st = styles()["cell"]
    total = sum(c.width for c in columns)
    widths = [width * c.width / total for c in columns]
    header = [c.title for c in columns]
    out: list[Flowable] = []
    batch: list[list[Any]] = []
    batch_status: list[list[tuple[int, str]]] = []

    def flush() -> None:
        if not batch:
            return
        table = Table([header, *batch], colWidths=widths, repeatRows=1)
        cmds: list[tuple[Any, ...]] = [
            ("FONT", (0, 0), (-1, -1), FONT, font_size),
            ("TEXTCOLOR", (0, 0), (-1, -1), INK),
            ("BACKGROUND", (0, 0), (-1, 0), HEADER_BG),
            ("LINEBELOW", (0, 0), (-1, 0), 0.6, RULE),
            ("LINEBELOW", (0, -1), (-1, -1), 0.4, RULE),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ]
        for i, col in enumerate(columns):
            if col.align != "LEFT":
                cmds.append(("ALIGN", (i, 0), (i, -1), col.align))
        for r in range(2, len(batch) + 1, 2):
            cmds.append(("BACKGROUND", (0, r), (-1, r), ZEBRA))
        for r, marks in enumerate(batch_status, start=1):
            for c, key in marks:
                mark = STATUS_MARKS.get(key)
                if mark:
                    cmds.append(("TEXTCOLOR", (c, r), (c, r), mark[0]))
        table.setStyle(TableStyle(cmds))
        out.append(table)
        batch.clear()
        batch_status.clear()

    for row in rows:
        cells: list[Any] = []
        marks: list[tuple[int, str]] = []
        for i, (col, value) in enumerate(zip(columns, row, strict=True)):
            if col.status:
                marks.append((i, str(value)))
                cells.append(status_text(str(value), lang))
            elif col.decimals is not None:
                cells.append(fmt_number(value, col.decimals))
            elif col.wrap:
                cells.append(Paragraph(fmt_cell(value), st))
            else:
                cells.append(fmt_cell(value))
        batch.append(cells)
        batch_status.append(marks)
        if len(batch) >= chunk:
            flush()
    flush()
    return out


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

"""Tables, figures and status marks for reports.

Column widths are measured from the content (each column gets at least its longest
unbreakable run and, room permitting, its longest line); a cell or header that does not fit
its column wraps (:class:`~drillplan.reports.frame.Para`, Chinese line-breaking rules), so
nothing prints over its neighbour. Long tables are built as a series of small tables (one
``Table`` of a platypus is superlinear in its row count); each repeats the header row and a
later page's part is captioned 续表; rows are zebra-striped, numbers are right-aligned with
thousands separators, and a status is a colour *and* a symbol with a word, so it still reads
on a black-and-white printout.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from typing import Any

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, FrameBreak, Table, TableStyle

from drillplan.reports.cells import CellTexts, Col, cell_texts, fmt_cell, status_mark
from drillplan.reports.fast_table import FastTable
from drillplan.reports.frame import (
    INK,
    MUTED,
    RULE,
    Para,
    current_fonts,
    fit_text,
    styles,
    text_width,
)
from drillplan.reports.linebreak import runs

HEADER_BG = colors.HexColor("#e9edf2")
ZEBRA = colors.HexColor("#f6f8fa")


PAD = 3.0  # left and right cell padding (points)
MAX_RUN_SHARE = 0.25  # an unbreakable run wider than this share of the table is cut
SMALL_COLUMN = 0.12  # a column whose longest run is narrower than this share is never cut


def allocate(minimum: Sequence[float], natural: Sequence[float], width: float) -> list[float]:
    """Column widths summing to ``width``: every column at least its minimum (its longest
    unbreakable run), the room left shared in proportion to what each still wants (its
    longest line); when everything fits, the slack goes to the columns in proportion."""
    natural = [max(n, m) for n, m in zip(natural, minimum, strict=True)]
    total_min, total_nat = sum(minimum), sum(natural)
    if total_nat <= width:
        extra = width - total_nat
        return (
            [n + extra * n / total_nat for n in natural]
            if total_nat
            else [width / len(natural)] * len(natural)
        )
    if total_min >= width:  # too many long runs: the small columns (dates, numbers) keep
        small = [m <= width * SMALL_COLUMN for m in minimum]  # theirs, the long runs are cut
        kept = sum(m for m, keep in zip(minimum, small, strict=True) if keep)
        rest = total_min - kept
        if rest > 0 and width - kept > rest * 0.25:
            scale = (width - kept) / rest
            return [m if keep else m * scale for m, keep in zip(minimum, small, strict=True)]
        return [m * width / total_min for m in minimum]
    want = [n - m for n, m in zip(natural, minimum, strict=True)]
    room = width - total_min
    return [m + room * w / sum(want) for m, w in zip(minimum, want, strict=True)]


def _longest_run(text: str, font: str, size: float) -> float:
    if text.isascii() and " " not in text:  # a number, a date, a code: one run
        return text_width(text, font, size)
    return _longest_run_1000(text, font) * size


@functools.lru_cache(maxsize=20_000)
def _longest_run_1000(text: str, font: str) -> float:
    return max((text_width(r, font, 1) for r in runs(text) if not r.isspace()), default=0.0)


_ALIGN = {"LEFT": TA_LEFT, "RIGHT": TA_RIGHT, "CENTER": TA_CENTER}


def _cell_style(font: str, size: float, align: str, bold_font: str | None = None) -> ParagraphStyle:
    return ParagraphStyle(
        f"cell-{font}-{size}-{align}",
        parent=styles()["cell"],
        fontName=bold_font or font,
        fontSize=size,
        leading=size * 1.3,
        alignment=_ALIGN.get(align, TA_LEFT),
    )


def column_widths(
    header: Sequence[str],
    texts: Sequence[Sequence[str]],
    *,
    width: float,
    font: str,
    size: float,
    whole: Sequence[bool] | None = None,
) -> list[float]:
    """Each column's width from its content: at least its longest unbreakable run (capped at
    :data:`MAX_RUN_SHARE` of the table), as much of its longest line as there is room for;
    a ``whole`` column (a status, a number, a date) at least its longest line."""
    n = len(header)
    minimum = [_longest_run(h, font, size) + 2 * PAD for h in header]
    natural = [text_width(h, font, size) + 2 * PAD for h in header]
    body = [0.0] * n  # the longest body line (a header may wrap, a number may not)
    for row in texts:
        for c in range(n):
            w = text_width(row[c], font, size) + 2 * PAD
            if w > body[c]:
                body[c] = w
            if w > natural[c]:
                natural[c] = w
            if w > minimum[c]:  # only a wider cell can hold a wider run
                minimum[c] = max(minimum[c], _longest_run(row[c], font, size) + 2 * PAD)
    cap = width * MAX_RUN_SHARE
    for c, keep in enumerate(whole or []):
        if keep:
            minimum[c] = max(minimum[c], min(body[c], width * SMALL_COLUMN))
    return allocate([min(m, cap) for m in minimum], natural, width)


def measured_cells(
    header: Sequence[str],
    texts: Sequence[Sequence[str]],
    aligns: Sequence[str],
    *,
    width: float,
    font: str,
    size: float,
    fixed: Sequence[float] | None = None,
    whole: Sequence[bool] | None = None,
) -> tuple[list[float], list[Any], list[list[Any]], bool]:
    """Measure the columns (unless ``fixed`` widths are given), then make every cell that
    does not fit its column a wrapping paragraph: (widths, header cells, body cells, whether
    every body row is one line)."""
    if fixed is None:
        widths = column_widths(header, texts, width=width, font=font, size=size, whole=whole)
    else:
        widths = list(fixed)
    n = len(header)
    widths_of = [[text_width(t, font, size) + 2 * PAD for t in row] for row in texts]
    fuzz = 0.01
    styles_by_col = [_cell_style(font, size, a) for a in aligns]
    head = [
        Para(h, styles_by_col[c]) if natural_w > widths[c] + fuzz else h
        for c, (h, natural_w) in enumerate(
            zip(header, [text_width(h, font, size) + 2 * PAD for h in header], strict=True)
        )
    ]
    uniform = True
    body: list[list[Any]] = []
    for row, ws in zip(texts, widths_of, strict=True):
        cells: list[Any] = list(row)
        for c in range(n):
            if ws[c] > widths[c] + fuzz:
                cells[c] = Para(row[c], styles_by_col[c])
                uniform = False
        body.append(cells)
    return widths, head, body, uniform


_HEIGHTS: dict[tuple[object, ...], dict[str, float]] = {}
# style commands that set a property of each cell of their range (the others draw)
_CELL_OPS = frozenset(
    {"FONT", "FONTNAME", "FACE", "SIZE", "FONTSIZE", "LEADING", "TEXTCOLOR", "ALIGN",
     "ALIGNMENT", "VALIGN", "LEFTPADDING", "RIGHTPADDING", "TOPPADDING", "BOTTOMPADDING"}
)  # fmt: skip


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
        caption: str = "续表",
        continued: bool = False,
    ) -> None:
        super().__init__()
        self.header, self.rows, self.statuses = header, rows, statuses
        self.widths, self.style, self.page_rows = widths, style, page_rows
        self.uniform = uniform  # no wrapping cells: every body row has the same height
        self.caption, self.continued = caption, continued  # 续表 above a later page's part
        self.caption_h = 12.0 if continued else 0.0
        # measured row heights, shared by every table of the same widths, style and header
        key = (tuple(widths), tuple(map(repr, style)), tuple(map(_plain, header)))
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
        shared = self._shared_styles(n) if self.uniform else None
        # a row taller than a page (many long names) may split inside the row
        table = FastTable(
            [self.header, *self.rows[:n]],
            colWidths=self.widths,
            repeatRows=1,
            splitInRow=0 if self.uniform else 24,
            cellStyles=shared[0] if shared else None,
        )
        if shared:
            table.setStyle(TableStyle(shared[1]))
            return table
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

    def _shared_styles(self, n: int) -> tuple[list[list[Any]], list[tuple[Any, ...]]] | None:
        """The cell styles of a table of ``n`` rows made once per column rather than once per
        cell (ReportLab applies each style command to every cell of its range: ~2,000 per
        page), and the style commands that are not about cells; None when a cell command
        is not for the header row, the body rows or both (then ReportLab applies them).

        Cells of a column share one style object: safe only when no row is split inside
        itself (ReportLab then changes a cell's vertical alignment), that is, ``uniform``."""
        cell_cmds = [c for c in self.style if c[0] in _CELL_OPS]
        for _, (_, first), (_, last), *_ in cell_cmds:
            if (first, last) not in ((0, 0), (0, -1), (1, -1)):
                return None
        probe = Table([self.header, self.rows[0]], style=TableStyle(cell_cmds))
        head, body = probe._cellStyles
        coloured: dict[tuple[int, str], Any] = {}
        grid = [head]
        for marks in self.statuses[:n]:
            row = list(body)
            for c, key in marks.items():
                cell = coloured.get((c, key))
                if cell is None:
                    cell = body[c]
                    if (mark := status_mark(key)) is not None:
                        cell = body[c].copy()
                        cell.color = mark[0]
                    coloured[(c, key)] = cell
                row[c] = cell
            grid.append(row)
        return grid, [c for c in self.style if c[0] not in _CELL_OPS]

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
            self.caption,
            continued=True,
        )

    def _part(self, table: Table) -> Flowable:
        return _Captioned(table, self.caption) if self.continued else table

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        room = avail_height - self.caption_h
        if self.uniform:
            header, row = self._row_heights(avail_width)
            height = header + row * len(self.rows)
            if height <= room:
                self._table = self._make(len(self.rows))
                w, h = self._table.wrap(avail_width, room)
                return w, h + self.caption_h
            self._table = None
            return sum(self.widths), height + self.caption_h
        if len(self.rows) <= self.page_rows:
            self._table = self._make(len(self.rows))
            w, h = self._table.wrap(avail_width, room)
            return w, h + self.caption_h
        self._table = None
        return sum(self.widths), avail_height + 1  # more than a page: ask to be split

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        room = avail_height - self.caption_h
        if self.uniform:
            header, row = self._row_heights(avail_width)
            fit = min(int((room - header) // row), len(self.rows))
            if fit < 1:
                return []  # not even the header and one row fit here: next page
            head = self._part(self._make(fit))
            return [head] if fit == len(self.rows) else [head, self._rest(fit)]
        n = min(len(self.rows), self.page_rows)
        parts = self._make(n).split(avail_width, room)
        if not parts:
            return []  # not even the header and one row fit here: next page
        head = self._part(parts[0])
        if len(parts) == 1:
            return [head, self._rest(n)] if n < len(self.rows) else [head]
        # the rows ReportLab carried over (with the lower half of a row split inside itself),
        # then the rows after them: one continued table, captioned once at the next page's top
        carried = [list(r) for r in parts[1]._cellvalues[1:]]
        k = len(carried)
        rest = PagedTable(
            self.header,
            carried + self.rows[n:],
            self.statuses[n - k :],
            self.widths,
            self.style,
            self.page_rows,
            self.uniform,
            self.heights,
            self.caption,
            continued=True,
        )
        # this page holds what fits; the rest starts the next page (not again lower down here)
        return [head, FrameBreak(), rest]

    def draw(self) -> None:
        assert self._table is not None
        self._table.drawOn(self.canv, 0, 0)
        if self.continued:
            _draw_caption(self.canv, self.caption, self._table._height)


def _plain(cell: Any) -> str:
    return cell.plain if isinstance(cell, Para) and cell.plain is not None else str(cell)


def _draw_caption(canv: Any, caption: str, y: float) -> None:
    canv.saveState()
    canv.setFont(current_fonts().table, 8)
    canv.setFillColor(MUTED)
    canv.drawString(0, y + 3, caption)
    canv.restoreState()


class _Captioned(Flowable):
    """A later page's part of a long table, with 续表 above its repeated header."""

    def __init__(self, table: Table, caption: str) -> None:
        super().__init__()
        self.table, self.caption = table, caption

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        w, h = self.table.wrap(avail_width, avail_height - 12)
        return w, h + 12

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        parts = self.table.split(avail_width, avail_height - 12)
        return [_Captioned(p, self.caption) for p in parts]

    def draw(self) -> None:
        self.table.drawOn(self.canv, 0, 0)
        _draw_caption(self.canv, self.caption, self.table._height)


def table_widths(
    columns: Sequence[Col],
    rows: Iterable[Sequence[Any]] | CellTexts,
    *,
    width: float,
    lang: str = "zh",
    font_size: float = 8,
) -> list[float]:
    """The column widths ``data_table`` would measure for all of ``rows`` (to line up a
    series of tables that share their columns)."""
    texts = (rows if isinstance(rows, CellTexts) else cell_texts(columns, rows, lang)).texts
    header = [c.title for c in columns]
    font = current_fonts().table
    return column_widths(
        header, texts, width=width, font=font, size=font_size, whole=_whole(columns)
    )


def _whole(columns: Sequence[Col]) -> list[bool]:
    """Statuses, numbers and dates (right or centre aligned) are not broken if it can help."""
    return [c.status or c.align != "LEFT" or c.decimals is not None for c in columns]


def data_table(
    columns: Sequence[Col],
    rows: Iterable[Sequence[Any]] | CellTexts,
    *,
    width: float,
    lang: str = "zh",
    font_size: float = 8,
    page_rows: int = 60,
    empty: bool = False,
    widths: Sequence[float] | None = None,
) -> list[Flowable]:
    """The rows as one table laid out page by page (see ``PagedTable``), the columns measured
    from their content (or ``widths`` from :func:`table_widths`, so that a series of tables
    lines up); ``empty=True`` prints the header even when there are no rows."""
    font = current_fonts().table
    style: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), font, font_size),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_BG),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, RULE),
        ("LINEBELOW", (0, -1), (-1, -1), 0.4, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, ZEBRA]),
    ]
    style += [
        ("ALIGN", (i, 0), (i, -1), c.align) for i, c in enumerate(columns) if c.align != "LEFT"
    ]
    cells = rows if isinstance(rows, CellTexts) else cell_texts(columns, rows, lang)
    texts, statuses = cells.texts, cells.statuses
    if not texts and not empty:
        return []
    header = [c.title for c in columns]
    widths, head, body, uniform = measured_cells(
        header,
        texts,
        [c.align for c in columns],
        width=width,
        font=font,
        size=font_size,
        fixed=widths,
        whole=_whole(columns),
    )
    style.append(("VALIGN", (0, 0), (-1, 0), "MIDDLE"))
    if not uniform:  # rows of different heights: every cell starts at the top of its row
        style.append(("VALIGN", (0, 1), (-1, -1), "TOP"))
    if not body:
        table = Table([head], colWidths=widths)
        table.setStyle(TableStyle(style))
        return [table]
    caption = "续表" if lang == "zh" else "(continued)"
    return [PagedTable(head, body, statuses, widths, style, page_rows, uniform, caption=caption)]


def key_value_table(
    pairs: Sequence[tuple[str, Any]], *, width: float, numbers: bool = True
) -> Table:
    """A two-column summary (label, value): the label column as wide as the longest label,
    the values wrapping in the rest (right-aligned when ``numbers``)."""
    font = current_fonts().table
    size = 9.5
    labels = [str(k) for k, _ in pairs]
    values = [fmt_cell(v) for _, v in pairs]
    label_w = min(max(text_width(k, font, size) for k in labels) + 4 * PAD, width * 0.4)
    value_w = width - label_w
    align = "RIGHT" if numbers else "LEFT"
    label_style = _cell_style(font, size, "LEFT")
    value_style = _cell_style(font, size, align)
    data = [
        [
            Para(k, label_style) if text_width(k, font, size) + 2 * PAD > label_w else k,
            Para(v, value_style) if text_width(v, font, size) + 2 * PAD > value_w else v,
        ]
        for k, v in zip(labels, values, strict=True)
    ]
    table = Table(data, colWidths=[label_w, value_w])
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), font, size),
                ("ALIGN", (1, 0), (1, -1), align),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LEFTPADDING", (0, 0), (-1, -1), PAD),
                ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
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
    height = n * bar_h + 40  # room for the value axis's labels below the bars
    drawing = Drawing(width, height)
    font = current_fonts().table
    drawing.initialFontName = font  # no unembedded Helvetica behind the chart
    chart = HorizontalBarChart()
    # the labels' column as wide as the longest label (at most a third of the width); a
    # longer label is cut with … (the tables print it in full)
    room = min(max((text_width(str(x), font, 8) for x in labels), default=0) + 8, width / 3)
    labels = [fit_text(str(x), font, 8, room - 8) for x in labels]
    chart.x = max(room, 40)
    chart.y = 16
    chart.width = width - chart.x - 50
    chart.height = n * bar_h
    chart.data = [list(values) or [0]]
    chart.categoryAxis.categoryNames = list(labels) or [""]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 8
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max_value or (max(values) * 1.1 if values and max(values) else 1)
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7
    chart.bars[0].fillColor = colors.HexColor("#44618b")
    chart.bars[0].strokeColor = None
    integral = all(float(v).is_integer() for v in values)
    chart.barLabelFormat = (
        (lambda v: f"{v:,.0f}{unit}") if integral else (lambda v: f"{v:,.1f}{unit}")
    )
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = 7
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    drawing.add(chart)
    if title:
        shown = fit_text(title, font, 9, width)
        drawing.add(String(0, height - 12, shown, fontName=font, fontSize=9, fillColor=INK))
    return drawing

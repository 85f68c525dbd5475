"""The yearly statistics as an Excel workbook in a fixed layout (openpyxl, imported here only).

One sheet per section of :func:`drillplan.statistics.tables.sections`, in that order. On every
sheet: row 1 the title (``{year} 年度统计 — {section}``), row 2 the issuing unit and the
year-end date, row 3 the column headers, data from row 4, then the 合计 row(s) (the reserves
have one per unit of measure). Numbers are numeric cells; quantities keep 3 decimals at most,
values 2.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from drillplan.kernel.atomic import atomic_path
from drillplan.statistics.annual import AnnualStatistics
from drillplan.statistics.tables import MONEY, NUMBER, QUANTITY, TEXT, Section, sections

HEADER_ROW = 3
FIRST_DATA_ROW = 4
FORMATS = {NUMBER: "0", QUANTITY: "#,##0.###", MONEY: "#,##0.00", TEXT: "@"}


def sheet_title(section: Section, lang: str) -> str:
    return section.title(lang)[:31]


def _cell(value: Any) -> Any:
    if isinstance(value, Decimal):
        return value  # openpyxl writes a Decimal as a number
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def write_workbook(
    stats: AnnualStatistics, path: Path, *, unit_name: str = "", lang: str | None = None
) -> Path:
    """Write ``stats`` to ``path`` (.xlsx), whole or not at all."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    lang = lang or stats.lang
    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="E8ECF1")
    heading = "年度统计" if lang == "zh" else "Annual statistics"
    as_of = "统计截止日期" if lang == "zh" else "As of"
    for section in sections(stats, lang):
        ws = book.create_sheet(sheet_title(section, lang))
        ws.cell(1, 1, f"{stats.year} {heading} — {section.title(lang)}").font = Font(
            bold=True, size=13
        )
        ws.cell(2, 1, f"{unit_name}  {as_of}: {stats.year_end.isoformat()}".strip())
        for j, col in enumerate(section.columns, start=1):
            c = ws.cell(HEADER_ROW, j, col.title(lang))
            c.font, c.fill = bold, fill
            c.alignment = Alignment(wrap_text=True, vertical="center")
            width = 26 if col.kind == TEXT else 14
            ws.column_dimensions[c.column_letter].width = width
        row_no = FIRST_DATA_ROW
        for rows, is_total in ((section.rows, False), (section.totals, True)):
            for row in rows:
                for j, (value, col) in enumerate(zip(row, section.columns, strict=True), 1):
                    c = ws.cell(row_no, j, _cell(value))
                    if isinstance(c.value, str):
                        c.data_type = "s"  # a name starting with = stays text, never a formula
                    if col.kind != TEXT and not isinstance(value, str):
                        c.number_format = FORMATS[col.kind]
                    if is_total:
                        c.font = bold
                row_no += 1
        ws.freeze_panes = ws.cell(FIRST_DATA_ROW, 1)
    with atomic_path(path) as temp:
        book.save(temp)
    return Path(path)

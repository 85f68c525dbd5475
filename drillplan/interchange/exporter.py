"""Writing a register to .xlsx (openpyxl, write-only: constant memory) or .csv.

Chinese headers, real date and number cells, the header row frozen, column widths set and
filters on. Text that starts with ``=`` is written as text, never as a formula.
"""

from __future__ import annotations

import contextlib
import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from sqlalchemy.orm import Session

from drillplan.interchange.kinds import Kind, get_kind
from drillplan.interchange.registry import handler_for
from drillplan.interchange.spec import Column, T
from drillplan.kernel.formatting import date_text
from drillplan.kernel.vocab import label

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
HEADER_FONT = Font(bold=True)
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
LIST_JOIN = "、"


@dataclass(frozen=True)
class ExportResult:
    path: Path
    kind: str
    rows: int


def cell_value(col: Column, value: object) -> object:
    """The value written to a cell: labels for vocabularies, 是/否, lists joined by 、."""
    if value is None:
        return None
    if col.type == T.ENUM:
        return label(col.enum(str(value)) if col.enum else str(value), "zh")
    if col.type == T.BOOL:
        return "是" if value else "否"
    if col.type in (T.LIST, T.REFS):
        return LIST_JOIN.join(str(v) for v in value) or None  # type: ignore[attr-defined]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def header_cells(ws: WriteOnlyWorksheet, kind: Kind) -> list[WriteOnlyCell]:
    cells = []
    for col in kind.columns:
        cell = WriteOnlyCell(ws, col.zh)
        cell.font = HEADER_FONT
        cell.fill = REQUIRED_FILL if col.required else HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cells.append(cell)
    return cells


def _number_format(col: Column) -> str | None:
    if col.type == T.DECIMAL and col.decimals == 2:
        return "#,##0.00"
    if col.type == T.DATETIME:
        return DATETIME_FORMAT
    return None


def write_xlsx(kind: Kind, rows: Iterable[dict[str, object]], dest: Path) -> int:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(kind.sheet_name)
    n_cols = len(kind.columns)
    ws.freeze_panes = "A2"
    for i, col in enumerate(kind.columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = col.width
    formats = [_number_format(c) for c in kind.columns]
    ws.append(header_cells(ws, kind))
    count = 0
    for row in rows:
        out: list[object] = []
        for col, fmt in zip(kind.columns, formats, strict=True):
            value = cell_value(col, row.get(col.key))
            formula_like = isinstance(value, str) and value.startswith("=")
            if (fmt is not None and value is not None) or formula_like:
                cell = WriteOnlyCell(ws, value)
                if isinstance(value, str):
                    cell.data_type = "s"
                elif fmt is not None:
                    cell.number_format = fmt
                value = cell
            out.append(value)
        ws.append(out)
        count += 1
    ws.auto_filter.ref = f"A1:{get_column_letter(n_cols)}{count + 1}"
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        wb.save(dest)
    except BaseException:
        with contextlib.suppress(Exception):  # the save's own error is the one to report
            ws.close()  # finish the sheet's row writer now, or it complains when collected
        raise
    return count


def _csv_text(col: Column, value: object) -> str:
    value = cell_value(col, value)
    if value is None:
        return ""
    if (when := date_text(value)) is not None:
        return when
    return str(value)


def write_csv(kind: Kind, rows: Iterable[dict[str, object]], dest: Path) -> int:
    """UTF-8 with a byte-order mark, so Excel opens the Chinese text correctly."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with dest.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([c.zh for c in kind.columns])
        for row in rows:
            writer.writerow([_csv_text(c, row.get(c.key)) for c in kind.columns])
            count += 1
    return count


def export_rows(session: Session, kind: Kind | str) -> Iterator[dict[str, object]]:
    """The register as rows of column key -> value (the import's own types)."""
    kind = get_kind(kind) if isinstance(kind, str) else kind
    return handler_for(kind.name).export_rows(session)


def export_file(session: Session, kind: Kind | str, dest: Path | str) -> ExportResult:
    """Write the register ``kind`` to ``dest`` (.xlsx, or .csv)."""
    kind = get_kind(kind) if isinstance(kind, str) else kind
    dest = Path(dest)
    rows = export_rows(session, kind)
    writer = write_csv if dest.suffix.lower() == ".csv" else write_xlsx
    return ExportResult(dest, kind.name, writer(kind, rows, dest))

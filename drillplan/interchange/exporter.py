"""Writing a register to .xlsx (openpyxl, write-only: constant memory) or .csv.

Chinese headers, real date and number cells, the header row frozen, column widths set and
filters on. Text that starts with ``=`` is written as text, never as a formula. The file is
written whole or not at all (:func:`drillplan.kernel.atomic.atomic_write`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from sqlalchemy.orm import Session

from drillplan.interchange import extras
from drillplan.interchange.kinds import Kind, get_kind
from drillplan.interchange.registry import handler_for
from drillplan.interchange.spec import Column, T
from drillplan.interchange.stale import with_stamps
from drillplan.kernel.atomic import atomic_write
from drillplan.kernel.cells import csv_text
from drillplan.kernel.formatting import date_text
from drillplan.kernel.vocab import label

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
EXTRA_FILL = PatternFill("solid", fgColor="EDEDED")  # the office's own columns
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


def header_cells(
    ws: WriteOnlyWorksheet, kind: Kind, kept: Sequence[str] = ()
) -> list[WriteOnlyCell]:
    cells = []
    named = [(col.zh, REQUIRED_FILL if col.required else HEADER_FILL) for col in kind.columns]
    for text, fill in named + [(h, EXTRA_FILL) for h in kept]:
        cell = WriteOnlyCell(ws, text)
        cell.font = HEADER_FONT
        cell.fill = fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cells.append(cell)
    return cells


def _kept(row: dict[str, object], kept: Sequence[str]) -> list[str | None]:
    cells: Any = row.get(extras.EXTRA) or {}
    return [cells.get(h) for h in kept]


def _number_format(col: Column) -> str | None:
    if col.type == T.DECIMAL and col.decimals == 2:
        return "#,##0.00"
    if col.type == T.DATETIME:
        return DATETIME_FORMAT
    return None


def write_xlsx(
    kind: Kind, rows: Iterable[dict[str, object]], dest: Path, kept: Sequence[str] = ()
) -> int:
    """``kept``: the headers of the office's own columns, written after the register's."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(kind.sheet_name)
    n_cols = len(kind.columns) + len(kept)
    ws.freeze_panes = "A2"
    widths = [col.width for col in kind.columns] + [max(10, 2 * len(h) + 2) for h in kept]
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    formats = [_number_format(c) for c in kind.columns]
    ws.append(header_cells(ws, kind, kept))
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
        for text in _kept(row, kept) if kept else ():
            cell = WriteOnlyCell(ws, text)
            cell.data_type = "s"  # kept as the office typed it, never a formula
            out.append(cell if text is not None else None)
        ws.append(out)
        count += 1
    ws.auto_filter.ref = f"A1:{get_column_letter(n_cols)}{count + 1}"
    save_workbook(wb, dest)
    return count


def save_workbook(wb: Workbook, dest: Path) -> None:
    """Save ``wb`` to ``dest`` whole or not at all. The zip is assembled in memory (its size is
    the file's), then written: openpyxl leaves its zip open when writing fails, and that zip
    would later try to finish itself in a closed file."""
    buffer = io.BytesIO()
    wb.save(buffer)
    with atomic_write(dest, "wb") as fh:
        fh.write(buffer.getbuffer())


def _csv_text(col: Column, value: object) -> str:
    """A CSV cell: as the xlsx cell would show it, and a text that a spreadsheet would run as
    a formula neutralised (``'`` in front; the importer takes it off again)."""
    value = cell_value(col, value)
    if value is None:
        return ""
    if (when := date_text(value)) is not None:
        return when
    return csv_text(value)


def write_csv(
    kind: Kind, rows: Iterable[dict[str, object]], dest: Path, kept: Sequence[str] = ()
) -> int:
    """UTF-8 with a byte-order mark, so Excel opens the Chinese text correctly."""
    count = 0
    with atomic_write(dest, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([c.zh for c in kind.columns] + list(kept))
        for row in rows:
            own = [csv_text(t) if t is not None else "" for t in _kept(row, kept)]
            writer.writerow([_csv_text(c, row.get(c.key)) for c in kind.columns] + own)
            count += 1
    return count


def export_rows(session: Session, kind: Kind | str) -> Iterator[dict[str, object]]:
    """The register as rows of column key -> value (the import's own types)."""
    kind = get_kind(kind) if isinstance(kind, str) else kind
    return handler_for(kind.name).export_rows(session)


def export_file(session: Session, kind: Kind | str, dest: Path | str) -> ExportResult:
    """Write the register ``kind`` to ``dest`` (.xlsx, or .csv), with each row's 记录版本
    where the register has one (:mod:`drillplan.interchange.stale`)."""
    kind = get_kind(kind) if isinstance(kind, str) else kind
    dest = Path(dest)
    rows = with_stamps(session, kind, export_rows(session, kind))
    kept, cells = extras.stored(session, kind)
    if kept:
        rows = extras.attach(kind, rows, cells)
    writer = write_csv if dest.suffix.lower() == ".csv" else write_xlsx
    return ExportResult(dest, kind.name, writer(kind, rows, dest, kept))

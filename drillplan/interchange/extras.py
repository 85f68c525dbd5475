"""The office's own columns: a column of an imported sheet that the register does not know
(备注, 责任人, 所属片区 ...) is data the office keeps there, so the import keeps it.

Each non-blank cell of such a column is stored with its row (:class:`ImportExtra`: the
register, the row's natural key as the export writes it, the header) in the import's own
transaction; a blank cell removes what an earlier import kept under that header; a column the
file does not have leaves what is stored alone. The export writes the kept columns again after
the register's own, under the same headers, so the sheet goes round the office and back
unchanged. A row-number column (序号, 行号, No.) is the sheet's, not the row's: it is ignored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from drillplan.db.models import ImportExtra
from drillplan.interchange.context import Context, Record
from drillplan.interchange.spec import Kind, T, header_key
from drillplan.interchange.values import MAX_CELL, is_blank

#: where an exported row carries its kept cells (header -> text)
EXTRA = "__extra__"
SEPARATOR = "\x1f"
HEADER_MAX, KEY_MAX = 100, 400
ROW_NUMBER_HEADERS = frozenset(header_key(h) for h in ("序号", "行号", "编号序", "No.", "No", "#"))
_CHUNK = 500


def is_row_number(header: str) -> bool:
    return header_key(header) in ROW_NUMBER_HEADERS


def cell_text(raw: object) -> str | None:
    """A kept cell as text, the way the sheet showed it (None for a blank cell)."""
    if is_blank(raw):
        return None
    if isinstance(raw, dt.datetime):
        if raw.time() == dt.time(0):
            return raw.date().isoformat()
        return raw.strftime("%Y-%m-%d %H:%M")
    if isinstance(raw, dt.date):
        return raw.isoformat()
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw).strip()[:MAX_CELL]


def _part(value: object) -> str:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def _join(parts: Sequence[object]) -> str | None:
    if any(p is None for p in parts):
        return None
    key = SEPARATOR.join(_part(p) for p in parts)
    return key if len(key) <= KEY_MAX else None


def export_key(kind: Kind, row: dict[str, object]) -> str | None:
    """The natural key of an exported row (references are written as codes)."""
    return _join([row.get(k) for k in kind.key])


def import_key(ctx: Context, rec: Record, codes: dict[str, dict[object, str]]) -> str | None:
    """The natural key of an imported row in the export's words: a reference by its code,
    however the file named it."""
    parts: list[object] = []
    for key in ctx.kind.key:
        col = ctx.kind.column(key)
        if col.type == T.REF and col.ref:
            if col.ref not in codes:
                by_code = ctx.refs.index(col.ref).by_code
                codes[col.ref] = {target: code for code, target in by_code.items()}
            parts.append(codes[col.ref].get(rec.resolved.get(key)))
        else:
            parts.append(rec.values.get(key))
    return _join(parts)


def kept_columns(header: Sequence[object], extras: Iterable[int]) -> list[tuple[int, str]]:
    """(index, header) of the columns to keep among the ones no register column took."""
    kept: dict[str, int] = {}
    for i in extras:
        name = str(header[i]).strip()[:HEADER_MAX]
        if name and not is_row_number(name):
            kept.setdefault(name, i)  # a header twice: the first column counts
    return [(i, name) for name, i in kept.items()]


def read_cells(rec: Record, row: Sequence[object], columns: list[tuple[int, str]]) -> None:
    width = len(row)
    rec.extras = {name: cell_text(row[i] if i < width else None) for i, name in columns}


def keep(ctx: Context, records: list[Record], columns: list[tuple[int, str]]) -> int:
    """Store the kept cells of every written row (inside the import's transaction); the
    number of rows that have one."""
    if not columns:
        return 0
    codes: dict[str, dict[object, str]] = {}
    keyed = [(import_key(ctx, rec, codes), rec) for rec in records]
    keys = [k for k, _ in keyed if k is not None]
    session, table = ctx.session, ImportExtra.__table__
    headers = [name for _, name in columns]
    for start in range(0, len(keys), _CHUNK):
        session.execute(
            delete(table).where(
                table.c.kind == ctx.kind.name,
                table.c.header.in_(headers),
                table.c.row_key.in_(keys[start : start + _CHUNK]),
            )
        )
    position = {name: i for i, name in columns}
    rows = [
        {"kind": ctx.kind.name, "row_key": key, "header": name, "value": text,
         "position": position[name]}
        for key, rec in keyed if key is not None
        for name, text in (rec.extras or {}).items() if text is not None
    ]  # fmt: skip
    if rows:
        session.execute(insert(table), rows)
    return len({r["row_key"] for r in rows})


def stored(session: Session, kind: Kind) -> tuple[list[str], dict[str, dict[str, str]]]:
    """The kept headers of ``kind`` in column order, and row key -> header -> text."""
    t = ImportExtra
    order: dict[str, int] = {}
    cells: dict[str, dict[str, str]] = {}
    for key, header, value, position in session.execute(
        select(t.row_key, t.header, t.value, t.position).where(t.kind == kind.name)
    ):
        order[header] = min(order.get(header, position), position)
        cells.setdefault(key, {})[header] = value
    return sorted(order, key=lambda h: (order[h], h)), cells


def attach(
    kind: Kind, rows: Iterable[dict[str, object]], cells: dict[str, dict[str, str]]
) -> Iterator[dict[str, object]]:
    """The exported rows with their kept cells under :data:`EXTRA`."""
    for row in rows:
        key = export_key(kind, row)
        found = cells.get(key) if key is not None else None
        yield {**row, EXTRA: found} if found else row

"""The portable backup: a zip with a manifest and every table's rows as JSON lines.

It is written from SQLite or PostgreSQL and restores into either. ``manifest.json`` names the
format (``drillplan-backup``), the schema revision, the creation time and each table's row
count; ``tables/NAME.jsonl`` holds a header line (the column names) then one JSON array per
row, parents before children. Loading converts each value by the target column's type, defers
self-references (a unit's parent, a reversal's original) to an UPDATE after the rows exist, and
moves PostgreSQL's id sequences past the loaded ids.
"""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, MetaData, Table, bindparam, func, select, text
from sqlalchemy import types as sqltypes

from drillplan.db import append_only, migrate

FORMAT = "drillplan-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
BATCH = 2_000
SKIPPED = frozenset({"alembic_version"})


class DumpError(Exception):
    """Not a drillplan backup (or a damaged one)."""


def reflect(conn: Connection) -> list[Table]:
    """Every table of the database in foreign-key order (parents first)."""
    meta = MetaData()
    meta.reflect(bind=conn)
    return [t for t in meta.sorted_tables if t.name not in SKIPPED]


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def table_rows(conn: Connection, table: Table) -> Iterator[tuple[Any, ...]]:
    order = list(table.primary_key.columns) or list(table.columns)
    yield from conn.execute(select(table).order_by(*order)).tuples()


def write_dump(engine: Engine, dest: Path) -> dict[str, Any]:
    """Write the portable backup of ``engine``'s database to ``dest``; returns the manifest."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    with (
        engine.connect() as conn,
        zipfile.ZipFile(dest, "w", compression=zipfile.ZIP_DEFLATED) as zf,
    ):
        revision = migrate.current_revision(engine)
        for table in reflect(conn):
            n = 0
            with zf.open(f"tables/{table.name}.jsonl", "w") as fh:
                fh.write(json.dumps([c.name for c in table.columns]).encode() + b"\n")
                for row in table_rows(conn, table):
                    line = json.dumps([_jsonable(v) for v in row], ensure_ascii=False)
                    fh.write(line.encode("utf-8") + b"\n")
                    n += 1
            counts[table.name] = n
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "schema_revision": revision,
            "created_at": dt.datetime.now().isoformat(timespec="seconds"),
            "source": engine.url.get_backend_name(),
            "tables": counts,
        }
        zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
    return manifest


def read_manifest(path: Path) -> dict[str, Any]:
    """The manifest of a portable backup, or :class:`DumpError`."""
    try:
        with zipfile.ZipFile(path) as zf:
            manifest = json.loads(zf.read(MANIFEST))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise DumpError(f"{path.name}: {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise DumpError(f"{path.name}: not a {FORMAT} file")
    return manifest


def _converter(column_type: sqltypes.TypeEngine[Any]) -> Any:
    if isinstance(column_type, sqltypes.DateTime):
        return dt.datetime.fromisoformat
    if isinstance(column_type, sqltypes.Date):
        return dt.date.fromisoformat
    if isinstance(column_type, sqltypes.Numeric) and not isinstance(
        column_type, sqltypes.Float | sqltypes.Integer
    ):
        return Decimal
    if isinstance(column_type, sqltypes.Boolean):
        return bool
    return None


def dump_rows(zf: zipfile.ZipFile, table: Table) -> Iterator[dict[str, Any]]:
    """The rows of ``table`` in a backup, converted to the types of ``table``'s columns."""
    name = f"tables/{table.name}.jsonl"
    if name not in zf.namelist():
        return
    with zf.open(name) as fh:
        columns: list[str] = json.loads(fh.readline())
        known = [c for c in columns if c in table.c]
        convert = {c: _converter(table.c[c].type) for c in known}
        for line in fh:
            raw = dict(zip(columns, json.loads(line), strict=True))
            row = {}
            for c in known:
                value = raw[c]
                fn = convert[c]
                row[c] = fn(value) if fn is not None and value is not None else value
            yield row


def _self_refs(table: Table) -> list[str]:
    return [fk.parent.name for fk in table.foreign_keys if fk.column.table.name == table.name]


def load_rows(conn: Connection, table: Table, rows: Iterable[dict[str, Any]]) -> int:
    """Insert rows in batches; a self-reference to a row not inserted yet is set by an UPDATE
    once every row exists (rows in key order need none: a reversal names an earlier movement,
    and the append-only tables take no UPDATE)."""
    deferred = _self_refs(table)
    pk = [c.name for c in table.primary_key.columns]
    later: list[dict[str, Any]] = []
    batch: list[dict[str, Any]] = []
    seen: set[Any] = set()
    n = 0
    for row in rows:
        if len(pk) == 1:
            seen.add(row.get(pk[0]))
        if deferred and any(row.get(c) is not None and row.get(c) not in seen for c in deferred):
            later.append({f"k_{k}": row[k] for k in pk} | {f"v_{c}": row[c] for c in deferred})
            row = {**row, **dict.fromkeys(deferred)}
        batch.append(row)
        if len(batch) >= BATCH:
            conn.execute(table.insert(), batch)
            n += len(batch)
            batch = []
    if batch:
        conn.execute(table.insert(), batch)
        n += len(batch)
    if later:
        stmt = table.update().values({c: bindparam(f"v_{c}") for c in deferred})
        for k in pk:
            stmt = stmt.where(table.c[k] == bindparam(f"k_{k}"))
        conn.execute(stmt, later)
    return n


def clear(conn: Connection, tables: list[Table]) -> None:
    """Delete every row, children first (self-references cut first); the append-only
    tables too (a restore replaces the whole database: an administrator's act)."""
    with append_only.suspended(conn, append_only.TABLES):
        for table in reversed(tables):
            refs = _self_refs(table)
            if refs:
                conn.execute(table.update().values(dict.fromkeys(refs)))
            conn.execute(table.delete())


def fix_sequences(conn: Connection, tables: list[Table]) -> None:
    """PostgreSQL: move each serial ``id`` sequence past the largest id."""
    if conn.dialect.name != "postgresql":
        return
    for table in tables:
        if "id" not in table.c or list(table.primary_key.columns) != [table.c.id]:
            continue
        seq = conn.scalar(text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": table.name})
        if seq is None:
            continue
        top = conn.scalar(select(func.max(table.c.id)))
        conn.execute(
            text("SELECT setval(:s, :v, :called)"),
            {"s": seq, "v": top or 1, "called": top is not None},
        )


def load_dump(path: Path, conn: Connection) -> dict[str, int]:
    """Load every table of a backup into an empty schema at the backup's revision."""
    tables = reflect(conn)
    counts: dict[str, int] = {}
    with zipfile.ZipFile(path) as zf:
        for table in tables:
            counts[table.name] = load_rows(conn, table, dump_rows(zf, table))
    fix_sequences(conn, tables)
    return counts


def copy_database(source: Engine, target: Engine) -> dict[str, int]:
    """Replace the rows of ``target`` with those of ``source`` (both at the same revision)."""
    counts: dict[str, int] = {}
    with source.connect() as src, target.begin() as dst:
        src_tables = {t.name: t for t in reflect(src)}
        tables = reflect(dst)
        clear(dst, tables)
        for table in tables:
            origin = src_tables.get(table.name)
            if origin is None:
                continue
            names = [c.name for c in origin.columns if c.name in table.c]
            rows = (
                dict(zip(names, row, strict=True))
                for row in src.execute(
                    select(*(origin.c[n] for n in names)).order_by(
                        *(list(origin.primary_key.columns) or list(origin.columns))
                    )
                )
            )
            counts[table.name] = load_rows(dst, table, rows)
        fix_sequences(dst, tables)
    return counts

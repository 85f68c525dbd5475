"""The portable backup: a zip with a manifest and every table's rows as JSON lines.

It is written from SQLite or PostgreSQL and restores into either. ``manifest.json`` names the
format (``drillplan-backup``), the schema revision, the creation time, each table's row count
(``tables``) and, since format version 2, each member's SHA-256 and size (``members``);
``tables/NAME.jsonl`` holds a header line (the column names) then one JSON array per row in
primary-key order, parents before children.

:func:`verify_dump` proves a file before anything is loaded: every member streamed within the
:class:`~drillplan.backup.archive.Limits`, its digest, size and row count equal to the
manifest's, and the tables exactly those of the backup's schema revision. A version 1 file (no
digests) is accepted when everything else verifies (zip CRCs, row counts, the table set).

Loading converts each value by the target column's type and inserts rows in primary-key order,
so a self-reference to an earlier row (a reversal's original, a unit's parent) is inserted as
it is; only a reference to a later row is set by an UPDATE afterwards (never needed for the
append-only ``movement``, whose reversals follow their originals). PostgreSQL's id sequences
are moved past the loaded ids.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zipfile
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, MetaData, Table, bindparam, func, inspect, select, text
from sqlalchemy import types as sqltypes

from drillplan.backup import archive
from drillplan.backup.archive import DEFAULT_LIMITS, Limits
from drillplan.db import migrate
from drillplan.kernel.errors import ValidationError

FORMAT = "drillplan-backup"
FORMAT_VERSION = 2
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


def member_name(table: str) -> str:
    return f"tables/{table}.jsonl"


class _Hashing:
    """A writable member that keeps its SHA-256 and size."""

    def __init__(self, fh: Any) -> None:
        self.fh, self.sha, self.size = fh, hashlib.sha256(), 0

    def write(self, data: bytes) -> None:
        self.fh.write(data)
        self.sha.update(data)
        self.size += len(data)


def _audit_head(conn: Connection) -> dict[str, Any] | None:
    """Where the audit log's hash chain stood: the last entry's position and hash. The
    office can compare it with the chain of the database a backup claims to come from
    (restoring verifies the chain itself)."""
    columns = {c["name"] for c in inspect(conn).get_columns("audit_log")}
    if "entry_hash" not in columns:
        return None  # a schema before the chain (0007)
    row = conn.execute(
        text("SELECT seq, entry_hash FROM audit_log ORDER BY seq DESC LIMIT 1")
    ).first()
    return {"seq": row[0], "entry_hash": row[1]} if row is not None else {"seq": 0}


def write_dump(engine: Engine, dest: Path) -> dict[str, Any]:
    """Write the portable backup of ``engine``'s database to ``dest``; returns the manifest."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    members: dict[str, dict[str, Any]] = {}
    with (
        engine.connect() as conn,
        zipfile.ZipFile(dest, "w", compression=zipfile.ZIP_DEFLATED) as zf,
    ):
        revision = migrate.current_revision(engine)
        for table in reflect(conn):
            n = 0
            name = member_name(table.name)
            with zf.open(name, "w") as raw:
                fh = _Hashing(raw)
                fh.write(json.dumps([c.name for c in table.columns]).encode() + b"\n")
                for row in table_rows(conn, table):
                    line = json.dumps([_jsonable(v) for v in row], ensure_ascii=False)
                    fh.write(line.encode("utf-8") + b"\n")
                    n += 1
            counts[table.name] = n
            members[name] = {"sha256": fh.sha.hexdigest(), "bytes": fh.size}
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "schema_revision": revision,
            "created_at": dt.datetime.now().isoformat(timespec="seconds"),
            "source": engine.url.get_backend_name(),
            "tables": counts,
            "members": members,
            "audit_head": _audit_head(conn),
        }
        zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
    return manifest


def read_manifest(path: Path, limits: Limits = DEFAULT_LIMITS) -> dict[str, Any]:
    """The manifest of a portable backup, or :class:`DumpError`; a damaged zip or one that
    expands beyond ``limits`` raises ValidationError (its directory is judged first)."""
    try:
        with archive.open_zip(path, limits) as zf:
            manifest = json.loads(archive.read_small(path, zf, MANIFEST, limits.max_manifest))
    except (KeyError, ValueError) as exc:
        raise DumpError(f"{path.name}: {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise DumpError(f"{path.name}: not a {FORMAT} file")
    return manifest


def _bad_manifest(path: Path, what: str, what_en: str) -> ValidationError:
    return archive.damaged(path, f"清单{what}", f"manifest: {what_en}")


def verify_dump(path: Path, tables: set[str], limits: Limits = DEFAULT_LIMITS) -> dict[str, Any]:
    """Prove the backup ``path`` holds exactly ``tables`` (the tables of its schema revision)
    with the digests, sizes and row counts its manifest names; returns the manifest."""
    manifest = read_manifest(path, limits)
    counts = manifest.get("tables")
    if not isinstance(counts, dict) or not all(
        isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in counts.values()
    ):
        raise _bad_manifest(path, "缺少各表行数", "no row count per table")
    missing, extra = sorted(tables - set(counts)), sorted(set(counts) - tables)
    if missing or extra:
        raise _bad_manifest(
            path,
            f"与结构版本的表不一致（缺少 {'、'.join(missing) or '无'}；"
            f"多出 {'、'.join(extra) or '无'}）",
            f"tables differ from the schema (missing {missing}, unknown {extra})",
        )
    members = manifest.get("members")
    if manifest.get("format_version", 1) >= 2 and not isinstance(members, dict):
        raise _bad_manifest(path, "缺少成员摘要", "no member digests")
    with archive.open_zip(path, limits) as zf:
        expected = {member_name(t) for t in counts} | {MANIFEST}
        names = set(zf.namelist())
        if names != expected:
            absent, unknown = sorted(expected - names), sorted(names - expected)
            raise archive.damaged(
                path,
                f"成员不符（缺少 {', '.join(absent) or '无'}；多出 {', '.join(unknown) or '无'}）",
                f"members differ from the manifest (missing {absent}, unknown {unknown})",
            )
        for table, rows in sorted(counts.items()):
            name = member_name(table)
            got = archive.digest(path, zf, name, limits)
            want = members.get(name) if isinstance(members, dict) else None
            if isinstance(members, dict) and (
                not isinstance(want, dict)
                or want.get("sha256") != got.sha256
                or want.get("bytes") != got.size
            ):
                raise archive.damaged(
                    path, f"{name} 的校验和不符", f"{name}: SHA-256 or size differs"
                )
            if got.lines - 1 != rows:
                raise archive.damaged(
                    path,
                    f"{name} 有 {max(got.lines - 1, 0)} 行，清单为 {rows} 行",
                    f"{name} holds {max(got.lines - 1, 0)} rows, the manifest {rows}",
                )
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


def dump_rows(
    path: Path, zf: zipfile.ZipFile, table: Table, limits: Limits = DEFAULT_LIMITS
) -> Iterator[dict[str, Any]]:
    """The rows of ``table`` in a backup, converted to the types of ``table``'s columns."""
    name = member_name(table.name)
    if name not in zf.namelist():
        return
    with archive.reading(path), zf.open(name) as fh:
        lines = archive.member_lines(path, fh, name, limits)
        number = 1
        try:
            columns: list[str] = json.loads(next(lines, b"[]"))
            known = [c for c in columns if c in table.c]
            convert = {c: _converter(table.c[c].type) for c in known}
            for number, line in enumerate(lines, start=2):  # noqa: B007 (named in the error)
                raw = dict(zip(columns, json.loads(line), strict=True))
                row = {}
                for c in known:
                    value = raw[c]
                    fn = convert[c]
                    row[c] = fn(value) if fn is not None and value is not None else value
                yield row
        except (ValueError, TypeError) as exc:
            raise archive.damaged(
                path, f"{name} 第 {number} 行无法读取（{exc}）", f"{name} line {number}: {exc}"
            ) from exc


def _self_refs(table: Table) -> list[str]:
    return [fk.parent.name for fk in table.foreign_keys if fk.column.table.name == table.name]


def _later(row: dict[str, Any], column: str, pk: list[str]) -> bool:
    """Whether ``row``'s self-reference in ``column`` names a row not inserted yet (rows come
    in primary-key order, so only a reference above the row's own id can)."""
    value = row.get(column)
    if value is None:
        return False
    if len(pk) != 1 or not isinstance(row.get(pk[0]), int) or not isinstance(value, int):
        return True
    return bool(value >= row[pk[0]])


def load_rows(conn: Connection, table: Table, rows: Iterable[dict[str, Any]]) -> int:
    """Insert rows in batches, in the order given (primary-key order); a self-reference to a
    row not inserted yet is set by an UPDATE once every row exists."""
    refs = _self_refs(table)
    pk = [c.name for c in table.primary_key.columns]
    later: list[dict[str, Any]] = []
    batch: list[dict[str, Any]] = []
    n = 0
    for row in rows:
        deferred = [c for c in refs if _later(row, c, pk)]
        if deferred:
            later.append({f"k_{k}": row[k] for k in pk} | {f"v_{c}": row[c] for c in refs})
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
        stmt = table.update().values({c: bindparam(f"v_{c}") for c in refs})
        for k in pk:
            stmt = stmt.where(table.c[k] == bindparam(f"k_{k}"))
        conn.execute(stmt, later)
    return n


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


def clear_seeds(conn: Connection, tables: list[Table]) -> None:
    """Delete the rows the migrations seed (the starter shift kinds, facility classes ...) from
    a freshly migrated schema: the backup holds those tables as the office left them."""
    for table in reversed(tables):  # children first
        if conn.scalar(select(func.count()).select_from(table)):
            conn.execute(table.delete())


def load_dump(path: Path, conn: Connection, limits: Limits = DEFAULT_LIMITS) -> dict[str, int]:
    """Load every table of a (verified) backup into an empty schema at the backup's revision."""
    tables = reflect(conn)
    clear_seeds(conn, tables)
    counts: dict[str, int] = {}
    with archive.open_zip(path, limits) as zf:
        for table in tables:
            counts[table.name] = load_rows(conn, table, dump_rows(path, zf, table, limits))
    fix_sequences(conn, tables)
    return counts


def copy_rows(src: Connection, dst: Connection) -> dict[str, int]:
    """Insert every row of ``src`` into the same tables of the empty ``dst`` (same revision)."""
    counts: dict[str, int] = {}
    src_tables = {t.name: t for t in reflect(src)}
    tables = reflect(dst)
    clear_seeds(dst, tables)
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

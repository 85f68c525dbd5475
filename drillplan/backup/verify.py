"""Is a file a drillplan backup, and of which schema revision? Nothing is loaded here.

* A portable dump (zip): a manifest naming the ``drillplan-backup`` format and a known
  revision, its directory within the :class:`~drillplan.backup.archive.Limits`; the members
  themselves are proven by :func:`drillplan.backup.dump.verify_dump` while restoring.
* A SQLite file: drillplan's ``PRAGMA application_id`` (or none, as files written before it
  was set have), a known revision in ``alembic_version``, SQLite's quick_check passed, and
  exactly the tables and columns of that revision (so a file that merely has some of
  drillplan's table names is refused).
"""

from __future__ import annotations

import functools
import sqlite3
import tempfile
from pathlib import Path

from sqlalchemy import Engine

from drillplan.backup import dump, integrity
from drillplan.backup.archive import DEFAULT_LIMITS, Limits
from drillplan.db import migrate
from drillplan.db.engine import make_engine
from drillplan.kernel.errors import ValidationError

PORTABLE_SUFFIXES = {".zip", ".dpbackup"}
#: tables SQLite keeps for itself, never part of drillplan's schema
SQLITE_INTERNAL = ("sqlite_",)

Schema = dict[str, frozenset[str]]


def not_backup(path: Path, why: str = "", why_en: str = "") -> ValidationError:
    return ValidationError(
        "file",
        f"{path.name} 不是 drillplan 备份文件{why}",
        message_en=f"{path.name} is not a drillplan backup{why_en}",
    )


def newer(revision: str) -> ValidationError:
    return ValidationError(
        "file",
        f"备份的结构版本 {revision} 比本程序新，无法恢复；请先升级 drillplan",
        message_en=f"backup schema {revision} is newer than this drillplan; upgrade first",
    )


def is_portable(path: Path) -> bool:
    if path.suffix.lower() in PORTABLE_SUFFIXES:
        return True
    try:
        with path.open("rb") as fh:
            return fh.read(4) == b"PK\x03\x04"
    except OSError:
        return False


def upgrade_to(engine: Engine, revision: str) -> None:
    """Migrate an (empty) database to ``revision`` exactly."""
    from alembic import command  # only when a backup is verified: not at every start

    with engine.begin() as conn:
        cfg = migrate.alembic_config(engine)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def sqlite_schema(conn: sqlite3.Connection) -> Schema:
    names = [
        str(r[0])
        for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        if not str(r[0]).startswith(SQLITE_INTERNAL)
    ]
    return {
        name: frozenset(str(c[1]) for c in conn.execute(f'PRAGMA table_info("{name}")'))
        for name in names
    }


@functools.cache
def schema_at(revision: str) -> Schema:
    """The tables and columns of drillplan's schema at ``revision`` (built once per run)."""
    with tempfile.TemporaryDirectory(prefix="drillplan-schema-") as tmp:
        path = Path(tmp) / "schema.sqlite3"
        engine = make_engine(f"sqlite:///{path}")
        try:
            upgrade_to(engine, revision)
        finally:
            engine.dispose()
        conn = sqlite3.connect(path)
        try:
            return sqlite_schema(conn)
        finally:
            conn.close()


def _describe(expected: Schema, found: Schema) -> tuple[str, str]:
    missing = sorted(set(expected) - set(found))
    extra = sorted(set(found) - set(expected))
    changed = sorted(t for t in set(expected) & set(found) if expected[t] != found[t])
    parts = [
        (f"缺少表 {'、'.join(missing)}", f"missing tables {', '.join(missing)}")
        if missing
        else None,
        (f"多出表 {'、'.join(extra)}", f"unknown tables {', '.join(extra)}") if extra else None,
        (f"列不符 {'、'.join(changed)}", f"columns differ in {', '.join(changed)}")
        if changed
        else None,
    ]
    shown = [p for p in parts if p]
    return "；".join(p[0] for p in shown), "; ".join(p[1] for p in shown)


def _sqlite_revision(path: Path) -> str:
    try:
        app_id = integrity.application_id(path)
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            if app_id not in (0, migrate.SQLITE_APPLICATION_ID):
                raise not_backup(path, "（另一个程序的数据库）", f" (application_id {app_id})")
            if "alembic_version" not in tables:
                raise not_backup(path, "（没有结构版本表）", " (no alembic_version table)")
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise not_backup(path, "（不是 SQLite 数据库或 drillplan 备份包）", f" ({exc})") from exc
    if row is None:
        raise ValidationError(
            "file", f"{path.name} 没有结构版本", message_en=f"{path.name} has no schema revision"
        )
    return str(row[0])


def check_sqlite_backup(path: Path, revision: str) -> None:
    """A SQLite backup at a known ``revision``: sound, and exactly that revision's schema."""
    integrity.require_sound(path, "备份文件", "backup")
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        found = sqlite_schema(conn)
    finally:
        conn.close()
    expected = schema_at(revision)
    if found != expected:
        zh, en = _describe(expected, found)
        raise not_backup(
            path, f"（与结构版本 {revision} 不符：{zh}）", f" (not schema {revision}: {en})"
        )


def backup_revision(path: Path, limits: Limits = DEFAULT_LIMITS) -> str:
    """The schema revision of a backup file; refuses files that are not drillplan backups and
    backups from a newer schema."""
    path = Path(path)
    if not path.is_file():
        raise ValidationError("file", f"找不到文件 {path}", message_en=f"no such file: {path}")
    if is_portable(path):
        try:
            revision = str(dump.read_manifest(path, limits).get("schema_revision") or "")
        except dump.DumpError as exc:
            raise not_backup(path, "（备份包没有有效的清单）", f" ({exc})") from exc
    else:
        revision = _sqlite_revision(path)
    if revision not in migrate.known_revisions():
        raise newer(revision)
    return revision

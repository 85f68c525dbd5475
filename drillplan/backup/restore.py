"""Restore, all or nothing: a backup replaces the database only once it is proven whole.

1. The file is verified (:mod:`drillplan.backup.verify`; a portable dump member by member:
   digest, size, row count, within the limits).
2. It is loaded into a NEW SQLite file in a temporary folder, migrated to head, and must pass
   SQLite's quick_check and :func:`~drillplan.stock.check.run_checks`.
3. The target's login rule is kept: its ``auth.login_required`` row is written into the new
   file whatever the backup says, and a target that enforces login (login required and at
   least one account) refuses a backup without an active administrator.
4. Only then is the target replaced: a SQLite file through SQLite's backup API (one write
   transaction: readers see the old or the new database, never a mix), after a copy of it is
   kept aside; PostgreSQL by loading a NEW schema, checking it again, and swapping it for the
   current one in one transaction (privileges on the old schema, its tables and sequences
   are granted again on the new ones; extensions installed in it move along).

Any failure before step 4 (a damaged file, a failed migration, a violated invariant, a full
disk) leaves the target exactly as it was; the temporary folder is removed on every path.
"""

from __future__ import annotations

import datetime as dt
import secrets
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, func, inspect, select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from drillplan.auth.login import LOGIN_SETTING
from drillplan.backup import dump, integrity, verify
from drillplan.backup.archive import DEFAULT_LIMITS, Limits
from drillplan.db import migrate
from drillplan.db.engine import make_engine, sqlite_path
from drillplan.db.models import Setting, User
from drillplan.kernel.errors import DrillplanError, ValidationError
from drillplan.kernel.vocab import Role
from drillplan.stock.check import run_checks

LOCK_TIMEOUT = "30s"  # PostgreSQL: how long the swap waits for other clients' locks
SCHEMA_MARK = "<<schema>>"  # where a GRANT statement names the schema


class RestoreFailed(DrillplanError):
    """The restore stopped before the database was replaced: nothing was changed."""


@dataclass(frozen=True)
class LoginRule:
    """What the target says about logging in, kept whatever the backup says."""

    setting: Any  # the auth.login_required row's value (None: no row)
    enforced: bool  # login required and accounts exist: the backup must bring an administrator


def _stamp() -> str:
    return dt.datetime.now().strftime("%Y%m%d-%H%M%S")


def _failed(exc: BaseException) -> RestoreFailed:
    return RestoreFailed(
        f"恢复失败，原数据库未改动：{exc} (restore failed; the database was not changed)"
    )


def login_rule(engine: Engine) -> LoginRule:
    """The target's login rule; a target that cannot be read is refused (restore into a new
    file instead, then replace it)."""
    shared = engine.url.get_backend_name() != "sqlite"
    try:
        with engine.connect() as conn:
            names = set(inspect(conn).get_table_names())
            value = None
            if "setting" in names:
                value = conn.scalar(select(Setting.value).where(Setting.key == LOGIN_SETTING))
            accounts = 0
            if "app_user" in names:
                accounts = conn.scalar(select(func.count()).select_from(User.__table__)) or 0
    except SQLAlchemyError as exc:
        raise ValidationError(
            "db",
            f"无法读取当前数据库（{exc}）；请恢复到新文件后再替换",
            message_en=f"the current database cannot be read ({exc}); restore into a new file",
        ) from exc
    required = shared or bool(value)
    return LoginRule(setting=value, enforced=required and accounts > 0)


def _keep_login(engine: Engine, rule: LoginRule) -> None:
    with Session(engine) as session, session.begin():
        row = session.get(Setting, LOGIN_SETTING)
        if rule.setting is None:
            if row is not None:
                session.delete(row)
        elif row is None:
            session.add(Setting(key=LOGIN_SETTING, value=rule.setting))
        else:
            row.value = rule.setting
        if rule.enforced:
            admins = session.scalar(
                select(func.count())
                .select_from(User)
                .where(User.role == Role.ADMIN, User.active.is_(True))
            )
            if not admins:
                raise ValidationError(
                    "file",
                    "此数据库要求登录，而备份中没有有效的管理员账户；恢复它会让任何人都能取得管理员权限，"
                    "已拒绝",
                    message_en="this database requires login and the backup holds no active"
                    " administrator account (restoring it would let anyone become one): refused",
                )


def _require_consistent(engine: Engine, what: str) -> None:
    with Session(engine) as session:
        violations = run_checks(session)
    if violations:
        first = violations[0]
        raise ValidationError(
            "file",
            f"{what}未通过一致性检查（{len(violations)} 项，例如 {first.message}），未恢复",
            message_en=f"the restored data fails `drillplan check` ({len(violations)} violations,"
            f" first: {first.rule} {first.table} {first.row_id}): not restored",
        )


def build(source: Path, revision: str, work: Path, rule: LoginRule, limits: Limits) -> Path:
    """A new SQLite file at head holding the verified backup ``source`` (steps 1-3)."""
    path = work / "restore.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    try:
        if verify.is_portable(source):
            verify.upgrade_to(engine, revision)
            with engine.connect() as conn:
                tables = {t.name for t in dump.reflect(conn)}
            manifest = dump.verify_dump(source, tables, limits)
            with engine.begin() as conn:
                loaded = dump.load_dump(source, conn, limits)
            if loaded != manifest["tables"]:
                raise ValidationError(
                    "file",
                    "载入的行数与清单不符",
                    message_en="rows loaded differ from the manifest",
                )
        else:
            verify.check_sqlite_backup(source, revision)
            engine.dispose()
            migrate.backup_sqlite(source, path)
        migrate.upgrade(engine, backup=False)
        _keep_login(engine, rule)
        _require_consistent(engine, "备份")
    finally:
        engine.dispose()
    integrity.require_revision(path, "恢复的数据库", "the restored database")
    return path


@contextmanager
def _workdir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="drillplan-restore-") as tmp:
        yield Path(tmp)


def restore(
    engine: Engine,
    source: Path,
    *,
    limits: Limits = DEFAULT_LIMITS,
    before: Callable[[], object] | None = None,
) -> Path | None:
    """Replace the database with the backup ``source`` (migrating it if older), all or
    nothing (see the module). Returns the copy of the replaced database kept aside (a ``.bak``
    next to a SQLite file, a portable dump next to ``source`` for PostgreSQL), if any.
    ``before`` runs once the backup has proven whole, just before the target is replaced."""
    source = Path(source)
    url = engine.url.render_as_string(hide_password=False)
    target = sqlite_path(url)
    if target is None and engine.url.get_backend_name() == "sqlite":
        raise DrillplanError("不能恢复到内存数据库 (cannot restore into an in-memory database)")
    revision = verify.backup_revision(source, limits)
    # a SQLite file that does not exist yet is not created by looking at it
    rule = login_rule(engine) if target is None or target.exists() else LoginRule(None, False)
    engine.dispose()
    try:
        with _workdir() as work:
            restored = build(source, revision, work, rule, limits)
            if before is not None:
                before()
                engine.dispose()
            if target is not None:
                return _replace_sqlite(engine, target, restored)
            return _replace_postgres(engine, source, restored)
    except DrillplanError:
        raise
    except Exception as exc:  # whatever stopped it, nothing was replaced: say so plainly
        raise _failed(exc) from exc


def _replace_sqlite(engine: Engine, target: Path, restored: Path) -> Path | None:
    safety: Path | None = None
    if target.exists() and not migrate.is_empty(engine):
        safety = target.with_name(f"{target.name}.pre-restore-{_stamp()}.bak")
        engine.dispose()
        migrate.backup_sqlite(target, safety)
    engine.dispose()
    migrate.backup_sqlite(restored, target)  # one write transaction on the target
    engine.dispose()
    try:
        integrity.require_revision(target, "恢复后的数据库", "the restored database")
    except ValidationError as exc:
        kept = f"；原数据库另存于 {safety}" if safety else ""
        raise DrillplanError(f"{exc.message}{kept} ({exc.message_en})") from exc
    return safety


# ----------------------------------------------------------------------------- PostgreSQL


def _quote(conn: Connection, name: str) -> str:
    return conn.dialect.identifier_preparer.quote_identifier(name)


def _schema_engine(engine: Engine, schema: str) -> Engine:
    url = engine.url.render_as_string(hide_password=False)
    return make_engine(url, connect_args={"options": f"-csearch_path={schema}"})


def _replace_postgres(engine: Engine, source: Path, restored: Path) -> Path | None:
    safety: Path | None = None
    if not migrate.is_empty(engine):
        safety = source.with_name(f"pre-restore-{engine.url.database}-{_stamp()}.dpbackup")
        dump.write_dump(engine, safety)
    fresh = f"drillplan_restore_{secrets.token_hex(4)}"
    with engine.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {_quote(conn, fresh)}"))
    swapped = False
    try:
        loaded = _schema_engine(engine, fresh)
        src = make_engine(f"sqlite:///{restored}")
        try:
            migrate.upgrade(loaded, backup=False)
            with src.connect() as s, loaded.begin() as d:
                dump.copy_rows(s, d)
            _require_consistent(loaded, "恢复的数据")
        finally:
            src.dispose()
            loaded.dispose()
        with engine.begin() as conn:
            _swap(conn, fresh)
        swapped = True
    finally:
        if not swapped:
            with engine.begin() as conn:
                conn.execute(text(f"DROP SCHEMA IF EXISTS {_quote(conn, fresh)} CASCADE"))
        engine.dispose()
    return safety


def _grants(conn: Connection, schema: str) -> list[str]:
    """GRANT statements re-creating, on the same names in another schema, what others were
    granted on ``schema`` and its tables, sequences and views."""
    out = []
    schema_acl = conn.execute(
        text(
            "SELECT a.grantee, a.privilege_type FROM pg_namespace n, aclexplode(n.nspacl) a"
            " WHERE n.nspname = :s AND a.grantee <> n.nspowner"
        ),
        {"s": schema},
    ).all()
    for grantee, privilege in schema_acl:
        out.append(f"GRANT {privilege} ON SCHEMA {SCHEMA_MARK} TO {_role(conn, grantee)}")
    rel_acl = conn.execute(
        text(
            "SELECT c.relname, c.relkind, a.grantee, a.privilege_type"
            " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace,"
            " aclexplode(c.relacl) a"
            " WHERE n.nspname = :s AND a.grantee <> c.relowner AND c.relkind IN ('r', 'S', 'v')"
        ),
        {"s": schema},
    ).all()
    for name, kind, grantee, privilege in rel_acl:
        what = "SEQUENCE" if kind == "S" else "TABLE"
        out.append(
            f"GRANT {privilege} ON {what} {SCHEMA_MARK}.{_quote(conn, name)}"
            f" TO {_role(conn, grantee)}"
        )
    return out


def _role(conn: Connection, oid: int) -> str:
    if oid == 0:
        return "PUBLIC"
    name = conn.scalar(text("SELECT rolname FROM pg_roles WHERE oid = :o"), {"o": oid})
    return _quote(conn, str(name))


def _swap(conn: Connection, fresh: str) -> None:
    """One transaction: the fresh schema takes the current one's name, privileges and
    extensions; the old schema is dropped."""
    conn.execute(text(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'"))
    current = str(conn.scalar(text("SELECT current_schema()")))
    old = f"drillplan_replaced_{secrets.token_hex(4)}"
    grants = _grants(conn, current)
    extensions = conn.execute(
        text(
            "SELECT e.extname, e.extrelocatable FROM pg_extension e"
            " JOIN pg_namespace n ON n.oid = e.extnamespace WHERE n.nspname = :s"
        ),
        {"s": current},
    ).all()
    for name, relocatable in extensions:
        if not relocatable:
            raise ValidationError(
                "db",
                f"扩展 {name} 安装在模式 {current} 中且不能移动，无法替换该模式",
                message_en=f"extension {name} lives in schema {current} and cannot move",
            )
        conn.execute(text(f"ALTER EXTENSION {_quote(conn, name)} SET SCHEMA {_quote(conn, fresh)}"))
    conn.execute(text(f"ALTER SCHEMA {_quote(conn, current)} RENAME TO {_quote(conn, old)}"))
    conn.execute(text(f"ALTER SCHEMA {_quote(conn, fresh)} RENAME TO {_quote(conn, current)}"))
    for grant in grants:
        conn.execute(text(grant.replace(SCHEMA_MARK, _quote(conn, current))))
    conn.execute(text(f"DROP SCHEMA {_quote(conn, old)} CASCADE"))

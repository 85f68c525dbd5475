"""Alembic is the only way the schema changes: upgrade, compare, backup-before-migrate."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from drillplan.audit import chain
from drillplan.db import migrate
from drillplan.db.base import Base
from drillplan.db.database import Database, open_db
from drillplan.db.engine import make_engine
from tests.conftest import PG_URL, reset_postgres


def test_upgrade_empty_database_to_head(db: Database) -> None:
    assert migrate.current_revision(db.engine) == migrate.head_revision()


def test_migrated_schema_matches_models(db: Database) -> None:
    with db.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, Base.metadata)
    assert diff == []
    command.check(migrate.alembic_config(db.engine))  # raises if autogenerate finds changes


def _make_old_sqlite(path: Path) -> None:
    engine = make_engine(f"sqlite:///{path}")
    cfg = migrate.alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        conn.execute(
            text(
                "INSERT INTO unit (code, name, kind, tier, row_version)"
                " VALUES ('310118', '青浦区人民政府', 'government', 'district', 1)"
            )
        )
    engine.dispose()


def test_older_database_is_backed_up_then_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    _make_old_sqlite(path)
    database = open_db(path)
    try:
        assert migrate.current_revision(database.engine) == migrate.head_revision()
        backup = database.backup_taken
        assert backup is not None and backup.exists()
        assert backup.parent == path.parent
        with sqlite3.connect(backup) as conn:
            assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
            assert conn.execute("SELECT name FROM unit").fetchall() == [("青浦区人民政府",)]
        with database.engine.connect() as conn:
            names = conn.execute(text("SELECT name FROM unit")).scalars().all()
            assert names == ["青浦区人民政府"]
            assert conn.execute(text("SELECT count(*) FROM setting")).scalar() == 0
    finally:
        database.close()


def test_current_database_is_opened_without_backup(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    first = open_db(path)
    assert first.created and first.backup_taken is None
    first.close()
    second = open_db(path)
    assert not second.created and second.backup_taken is None
    second.close()
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".bak"] == []


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.sqlite3"
    open_db(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(migrate.SchemaMismatch, match="9999"):
        open_db(path)


@pytest.mark.skipif(PG_URL is None, reason="needs DRILLPLAN_TEST_DATABASE_URL (PostgreSQL)")
def test_shared_postgres_is_never_migrated_silently() -> None:
    assert PG_URL is not None
    reset_postgres(PG_URL)
    engine = make_engine(PG_URL)
    cfg = migrate.alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    with pytest.raises(migrate.SchemaMismatch, match="db upgrade"):
        open_db(PG_URL)
    assert migrate.current_revision(engine) == "0001"
    migrate.upgrade(engine)
    open_db(PG_URL).close()
    engine.dispose()


def test_a_migration_that_rebuilds_a_referenced_table_keeps_every_row(tmp_path: Path) -> None:
    """0006 rebuilds ``material`` (SQLite batch mode) while lots and quotas refer to it: the
    upgrade runs with foreign keys checked once at the end, and they are enforced again after."""
    from drillplan.demo import load_demo

    path = tmp_path / "demo.sqlite3"
    database = open_db(path)
    with database.session() as session:
        load_demo(session, as_of=dt.date(2025, 6, 1))
    database.close()
    engine = make_engine(f"sqlite:///{path}")
    with engine.connect() as conn:  # back to 0005 the way an older drillplan left the file
        raw = conn.connection.dbapi_connection
        assert raw is not None
        raw.execute("PRAGMA foreign_keys=OFF")
        with conn.begin():
            cfg = migrate.alembic_config(engine)
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0005")
        raw.execute("PRAGMA foreign_keys=ON")
        lots = conn.execute(text("SELECT count(*) FROM lot")).scalar()
    engine.dispose()
    assert lots

    database = open_db(path)  # migrates 0005 -> head
    try:
        assert migrate.current_revision(database.engine) == migrate.head_revision()
        with database.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM lot")).scalar() == lots
            assert conn.execute(text("PRAGMA foreign_key_check")).fetchall() == []
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        with database.engine.begin() as conn, pytest.raises(Exception, match="FOREIGN KEY"):
            conn.execute(text("UPDATE lot SET material_id = 999999 WHERE id = 1"))
        with database.session() as session:  # 0007 sealed the entries the demo had written
            assert chain.verify(session) == []
            assert session.scalar(text("SELECT count(*) FROM audit_log WHERE seq IS NULL")) == 0
        with database.engine.begin() as conn, pytest.raises(Exception, match="append-only"):
            conn.execute(text("DELETE FROM movement WHERE id = 1"))
    finally:
        database.close()


def test_0009_adds_the_evaluation_record_and_downgrades(tmp_path: Path) -> None:
    """0008 -> 0009 adds nullable evaluation columns to ``drill`` (old rows keep NULL); the
    downgrade drops them again."""
    engine = make_engine(f"sqlite:///{tmp_path / 'e.sqlite3'}")
    cfg = migrate.alembic_config(engine)
    added = {
        "evaluation_lead",
        "evaluators",
        "evaluation_method",
        "objectives",
        "course",
        "strengths",
        "plan_suggestions",
        "indicator_comments",
    }

    def columns() -> set[str]:
        with engine.connect() as conn:
            return {row[1] for row in conn.exec_driver_sql("PRAGMA table_info(drill)")}

    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0008")
    assert not added & columns()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0009")
    assert added <= columns()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0008")
    assert not added & columns()
    engine.dispose()

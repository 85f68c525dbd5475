"""PostgreSQL restore swaps in a new schema: what others were granted on the old one and on its
tables and sequences is granted again, extensions installed in it move along, and a failed
restore leaves the old schema as it was and no new one behind."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Connection, text

from drillplan.backup import dump
from drillplan.backup import files as backup
from drillplan.db.database import Database, open_db
from drillplan.demo import load_demo
from drillplan.kernel.errors import DrillplanError
from tests import factories as f
from tests.conftest import PG_URL, fresh_database
from tests.support.backups import snapshot

pytestmark = pytest.mark.skipif(
    PG_URL is None, reason="needs DRILLPLAN_TEST_DATABASE_URL (a PostgreSQL server)"
)

ROLE = "drillplan_h4_restore_reader"  # roles are cluster-wide: a name no one else uses


@pytest.fixture
def pg(tmp_path: Path) -> Iterator[Database]:
    database = fresh_database("postgresql", tmp_path)
    with database.engine.begin() as conn:
        conn.execute(text(f"DROP ROLE IF EXISTS {ROLE}"))
        conn.execute(text(f"CREATE ROLE {ROLE} NOLOGIN"))
    yield database
    with database.engine.begin() as conn:
        conn.execute(text(f"DROP OWNED BY {ROLE}"))
        conn.execute(text(f"DROP ROLE {ROLE}"))
    database.close()


def _schemas(database: Database) -> list[str]:
    with database.engine.connect() as conn:
        return list(
            conn.scalars(text("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'drillplan_%'"))
        )


def _source_dump(tmp_path: Path) -> Path:
    source = open_db(tmp_path / "source.sqlite3")
    with source.session() as session:
        load_demo(session, as_of=dt.date(2025, 6, 1))
    archive = backup.backup(source.engine, tmp_path / "source.dpbackup")
    source.close()
    return archive


def test_grants_and_extensions_survive_the_swap(pg: Database, tmp_path: Path) -> None:
    with pg.engine.begin() as conn:
        conn.execute(text(f"GRANT USAGE ON SCHEMA public TO {ROLE}"))
        conn.execute(text(f"GRANT SELECT ON lot, movement TO {ROLE}"))
        conn.execute(text(f"GRANT USAGE ON SEQUENCE movement_id_seq TO {ROLE}"))
        conn.execute(text("CREATE EXTENSION IF NOT EXISTS amcheck SCHEMA public"))
    backup.restore(pg.engine, _source_dump(tmp_path))
    with pg.engine.connect() as conn:
        granted = {
            (table, privilege)
            for table, privilege in conn.execute(
                text(
                    "SELECT table_name, privilege_type FROM information_schema.role_table_grants"
                    " WHERE grantee = :r AND table_schema = 'public'"
                ),
                {"r": ROLE},
            )
        }
        assert granted == {("lot", "SELECT"), ("movement", "SELECT")}
        assert conn.scalar(text("SELECT has_schema_privilege(:r, 'public', 'USAGE')"), {"r": ROLE})
        assert conn.scalar(
            text("SELECT has_sequence_privilege(:r, 'public.movement_id_seq', 'USAGE')"),
            {"r": ROLE},
        )
        where = conn.scalar(
            text(
                "SELECT n.nspname FROM pg_extension e"
                " JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'amcheck'"
            )
        )
        assert where == "public"
        assert conn.scalar(text("SELECT count(*) FROM lot")) > 0
    assert _schemas(pg) == []


def test_failed_restore_leaves_no_schema_behind(
    pg: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rows are copied into the new schema, then something fails: the old schema stays
    exactly as it was and the new one is dropped."""
    with pg.session() as session:
        f.unit(session, code="KEEP")
    before = snapshot(pg.engine)
    real = dump.copy_rows

    def fail_after_copying(src: Connection, dst: Connection) -> dict[str, int]:
        real(src, dst)
        raise RuntimeError("disk full (simulated)")

    monkeypatch.setattr(dump, "copy_rows", fail_after_copying)
    with pytest.raises(DrillplanError, match="原数据库未改动"):
        backup.restore(pg.engine, _source_dump(tmp_path))
    assert snapshot(pg.engine) == before
    assert _schemas(pg) == []

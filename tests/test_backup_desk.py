"""The desktop's File menu core: back up now, restore (the command line's refusal rules),
load the demo into a NEW file only."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from drillplan.auth.login import set_login_required
from drillplan.backup.desk import backup_now, new_demo_database, restore_from
from drillplan.db.database import open_db
from drillplan.db.models import Drill, Unit
from drillplan.kernel.errors import PermissionDenied, ValidationError
from tests import factories as f


def _units(path: Path) -> int:
    database = open_db(path)
    with database.session() as session:
        count = session.scalar(select(func.count(Unit.id))) or 0
    database.close()
    return count


def test_backup_now_then_restore_undoes_later_work(tmp_path: Path) -> None:
    live = tmp_path / "live.sqlite3"
    database = open_db(live)
    with database.session() as session:
        f.unit(session, "U1")
    written = backup_now(database, tmp_path / "备份" / "copy.sqlite3")
    assert written.exists()
    with database.session() as session:
        f.unit(session, "LATER")
    assert restore_from(database, written) is not None  # the replaced one kept aside
    database.close()
    assert _units(live) == 1
    assert [p.name for p in (tmp_path / "backups").glob("live-before-restore-*.sqlite3")]
    with pytest.raises(ValidationError):
        restore_from(open_db(live), tmp_path / "missing.sqlite3")


def test_a_database_that_requires_login_refuses_anonymous_backup_and_restore(
    tmp_path: Path,
) -> None:
    live = tmp_path / "live.sqlite3"
    database = open_db(live)
    with database.session() as session:
        f.unit(session, "U1")
        set_login_required(session, True)
    copy = tmp_path / "copy.sqlite3"
    with pytest.raises(PermissionDenied, match="管理员"):
        backup_now(database, copy)
    assert not copy.exists()
    other = open_db(tmp_path / "other.sqlite3")
    source = backup_now(other, tmp_path / "other-copy.sqlite3")  # no login there
    other.close()
    with pytest.raises(PermissionDenied):
        restore_from(database, source)
    database.close()
    assert _units(live) == 1


def test_the_demo_goes_into_a_new_file_only(tmp_path: Path) -> None:
    made = new_demo_database(tmp_path / "演示.sqlite3")
    database = open_db(made)
    with database.session() as session:
        assert (session.scalar(select(func.count(Drill.id))) or 0) > 10
    database.close()
    existing = tmp_path / "mine.sqlite3"
    mine = open_db(existing)
    with mine.session() as session:
        f.unit(session, "MINE")
    mine.close()
    with pytest.raises(ValidationError, match="已存在"):
        new_demo_database(existing)
    assert _units(existing) == 1  # untouched

"""Backup and restore: SQLite file copies and the portable dump, between SQLite and PostgreSQL,
compared table by table; refusals; older backups migrated; automatic daily backups."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError

from drillplan.backup import dump, verify
from drillplan.backup import files as backup
from drillplan.db import migrate
from drillplan.db.database import Database, open_db
from drillplan.db.engine import make_engine
from drillplan.db.models import Setting
from drillplan.demo import load_demo
from drillplan.kernel.errors import ValidationError
from tests import factories as f
from tests.support.backups import snapshot

AS_OF = dt.date(2025, 6, 1)


def _demo(database: Database) -> None:
    with database.session() as session:
        load_demo(session, as_of=AS_OF)
        f.unit(session, code="EXTRA", name="带上级的单位", parent_id=1)


def test_sqlite_file_backup_restores_every_table(tmp_path: Path) -> None:
    live = open_db(tmp_path / "live.sqlite3")
    _demo(live)
    expected = snapshot(live.engine)
    copy = backup.backup(live.engine, tmp_path / "copy.sqlite3")
    assert backup.backup_revision(copy) == migrate.head_revision()
    other = make_engine(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    assert backup.restore(other, copy) is None  # nothing there to keep aside
    assert snapshot(other) == expected
    live.close()
    other.dispose()


def test_portable_dump_round_trip_through_any_backend(db: Database, tmp_path: Path) -> None:
    """demo -> portable dump (from SQLite or PostgreSQL) -> restore into a fresh SQLite file
    and back into the original database: every table equal."""
    _demo(db)
    expected = snapshot(db.engine)
    archive = backup.backup(db.engine, tmp_path / "backup.dpbackup")
    manifest = dump.read_manifest(archive)
    assert manifest["format"] == "drillplan-backup"
    assert manifest["schema_revision"] == migrate.head_revision()
    assert manifest["tables"]["lot"] == expected["lot"].__len__()

    sqlite = make_engine(f"sqlite:///{tmp_path / 'restored.sqlite3'}")
    backup.restore(sqlite, archive)
    assert snapshot(sqlite) == expected
    with sqlite.begin() as conn:  # the restored file is a working, protected database
        conn.execute(text("UPDATE lot SET location = 'A-1' WHERE id = (SELECT MIN(id) FROM lot)"))
    with pytest.raises(IntegrityError, match="append-only"), sqlite.begin() as conn:
        conn.execute(text("DELETE FROM movement WHERE id = (SELECT MAX(id) FROM movement)"))
    sqlite.dispose()

    with db.session() as session:  # change the original, then restore it
        f.unit(session, code="LATER", name="备份之后")
    safety = backup.restore(db.engine, archive)
    assert safety is not None and safety.exists()
    assert snapshot(db.engine) == expected
    with db.session() as session:  # sequences follow the restored ids
        assert f.unit(session, code="NEW").id > max(r[0] for r in expected["unit"])


def test_sqlite_backup_restores_into_the_database_fixture(db: Database, tmp_path: Path) -> None:
    source = open_db(tmp_path / "source.sqlite3")
    _demo(source)
    expected = snapshot(source.engine)
    copy = backup.backup(source.engine, tmp_path / "copy.sqlite3")
    source.close()
    backup.restore(db.engine, copy)
    assert snapshot(db.engine) == expected


def _refused(engine: Engine, path: Path, fragment: str) -> None:
    with pytest.raises(ValidationError) as info:
        backup.restore(engine, path)
    assert fragment in info.value.message


def test_refuses_foreign_and_newer_files(db: Database, tmp_path: Path) -> None:
    _demo(db)
    before = snapshot(db.engine)
    plain_zip = tmp_path / "photos.zip"
    with zipfile.ZipFile(plain_zip, "w") as zf:
        zf.writestr("a.txt", "not a backup")
    _refused(db.engine, plain_zip, "不是 drillplan 备份文件")
    other = tmp_path / "other.dpbackup"
    with zipfile.ZipFile(other, "w") as zf:
        zf.writestr("manifest.json", json.dumps({"format": "something-else"}))
    _refused(db.engine, other, "不是 drillplan 备份文件")
    newer = backup.backup(db.engine, tmp_path / "newer.zip")
    with zipfile.ZipFile(newer) as zf:
        files = {n: zf.read(n) for n in zf.namelist()}
    manifest = json.loads(files["manifest.json"])
    manifest["schema_revision"] = "9999"
    files["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(newer, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    _refused(db.engine, newer, "比本程序新")
    text_file = tmp_path / "notes.sqlite3"
    text_file.write_text("hello", encoding="utf-8")
    _refused(db.engine, text_file, "不是 drillplan 备份文件")
    assert snapshot(db.engine) == before


@pytest.mark.parametrize("portable", [False, True])
def test_older_backup_is_migrated(tmp_path: Path, portable: bool) -> None:
    old = make_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    first = sorted(migrate.known_revisions())[0]
    verify.upgrade_to(old, first)
    with old.begin() as conn:
        conn.execute(
            text("INSERT INTO unit (id, code, name, kind, tier, row_version)"
                 " VALUES (1, 'U1', '老单位', 'department', 'district', 1)")
        )  # fmt: skip
    source = backup.backup(old, tmp_path / "old.zip") if portable else tmp_path / "old.sqlite3"
    old.dispose()
    assert backup.backup_revision(source) == first
    target = make_engine(f"sqlite:///{tmp_path / 'new.sqlite3'}")
    backup.restore(target, source)
    assert migrate.current_revision(target) == migrate.head_revision()
    with target.connect() as conn:
        assert conn.execute(text("SELECT name FROM unit")).scalar_one() == "老单位"
    target.dispose()


def test_auto_backup_daily_keeps_the_last_n_days(tmp_path: Path) -> None:
    database = open_db(tmp_path / "app.sqlite3")
    _demo(database)
    taken = []
    for day in range(1, 6):
        when = dt.date(2025, 6, day)
        taken.append(backup.auto_backup(database, keep_days=3, today=when))
        assert backup.auto_backup(database, keep_days=3, today=when) is None  # once a day
    folder = tmp_path / "backups"
    kept = sorted(p.name for p in folder.glob("*.sqlite3"))
    assert kept == sorted(p.name for p in taken[-3:] if p is not None)  # 3, 4 and 5 June
    assert backup.backup_revision(folder / kept[-1]) == migrate.head_revision()
    assert backup.auto_backup(database, keep_days=3, daily=False, today=dt.date(2025, 6, 5))
    assert len(list(folder.glob("*.sqlite3"))) == 4  # a second copy on the 5th is kept too
    # after a long pause the newest copy survives, however old
    assert backup.prune_auto_backups(folder, "app", keep_days=3, today=dt.date(2025, 9, 1))
    assert len(list(folder.glob("*.sqlite3"))) == 1
    database.close()
    from drillplan import settings

    assert {"daily_backup", "backup_keep"} <= set(settings.OPTIONS)


def test_a_copy_before_every_import_and_restore(tmp_path: Path) -> None:
    from drillplan.interchange.importer import import_file

    database = open_db(tmp_path / "app.sqlite3")
    _demo(database)
    folder = tmp_path / "backups"
    assert backup.auto_backup_on_start(database) is not None  # today's daily copy
    csv = tmp_path / "units.csv"
    csv.write_text("单位编码,单位名称,单位类型,层级\nU-NEW-1,新单位,部门,区级\n", encoding="utf-8")
    with database.session() as session:
        dry = import_file(session, "units", csv, dry_run=True)
    assert dry.ok and dry.backup is None  # a check writes nothing and copies nothing
    with database.session() as session:
        report = import_file(session, "units", csv)
    assert report.written and report.backup is not None
    before_import = Path(report.backup)
    assert before_import.parent == folder and "-before-import-" in before_import.name
    with make_engine(f"sqlite:///{before_import}").connect() as conn:  # taken before the write
        assert conn.execute(text("SELECT count(*) FROM unit WHERE code='U-NEW-1'")).scalar() == 0
    with database.session() as session:
        again = import_file(session, "units", csv)
    assert again.backup is not None and again.backup != report.backup  # every time
    source = backup.backup(database.engine, tmp_path / "copy.sqlite3")
    backup.restore(database.engine, source)
    names = sorted(p.name for p in folder.glob("*.sqlite3"))
    assert sum("-before-restore-" in n for n in names) == 1
    assert sum("-auto-" in n for n in names) == 1
    bad = tmp_path / "not-a-backup.sqlite3"
    bad.write_bytes(b"nothing")
    with pytest.raises(ValidationError):
        backup.restore(database.engine, bad)
    assert (
        sorted(p.name for p in folder.glob("*.sqlite3")) == names
    )  # a refused restore copies nothing
    database.close()


def test_auto_backup_on_start_follows_the_settings(tmp_path: Path) -> None:
    database = open_db(tmp_path / "app.sqlite3")
    _demo(database)
    first = backup.auto_backup_on_start(database)
    assert first is not None and first.parent == tmp_path / "backups"
    assert backup.auto_backup_on_start(database) is None  # already done today
    with database.session() as session:
        session.add(Setting(key="daily_backup", value=False))
    for old in (tmp_path / "backups").iterdir():
        old.unlink()
    assert backup.auto_backup_on_start(database) is None
    database.close()

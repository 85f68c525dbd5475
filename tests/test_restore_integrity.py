"""Restore is all or nothing, and integrity is checked: dumps missing tables, forged SQLite
files, failing migrations, zip bombs, damaged members and corrupt pages are refused with the
old database exactly as it was and no temporary folder left; the target's login rule is kept."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import Engine, event, text

from drillplan.auth.login import login_setting, set_login_required
from drillplan.auth.users import create_user
from drillplan.backup import dump, verify
from drillplan.backup import files as backup
from drillplan.backup.restore import RestoreFailed
from drillplan.cli.main import main
from drillplan.db import migrate
from drillplan.db.database import Database, open_db
from drillplan.db.engine import make_engine
from drillplan.demo import load_demo
from drillplan.kernel.errors import DrillplanError, ValidationError
from drillplan.kernel.vocab import MovementKind, Role
from tests import factories as f
from tests.support.backups import fingerprint, read_members, rewrite, snapshot, write_zeros

AS_OF = dt.date(2025, 6, 1)
ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Qingpu-restore-2025"


@pytest.fixture
def tmp_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The temporary location restore works in (checked to be empty after each test)."""
    root = tmp_path / "tmp"
    root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    return root


def _left_over(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir())


def _demo(database: Database) -> None:
    with database.session() as session:
        load_demo(session, as_of=AS_OF)


def _source(tmp_path: Path, name: str = "source.sqlite3") -> Database:
    source = open_db(tmp_path / name)
    _demo(source)
    return source


def _dump(tmp_path: Path) -> Path:
    source = _source(tmp_path)
    archive = backup.backup(source.engine, tmp_path / "good.dpbackup")
    source.close()
    return archive


def _refused(engine: Engine, path: Path, *fragments: str, **kw: Any) -> DrillplanError:
    before = fingerprint(engine)
    with pytest.raises(DrillplanError) as info:
        backup.restore(engine, path, **kw)
    assert fingerprint(engine) == before  # exactly as it was
    for fragment in fragments:
        assert fragment in str(info.value) + " " + getattr(info.value, "message_en", "")
    return info.value


# ----------------------------------------------------------------------------- the manifest


def test_dump_carries_revision_counts_and_digests(tmp_path: Path, tmp_root: Path) -> None:
    archive = _dump(tmp_path)
    manifest = dump.read_manifest(archive)
    assert manifest["format_version"] == 2
    assert manifest["schema_revision"] == migrate.head_revision()
    members = read_members(archive)
    assert set(manifest["members"]) == set(members) - {"manifest.json"}
    assert manifest["tables"]["lot"] > 0 and manifest["tables"]["movement"] > 0
    lot = members["tables/lot.jsonl"]
    assert manifest["members"]["tables/lot.jsonl"]["bytes"] == len(lot)
    assert lot.count(b"\n") - 1 == manifest["tables"]["lot"]
    assert _left_over(tmp_root) == []


def test_dump_missing_tables_is_refused(db: Database, tmp_path: Path, tmp_root: Path) -> None:
    _demo(db)
    archive = _dump(tmp_path)

    def drop_stock(members: dict[str, bytes], manifest: dict[str, Any]) -> None:
        for table in ("lot", "movement"):
            del members[f"tables/{table}.jsonl"]
            del manifest["tables"][table]

    forged = rewrite(archive, tmp_path / "no-stock.dpbackup", drop_stock)  # digests consistent
    _refused(db.engine, forged, "缺少 lot、movement", "missing ['lot', 'movement']")

    def members_only(members: dict[str, bytes], manifest: dict[str, Any]) -> None:
        del members["tables/movement.jsonl"]

    gone = rewrite(archive, tmp_path / "no-member.dpbackup", members_only)
    _refused(db.engine, gone, "成员不符", "tables/movement.jsonl")

    def wrong_count(members: dict[str, bytes], manifest: dict[str, Any]) -> None:
        manifest["tables"]["lot"] += 1

    _refused(db.engine, rewrite(archive, tmp_path / "count.dpbackup", wrong_count), "清单为")
    assert _left_over(tmp_root) == []


def test_older_dump_without_digests_still_verifies(tmp_path: Path, tmp_root: Path) -> None:
    """Format version 1 (no digests) is restored when its row counts and CRCs verify."""
    archive = _dump(tmp_path)

    def version_1(members: dict[str, bytes], manifest: dict[str, Any]) -> None:
        manifest["format_version"] = 1
        del manifest["members"]

    old = rewrite(archive, tmp_path / "v1.dpbackup", version_1)
    target = make_engine(f"sqlite:///{tmp_path / 'target.sqlite3'}")
    backup.restore(target, old)
    expected = snapshot(make_engine(f"sqlite:///{tmp_path / 'source.sqlite3'}"))
    assert snapshot(target) == expected

    def cut_last_row(members: dict[str, bytes], manifest: dict[str, Any]) -> None:
        version_1(members, manifest)
        lines = members["tables/lot.jsonl"].splitlines(keepends=True)
        members["tables/lot.jsonl"] = b"".join(lines[:-1])

    short = rewrite(archive, tmp_path / "v1-short.dpbackup", cut_last_row)
    _refused(target, short, "已损坏", "rows, the manifest")
    target.dispose()
    assert _left_over(tmp_root) == []


# ----------------------------------------------------------------------------- SQLite files


def test_bogus_sqlite_with_the_table_names_is_refused(
    db: Database, tmp_path: Path, tmp_root: Path
) -> None:
    _demo(db)
    bogus = tmp_path / "bogus.sqlite3"
    with sqlite3.connect(bogus) as conn:
        for name in ("plan", "team", "depot", "lot", "movement"):
            conn.execute(f"CREATE TABLE {name} (id INTEGER PRIMARY KEY)")
        conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
        conn.execute("INSERT INTO alembic_version VALUES (?)", (migrate.head_revision(),))
    conn.close()
    _refused(db.engine, bogus, "不是 drillplan 备份文件", "missing tables")
    nowhere = make_engine(f"sqlite:///{tmp_path / 'not-yet.sqlite3'}")
    with pytest.raises(ValidationError):
        backup.restore(nowhere, bogus)
    assert not (tmp_path / "not-yet.sqlite3").exists()  # not even an empty file

    foreign = tmp_path / "foreign.sqlite3"
    copy = backup.backup(_source(tmp_path).engine, tmp_path / "copy.sqlite3")
    foreign.write_bytes(copy.read_bytes())
    with sqlite3.connect(foreign) as conn:
        conn.execute("PRAGMA application_id=1234")
    conn.close()
    _refused(db.engine, foreign, "另一个程序的数据库", "application_id 1234")

    with sqlite3.connect(copy) as conn:  # the right id, the wrong columns
        conn.execute("ALTER TABLE lot DROP COLUMN supplier")
    conn.close()
    _refused(db.engine, copy, "列不符 lot")
    assert _left_over(tmp_root) == []


def test_drillplan_files_carry_the_application_id(tmp_path: Path) -> None:
    fresh = open_db(tmp_path / "fresh.sqlite3")
    fresh.close()
    with sqlite3.connect(tmp_path / "fresh.sqlite3") as conn:
        assert conn.execute("PRAGMA application_id").fetchone()[0] == migrate.SQLITE_APPLICATION_ID
        conn.execute("PRAGMA application_id=0")  # as a file from before it was set
    conn.close()
    assert backup.backup_revision(tmp_path / "fresh.sqlite3") == migrate.head_revision()
    again = open_db(tmp_path / "fresh.sqlite3")  # opening marks it
    again.close()
    with sqlite3.connect(tmp_path / "fresh.sqlite3") as conn:
        assert conn.execute("PRAGMA application_id").fetchone()[0] == migrate.SQLITE_APPLICATION_ID
    conn.close()


def test_older_unmarked_sqlite_backup_with_its_full_schema_is_restored(
    tmp_path: Path, tmp_root: Path
) -> None:
    first = sorted(migrate.known_revisions())[0]
    old = make_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    verify.upgrade_to(old, first)
    with old.begin() as conn:
        conn.execute(
            text("INSERT INTO unit (id, code, name, kind, tier, row_version)"
                 " VALUES (1, 'U1', '老单位', 'department', 'district', 1)")
        )  # fmt: skip
    old.dispose()
    with sqlite3.connect(tmp_path / "old.sqlite3") as conn:
        assert conn.execute("PRAGMA application_id").fetchone()[0] == 0
    conn.close()
    target = make_engine(f"sqlite:///{tmp_path / 'target.sqlite3'}")
    backup.restore(target, tmp_path / "old.sqlite3")
    assert migrate.current_revision(target) == migrate.head_revision()
    with target.connect() as conn:
        assert conn.execute(text("SELECT name FROM unit")).scalar_one() == "老单位"
    target.dispose()
    assert _left_over(tmp_root) == []


# ----------------------------------------------------------------------------- migration


@pytest.mark.parametrize("portable", [False, True])
def test_failing_migration_leaves_the_old_database(
    db: Database, tmp_path: Path, tmp_root: Path, monkeypatch: pytest.MonkeyPatch, portable: bool
) -> None:
    _demo(db)
    first = sorted(migrate.known_revisions())[0]
    old = make_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    verify.upgrade_to(old, first)
    source = backup.backup(old, tmp_path / "old.zip") if portable else tmp_path / "old.sqlite3"
    old.dispose()
    real = command.upgrade

    def upgrade_then_fail(cfg: Any, revision: str, *a: Any, **kw: Any) -> None:
        real(cfg, revision, *a, **kw)
        if revision == "head":
            raise RuntimeError("迁移失败 (simulated migration failure)")

    monkeypatch.setattr(command, "upgrade", upgrade_then_fail)
    error = _refused(db.engine, source, "原数据库未改动", "simulated migration failure")
    assert isinstance(error, RestoreFailed)
    assert not list(tmp_path.glob("*.pre-restore-*")) and not list(tmp_path.glob("pre-restore-*"))
    assert _left_over(tmp_root) == []
    monkeypatch.undo()
    with db.sessions() as session:  # and it still opens and works
        f.unit(session, code="AFTER")
        session.commit()


def test_violated_invariant_in_the_backup_is_refused(
    db: Database, tmp_path: Path, tmp_root: Path
) -> None:
    _demo(db)
    archive = _dump(tmp_path)

    def bump_on_hand(members: dict[str, bytes], manifest: dict[str, Any]) -> None:
        lines = members["tables/lot.jsonl"].splitlines(keepends=True)
        columns = json.loads(lines[0])
        row = json.loads(lines[1])
        row[columns.index("on_hand")] = str(float(row[columns.index("on_hand")]) + 5)
        lines[1] = json.dumps(row, ensure_ascii=False).encode() + b"\n"
        members["tables/lot.jsonl"] = b"".join(lines)

    forged = rewrite(archive, tmp_path / "forged.dpbackup", bump_on_hand)
    _refused(db.engine, forged, "一致性检查", "on_hand_equals_ledger")
    assert _left_over(tmp_root) == []


# ----------------------------------------------------------------------------- bombs, damage


def _bomb(tmp_path: Path, size: int = 2_000_000_000) -> Path:
    """A real dump whose ``unit`` member is replaced by ``size`` bytes of zeros (2 MB on disk)."""
    archive = _dump(tmp_path)
    members = read_members(archive)
    bomb = tmp_path / "bomb.dpbackup"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            if name == "tables/unit.jsonl":
                write_zeros(zf, name, size)
            else:
                zf.writestr(name, data)
    assert bomb.stat().st_size < 5_000_000
    return bomb


BOMB_SCRIPT = """
import json, resource, sys
from pathlib import Path
from drillplan.backup import files
from drillplan.backup.archive import Limits
from drillplan.db.engine import make_engine
engine = make_engine("sqlite:///" + sys.argv[1])
messages = []
# the declared sizes are judged first; past them (generous limits), streaming stops the member
for limits in (Limits(), Limits(max_ratio=10**9, max_member=4 << 30)):
    try:
        files.restore(engine, Path(sys.argv[2]), limits=limits)
        messages.append("restored")
    except Exception as exc:
        messages.append(type(exc).__name__ + ": " + str(exc) + " " + getattr(exc, "message_en", ""))
# the peak RSS of this process's own memory (VmHWM, KiB): getrusage's ru_maxrss would also
# count the parent's pages the exec replaced (Linux keeps the old high-water mark)
try:
    status = Path("/proc/self/status").read_text().splitlines()
    rss = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
except OSError:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"messages": messages, "rss_mb": rss / 1024}))
"""


def test_zip_bomb_is_refused_within_200_mb(tmp_path: Path, tmp_root: Path) -> None:
    """A 2 MB zip whose member expands to 2 GB of zeros: refused by its declared size and,
    with those limits lifted, while streaming (at the 16 MiB longest-row limit), in a process
    whose peak RSS stays below 200 MB; the target is untouched, no temporary folder is left."""
    bomb = _bomb(tmp_path)
    target = tmp_path / "target.sqlite3"
    live = open_db(target)
    with live.session() as session:
        f.unit(session, code="KEEP")
    live.close()
    before = fingerprint(make_engine(f"sqlite:///{target}"))
    env = {**os.environ, "TMPDIR": str(tmp_root)}
    result = subprocess.run(
        [sys.executable, "-c", BOMB_SCRIPT, str(target), str(bomb)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    declared, streamed = outcome["messages"]
    assert declared.startswith("ValidationError") and "解压后超出限制" in declared, outcome
    assert "tables/unit.jsonl" in declared and "expands more than 200:1" in declared
    assert streamed.startswith("ValidationError") and "一行过长" in streamed, outcome
    assert outcome["rss_mb"] < 200, outcome
    assert fingerprint(make_engine(f"sqlite:///{target}")) == before
    assert _left_over(tmp_root) == []


def _member_offset(path: Path, name: str) -> tuple[int, int]:
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(name)
    with path.open("rb") as fh:
        fh.seek(info.header_offset + 26)
        name_len, extra_len = (int.from_bytes(fh.read(2), "little") for _ in range(2))
    return info.header_offset + 30 + name_len + extra_len, info.compress_size


def test_truncated_padded_and_corrupt_members_are_refused(
    db: Database, tmp_path: Path, tmp_root: Path
) -> None:
    _demo(db)
    archive = _dump(tmp_path)
    data = archive.read_bytes()

    truncated = tmp_path / "truncated.dpbackup"
    truncated.write_bytes(data[: len(data) // 2])
    _refused(db.engine, truncated, "已损坏或不完整")

    def pad(members: dict[str, bytes], manifest: dict[str, Any]) -> None:
        members["tables/lot.jsonl"] += b'["padding"]\n'

    padded = rewrite(archive, tmp_path / "padded.dpbackup", pad, rehash=False)
    _refused(db.engine, padded, "tables/lot.jsonl 的校验和不符", "SHA-256")

    def cut(members: dict[str, bytes], manifest: dict[str, Any]) -> None:
        members["tables/movement.jsonl"] = members["tables/movement.jsonl"][:-40]

    short = rewrite(archive, tmp_path / "cut.dpbackup", cut, rehash=False)
    _refused(db.engine, short, "已损坏或不完整", "cut off")

    def garbage_row(members: dict[str, bytes], manifest: dict[str, Any]) -> None:
        lines = members["tables/depot.jsonl"].splitlines(keepends=True)
        lines[1] = b"{not json\n"
        members["tables/depot.jsonl"] = b"".join(lines)

    forged = rewrite(archive, tmp_path / "garbage.dpbackup", garbage_row)  # digests match
    _refused(db.engine, forged, "tables/depot.jsonl 第 2 行无法读取")

    start, size = _member_offset(archive, "tables/movement.jsonl")
    flipped = bytearray(data)
    for i in range(start + size // 2, start + size // 2 + 64):
        flipped[i] ^= 0x5A
    corrupt = tmp_path / "corrupt.dpbackup"
    corrupt.write_bytes(bytes(flipped))
    _refused(db.engine, corrupt, "已损坏或不完整")
    assert _left_over(tmp_root) == []


# ----------------------------------------------------------------------------- self-references


def test_restore_inserts_movements_in_order_without_updating_them(
    db: Database, tmp_path: Path, tmp_root: Path
) -> None:
    """Reversals follow their originals: no UPDATE of movement (refused by the append-only
    triggers); a unit whose parent came later still gets its parent (the deferred UPDATE)."""
    source = open_db(tmp_path / "refs.sqlite3")
    with source.session() as session:
        child = f.unit(session, code="CHILD")
        parent = f.unit(session, code="PARENT")
        child.parent_id = parent.id
        m = f.material(session)
        _, holder = f.depot(session, parent)
        lot = f.lot(session, m, holder)
        first = f.movement(session, lot, 10)
        f.movement(session, lot, -10, kind=MovementKind.REVERSAL, reverses_id=first.id)
        f.movement(session, lot, 3)
        lot.on_hand = 3
    expected = snapshot(source.engine)
    archive = backup.backup(source.engine, tmp_path / "refs.dpbackup")
    source.close()
    statements: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_a: Any) -> None:
        statements.append(" ".join(statement.split()).lower())

    event.listen(Engine, "before_cursor_execute", seen)
    try:
        backup.restore(db.engine, archive)
    finally:
        event.remove(Engine, "before_cursor_execute", seen)
    assert not [s for s in statements if s.startswith("update movement")]
    assert [s for s in statements if s.startswith("update unit")]
    assert snapshot(db.engine) == expected
    assert _left_over(tmp_root) == []


# ----------------------------------------------------------------------------- integrity


def _corrupt_demo_copy(tmp_path: Path) -> Path:
    """A copy of a demo database with the root page of ``movement`` overwritten."""
    source = _source(tmp_path, "demo.sqlite3")
    source.close()
    path = tmp_path / "corrupt.sqlite3"
    path.write_bytes((tmp_path / "demo.sqlite3").read_bytes())
    with sqlite3.connect(path) as conn:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        root = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'movement'"
        ).fetchone()[0]
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.close()
    assert 1 < root < pages
    with path.open("r+b") as fh:
        fh.seek((root - 1) * page_size + 8)
        fh.write(b"\xa5" * (page_size - 16))
    return path


def test_corrupt_page_found_by_check_and_refused_by_backup(
    tmp_path: Path, tmp_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _corrupt_demo_copy(tmp_path)
    capsys.readouterr()
    assert main(["--db", str(path), "check", "--format", "json"]) == 1
    found = json.loads(capsys.readouterr().out)
    assert found and {v["rule"] for v in found} == {"sqlite_quick_check"}
    assert main(["--db", str(path), "check", "--full", "--format", "json"]) == 1
    assert {v["rule"] for v in json.loads(capsys.readouterr().out)} == {"sqlite_integrity_check"}

    for dest in ("copy.sqlite3", "copy.dpbackup"):
        assert main(["--db", str(path), "db", "backup", str(tmp_path / dest)]) == 2
        err = capsys.readouterr().err
        assert "已损坏" in err and "quick_check" in err
        assert not (tmp_path / dest).exists()

    target = make_engine(f"sqlite:///{tmp_path / 'target.sqlite3'}")
    with pytest.raises(ValidationError, match="已损坏"):
        backup.restore(target, path)  # nor is it restored
    target.dispose()
    assert _left_over(tmp_root) == []


def test_check_full_passes_on_a_sound_database(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    """SQLite: quick_check / integrity_check say ok. PostgreSQL: with amcheck (installed here
    when the server has it) every index of the schema is checked, else only run_checks."""
    from drillplan.backup.integrity import pg_indexes_checked

    _demo(db)
    if not db.is_sqlite:
        with db.engine.begin() as conn:
            available = conn.scalar(
                text("SELECT 1 FROM pg_available_extensions WHERE name = 'amcheck'")
            )
            if available:
                conn.execute(text("CREATE EXTENSION IF NOT EXISTS amcheck"))
        with db.sessions() as session:
            assert (pg_indexes_checked(session) > 10) == bool(available)
    for extra in ([], ["--full"]):
        assert main(["--db", db.url, "check", *extra, "--format", "json"]) == 0
        assert json.loads(capsys.readouterr().out) == []


def test_backup_verifies_the_copy(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = _source(tmp_path)
    source.close()
    for name in ("copy.sqlite3", "copy.dpbackup"):
        assert (
            main(["--db", str(tmp_path / "source.sqlite3"), "db", "backup", str(tmp_path / name)])
            == 0
        )
        assert "备份完成" in capsys.readouterr().out
    assert backup.backup_revision(tmp_path / "copy.sqlite3") == migrate.head_revision()
    manifest = dump.read_manifest(tmp_path / "copy.dpbackup")
    assert dump.verify_dump(tmp_path / "copy.dpbackup", set(manifest["tables"])) == manifest


# ----------------------------------------------------------------------------- login


def _admin(database: Database, username: str = "admin") -> None:
    with database.session() as session:
        create_user(session, username=username, password=PASSWORD, role=Role.ADMIN)


def _backup_without_users(tmp_path: Path) -> Path:
    source = _source(tmp_path, "nousers.sqlite3")
    path = backup.backup(source.engine, tmp_path / "nousers.dpbackup")
    source.close()
    return path


def test_restore_keeps_login_required(db: Database, tmp_path: Path, tmp_root: Path) -> None:
    """A target that requires login refuses a backup without an administrator, and keeps
    its login setting whatever the backup says."""
    _demo(db)
    with db.session() as session:
        set_login_required(session, True)
    _admin(db)
    _refused(db.engine, _backup_without_users(tmp_path), "没有有效的管理员", "administrator")

    other = open_db(tmp_path / "with-admin.sqlite3")  # login off there, one administrator
    _demo(other)
    _admin(other, "keeper")
    with other.session() as session:
        assert not login_setting(session)
    archive = backup.backup(other.engine, tmp_path / "with-admin.dpbackup")
    other.close()
    backup.restore(db.engine, archive)
    with db.sessions() as session:
        assert login_setting(session)  # still required
        from drillplan.auth.users import list_users

        assert [u.username for u in list_users(session)] == ["keeper"]
    assert _left_over(tmp_root) == []


def test_restore_does_not_turn_login_on_either(tmp_path: Path, tmp_root: Path) -> None:
    source = _source(tmp_path)
    _admin(source)
    with source.session() as session:
        set_login_required(session, True)
    archive = backup.backup(source.engine, tmp_path / "login-on.dpbackup")
    source.close()
    target = open_db(tmp_path / "open.sqlite3")  # single-user, no login
    backup.restore(target.engine, archive)
    with target.sessions() as session:
        assert not login_setting(session)
    target.close()
    assert _left_over(tmp_root) == []

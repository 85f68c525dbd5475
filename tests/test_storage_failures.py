"""A database file that is damaged, read-only, locked by another program or on a full disk
gives one clear message and exit status 2, never a traceback (issue "No input breaks it")."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from drillplan.cli.main import main
from drillplan.db import engine as db_engine
from drillplan.db.database import open_db
from drillplan.db.failures import StorageUnavailable
from tests import factories as f

RECEIVE = [
    "stock", "receive", "--holder", "D1", "--material", "2010101", "--qty", "5",
    "--batch", "B1", "--expiry", "2030-01-01",
]  # fmt: skip


def _database(path: Path) -> Path:
    database = open_db(path)
    with database.session() as session:
        owner = f.unit(session)
        f.material(session)
        f.depot(session, owner)
    database.close()
    return path


def _run(path: Path, argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    status = main(["--db", str(path), *argv])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return status, err


def _with_pragma(monkeypatch: pytest.MonkeyPatch, *pragmas: str) -> None:
    """Every new SQLite connection also runs ``pragmas`` (after drillplan's own settings)."""
    original = db_engine._sqlite_on_connect

    def on_connect(dbapi_connection: Any, record: Any) -> None:
        original(dbapi_connection, record)
        for pragma in pragmas:
            dbapi_connection.execute(pragma)

    monkeypatch.setattr(db_engine, "_sqlite_on_connect", on_connect)


@pytest.mark.parametrize(
    "garbage", [b"\x00garbage" * 1000, b"SQLite format 3\x00" + b"\xff" * 5000]
)
def test_a_damaged_file(tmp_path: Path, capsys: pytest.CaptureFixture[str], garbage: bytes) -> None:
    path = tmp_path / "broken.sqlite3"
    path.write_bytes(garbage)
    status, err = _run(path, ["check"], capsys)
    assert status == 2
    assert "损坏" in err and "damaged" in err
    assert path.read_bytes() == garbage  # left as it was
    with pytest.raises(StorageUnavailable) as info:
        open_db(path)
    assert info.value.reason == "corrupt"


def test_a_read_only_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _database(tmp_path / "ro.sqlite3")
    if os.geteuid() == 0:  # root writes through chmod: make SQLite itself refuse writes
        _with_pragma(monkeypatch, "PRAGMA query_only = ON")
    else:
        path.chmod(0o444)
    status, err = _run(path, RECEIVE, capsys)
    assert status == 2
    assert "只读" in err and "read-only" in err


def test_a_read_only_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    path = _database(folder / "db.sqlite3")
    if os.geteuid() == 0:
        _with_pragma(monkeypatch, "PRAGMA query_only = ON")
    else:
        (folder / "db.sqlite3").chmod(0o444)
        folder.chmod(0o555)
    try:
        status, err = _run(path, RECEIVE, capsys)
    finally:
        folder.chmod(0o755)
    assert status == 2
    assert "只读" in err or "无法打开" in err


@pytest.fixture
def locker(tmp_path: Path) -> Iterator[tuple[Path, subprocess.Popen[str]]]:
    """Another program holding an exclusive transaction on the database file."""
    path = _database(tmp_path / "locked.sqlite3")
    code = (
        "import sqlite3, sys\n"
        f"c = sqlite3.connect({str(path)!r}, isolation_level=None)\n"
        "c.execute('BEGIN EXCLUSIVE')\n"
        "print('locked', flush=True)\n"
        "sys.stdin.read()\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
    yield path, proc
    assert proc.stdin is not None
    proc.stdin.close()
    proc.wait(timeout=10)


def test_a_file_locked_by_another_program(
    locker: tuple[Path, subprocess.Popen[str]],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path, _proc = locker
    monkeypatch.setattr(db_engine, "BUSY_TIMEOUT_MS", 200)  # do not wait ten seconds
    status, err = _run(path, RECEIVE, capsys)
    assert status == 2
    assert "锁定" in err and "locked" in err


def test_a_full_disk(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "full.sqlite3"
    open_db(path).close()  # an empty database at head: loading the demo data must grow it
    with sqlite3.connect(path) as conn:
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
    _with_pragma(monkeypatch, f"PRAGMA max_page_count = {pages}")  # the file cannot grow
    status, err = _run(path, ["demo"], capsys)
    assert status == 2
    assert "磁盘已满" in err and "disk is full" in err
    monkeypatch.undo()
    status, _err = _run(path, ["check"], capsys)
    assert status == 0  # nothing half-written


def test_an_output_file_that_cannot_be_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _database(tmp_path / "ok.sqlite3")
    status, err = _run(path, ["export", "materials", str(tmp_path / ("x" * 300))], capsys)
    assert status == 2 and "文件名过长" in err
    status, err = _run(path, ["export", "materials", str(tmp_path)], capsys)
    assert status == 2 and "无法写入文件" in err and "文件夹" in err  # the target is a folder

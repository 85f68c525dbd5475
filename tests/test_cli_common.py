"""The command line's one session opener: work, commit, then print."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from drillplan.cli.main import main
from drillplan.db.database import open_db
from drillplan.db.models import Lot, Movement
from tests import factories as f

RECEIVE = [
    "stock", "receive", "--holder", "D1", "--material", "2010101", "--qty", "5",
    "--date", "2025-01-02", "--production", "2025-01-01", "--expiry", "2027-01-01",
]  # fmt: skip


def _database(path: Path) -> str:
    database = open_db(path)
    with database.session() as session:
        owner = f.unit(session)
        f.material(session)
        f.depot(session, owner)
    database.close()
    return str(path)


def _lots(path: str) -> int:
    database = open_db(path)
    with database.session() as session:
        count = session.scalar(select(func.count(Lot.id))) or 0
    database.close()
    return count


def test_output_closed_early_still_saves_every_receipt(tmp_path: Path) -> None:
    """`drillplan stock receive ... | head -c 0`: the reader is gone before anything is
    printed, the process ends on SIGPIPE, and the receipt is saved all the same."""
    path = _database(tmp_path / "pipe.sqlite3")
    for n in range(3):
        command = [sys.executable, "-m", "drillplan", "--db", path, *RECEIVE, "--batch", f"B{n}"]
        with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
            assert proc.stdout is not None
            proc.stdout.close()  # like `| head -c 0`: nobody reads
            proc.wait(timeout=60)
    assert _lots(path) == 3


def test_nothing_is_printed_when_the_command_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _database(tmp_path / "bad.sqlite3")
    assert main(["--db", path, *RECEIVE, "--batch", "OK"]) == 0
    shown = capsys.readouterr().out
    assert "receipt" in shown
    # the same batch again is refused: no output on stdout, the error on stderr, no new rows
    assert main(["--db", path, *RECEIVE[:-2], "--expiry", "2027-02-01", "--batch", "OK"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "错误" in captured.err
    database = open_db(path)
    with database.session() as session:
        assert session.scalar(select(func.count(Movement.id))) == 1
        assert session.scalar(select(Lot.expiry_date)) == dt.date(2027, 1, 1)
    database.close()

"""Files written whole or not at all: on a real full disk (a small tmpfs) every file the tool
writes (exports, templates, PDF reports, iCalendar) fails with one clear message and exit 2,
leaves no file, and keeps the file that was there before."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from openpyxl import load_workbook

from drillplan.cli.main import main
from drillplan.db.database import Database
from drillplan.kernel.atomic import FileWriteError, atomic_path, atomic_write
from drillplan.kernel.progress import Cancelled, Progress
from drillplan.kernel.vocab import EmergencyCategory, PlanKind
from drillplan.plans.register import create_plan
from drillplan.reports.registry import build_report
from tests import factories as f
from tests.support.disk import full_disk, listing

OLD = b"the previous file, kept\n"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_text_and_binary_files_are_written_with_the_usual_permissions(tmp_path: Path) -> None:
    with atomic_write(tmp_path / "a.csv", "w", encoding="utf-8-sig", newline="") as fh:
        fh.write("编码,名称\r\n")
    with atomic_write(tmp_path / "sub" / "b.bin") as fh:  # the folder is made
        fh.write(b"\x00\x01")
    assert (tmp_path / "a.csv").read_bytes() == "\ufeff编码,名称\r\n".encode()
    assert (tmp_path / "sub" / "b.bin").read_bytes() == b"\x00\x01"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv", "sub"]
    assert (tmp_path / "a.csv").stat().st_mode & 0o777 == 0o666 & ~_umask()


def test_an_error_while_writing_leaves_the_previous_file(tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"
    target.write_bytes(OLD)
    with pytest.raises(RuntimeError), atomic_write(target) as fh:
        fh.write(b"half a file")
        raise RuntimeError("the builder failed")
    with pytest.raises(RuntimeError), atomic_path(target) as temp:
        temp.write_bytes(b"half a file")
        raise RuntimeError("the builder failed")
    assert listing(tmp_path) == {"out.xlsx": OLD}


def test_a_writer_may_close_the_file_or_write_to_the_path(tmp_path: Path) -> None:
    with atomic_write(tmp_path / "closed.bin") as fh:
        fh.write(b"complete")
        fh.close()
    with atomic_path(tmp_path / "by-path.bin") as temp:
        assert temp.parent == tmp_path and temp.exists()
        temp.write_bytes(b"by path")
    assert listing(tmp_path) == {"closed.bin": b"complete", "by-path.bin": b"by path"}


def test_a_folder_in_the_way_is_named_in_the_message(tmp_path: Path) -> None:
    (tmp_path / "report.pdf").mkdir()
    with pytest.raises(FileWriteError) as caught, atomic_write(tmp_path / "report.pdf") as fh:
        fh.write(b"x")
    assert "report.pdf" in str(caught.value) and "目标是一个文件夹" in str(caught.value)
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]


@pytest.fixture
def filled(db: Database) -> Database:
    with db.session() as session:
        unit = f.unit(session, "310118-YJJ", name="青浦区应急管理局")
        f.material(session)
        f.depot(session, unit)
        create_plan(
            session,
            code="QP-ZX-001",
            title="青浦区防汛防台专项应急预案",
            kind=PlanKind.SPECIAL,
            category=EmergencyCategory.NATURAL,
            owner_unit_id=unit.id,
        )
        f.drill(session, unit, starts_at=dt.datetime(2025, 5, 20, 9))
    return db


# (file name, command line with {f} for the file)
WRITERS = [
    ("plans.xlsx", ["export", "plans", "{f}"]),
    ("materials.csv", ["export", "materials", "{f}"]),
    ("depots-template.xlsx", ["template", "depots", "{f}"]),
    ("plans.pdf", ["report", "plans", "-o", "{f}", "--as-of", "2025-06-01"]),
    ("drills.ics", ["drills", "ics", "--year", "2025", "-o", "{f}"]),
]


def _run(db: Database, argv: list[str], path: Path, capsys: pytest.CaptureFixture[str]) -> int:
    capsys.readouterr()
    return main(["--db", db.url, *(str(path) if a == "{f}" else a for a in argv)])


@pytest.mark.parametrize("previous", [True, False], ids=["over-a-file", "new-file"])
@pytest.mark.parametrize(("name", "argv"), WRITERS, ids=[w[0] for w in WRITERS])
def test_a_full_disk_exits_2_with_one_message_and_leaves_no_file(
    filled: Database,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    argv: list[str],
    previous: bool,
) -> None:
    before = {name: OLD} if previous else {}
    with full_disk(tmp_path / "disk", keep=before) as disk:
        status = _run(filled, argv, disk / name, capsys)
        err = capsys.readouterr().err
        assert status == 2, err
        assert listing(disk) == before  # no partial file, no temporary file, the old one kept
    assert "磁盘空间不足" in err and "no space left on device" in err
    assert name in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(("name", "argv"), WRITERS, ids=[w[0] for w in WRITERS])
def test_with_room_the_same_commands_replace_the_file_whole(
    filled: Database,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    argv: list[str],
) -> None:
    (out := tmp_path / "out").mkdir()
    target = out / name
    target.write_bytes(OLD)
    assert _run(filled, argv, target, capsys) == 0, capsys.readouterr().err
    assert [p.name for p in out.iterdir()] == [name]
    data = target.read_bytes()
    assert data != OLD
    if name.endswith(".xlsx"):
        assert load_workbook(target).sheetnames
    elif name.endswith(".pdf"):
        assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF")
    elif name.endswith(".ics"):
        assert data.startswith(b"BEGIN:VCALENDAR") and data.rstrip().endswith(b"END:VCALENDAR")
    else:
        assert data.decode("utf-8-sig").startswith("物资编码,")


def test_a_cancelled_report_leaves_the_previous_file(filled: Database, tmp_path: Path) -> None:
    (out := tmp_path / "out").mkdir()
    target = out / "plans.pdf"
    target.write_bytes(OLD)
    progress = Progress()
    progress.cancel()
    with filled.session() as session, pytest.raises(Cancelled):
        build_report(session, "plans", target, as_of=dt.date(2025, 6, 1), progress=progress)
    assert listing(out) == {"plans.pdf": OLD}

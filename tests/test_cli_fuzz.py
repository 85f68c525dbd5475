"""No typed value breaks it: every command, every option that takes a value, a table of bad
values (issue "No input breaks it").

Each case runs ``drillplan.cli.main.main`` in-process against a copy of the demo database and
asserts: the exit status is 0, 1 or 2; nothing escapes as an exception or a "Traceback" on
stderr; and a command that exits 2 (bad input) leaves the database exactly as it was.
A case that exits 0 or 1 may have written: the pristine demo file is copied back after it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from drillplan.cli import main as cli_main
from drillplan.db.database import open_db
from drillplan.demo import load_demo

AS_OF = dt.date(2026, 3, 2)
SKIPPED = {("gui",), ("screenshot",)}  # they open windows

BAD_VALUES = [
    "garbage",
    "1e309",
    "-1",
    "99999999999999999999",
    "9999-12-31",
    "2026-02-30",
    "x" * 5000,
    "",
    "NaN",
]

# a value for each required option (by dest) that names something of the demo data set, so a
# case gets past the other options to the one that is fed the bad value
GOOD = {
    "holder": "CK-310118001",
    "from_holder": "CK-310118001",
    "to_holder": "CK-310118002",
    "material": "1010101",
    "qty": "1",
    "batch": "FUZZ-1",
    "lot": "1",
    "lots": "1",
    "counts": "1=5",
    "movement": "1",
    "new_batch": "FUZZ-2",
    "reason": "fuzz",
    "plan": "QP-BM-2020-001",
    "drill": "YL-2024-001",
    "team": "TD-JZ-001",
    "unit": "310000",
    "owner": "310000",
    "organiser": "310000",
    "depot": "CK-310118001",
    "year": "2026",
    "from_year": "2026",
    "date": "2026-03-01",
    "start": "2026-05-01 09:00",
    "end": "2026-05-01 12:00",
    "issued_on": "2025-01-01",
    "event": "1",
    "member": "施军",
    "username": "fuzzer",
    "code": "FUZZ-001",
    "name": "模糊测试",
    "title": "模糊测试",
    "summary": "fuzz",
    "number": "FUZZ-NO-1",
    "cert_type": "救援员证",
    "value": "30,90",
    "uom": "件",
}
# extra arguments a command needs to stay quick or to be about the demo data
BASE_EXTRA = {("bench",): ["--scale", "tiny", "--generate-only"]}


def _leaves(
    parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        yield prefix, parser
        return
    seen: set[int] = set()
    for name, sub in subs[0].choices.items():
        if id(sub) not in seen:
            seen.add(id(sub))
            yield from _leaves(sub, (*prefix, name))


def _takes_value(action: argparse.Action) -> bool:
    return action.nargs != 0 and not isinstance(action, argparse._HelpAction)


def _good(action: argparse.Action, tmp: Path) -> str:
    if action.choices:
        return str(next(iter(action.choices)))
    if action.dest in ("file", "output", "out", "dir"):
        return str(tmp / f"out-{action.dest}.xlsx")
    if action.dest == "kind":
        return "lots"
    if action.dest == "key":
        return "expiry_horizons"
    return GOOD.get(action.dest, "1")


def _argv(
    command: tuple[str, ...],
    parser: argparse.ArgumentParser,
    target: argparse.Action,
    bad: str,
    tmp: Path,
) -> list[str]:
    positionals: list[str] = []
    options: list[str] = list(BASE_EXTRA.get(command, []))
    for action in parser._actions:
        if not _takes_value(action):
            continue
        if not action.option_strings:
            positionals.append(bad if action is target else _good(action, tmp))
        elif action is target:
            options += [action.option_strings[-1], bad]
        elif action.required:
            options += [action.option_strings[-1], _good(action, tmp)]
    # "--opt=value": a bad value that starts with "-" is still the option's value
    joined: list[str] = []
    i = 0
    while i < len(options):
        if options[i].startswith("-") and i + 1 < len(options):
            joined.append(f"{options[i]}={options[i + 1]}")
            i += 2
        else:
            joined.append(options[i])
            i += 1
    return [*command, *joined, *(["--"] if positionals else []), *positionals]


def _cases(tmp: Path) -> list[tuple[tuple[str, ...], list[str]]]:
    cases = []
    top = cli_main.build_parser()
    for action in top._actions:  # the global options (--db, --user), on one command
        if _takes_value(action) and action.option_strings:
            for bad in BAD_VALUES:
                cases.append(((), [f"{action.option_strings[-1]}={bad}", "check"]))
    for command, parser in _leaves(cli_main.build_parser()):
        if command in SKIPPED:
            continue
        for action in parser._actions:
            if _takes_value(action):
                for bad in BAD_VALUES:
                    cases.append((command, _argv(command, parser, action, bad, tmp)))
    return cases


def _content(path: Path) -> str:
    """Every row of every table, hashed (the audit log included: a refused command logs
    nothing either)."""
    digest = hashlib.sha256()
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in sorted(tables):
            digest.update(table.encode())
            # a failed login is recorded (auth.login_failed) even though the command fails
            where = " WHERE action <> 'auth.login_failed'" if table == "audit_log" else ""
            for row in conn.execute(f'SELECT * FROM "{table}"{where} ORDER BY 1'):
                digest.update(repr(row).encode())
    finally:
        conn.close()
    return digest.hexdigest()


def _file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _same_bytes(db: Path, file_hash: str) -> bool:
    wal = Path(f"{db}-wal")
    return _file_hash(db) == file_hash and (not wal.exists() or wal.stat().st_size == 0)


def _restore(pristine: Path, db: Path) -> None:
    for extra in (Path(f"{db}-wal"), Path(f"{db}-shm")):
        extra.unlink(missing_ok=True)
    shutil.copy(pristine, db)


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("fuzz") / "pristine.sqlite3"
    database = open_db(path)
    with database.session() as session:
        load_demo(session, as_of=AS_OF)
    database.close()
    return path


def test_no_typed_value_breaks_a_command(
    pristine: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)  # relative output files land here
    db = tmp_path / "demo.sqlite3"
    shutil.copy(pristine, db)
    monkeypatch.setenv("DRILLPLAN_DATABASE_URL", str(db))
    monkeypatch.setenv("DRILLPLAN_PASSWORD", "Fuzz-pass-2026!")
    monkeypatch.delenv("DRILLPLAN_USER", raising=False)
    parser = cli_main.build_parser()
    monkeypatch.setattr(cli_main, "build_parser", lambda only=None: parser)  # built once
    before, before_file = _content(db), _file_hash(db)
    cases = _cases(work)
    failures: list[str] = []
    for _command, argv in cases:
        given_db = [] if argv[0].startswith("--db=") else ["--db", str(db)]
        try:
            status = cli_main.main([*given_db, *argv])
        except SystemExit as exc:  # argparse refused the value
            status = exc.code if isinstance(exc.code, int) else 2
        except BaseException as exc:  # the very thing this test looks for
            status = None
            failures.append(f"{argv!r}: {type(exc).__name__}: {str(exc)[:300]}")
        err = capsys.readouterr().err
        if status is not None and status not in (0, 1, 2):
            failures.append(f"{argv!r}: exit {status}")
        if "Traceback" in err:
            failures.append(f"{argv!r}: traceback on stderr: {err[-300:]}")
        if status != 2:  # it may have written: start the next case from the demo again
            _restore(pristine, db)
        elif not _same_bytes(db, before_file):  # quick; else compare every row
            if _content(db) != before:
                failures.append(f"{argv!r}: exit 2 but the database changed")
            _restore(pristine, db)
    print(f"{len(cases)} cases tried, {len(failures)} failed")
    assert len(cases) > 3000
    assert not failures, "\n".join(failures[:60]) + f"\n... {len(failures)} failures"

"""Concurrent writers get a clear answer: they wait, or are told why not; never a traceback.

- Writer processes on one SQLite file issue from the same lots (the ledger function as the
  command line runs it, and the ``drillplan`` command itself): every operation succeeds or is
  refused for insufficient stock; the ledger equals the successes; ``drillplan check`` passes.
- Opposite transfers between two depots (SQLite, and PostgreSQL when configured) never
  deadlock: the PostgreSQL writers run without any retry, so a deadlock would show.
- Two edits of one plan made on the same version: one wins, the other is an ``EditConflict``
  naming the plan, through the core and through ``drillplan plans set`` (exit 2); a save made
  stale by another user (``StaleDataError`` in SQLAlchemy) is an ``EditConflict`` too, even
  when it surfaces at commit.
- A database that stays busy, or reports a deadlock, is retried a bounded number of times and
  then refused with a message asking to try again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

import psycopg
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError, OperationalError

from drillplan.auth.login import ENV_PASSWORD, login
from drillplan.cli.common import Out, run
from drillplan.cli.main import main
from drillplan.db import retry
from drillplan.db.database import Database, open_db
from drillplan.db.models import Lot, Movement, Plan
from drillplan.kernel.errors import EditConflict
from drillplan.kernel.vocab import MovementKind
from drillplan.plans import register
from drillplan.stock import ledger
from drillplan.stock.check import run_checks
from tests.conftest import PG_URL, fresh_database
from tests.support.org import PASSWORDS, TODAY, Org, build_org

ROOT = Path(__file__).resolve().parent.parent
ON = TODAY.isoformat()
INSUFFICIENT = (
    "超过可用库存",
    "不足以出库",
    "的可用库存",
)  # the ways the ledger says "not enough stock" (the last: on a date, stock/dates.py)


# ----------------------------------------------------------------------------- helpers


def _writers(tmp_path: Path, specs: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Run one ``tests.support.stress`` process per spec, started together; their results."""
    go = tmp_path / "go"
    procs = []
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for i, spec in enumerate(specs):
        spec = {"seed": i, "ready": str(tmp_path / f"ready-{i}"), "go": str(go), **spec}
        path = tmp_path / f"spec-{i}.json"
        path.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
        procs.append(
            subprocess.Popen(
                [sys.executable, "-m", "tests.support.stress", str(path)],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
    deadline = time.monotonic() + 120
    while not all((tmp_path / f"ready-{i}").exists() for i in range(len(specs))):
        assert all(p.poll() is None for p in procs), [p.communicate() for p in procs]
        assert time.monotonic() < deadline, "writers did not start"
        time.sleep(0.02)
    go.write_text("go", encoding="utf-8")
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1])["results"])
    return results


def _tally(results: list[list[dict[str, Any]]]) -> dict[str, int]:
    flat = [r for per in results for r in per]
    return {k: sum(r["outcome"] == k for r in flat) for k in ("ok", "refused", "traceback")}


def _assert_clear_answers(
    results: list[list[dict[str, Any]]], *, refusals: tuple[str, ...]
) -> None:
    """No traceback; every refusal is exit 2 with one of the expected messages."""
    for per in results:
        for r in per:
            assert r["outcome"] != "traceback", r["text"]
            if r["outcome"] == "refused":
                assert r["status"] == 2, r
                assert any(word in r["text"] for word in refusals), r["text"]


def _check_is_clean(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    """``drillplan check`` (on PostgreSQL as the administrator) passes."""
    capsys.readouterr()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(ENV_PASSWORD, PASSWORDS["admin"])
        status = main(["--db", db.url, *_cli_user(db, "admin"), "check"])
    out = capsys.readouterr().out
    assert status == 0, out
    assert "检查通过" in out


def _add_lots(db: Database, org: Org, *lots: tuple[str, int, dt.date]) -> None:
    with db.session() as session:
        for batch, qty, expiry in lots:
            ledger.receive(
                session,
                holder_id=org.holder1,
                material_id=org.material,
                quantity=qty,
                on=TODAY,
                batch_no=batch,
                expiry_date=expiry,
                today=TODAY,
            )


def _issued(db: Database, holder_id: int) -> Decimal:
    with db.session() as session:
        total = session.scalar(
            select(func.coalesce(func.sum(Movement.quantity), 0))
            .join(Lot, Lot.id == Movement.lot_id)
            .where(Lot.holder_id == holder_id, Movement.kind == MovementKind.ISSUE)
        )
    return -Decimal(total)


def _on_hand(db: Database, holder_id: int) -> Decimal:
    with db.session() as session:
        total = session.scalar(
            select(func.coalesce(func.sum(Lot.on_hand), 0)).where(Lot.holder_id == holder_id)
        )
    return Decimal(total)


def _ok_qty(results: list[list[dict[str, Any]]]) -> Decimal:
    return Decimal(sum(r["qty"] for per in results for r in per if r["outcome"] == "ok"))


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Iterator[Database]:
    database = open_db(tmp_path / "shared.sqlite3")
    yield database
    database.close()


def _login_spec(db: Database, user: str) -> dict[str, Any]:
    """What a writer of ``db`` needs to log in (PostgreSQL always needs a login)."""
    if db.is_sqlite:
        return {}
    return {"user": user, "password": PASSWORDS[user], "env": {ENV_PASSWORD: PASSWORDS[user]}}


def _cli_user(db: Database, user: str) -> list[str]:
    return [] if db.is_sqlite else ["--user", user]


# ------------------------------------------------------------------------ SQLite writers


def test_four_processes_issue_100_times_each_from_the_same_lots_on_sqlite(
    sqlite_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    org = build_org(sqlite_db)
    _add_lots(
        sqlite_db, org, ("LJ-2", 250, dt.date(2029, 1, 1)), ("LJ-3", 250, dt.date(2031, 1, 1))
    )
    received = _on_hand(sqlite_db, org.holder1)
    assert received == 600
    kwargs = {"holder_id": org.holder1, "material_id": org.material, "on": ON, "today": ON}
    results = _writers(
        tmp_path,
        [
            {"mode": "issue", "db": sqlite_db.url, "n": 100, "kwargs": kwargs, "operator": f"p{i}"}
            for i in range(4)
        ],
    )
    tally = _tally(results)
    _assert_clear_answers(results, refusals=INSUFFICIENT)
    assert tally["ok"] + tally["refused"] == 400
    assert all(any(r["outcome"] == "ok" for r in per) for per in results)  # everyone wrote
    assert tally["refused"] > 0  # ~800 asked of 600: the last ones are refused
    issued = _issued(sqlite_db, org.holder1)
    assert issued == _ok_qty(results)
    assert _on_hand(sqlite_db, org.holder1) == received - issued
    with sqlite_db.session() as session:
        spans = [
            session.execute(
                select(func.min(Movement.id), func.max(Movement.id)).where(
                    Movement.operator == f"p{i}"
                )
            ).one()
            for i in range(4)
        ]
    assert all(a[0] < b[1] and b[0] < a[1] for a in spans for b in spans)  # really interleaved
    _check_is_clean(sqlite_db, capsys)


def test_four_drillplan_commands_at_once_on_sqlite_wait_for_each_other(
    sqlite_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    org = build_org(sqlite_db)
    _add_lots(sqlite_db, org, ("LJ-2", 50, dt.date(2029, 1, 1)))
    received = _on_hand(sqlite_db, org.holder1)
    argv = [
        "stock", "issue", "--holder", "D-S1", "--material", "2010101", "--qty", "{qty}",
        "--date", ON,
    ]  # fmt: skip
    results = _writers(
        tmp_path,
        [
            {"mode": "cli", "db": sqlite_db.url, "n": 25, "argv": [*argv, "--operator", f"c{i}"]}
            for i in range(4)
        ],
    )
    tally = _tally(results)
    _assert_clear_answers(results, refusals=INSUFFICIENT)
    assert tally["ok"] + tally["refused"] == 100 and tally["ok"] > 0 and tally["refused"] > 0
    for per in results:
        for r in per:
            if r["outcome"] == "ok":
                assert " issue " in r["out"]  # the commit's output, printed once
            else:
                assert r["text"].startswith("错误 (error): quantity:")
    issued = _issued(sqlite_db, org.holder1)
    assert issued == _ok_qty(results)
    assert _on_hand(sqlite_db, org.holder1) == received - issued
    _check_is_clean(sqlite_db, capsys)


# ------------------------------------------------------------------ opposite transfers


def test_opposite_transfers_between_two_depots_never_deadlock(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    org = build_org(db)
    # a second batch only at the first depot, taken first (FEFO): transfers create its lot
    _add_lots(db, org, ("LJ-0", 60, dt.date(2027, 1, 1)))
    total = _on_hand(db, org.holder1) + _on_hand(db, org.holder2)
    directions = [(org.holder1, org.holder2), (org.holder2, org.holder1)]
    specs = [
        {
            "mode": "transfer",
            "db": db.url,
            "n": 50,
            "operator": f"t{i}",
            "kwargs": {
                "from_holder_id": source,
                "to_holder_id": target,
                "material_id": org.material,
                "on": ON,
                "today": ON,
            },
            # PostgreSQL: no retry at all, so that a deadlock would be seen, not hidden
            "attempts": None if db.is_sqlite else 1,
            **_login_spec(db, "admin"),
        }
        for i, (source, target) in enumerate(directions)
    ]
    results = _writers(tmp_path, specs)
    tally = _tally(results)
    _assert_clear_answers(results, refusals=INSUFFICIENT)
    assert tally["ok"] == 100  # each side holds enough for the other's 50 transfers
    assert _on_hand(db, org.holder1) + _on_hand(db, org.holder2) == total
    with db.session() as session:
        refs = session.execute(
            select(Movement.transfer_ref, func.sum(Movement.quantity), func.count())
            .where(Movement.transfer_ref.is_not(None))
            .group_by(Movement.transfer_ref)
        ).all()
        assert len(refs) == 100
        assert all(qty == 0 and count % 2 == 0 for _ref, qty, count in refs)
        assert run_checks(session) == []
    _check_is_clean(db, capsys)


# ------------------------------------------------------------------------- plan edits


def _plan(db: Database, org: Org, **extra: Any) -> tuple[int, int]:
    with db.session() as session:
        plan = register.create_plan(
            session,
            code="QP-YA-01",
            title="青浦区防汛防台专项应急预案",
            kind="special",
            category="natural",
            owner_unit_id=org.district,
            on=TODAY,
            today=TODAY,
            **extra,
        )
        return plan.id, plan.row_version


def _client(db: Database) -> Database:
    client = open_db(db.url)
    if not db.is_sqlite:
        login(client, "admin", PASSWORDS["admin"])
    return client


def test_two_edits_of_one_plan_at_once_one_wins_the_other_conflicts(db: Database) -> None:
    org = build_org(db)
    plan_id, loaded = _plan(db, org)
    clients = [_client(db), _client(db)]
    edits = [
        {"title": "青浦区防汛防台专项应急预案（2025年修订稿）"},
        {"notes": "补充轨交大客流联动内容"},
    ]
    barrier = threading.Barrier(2)
    results: list[Any] = [None, None]

    def edit(i: int) -> None:
        def work(session: Any) -> Plan:
            plan = register.update_plan(
                session, plan_id=plan_id, expected_version=loaded, **edits[i]
            )
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait(timeout=2)  # both inside their transaction at once (first attempt)
            return plan

        try:
            results[i] = retry.in_transaction(clients[i], work)
        except Exception as exc:
            results[i] = exc

    threads = [threading.Thread(target=edit, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    conflicts = [r for r in results if isinstance(r, EditConflict)]
    assert len(conflicts) == 1 and sum(isinstance(r, Plan) for r in results) == 1, results
    assert "预案 QP-YA-01" in str(conflicts[0]) and "已被他人修改" in str(conflicts[0])
    with db.session() as session:
        assert session.get_one(Plan, plan_id).row_version == loaded + 1
    for client in clients:
        client.close()


def test_a_save_made_stale_by_another_user_is_an_edit_conflict_at_commit(db: Database) -> None:
    org = build_org(db)
    plan_id, loaded = _plan(db, org)
    mine, theirs = _client(db), _client(db)
    session = mine.sessions()  # a desktop editor keeps its rows between transactions
    with session.begin():
        plan = session.get_one(Plan, plan_id)
    with theirs.session() as other:
        row = other.get_one(Plan, plan_id)
        row.title, row.notes = "他人修改的标题", "他人的备注"
    with pytest.raises(EditConflict) as err, session.begin():
        plan.filed_with = "上海市应急管理局"  # flushed by the commit, not by the code
    conflict = err.value
    text_ = str(conflict)
    assert "预案 QP-YA-01 已被他人修改" in text_ and "(plan QP-YA-01 was changed" in text_
    assert "title" in text_ and "notes" in text_  # what the other user changed
    assert conflict.expected_version == loaded and conflict.current_version == loaded + 1
    assert conflict.current is not None and conflict.current["title"] == "他人修改的标题"
    assert conflict.attempted == {"filed_with": "上海市应急管理局"}
    session.close()

    session = mine.sessions()
    with session.begin():
        plan = session.get_one(Plan, plan_id)
    with theirs.session() as other:
        other.execute(text("DELETE FROM plan_status_change WHERE plan_id = :id"), {"id": plan_id})
        other.delete(other.get_one(Plan, plan_id))
    with pytest.raises(EditConflict, match="预案 QP-YA-01 已被他人删除"), session.begin():
        plan.notes = "改"
        session.flush()
    session.close()
    mine.close()
    theirs.close()


def test_two_plan_set_commands_on_one_version_one_wins_the_other_exits_2(
    db: Database, tmp_path: Path
) -> None:
    org = build_org(db)
    _plan_id, loaded = _plan(db, org)
    specs = [
        {
            "mode": "cli",
            "db": db.url,
            "n": 1,
            "argv": [
                *_cli_user(db, "admin"),
                "plans",
                "set",
                "QP-YA-01",
                "--expected-version",
                str(loaded),
                "--title",
                f"第{i}稿",
                "--format",
                "json",
            ],
            **_login_spec(db, "admin"),
        }
        for i in range(2)
    ]
    results = [per[0] for per in _writers(tmp_path, specs)]
    assert sorted(r["outcome"] for r in results) == ["ok", "refused"], results
    refused = next(r for r in results if r["outcome"] == "refused")
    assert refused["status"] == 2
    assert refused["text"].startswith("错误 (error): 预案 QP-YA-01 已被他人修改")
    assert "Traceback" not in refused["text"]
    won = next(r for r in results if r["outcome"] == "ok")
    assert json.loads(won["out"])["row_version"] == loaded + 1


def test_two_plan_revisions_at_once_both_get_a_clear_answer(db: Database, tmp_path: Path) -> None:
    org = build_org(db)
    _plan(db, org, status="published", approved_on=TODAY, published_on=TODAY)
    specs = [
        {
            "mode": "cli",
            "db": db.url,
            "n": 1,
            "argv": [
                *_cli_user(db, "admin"),
                "plans",
                "revise",
                "--plan",
                "QP-YA-01",
                "--reason",
                "info_changed",
                "--summary",
                f"第{i}次修订",
                "--version",
                "2.0",
                "--date",
                ON,
            ],
            **_login_spec(db, "admin"),
        }
        for i in range(2)
    ]
    results = [per[0] for per in _writers(tmp_path, specs)]
    assert sorted(r["outcome"] for r in results) == ["ok", "refused"], results
    refused = next(r for r in results if r["outcome"] == "refused")
    assert refused["status"] == 2 and "已有版本 2.0" in refused["text"], refused


# ---------------------------------------------------------------- busy and deadlocks


def test_a_command_waits_for_another_writer_then_runs(
    sqlite_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    build_org(sqlite_db)
    path = sqlite_db.engine.url.database
    assert path is not None
    blocker = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    blocker.execute("BEGIN IMMEDIATE")  # another program holds the write lock for a moment
    threading.Timer(1.0, blocker.rollback).start()
    argv = ["--db", sqlite_db.url, "stock", "issue", "--holder", "D-S1", "--material", "2010101"]
    started = time.monotonic()
    assert main([*argv, "--qty", "2", "--date", ON]) == 0
    assert time.monotonic() - started >= 0.9  # it waited rather than failed
    assert " issue " in capsys.readouterr().out
    blocker.close()


def test_a_database_that_stays_busy_is_refused_with_a_message(
    sqlite_db: Database, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    org = build_org(sqlite_db)
    monkeypatch.setattr("drillplan.db.engine.BUSY_TIMEOUT_MS", 50)
    monkeypatch.setitem(retry.ATTEMPTS, "sqlite", 3)
    path = sqlite_db.engine.url.database
    assert path is not None
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # and keeps it
    try:
        argv = ["--db", sqlite_db.url, "stock", "issue", "--holder", "D-S1"]
        status = main([*argv, "--material", "2010101", "--qty", "2", "--date", ON])
    finally:
        blocker.rollback()
        blocker.close()
    captured = capsys.readouterr()
    assert status == 2
    assert captured.out == ""
    assert "数据库正忙" in captured.err and "try again" in captured.err
    assert _issued(sqlite_db, org.holder1) == 0


def test_an_abandoned_attempt_prints_nothing(
    sqlite_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    import argparse

    org = build_org(sqlite_db)
    calls: list[int] = []

    def body(session: Any, out: Out) -> int:
        calls.append(1)
        out.print(f"attempt {len(calls)}")
        session.get_one(Lot, org.lot1).location = f"A-{len(calls)}"
        if len(calls) == 1:
            locked = sqlite3.OperationalError("database is locked")
            raise OperationalError("UPDATE lot ...", {}, locked)
        return 0

    assert run(argparse.Namespace(db=sqlite_db.url), body) == 0
    assert capsys.readouterr().out == "attempt 2\n"
    with sqlite_db.session() as session:
        assert session.get_one(Lot, org.lot1).location == "A-2"


def test_only_transient_database_errors_are_retried() -> None:
    def wrapped(orig: BaseException) -> OperationalError:
        return OperationalError("SELECT 1", {}, orig)

    assert retry.is_transient(wrapped(psycopg.errors.DeadlockDetected("deadlock detected")))
    assert retry.is_transient(wrapped(psycopg.errors.SerializationFailure("could not serialize")))
    assert retry.is_transient(wrapped(sqlite3.OperationalError("database is locked")))
    assert not retry.is_transient(wrapped(sqlite3.OperationalError("no such table: x")))
    assert not retry.is_transient(
        IntegrityError("INSERT", {}, psycopg.errors.UniqueViolation("duplicate key"))
    )
    assert not retry.is_transient(EditConflict("预案 X 已被他人修改"))

    calls: list[int] = []

    def always_deadlocked() -> None:
        calls.append(1)
        raise wrapped(psycopg.errors.DeadlockDetected("deadlock detected"))

    with pytest.raises(retry.BusyConflict, match="请稍后重试") as err:
        retry.call(cast(Database, None), always_deadlocked, attempts=3)
    assert len(calls) == 3 and "try again" in str(err.value)


@pytest.mark.skipif(PG_URL is None, reason="needs DRILLPLAN_TEST_DATABASE_URL (PostgreSQL)")
def test_a_real_deadlock_on_postgresql_is_retried_and_both_transactions_commit(
    tmp_path: Path,
) -> None:
    db = fresh_database("postgresql", tmp_path)  # SQLite has no row locks, so no deadlocks
    org = build_org(db)
    clients = [_client(db), _client(db)]
    barrier = threading.Barrier(2)
    attempts = [0, 0]
    results: list[Any] = [None, None]

    def lock_in_order(i: int, first: int, second: int) -> None:
        def work(session: Any) -> int:
            attempts[i] += 1
            session.execute(text("SELECT id FROM lot WHERE id = :id FOR UPDATE"), {"id": first})
            if attempts[i] == 1:
                barrier.wait(timeout=10)  # both hold their first lock: a deadlock follows
            session.execute(text("SELECT id FROM lot WHERE id = :id FOR UPDATE"), {"id": second})
            session.get_one(Lot, second).location = f"by {i}"
            return attempts[i]

        try:
            results[i] = retry.in_transaction(clients[i], work)
        except Exception as exc:
            results[i] = exc

    threads = [
        threading.Thread(target=lock_in_order, args=(0, org.lot1, org.lot2)),
        threading.Thread(target=lock_in_order, args=(1, org.lot2, org.lot1)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert all(isinstance(r, int) for r in results), results  # both committed
    assert sorted(attempts) == [1, 2]  # PostgreSQL chose one victim; it ran again
    for client in clients:
        client.close()
    db.close()

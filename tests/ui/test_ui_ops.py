"""The op runner: one worker thread, results on the main thread, errors, progress, cancel."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import threading
import time
from typing import Any

import pytest
from sqlalchemy import func, select

from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton, QWidget

from drillplan.db.database import Database
from drillplan.db.models import Plan
from drillplan.kernel.errors import Conflict, ValidationError
from drillplan.kernel.progress import Cancelled, CancelToken, Progress
from tests.support.ui import settle  # fixtures: tests/ui/conftest.py

from drillplan.ui import messages, ops
from drillplan.ui.context import UiContext
from drillplan.ui.ops import Op, OpChanges

pytestmark = pytest.mark.ui


def test_ops_run_on_one_worker_thread_and_deliver_on_the_main_thread(ctx: UiContext) -> None:
    seen: list[tuple[str, Any]] = []
    main = QThread.currentThread()

    def body(session: Any) -> tuple[int, str]:
        return session.scalar(select(func.count(Plan.id))), threading.current_thread().name

    for _ in range(3):
        Op(body).success(lambda r: seen.append((r[1], QThread.currentThread() is main))).run(
            ctx.runner
        )
    settle(ctx)
    assert len(seen) == 3
    assert len({name for name, _ in seen}) == 1  # the same worker every time
    assert seen[0][0] != threading.main_thread().name
    assert all(on_main for _, on_main in seen)


def test_ops_run_in_order_and_each_commits_its_own_session(
    ctx: UiContext, demo_db: Database
) -> None:
    order: list[int] = []
    for i in range(5):
        Op(lambda _s, i=i: i).success(order.append).run(ctx.runner)
    settle(ctx)
    assert order == [0, 1, 2, 3, 4]

    def rename(session: Any) -> None:
        plan = session.scalars(select(Plan).order_by(Plan.id)).first()
        plan.title = "改名后的预案"

    Op(rename).run(ctx.runner)
    settle(ctx)
    with demo_db.session() as session:
        assert session.scalar(select(Plan.title).order_by(Plan.id)) == "改名后的预案"


def test_a_failing_op_rolls_back_and_shows_the_standard_error_dialog(
    ctx: UiContext, demo_db: Database
) -> None:
    def broken(session: Any) -> None:
        plan = session.scalars(select(Plan).order_by(Plan.id)).first()
        plan.title = "不应保存"
        raise ValidationError("title", "名称有误", message_en="bad title")

    parent = QWidget()
    Op(broken, parent=parent).run(ctx.runner)
    settle(ctx)
    texts = [str(b.property("text")) for b in messages.open_error_boxes()]
    assert any("字段：名称" in t and "名称有误" in t for t in texts)
    box = messages.open_error_boxes()[-1]
    assert "title: bad title" in str(box.property("detailedText"))
    with demo_db.session() as session:
        assert session.scalar(select(Plan.title).order_by(Plan.id)) != "不应保存"
    box.close()


def test_failure_callback_replaces_the_dialog(ctx: UiContext) -> None:
    caught: list[BaseException] = []
    before = len(messages.open_error_boxes())
    Op(lambda _s: (_ for _ in ()).throw(Conflict("已被他人修改"))).failure(caught.append).run(
        ctx.runner
    )
    settle(ctx)
    assert isinstance(caught[0], Conflict)
    assert len(messages.open_error_boxes()) == before


def test_describe_errors() -> None:
    title, text, details = messages.describe(
        ValidationError("duty_phone", "电话号码格式不正确", message_en="Invalid phone")
    )
    assert title == "输入有误" and "值班电话" in text and "电话号码格式不正确" in text
    assert details == "duty_phone: Invalid phone"
    assert messages.describe(Conflict("x"))[0] == "数据已被修改"
    assert messages.describe(RuntimeError("boom"))[0] == "程序错误"


def test_changes_applied_names_the_areas_and_the_source(ctx: UiContext) -> None:
    received: list[OpChanges] = []
    ctx.runner.changes_applied.connect(received.append)
    source = object()
    Op(lambda _s: None).changes("plans", "drills", source=source).run(ctx.runner)
    Op(lambda _s: None).run(ctx.runner)  # a read: no change announced
    settle(ctx)
    assert len(received) == 1
    assert received[0].areas == frozenset({"plans", "drills"}) and received[0].source is source
    assert received[0].touches("drills") and not received[0].touches("stock")
    with pytest.raises(ValueError, match="unknown areas"):
        Op(lambda _s: None).changes("nonsense")


def test_progress_dialog_appears_only_for_long_ops_and_cancel_stops_the_work(
    ctx: UiContext, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ops, "PROGRESS_DELAY_MS", 100)
    parent = QWidget()
    qtbot.addWidget(parent)
    steps: list[int] = []
    outcome: list[Any] = []

    def quick(_s: Any, progress: Progress) -> str:
        progress.update(1, maximum=1)
        return "done"

    Op(quick, parent=parent).with_progress("快速").success(outcome.append).run(ctx.runner)
    settle(ctx)
    QApplication.processEvents()
    time.sleep(0.15)
    QApplication.processEvents()
    assert outcome == ["done"]
    assert not parent.findChildren(QProgressDialog)  # finished before the delay

    def slow(_s: Any, progress: Progress) -> None:
        for i in range(400):
            progress.update(i, maximum=400, label=f"第 {i} 步")
            steps.append(i)
            time.sleep(0.01)

    op = Op(slow, parent=parent).with_progress("正在处理").failure(outcome.append)
    op.run(ctx.runner)
    qtbot.waitUntil(lambda: bool(parent.findChildren(QProgressDialog)), timeout=5000)
    dialog = parent.findChildren(QProgressDialog)[0]
    qtbot.waitUntil(lambda: dialog.maximum() == 400 and dialog.value() > 0, timeout=5000)
    assert "步" in dialog.labelText()
    cancel = next(b for b in dialog.findChildren(QPushButton) if b.property("text") == "取消")
    cancel.click()
    settle(ctx)
    assert isinstance(outcome[-1], Cancelled)
    assert len(steps) < 400
    assert op.progress is not None and op.progress.cancelled


def test_a_cancelled_op_without_failure_handler_shows_no_error(ctx: UiContext) -> None:
    before = len(messages.open_error_boxes())
    op = Op(lambda _s, p: p.update(1)).with_progress("x")
    assert op.progress is not None
    op.progress.cancel()  # cancelled before it started
    op.run(ctx.runner)
    settle(ctx)
    assert isinstance(op.error, Cancelled)
    assert len(messages.open_error_boxes()) == before


def test_runner_call_waits_and_raises(ctx: UiContext) -> None:
    assert ctx.runner.call(lambda s: s.scalar(select(func.count(Plan.id)))) > 0
    with pytest.raises(ValidationError):
        ctx.runner.call(lambda _s: (_ for _ in ()).throw(ValidationError("x", "错")))


def test_busy_signal_and_shutdown_drops_late_ops(demo_db: Database) -> None:
    context = UiContext.create(demo_db)
    states: list[bool] = []
    context.runner.busy_changed.connect(states.append)
    Op(lambda _s: 1).run(context.runner)
    settle(context)
    assert states == [True, False]
    context.close()
    late = Op(lambda _s: 1)
    late.run(context.runner)  # after shutdown: ignored, not an error
    assert late.delivered and context.runner.idle


def test_core_cancel_token() -> None:
    token = CancelToken()
    assert not token() and not token.cancelled
    token.check()
    token.cancel()
    assert token() and token.cancelled
    with pytest.raises(Cancelled):
        token.check()
    progress = Progress("导入", maximum=10)
    progress.step()
    snap = progress.snapshot()
    assert (snap.label, snap.value, snap.maximum, snap.cancelled) == ("导入", 1, 10, False)

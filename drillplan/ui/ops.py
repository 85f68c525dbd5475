"""The op runner: every database action of the UI runs here, off the UI thread.

As in Anki's ``aqt.operations``: a view builds an :class:`Op` around a core call
(``Op(lambda session: plans.update_plan(session, ...))``), chains ``.success()``,
``.failure()``, ``.with_progress()`` and ``.changes()``, then ``.run(runner)``. One worker
thread executes the ops in order (writes are serialised), each in its own short session
(``Database.session()``: commit on success, rollback on error). Results and errors come
back to the main thread by a queued signal; the success callback runs there. Failures land
in one standard error dialog unless the op handles them. A progress dialog appears only
when an op with progress runs longer than :data:`PROGRESS_DELAY_MS`; its Cancel button sets
the core cancel token (:class:`drillplan.kernel.progress.Progress`).

After an op that changed data, :attr:`OpRunner.changes_applied` carries an
:class:`OpChanges` naming the areas touched and the view that made the change.
"""

from __future__ import annotations

import atexit
import queue
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy.orm import Session

from PySide6.QtCore import (
    QCoreApplication,
    QElapsedTimer,
    QEventLoop,
    QObject,
    Qt,
    QThread,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import QProgressDialog, QWidget

from drillplan.db.database import Database
from drillplan.kernel.progress import Cancelled, Progress

from drillplan.ui import messages
from drillplan.ui.i18n import tr

T = TypeVar("T")
PROGRESS_DELAY_MS = 500
PROGRESS_POLL_MS = 100

# the areas an op may change; views refresh when one of theirs is named
AREAS = frozenset({"plans", "teams", "stock", "drills", "competitions", "settings", "units", "all"})
AREAS |= {"requests"}  # 调拨申请
AREAS |= {"contacts", "duty"}  # 通讯录与值班
AREAS = AREAS | {"facilities"}  # shelters and dual-use facilities (issue 14)
AREAS |= {"trainings"}  # 培训与宣教
AREAS |= {"hazards"}  # 响应矩阵 (issue 15 item 2)


@dataclass(frozen=True)
class OpChanges:
    """What an op changed: the areas touched and the view (or object) that did it."""

    areas: frozenset[str]
    source: object | None = None

    def touches(self, *areas: str) -> bool:
        return "all" in self.areas or any(a in self.areas for a in areas)


@dataclass(eq=False)
class Op(Generic[T]):
    """One UI action around a core call. ``fn(session)`` (or ``fn(session, progress)``)."""

    fn: Callable[..., T]
    parent: QWidget | None = None
    on_success: Callable[[T], None] | None = None
    on_failure: Callable[[BaseException], None] | None = None
    label: str | None = None  # set by with_progress(): fn then also receives the Progress
    areas: frozenset[str] = frozenset()
    source: object | None = None
    uses_session: bool = True
    progress: Progress | None = None
    result: Any = None
    error: BaseException | None = None
    trace: str = ""
    delivered: bool = False

    def success(self, callback: Callable[[T], None]) -> Op[T]:
        self.on_success = callback
        return self

    def failure(self, callback: Callable[[BaseException], None]) -> Op[T]:
        self.on_failure = callback
        return self

    def with_progress(self, label: str) -> Op[T]:
        self.label = label
        self.progress = Progress(label)
        return self

    def changes(self, *areas: str, source: object | None = None) -> Op[T]:
        unknown = set(areas) - AREAS
        if unknown:
            raise ValueError(f"unknown areas {sorted(unknown)}")
        self.areas = frozenset(areas)
        self.source = source
        return self

    def without_session(self) -> Op[T]:
        """The body needs no database session (e.g. testing another server)."""
        self.uses_session = False
        return self

    def run(self, runner: OpRunner) -> Op[T]:
        runner.submit(self)
        return self

    def call(self, db: Database) -> None:
        """Execute the body (on the worker thread); keeps the result or the error."""
        try:
            if self.progress is not None:
                self.progress.check()
            args: list[Any] = []
            if not self.uses_session:
                self.result = self.fn(*self._with_progress(args))
                return
            with db.session() as session:
                self.result = self.fn(*self._with_progress([session]))
        except BaseException as exc:
            self.error = exc
            self.trace = traceback.format_exc()

    def _with_progress(self, args: list[Any]) -> list[Any]:
        return [*args, self.progress] if self.progress is not None else args


class _Worker(QThread):
    """The one thread that touches the database for the UI."""

    done = Signal(object)

    def __init__(self, db: Database) -> None:
        super().__init__()
        self.db = db
        self.jobs: queue.Queue[Op[Any] | None] = queue.Queue()

    def run(self) -> None:
        while True:
            op = self.jobs.get()
            if op is None:
                return
            op.call(self.db)
            self.done.emit(op)


_live: list[OpRunner] = []


class OpRunner(QObject):
    """Runs ops on one worker thread and hands results back on the main thread."""

    changes_applied = Signal(object)  # OpChanges
    busy_changed = Signal(bool)

    def __init__(self, db: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self._pending = 0
        self._dialogs: dict[int, QProgressDialog] = {}
        self._ops: list[Op[Any]] = []
        self._closed = False
        self._worker = _Worker(db)
        self._worker.done.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._worker.start()
        _live.append(self)

    # --- submitting ---------------------------------------------------------------------

    @property
    def idle(self) -> bool:
        return self._pending == 0 or self._closed

    def submit(self, op: Op[Any]) -> None:
        if self._closed:  # the window is closing: reads asked for by late signals are dropped
            op.delivered = True
            return
        self._pending += 1
        self._ops.append(op)
        if self._pending == 1:
            self.busy_changed.emit(True)
        if op.progress is not None:
            QTimer.singleShot(PROGRESS_DELAY_MS, self, lambda: self._show_progress(op))
        self._worker.jobs.put(op)

    def run(self, fn: Callable[[Session], T], *, parent: QWidget | None = None) -> Op[T]:
        """Shorthand: a read-only op with the standard error handling."""
        return Op(fn, parent=parent).run(self)

    def wait_idle(self, timeout_ms: int = 30_000) -> bool:
        """Process events until every op was delivered (tests, screenshots, benchmarks)."""
        timer = QElapsedTimer()
        timer.start()
        while not self.idle:
            if timer.elapsed() > timeout_ms:
                return False
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
            QThread.msleep(1)
        return True

    def call(self, fn: Callable[[Session], T], timeout_ms: int = 60_000) -> T:
        """Run ``fn`` on the worker and wait for it (start-up and off-screen rendering only)."""
        box: dict[str, Any] = {}
        op = Op(fn).success(lambda result: box.setdefault("result", result))
        op.failure(lambda exc: box.setdefault("error", exc)).run(self)
        if not self.wait_idle(timeout_ms):
            raise TimeoutError("the database did not answer in time")
        if "error" in box:
            raise box["error"]
        return box.get("result")  # type: ignore[return-value]

    def shutdown(self) -> None:
        """Finish the ops already queued (a save must not be lost), then stop the thread."""
        self._closed = True
        if self._worker.isRunning():
            self._worker.jobs.put(None)
            self._worker.wait()
        if self in _live:
            _live.remove(self)

    # --- progress -------------------------------------------------------------------------

    def _show_progress(self, op: Op[Any]) -> None:
        if op.progress is None or op.delivered or id(op) in self._dialogs:
            return
        dialog = QProgressDialog(op.label or "", tr("取消"), 0, 0, op.parent)
        dialog.setWindowTitle(tr("请稍候"))
        dialog.setObjectName("opProgress")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(lambda: self._cancel(op, dialog))
        timer = QTimer(dialog)
        timer.setInterval(PROGRESS_POLL_MS)
        timer.timeout.connect(lambda: self._poll(op, dialog))
        timer.start()
        self._dialogs[id(op)] = dialog
        self._poll(op, dialog)
        dialog.show()

    def _poll(self, op: Op[Any], dialog: QProgressDialog) -> None:
        if op.progress is None:
            return
        snap = op.progress.snapshot()
        if snap.cancelled:
            dialog.setLabelText(tr("正在取消…"))
            return
        dialog.setLabelText(snap.label or op.label or "")
        dialog.setMaximum(max(snap.maximum, 0))
        if snap.maximum:
            dialog.setValue(min(snap.value, snap.maximum))

    def _cancel(self, op: Op[Any], dialog: QProgressDialog) -> None:
        if op.progress is not None:
            op.progress.cancel()
        dialog.setLabelText(tr("正在取消…"))

    def cancel_all(self) -> None:
        for op in list(self._ops):
            if op.progress is not None:
                op.progress.cancel()

    # --- delivery -------------------------------------------------------------------------

    def _deliver(self, op: Op[Any]) -> None:
        if self._closed:  # nobody is left to show the result to
            self._pending = max(self._pending - 1, 0)
            return
        dialog = self._dialogs.pop(id(op), None)
        if dialog is not None:
            dialog.close()
            dialog.deleteLater()
        op.delivered = True
        if op in self._ops:
            self._ops.remove(op)
        try:
            if op.error is None:
                if op.areas:
                    self.changes_applied.emit(OpChanges(op.areas, op.source))
                if op.on_success is not None:
                    op.on_success(op.result)
            elif op.on_failure is not None:
                op.on_failure(op.error)
            elif not isinstance(op.error, Cancelled):
                messages.show_error(op.parent, op.error, trace=op.trace)
        finally:
            self._pending -= 1
            if self._pending == 0:
                self.busy_changed.emit(False)


@atexit.register
def _shutdown_all() -> None:
    for runner in list(_live):
        runner.shutdown()

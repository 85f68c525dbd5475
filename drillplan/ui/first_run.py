"""The first-run dialog: start with an empty register or with the demo data set."""

from __future__ import annotations

import importlib.util

from sqlalchemy.exc import SQLAlchemyError

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from drillplan.db.database import Database
from drillplan.kernel.errors import DrillplanError
from drillplan.readiness.overview import database_is_blank

from drillplan.ui.i18n import tr
from drillplan.ui.location import describe_location
from drillplan.ui.ops import Op, OpRunner

EMPTY = "empty"
DEMO = "demo"


def demo_available() -> bool:
    return importlib.util.find_spec("drillplan.demo") is not None


def needs_first_run(db: Database) -> bool:
    """A database created by this start that holds no rows yet."""
    if not db.created:
        return False
    with db.session() as session:
        return database_is_blank(session)


class FirstRunDialog(QDialog):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("欢迎使用 drillplan"))
        intro = QLabel(
            tr("已新建数据库：\n{where}\n\n请选择如何开始。").format(
                where=describe_location(db.url)
            ),
            self,
        )
        intro.setWordWrap(True)
        intro.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.empty_button = QRadioButton(tr("空数据库：从零开始录入本单位的数据"), self)
        self.demo_button = QRadioButton(tr("加载演示数据：青浦区示例数据，便于熟悉各项功能"), self)
        group = QButtonGroup(self)
        group.addButton(self.empty_button)
        group.addButton(self.demo_button)
        self.empty_button.setChecked(True)
        if not demo_available():
            self.demo_button.setEnabled(False)
            self.demo_button.setToolTip(tr("此版本未包含演示数据"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("开始"))
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addSpacing(6)
        layout.addWidget(self.empty_button)
        layout.addWidget(self.demo_button)
        layout.addSpacing(6)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)

    def choice(self) -> str:
        return DEMO if self.demo_button.isChecked() else EMPTY


def load_demo_data(db: Database) -> None:
    """Fill the database with the demo data set (one unit of work)."""
    from drillplan.demo import load_demo  # the demo module is only needed here

    with db.session() as session:
        load_demo(session)


def apply_choice(
    db: Database, choice: str, parent: QWidget | None = None, runner: OpRunner | None = None
) -> bool:
    """Carry out the user's choice; returns whether demo data was loaded.

    The demo is loaded on the op runner's worker with a progress dialog (after half a
    second); the first-run dialog waits for it, keeping the UI responsive.
    """
    if choice != DEMO:
        return False
    own = runner is None
    worker = runner or OpRunner(db)
    outcome: dict[str, BaseException | bool] = {}

    def load(session: object, _progress: object) -> None:
        from drillplan.demo import load_demo

        load_demo(session)  # type: ignore[arg-type]

    op = Op(load, parent=parent).with_progress(tr("正在载入演示数据…"))
    op.success(lambda _r: outcome.setdefault("ok", True))
    op.failure(lambda exc: outcome.setdefault("error", exc)).run(worker)
    worker.wait_idle(600_000)
    if own:
        worker.shutdown()
    error = outcome.get("error")
    if isinstance(error, DrillplanError | SQLAlchemyError | ImportError):
        QMessageBox.warning(
            parent,
            tr("无法加载演示数据"),
            tr("演示数据未能载入，数据库保持为空。\n\n{error}").format(error=error),
        )
        return False
    if isinstance(error, BaseException):
        raise error
    return bool(outcome.get("ok"))


def run_first_run(
    db: Database, parent: QWidget | None = None, runner: OpRunner | None = None
) -> bool:
    """Ask on a new, empty database; returns whether demo data was loaded."""
    if not needs_first_run(db):
        return False
    dialog = FirstRunDialog(db, parent)
    dialog.exec()
    return apply_choice(db, dialog.choice(), parent, runner)

"""The first-run dialog: start with an empty register or with the demo data set."""

from __future__ import annotations

import importlib.util

from sqlalchemy.exc import SQLAlchemyError

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from drillplan.database import Database
from drillplan.errors import DrillplanError
from drillplan.listing import database_is_blank

from drillplan.ui.location import describe_location

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
        self.setWindowTitle("欢迎使用 drillplan")
        intro = QLabel(
            "已新建数据库：\n"
            f"{describe_location(db.url)}\n\n"
            "请选择如何开始（A new database was created; how do you want to start?）",
            self,
        )
        intro.setWordWrap(True)
        intro.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.empty_button = QRadioButton(
            "空数据库：从零开始录入本单位的数据（Empty database）", self
        )
        self.demo_button = QRadioButton(
            "加载演示数据：青浦区示例数据，便于熟悉各项功能（Load demo data）", self
        )
        group = QButtonGroup(self)
        group.addButton(self.empty_button)
        group.addButton(self.demo_button)
        self.empty_button.setChecked(True)
        if not demo_available():
            self.demo_button.setEnabled(False)
            self.demo_button.setToolTip("此版本未包含演示数据（no demo data in this version）")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("开始（Start）")
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


def apply_choice(db: Database, choice: str, parent: QWidget | None = None) -> bool:
    """Carry out the user's choice; returns whether demo data was loaded."""
    if choice != DEMO:
        return False
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        load_demo_data(db)
    except (DrillplanError, SQLAlchemyError, ImportError) as exc:
        QApplication.restoreOverrideCursor()
        QMessageBox.warning(
            parent, "无法加载演示数据", f"演示数据未能载入，数据库保持为空。\n\n{exc}"
        )
        return False
    QApplication.restoreOverrideCursor()
    return True


def run_first_run(db: Database, parent: QWidget | None = None) -> bool:
    """Ask on a new, empty database; returns whether demo data was loaded."""
    if not needs_first_run(db):
        return False
    dialog = FirstRunDialog(db, parent)
    dialog.exec()
    return apply_choice(db, dialog.choice(), parent)

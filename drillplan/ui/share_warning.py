"""The warning shown before opening a SQLite file on a network share (see db/network_share)."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from drillplan.db.engine import resolve_url
from drillplan.db.network_share import ShareFinding, url_share_finding

from drillplan.ui.i18n import pick


def share_warning_box(finding: ShareFinding, parent: QWidget | None = None) -> QMessageBox:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(pick("数据库在网络共享上", "Database on a network share"))
    box.setText(pick(finding.message_zh, finding.message_en))
    box.addButton(pick("退出", "Quit"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(
        box.addButton(pick("仍然打开", "Open anyway"), QMessageBox.ButtonRole.AcceptRole)
    )
    return box


def confirm_database_location(db: str | None) -> bool:
    """True to go on: the database is not a SQLite file on a share, or the user chose to."""
    finding = url_share_finding(resolve_url(db))
    if finding is None:
        return True
    box = share_warning_box(finding)
    box.exec()
    clicked = box.clickedButton()
    return clicked is not None and box.buttonRole(clicked) == QMessageBox.ButtonRole.AcceptRole

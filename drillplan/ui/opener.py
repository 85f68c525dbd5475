"""Opening a file or folder with the system's program, and saying so when that fails.

``QDesktopServices.openUrl`` returns False when no viewer is installed (a PC without a PDF
reader, a locked-down desktop); the failure used to land on stderr only. :func:`open_path`
then shows :class:`OpenFailedDialog`: the full path (selectable), a button to open the
folder that holds it and one to copy the path, so the user can open it by hand.
"""

from __future__ import annotations

from pathlib import Path

import shiboken6

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from drillplan.ui.i18n import tr

_open: list[OpenFailedDialog] = []


def system_open(path: Path) -> bool:
    """Hand ``path`` to the desktop (the one place that calls openUrl; tests replace it)."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def open_path(parent: QWidget | None, path: str | Path) -> bool:
    """Open a file or folder; on failure show why, with the path and a way to its folder."""
    target = Path(path)
    if system_open(target):
        return True
    dialog = OpenFailedDialog(parent, target)
    _open.append(dialog)
    dialog.finished.connect(lambda _r: _open.remove(dialog) if dialog in _open else None)
    dialog.open()
    return False


def open_failed_dialogs() -> list[OpenFailedDialog]:
    """The failure dialogs still open (for tests and screenshots)."""
    _open[:] = [d for d in _open if shiboken6.isValid(d) and d.isVisible()]
    return list(_open)


class OpenFailedDialog(QDialog):
    def __init__(self, parent: QWidget | None, path: Path) -> None:
        super().__init__(parent)
        self.setObjectName("openFailed")
        self.path = path
        folder = path if path.is_dir() else path.parent
        self.folder = folder
        self.setWindowTitle(tr("无法打开"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if path.is_dir():
            why = tr("没有找到可以打开这个文件夹的程序。")
        else:
            why = tr("没有找到可以打开这个文件的程序（例如 PDF 阅读器）。文件已保存在：")
        self.message = QLabel(why, self)
        self.message.setWordWrap(True)
        self.path_label = QLabel(str(path), self)
        self.path_label.setObjectName("openFailedPath")
        self.path_label.setWordWrap(True)
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.path_label.setStyleSheet("font-weight: 600;")
        self.status = QLabel(self)
        self.status.setObjectName("openFailedStatus")
        self.status.setWordWrap(True)
        self.status.hide()
        buttons = QDialogButtonBox(self)
        self.folder_button = QPushButton(tr("打开所在文件夹"), self)
        self.copy_button = QPushButton(tr("复制路径"), self)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setText(tr("关闭"))
        for button in (self.folder_button, self.copy_button):
            button.setAutoDefault(False)
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        self.folder_button.setVisible(not path.is_dir())
        self.folder_button.clicked.connect(self.open_folder)
        self.copy_button.clicked.connect(self.copy_path)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.path_label)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)

    def open_folder(self) -> bool:
        if system_open(self.folder):
            self.accept()
            return True
        self._say(tr("也无法打开文件夹，请复制路径后在文件管理器中打开。"))
        return False

    def copy_path(self) -> None:
        clipboard = QGuiApplication.clipboard()
        clipboard.setText(str(self.path))
        self._say(tr("路径已复制。"))

    def _say(self, text: str) -> None:
        self.status.setText(text)
        self.status.show()

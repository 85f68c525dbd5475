"""F1 help: the user guide (docs/user-guide.md) shown in a window, offline."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from drillplan.kernel.resources import resources_dir

from drillplan.ui.i18n import current_language, tr

_open: list[QDialog] = []


def guide_path() -> Path:
    return resources_dir().parent / "docs" / "user-guide.md"


ENGLISH_MARK = "<!-- English -->"


def guide_markdown() -> str:
    """The guide in the current language (the file holds Chinese, then English)."""
    path = guide_path()
    if not path.exists():
        return tr("# 使用说明\n\n未找到使用说明文件。")
    zh, _mark, en = path.read_bytes().decode("utf-8").partition(ENGLISH_MARK)
    return en.strip() if current_language() == "en" and en.strip() else zh.strip()


class HelpDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("help")
        self.setWindowTitle(tr("使用说明"))
        self.browser = QTextBrowser(self)
        self.browser.setOpenExternalLinks(True)
        self.browser.setSearchPaths([str(guide_path().parent)])  # its screenshots/ pictures
        self.browser.setMarkdown(guide_markdown())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(tr("关闭"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(760, 640)


def show_help(parent: QWidget | None = None) -> HelpDialog:
    dialog = HelpDialog(parent)
    _open[:] = [dialog]
    dialog.show()
    return dialog

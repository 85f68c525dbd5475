"""The shipped CJK font: registered at start-up so Chinese renders on any machine."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from drillplan.kernel.resources import font_path

# System CJK UI fonts that look better than the embedded one where they exist.
SYSTEM_CJK_FAMILIES = (
    "Microsoft YaHei UI",
    "Microsoft YaHei",
    "PingFang SC",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
)
EMBEDDED_FAMILY = "WenQuanYi Micro Hei"

_registered: list[str] = []


def register_fonts() -> list[str]:
    """Add the embedded font to Qt's font database (once); returns its family names."""
    if not _registered:
        font_id = QFontDatabase.addApplicationFont(str(font_path()))
        if font_id < 0:
            raise RuntimeError(f"cannot load the CJK font {font_path()}")
        _registered.extend(QFontDatabase.applicationFontFamilies(font_id))
    return list(_registered)


def ui_families() -> list[str]:
    """Font families for the UI, best first: an installed CJK font, then the embedded one."""
    installed = set(QFontDatabase.families())
    families = [f for f in SYSTEM_CJK_FAMILIES if f in installed]
    embedded = [f for f in register_fonts() if "Mono" not in f] or [EMBEDDED_FAMILY]
    return families + embedded


def apply_app_font(app: QApplication) -> QFont:
    """Register the embedded font and make the application's default font use it."""
    font = QFont(app.font())
    font.setFamilies(ui_families())
    if font.pointSizeF() < 10:
        font.setPointSizeF(10)
    app.setFont(font)
    return font

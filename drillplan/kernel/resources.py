"""Where the shipped resources (fonts, icons, templates, demo data) live. Qt-free."""

from __future__ import annotations

from pathlib import Path

FONT_FILE = "wqy-microhei.ttc"


def resources_dir() -> Path:
    """The ``resources/`` directory at the repository root (beside the ``drillplan`` package)."""
    return Path(__file__).resolve().parents[2] / "resources"


def font_path() -> Path:
    """The embedded CJK font (WenQuanYi Micro Hei), used by the UI and the PDF reports."""
    return resources_dir() / "fonts" / FONT_FILE

"""The fonts a report is set in: the PC's official fonts where it has them, else the shipped one.

Official documents (GB/T 9704) set the body in 仿宋 and headings in 黑体; tables read well in
宋体. When the folder named by the ``report_font_path`` setting, or the Windows font folder
(``%WINDIR%\\Fonts``), holds ``simfang.ttf`` / ``simhei.ttf`` / ``simsun.ttc``, the body,
headings and tables use them; a role whose file is missing (or cannot be embedded) falls back to
the shipped WenQuanYi Micro Hei. Every font is a TrueType font ReportLab embeds as a subset, so
a printout looks the same on a PC without these fonts.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from drillplan.kernel.resources import font_path

SHIPPED = "WQYMicroHei"

# role -> the official font files to look for, in order of preference
OFFICIAL: dict[str, tuple[str, ...]] = {
    "body": ("simfang.ttf", "FangSong.ttf", "simsun.ttc"),
    "heading": ("simhei.ttf", "SimHei.ttf"),
    "title": ("simhei.ttf", "SimHei.ttf", "simsun.ttc"),
    "table": ("simsun.ttc", "SimSun.ttc", "simfang.ttf"),
}


@dataclass(frozen=True)
class FontSet:
    """The registered font name for each role (all TrueType, all embedded)."""

    body: str = SHIPPED
    heading: str = SHIPPED
    title: str = SHIPPED
    table: str = SHIPPED

    @property
    def official(self) -> bool:
        return any(name != SHIPPED for name in (self.body, self.heading, self.title, self.table))


def register_shipped() -> str:
    if SHIPPED not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(SHIPPED, str(font_path()), subfontIndex=0))
    return SHIPPED


def font_dirs(setting: str | None) -> list[Path]:
    """Where to look: the setting (a folder, or a font file's folder), then %WINDIR%\\Fonts."""
    dirs: list[Path] = []
    if setting and setting.strip():
        given = Path(setting.strip()).expanduser()
        dirs.append(given if given.is_dir() else given.parent)
    windir = os.environ.get("WINDIR") or os.environ.get("SYSTEMROOT")
    if windir:
        dirs.append(Path(windir) / "Fonts")
    return dirs


def _find(dirs: list[Path], names: tuple[str, ...]) -> Path | None:
    for folder in dirs:
        if not folder.is_dir():
            continue
        present = {p.name.lower(): p for p in folder.iterdir()}
        for name in names:
            if name.lower() in present:
                return present[name.lower()]
    return None


@functools.cache
def _register(path: str) -> str | None:
    """Register the font file once; None when ReportLab cannot embed it (CFF, restricted)."""
    name = "Official-" + Path(path).stem
    if name in pdfmetrics.getRegisteredFontNames():
        return name
    try:
        pdfmetrics.registerFont(TTFont(name, path, subfontIndex=0))
    except (TTFError, OSError, ValueError, KeyError, IndexError):
        return None
    return name


def resolve(setting: str | None) -> FontSet:
    """The font for each role given the ``report_font_path`` setting (and the PC)."""
    register_shipped()
    dirs = font_dirs(setting)
    chosen: dict[str, str] = {}
    given = Path(setting.strip()).expanduser() if setting and setting.strip() else None
    single = _register(str(given)) if given is not None and given.is_file() else None
    for role, names in OFFICIAL.items():
        found = _find(dirs, names)
        registered = _register(str(found)) if found is not None else None
        chosen[role] = registered or single or SHIPPED
    return FontSet(**chosen)

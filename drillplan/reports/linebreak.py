"""Chinese (and mixed Chinese / Latin) line-breaking for printed reports. Qt-free, no ReportLab.

The text is first cut into unbreakable runs (:func:`runs`); a line may only break between
two runs. The rules, as Chinese typesetting has them (GB/T 15834 and common 禁则):

* no line starts with closing punctuation (、，。；：？！）》」』】〕 …) and none ends with an
  opening one (（《「『【〔 …): each sticks to its neighbour;
* a code, a number or a Latin word stays whole (``QP-YA-2024-001``, ``PC0000001``, ``12.5``);
* a number stays with its unit (``120 人``, ``30天``, ``5.5 m³``, ``85%``);
* a house number stays with its road (``崧华路210/1号``, ``外青松公路7号``);
* a short name (a run of at most :data:`SHORT_NAME` Chinese characters standing alone
  between punctuation or spaces, such as ``许彬鹏``) stays whole.

:func:`break_lines` then fills lines greedily with a caller's width function (a font's
advance widths); a run wider than the line is the one thing that is cut, character by
character, still never starting a line with closing punctuation.
"""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = ["CLOSING", "OPENING", "SHORT_NAME", "break_lines", "runs"]

CLOSING = frozenset("、，。；：？！）》」』】〕〉］｝,.;:?!)]}%％…—～·’”")
OPENING = frozenset("（《「『【〔〈［｛([{‘“")
SHORT_NAME = 4  # Chinese characters: a personal name or a short unit name is never split

# units a number keeps (longest first so 平方米 wins over 米)
_UNIT_TEXT = (
    "平方米 立方米 千米 公里 公斤 千克 小时 分钟 个月 万元 亿元 米 吨 台 套 件 个 人 名 支 "
    "次 项 处 天 日 月 年 周 时 分 秒 元 号 条 本 份 辆 艘 只 顶 床 箱 袋 桶 把 根 卷 张 座 "
    "间 户 所 家 场 级 期 批 m² m³ km kg kW mm cm m t h % ％ ℃"
)
_UNITS = sorted(_UNIT_TEXT.split(), key=len, reverse=True)
_UNIT = "|".join(re.escape(u) for u in _UNITS)
_ROAD = frozenset("路街道巷弄村镇园场桥港浜泾塘里坊湾")
_ROAD_NAME = 3  # characters of a road name kept with its house number (崧华路)
_NUMBER = r"[0-9０-９][0-9０-９.,/:\-]*"
_LATIN = r"[A-Za-z0-9Ａ-Ｚａ-ｚ０-９][A-Za-z0-9Ａ-Ｚａ-ｚ０-９_\-./:#+@&'·]*"
_CJK = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
_CJK_RUN = re.compile(rf"{_CJK}+")
_TOKEN = re.compile(
    # a number with its unit (an optional space between), e.g. 120 人, 210/1号, 85%
    rf"(?:{_NUMBER}(?: ?(?:{_UNIT}))(?![A-Za-z]))"
    rf"|(?:{_LATIN})"
    rf"|(?:{_CJK}+)"
    r"|(?:\s+)"
    r"|(?:.)",
    re.S,
)


def _pieces(text: str) -> list[str]:
    """Raw runs: numbers with units, Latin words, Chinese runs, spaces, single signs; a road
    name takes its house number along (崧华路 + 210/1号)."""
    raw = [m.group(0) for m in _TOKEN.finditer(text)]
    out: list[str] = []
    for i, piece in enumerate(raw):
        is_cjk = _CJK_RUN.fullmatch(piece) is not None
        following = raw[i + 1] if i + 1 < len(raw) else ""
        road = is_cjk and piece[-1] in _ROAD and following[:1].isdigit()
        head, tail = (piece[:-_ROAD_NAME], piece[-_ROAD_NAME:]) if road else (piece, "")
        if is_cjk and len(head) > SHORT_NAME:
            out.extend(head)  # a long Chinese run breaks between any two characters
        elif head:
            out.append(head)
        if tail:
            out.append(tail + "\0")  # marked: glue the house number on
    return out


def runs(text: str) -> list[str]:
    """``text`` cut into unbreakable runs (joined they give ``text`` back); spaces are runs of
    their own and mark where a line may break with the space dropped."""
    out: list[str] = []
    glue_next = False
    for piece in _pieces(text):
        if glue_road := piece.endswith("\0"):
            piece = piece[:-1]
        if piece.isspace():
            out.append(piece)
            glue_next = False
            continue
        stick_back = piece[0] in CLOSING and out and not out[-1].isspace()
        if (glue_next or stick_back) and out:
            out[-1] += piece
        else:
            out.append(piece)
        glue_next = piece[-1] in OPENING or glue_road
    return out


def _cut(run: str, width: float, measure: Callable[[str], float]) -> list[str]:
    """A run wider than the line cut into pieces that fit, never starting a piece with closing
    punctuation (the character before it goes along to the next piece)."""
    pieces: list[str] = []
    current = ""
    for ch in run:
        if not current or measure(current + ch) <= width:
            current += ch
            continue
        cut = len(current)
        if ch in CLOSING:  # the characters before it go along (and any closing run before)
            cut -= 1
            while cut > 0 and current[cut] in CLOSING:
                cut -= 1
        if cut > 0:
            pieces.append(current[:cut].rstrip())
            current = current[cut:].lstrip() + ch
        else:
            current += ch  # nothing to take along: the line is too narrow for any rule
    if current:
        pieces.append(current)
    return pieces


def break_lines(text: str, width: float, measure: Callable[[str], float]) -> list[str]:
    """``text`` broken into lines no wider than ``width`` (explicit newlines kept)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(_break_one(paragraph, width, measure))
    return lines


def _break_one(text: str, width: float, measure: Callable[[str], float]) -> list[str]:
    lines: list[str] = []
    line = ""
    for run in runs(text):
        if run.isspace():
            if line:
                line += run
            continue
        candidate = line + run
        if measure(candidate.rstrip()) <= width:
            line = candidate
            continue
        if line.strip():
            lines.append(line.rstrip())
        line = ""
        if measure(run) <= width:
            line = run
            continue
        *full, last = _cut(run, width, measure)
        lines.extend(full)
        line = last
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return lines

"""Warning levels (预警级别): blue IV < yellow III < orange II < red I (DOMAIN.md).

A level is typed as its code, its colour (蓝 / 蓝色 / 蓝色预警), its grade (IV / Ⅳ / 四级 / 4)
or its response level (IV级响应). Which levels a hazard has is data (``Hazard.levels``).
"""

from __future__ import annotations

from collections.abc import Sequence

from drillplan.db.models.hazards import LEVEL_CODES
from drillplan.kernel import values as v
from drillplan.kernel.errors import ValidationError
from drillplan.kernel.text import normalize_text

__all__ = ["LEVEL_CODES", "level_label", "level_rank", "level_short", "parse_level", "parse_levels"]

LABELS: dict[str, tuple[str, str, str]] = {
    "blue": ("蓝色", "Blue", "Ⅳ"),
    "yellow": ("黄色", "Yellow", "Ⅲ"),
    "orange": ("橙色", "Orange", "Ⅱ"),
    "red": ("红色", "Red", "Ⅰ"),
}
ROMAN_ASCII = {"Ⅳ": "IV", "Ⅲ": "III", "Ⅱ": "II", "Ⅰ": "I"}
_WORDS: dict[str, str] = {}
for _code, (_zh, _en, _roman) in LABELS.items():
    _n = 4 - LEVEL_CODES.index(_code)
    _ascii = {4: "iv", 3: "iii", 2: "ii", 1: "i"}[_n]
    _cn = "一二三四"[_n - 1]
    for _w in (_code, _zh, _zh[0], _en, f"{_zh}预警", _roman, f"{_roman}级", _ascii, str(_n),
               f"{_cn}级", f"{_n}级", f"{_roman}级响应", f"{_ascii}级"):  # fmt: skip
        _WORDS[normalize_text(_w).casefold()] = _code


def level_rank(level: str) -> int:
    """0 for blue .. 3 for red."""
    return LEVEL_CODES.index(level)


def level_label(level: str, lang: str = "zh") -> str:
    """“红色（Ⅰ级）” / “Red (I)”."""
    zh, en, roman = LABELS[level]
    if lang == "zh":
        return f"{zh}（{roman}级）"
    return f"{en} ({ROMAN_ASCII[roman]})"


def level_short(level: str, lang: str = "zh") -> str:
    """“黄Ⅲ” / “Yellow” (table columns)."""
    zh, en, roman = LABELS[level]
    return f"{zh[0]}{roman}" if lang == "zh" else en


def parse_level(value: object, *, field: str = "level", allowed: Sequence[str] | None = None,
                hazard: str = "") -> str:  # fmt: skip
    """A level code; ``allowed``: the levels the hazard has (refused otherwise)."""
    text = "" if value is None else normalize_text(str(value)).casefold().replace(" ", "")
    if not text:
        raise ValidationError(field, "请选择预警级别", message_en=f"{field} is required",
                              rule="required")  # fmt: skip
    code = _WORDS.get(text)
    if code is None:
        raise ValidationError(
            field,
            f"预警级别“{v.shown(value)}”不正确（可选：蓝、黄、橙、红 或 Ⅳ～Ⅰ级）",
            message_en=f"{field} {value!r} is not blue, yellow, orange or red (IV-I)",
            rule="not_in_list",
        )
    if allowed is not None and code not in allowed:
        names = "、".join(LABELS[a][0] for a in allowed) or "（无）"
        raise ValidationError(
            field,
            f"{hazard}没有{LABELS[code][0]}预警（{hazard}的级别：{names}）",
            message_en=f"{hazard or 'the hazard'} has no {code} level ({', '.join(allowed)})",
            rule="level_not_allowed",
        )
    return code


def parse_levels(value: object, *, field: str = "levels") -> list[str]:
    """Several levels ("黄、橙、红"), lowest first, each once."""
    names = v.parse_strings(value, field=field)
    codes = {parse_level(n, field=field) for n in names}
    return [c for c in LEVEL_CODES if c in codes]

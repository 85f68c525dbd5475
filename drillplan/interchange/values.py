"""Cell values as people type them: text, whole and decimal numbers, dates, date-times, yes/no,
vocabulary values and lists. Each converter returns a Python value or raises :class:`BadValue`.

Numbers may carry thousands separators (1,234.5) or full-width digits (１２３); dates take every
form of :func:`drillplan.kernel.values.parse_date`, Excel date cells and serial numbers.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from drillplan.kernel.errors import ValidationError
from drillplan.kernel.values import (
    check_date_range,
    excel_serial_to_date,
    normalize_text,
    parse_date,
    parse_enum,
    shown,
)

MAX_CELL = 32_767  # Excel's own limit on the characters of one cell


class BadValue(Exception):
    """A cell that cannot be converted: ``rule`` names the check, messages say why."""

    def __init__(self, rule: str, message: str, message_en: str) -> None:
        super().__init__(message)
        self.rule, self.message, self.message_en = rule, message, message_en


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def to_text(value: object, max_len: int, *, fold: bool = False) -> str:
    """Text of a cell, stripped; ``fold`` also maps full-width letters and digits (for codes)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a code typed into a number cell: 2010101.0 -> "2010101"
    elif isinstance(value, dt.datetime):
        value = value.strftime("%Y-%m-%d %H:%M") if value.time() else value.date().isoformat()
    elif isinstance(value, dt.date):
        value = value.isoformat()
    elif isinstance(value, bool):
        value = "是" if value else "否"
    text = str(value)
    if len(text) > max_len:
        raise BadValue(
            "too_long",
            f"内容过长：最多 {max_len} 个字符，实际 {len(text)} 个",
            f"too long: at most {max_len} characters, got {len(text)}",
        )
    return normalize_text(text) if fold else text.strip()


_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")
_PLAIN = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")


def to_decimal(value: object) -> Decimal:
    if isinstance(value, bool):
        raise BadValue("not_a_number", "应为数字，不是是/否", "expected a number, not yes/no")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise BadValue("not_a_number", f"“{value}”不是数字", f"{value!r} is not a number")
        return Decimal(repr(value))
    if isinstance(value, Decimal):
        return value
    text = normalize_text(str(value)).replace("，", ",").replace(" ", "").replace("'", "")
    if _THOUSANDS.fullmatch(text):
        text = text.replace(",", "")
    if not _PLAIN.fullmatch(text):
        raise BadValue(
            "not_a_number",
            f"“{shown(value)}”不是数字",
            f"{shown(value)!r} is not a number",
        )
    try:
        return Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - the pattern already rules this out
        raise BadValue("not_a_number", f"“{shown(value)}”不是数字", "not a number") from exc


def to_int(value: object) -> int:
    number = to_decimal(value)
    if number != number.to_integral_value():
        raise BadValue("not_an_integer", f"“{shown(value)}”应为整数", f"{value!r} is not whole")
    return int(number)


def _from_error(exc: ValidationError) -> BadValue:
    return BadValue("bad_date", exc.message, exc.message_en or exc.message)


def to_date(value: object) -> dt.date:
    if isinstance(value, dt.time | dt.timedelta):
        raise BadValue("bad_date", "单元格是时间而不是日期", "the cell holds a time, not a date")
    try:
        return parse_date(value)
    except ValidationError as exc:
        raise _from_error(exc) from exc


_DATETIME = re.compile(
    r"(.+?)[\sT]+(\d{1,2})\s*[:：时点]\s*(\d{1,2})(?:\s*[:：分]\s*(\d{1,2})\s*秒?)?\s*分?"
)


def to_datetime(value: object) -> dt.datetime:
    """A date and time: a date-time cell, a serial with a fraction, or "2025-05-20 09:30"."""
    if isinstance(value, dt.datetime):
        return value.replace(second=0, microsecond=0)
    if isinstance(value, float | int) and not isinstance(value, bool):
        try:
            day = check_date_range(excel_serial_to_date(float(value)))
        except ValidationError as exc:
            raise _from_error(exc) from exc
        minutes = round((float(value) - math.floor(value)) * 24 * 60)
        return dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=minutes)
    if isinstance(value, str):
        text = normalize_text(value)
        m = _DATETIME.fullmatch(text)
        if m:
            day = to_date(m[1])
            hour, minute = int(m[2]), int(m[3])
            if hour > 23 or minute > 59:
                raise BadValue("bad_time", f"时间“{value}”无效", f"invalid time in {value!r}")
            return dt.datetime.combine(day, dt.time(hour, minute))
    return dt.datetime.combine(to_date(value), dt.time())


_YES = {"是", "y", "yes", "true", "1", "√", "✓", "对", "有"}
_NO = {"否", "n", "no", "false", "0", "×", "x", "无", "不"}


def to_bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = normalize_text(str(value)).lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise BadValue("bad_yes_no", f"“{shown(value)}”应为“是”或“否”", f"{value!r} is not yes/no")


def to_enum(value: object, enum_cls: type[StrEnum], field: str = "value") -> StrEnum:
    """A vocabulary cell, read by :func:`drillplan.kernel.values.parse_enum`."""
    try:
        return parse_enum(enum_cls, value, field=field)
    except ValidationError as exc:
        raise BadValue("not_in_list", exc.message, exc.message_en or exc.message) from exc


DAYS_PER_MONTH = 365 / 12  # 12 months = 1 year = 365 days; 24 months = 730 days
_UNITS = {
    "天": 1, "日": 1, "d": 1, "day": 1, "days": 1,
    "月": DAYS_PER_MONTH, "个月": DAYS_PER_MONTH, "個月": DAYS_PER_MONTH, "m": DAYS_PER_MONTH,
    "month": DAYS_PER_MONTH, "months": DAYS_PER_MONTH, "mo": DAYS_PER_MONTH,
    "年": 365, "y": 365, "year": 365, "years": 365, "yr": 365,
}  # fmt: skip
_GROUPS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([^\d\s.]*)")
UNIT_WORDS = {"day": "天", "month": "个月", "year": "年"}


def header_unit(header: str) -> str:
    """The unit a bare number in a shelf-life column is counted in, from its header:
    保质期（月） -> month, 保质期（年） -> year, anything else (保质期, 保质期（天）) -> day."""
    if "月" in header or "month" in header.lower():
        return "month"
    if "年" in header or "year" in header.lower():
        return "year"
    return "day"


def to_days(value: object, unit: str = "day") -> int:
    """A duration as people type it, in whole days: ``730``, ``24个月``, ``2年``, ``730天``,
    ``1年6个月``, ``24 months``; a bare number counts in ``unit`` (day, month or year).
    Months are 365/12 days (24 months = 730 days), years 365 days."""
    factor = {"day": 1, "month": DAYS_PER_MONTH, "year": 365}[unit]
    if isinstance(value, bool):
        raise BadValue("not_a_number", "应为时长，不是是/否", "expected a duration, not yes/no")
    if isinstance(value, int | float | Decimal):
        if isinstance(value, float) and not math.isfinite(value):
            raise BadValue("not_a_number", f"“{value}”不是数字", f"{value!r} is not a number")
        return round(float(value) * factor)
    text = normalize_text(str(value)).lower().replace(" ", "")
    text = _GROUPS.sub("", text.replace("，", ","))  # 1,825 -> 1825
    parts = _DURATION_PART.findall(text)
    if not parts or "".join(n + u for n, u in parts) != text:
        raise BadValue(
            "not_a_number",
            f"“{shown(value)}”不是时长（可写 730、730天、24个月、2年）",
            f"{shown(value)!r} is not a duration (730, 730天, 24个月, 2年)",
        )
    total = 0.0
    for number, word in parts:
        if word and word not in _UNITS:
            raise BadValue(
                "not_a_number",
                f"“{shown(value)}”的单位“{word}”无法识别（可用：天、个月、年）",
                f"unknown unit {word!r} in {shown(value)!r} (use 天, 个月 or 年)",
            )
        total += float(number) * (_UNITS[word] if word else factor)
    return round(total)


def days_shown(days: int) -> str:
    """730 -> "730 天（24 个月）": the days, and the months when they are a whole number."""
    months = round(days / DAYS_PER_MONTH)
    if months and round(months * DAYS_PER_MONTH) == days and days >= 28:
        return f"{days} 天（{months} 个月）"
    return f"{days} 天"


_SPACES = re.compile(r"\s+")


def name_key(text: str) -> str:
    """How two names are compared: full-width folded, no spaces at all, case ignored."""
    return _SPACES.sub("", normalize_text(text)).casefold()


LIST_SPLIT = re.compile(r"[、,，;；\n]+")


def to_list(value: object, max_len: int, *, fold: bool = False) -> list[str]:
    items = [to_text(v, max_len, fold=fold) for v in LIST_SPLIT.split(str(value))]
    return list(dict.fromkeys(v for v in items if v))

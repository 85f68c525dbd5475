"""Dates as people type them (2024-03-15, 2024/3/15, 2024年3月15日, 20240315, full-width
digits), Excel serial numbers and real date cells; part of the value-parsing kernel
(:mod:`drillplan.kernel.values` re-exports everything here)."""

from __future__ import annotations

import datetime as _dt
import math
import numbers
import re
from decimal import Decimal

from drillplan.kernel.errors import ValidationError, with_rule
from drillplan.kernel.text import normalize_text

# ---------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------

# the dates a field can hold: every date the office means lies here, and date arithmetic on
# them (an expiry plus a horizon, a year's schedule) never overflows Python's 9999-12-31
DATE_MIN = _dt.date(1900, 1, 1)
DATE_MAX = _dt.date(2199, 12, 31)

EXCEL_SERIAL_MIN = 1  # 1900-01-01
EXCEL_SERIAL_MAX = 2958465  # 9999-12-31
_EXCEL_FAKE_LEAP_DAY = 60  # Excel's nonexistent 1900-02-29 (Lotus 1-2-3 compatibility)
_EXCEL_EPOCH_BEFORE_LEAP = _dt.date(1899, 12, 31)  # serial 1 = 1900-01-01
_EXCEL_EPOCH_AFTER_LEAP = _dt.date(1899, 12, 30)  # serial 61 = 1900-03-01

_SEPARATED_DATE_RE = re.compile(
    r"([0-9]{4})([-/.])([0-9]{1,2})\2([0-9]{1,2})"
    # optional time part, as in "2024-03-15 00:00:00" exported from a date cell; ignored
    r"(?:[\sT]+([0-9]{1,2}):([0-9]{2})(?::([0-9]{2})(?:\.[0-9]{1,6})?)?)?",
    re.ASCII,
)
_CHINESE_DATE_RE = re.compile(r"([0-9]{4})\s*年\s*([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*日", re.ASCII)
_COMPACT_DATE_RE = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})", re.ASCII)
_NUMERIC_RE = re.compile(r"[0-9]+(?:\.[0-9]*)?", re.ASCII)

_FORMATS_HINT_ZH = "2024-03-15、2024/3/15、2024.3.15、2024年3月15日 或 20240315"
_FORMATS_HINT_EN = "2024-03-15, 2024/3/15, 2024.3.15, 2024年3月15日 or 20240315"


@with_rule("bad_date")
def excel_serial_to_date(serial: float, *, field: str = "date") -> _dt.date:
    """Convert an Excel serial number (1900 date system) to a date.

    Like Excel and openpyxl, serials above 60 are shifted by one day to skip Excel's
    fictitious 1900-02-29 (serial 60), which is rejected.  Fractions (time of day) are
    dropped.  Accepted range: 1 (1900-01-01) .. 2958465 (9999-12-31).
    """
    if isinstance(serial, bool) or not math.isfinite(serial):
        raise ValidationError(
            field,
            f"无效的 Excel 日期序号：{serial}",
            message_en=f"Invalid Excel date serial number: {serial}",
        )
    day = math.floor(serial)
    if not EXCEL_SERIAL_MIN <= day <= EXCEL_SERIAL_MAX:
        raise ValidationError(
            field,
            f"Excel 日期序号 {serial} 超出范围（{EXCEL_SERIAL_MIN}–{EXCEL_SERIAL_MAX}）",
            message_en=(
                f"Excel date serial number {serial} is out of range "
                f"({EXCEL_SERIAL_MIN}-{EXCEL_SERIAL_MAX})"
            ),
        )
    if day == _EXCEL_FAKE_LEAP_DAY:
        raise ValidationError(
            field,
            "Excel 日期序号 60 对应不存在的日期 1900-02-29",
            message_en="Excel date serial number 60 is the nonexistent date 1900-02-29",
        )
    if day < _EXCEL_FAKE_LEAP_DAY:
        return _EXCEL_EPOCH_BEFORE_LEAP + _dt.timedelta(days=day)
    return _EXCEL_EPOCH_AFTER_LEAP + _dt.timedelta(days=day)


def date_to_excel_serial(value: _dt.date) -> int:
    """Inverse of :func:`excel_serial_to_date` (1900 date system)."""
    if isinstance(value, _dt.datetime):
        value = value.date()
    if value < _dt.date(1900, 1, 1):
        raise ValueError(f"{value} is before the Excel 1900 epoch")
    if value < _dt.date(1900, 3, 1):
        return (value - _EXCEL_EPOCH_BEFORE_LEAP).days
    return (value - _EXCEL_EPOCH_AFTER_LEAP).days


def _make_date(year: int, month: int, day: int, shown: str, field: str) -> _dt.date:
    if not 1 <= month <= 12:
        raise ValidationError(
            field,
            f"日期“{shown}”无效：月份应在1到12之间",
            message_en=f"Invalid date {shown!r}: month must be between 1 and 12",
        )
    try:
        return _dt.date(year, month, day)
    except ValueError:
        pass
    if year < _dt.MINYEAR:
        raise ValidationError(
            field,
            f"日期“{shown}”无效：年份不能为0",
            message_en=f"Invalid date {shown!r}: the year cannot be 0",
        )
    raise ValidationError(
        field,
        f"日期“{shown}”无效：{year}年{month}月没有{day}日",
        message_en=f"Invalid date {shown!r}: {year}-{month:02d} has no day {day}",
    )


def _check_time(hour: str, minute: str, second: str | None, shown: str, field: str) -> None:
    if int(hour) > 23 or int(minute) > 59 or (second is not None and int(second) > 59):
        raise ValidationError(
            field,
            f"日期“{shown}”中的时间部分无效",
            message_en=f"Invalid time part in date {shown!r}",
        )


def _parse_date_string(raw: str, field: str) -> _dt.date:
    shown = raw.strip()
    text = normalize_text(raw)
    if not text:
        raise ValidationError(field, "日期不能为空", message_en="Date must not be empty")
    m = _SEPARATED_DATE_RE.fullmatch(text)
    if m:
        year, _sep, month, day, hour, minute, second = m.groups()
        if hour is not None and minute is not None:
            _check_time(hour, minute, second, shown, field)
        return _make_date(int(year), int(month), int(day), shown, field)
    m = _CHINESE_DATE_RE.fullmatch(text)
    if m:
        return _make_date(int(m[1]), int(m[2]), int(m[3]), shown, field)
    m = _COMPACT_DATE_RE.fullmatch(text)
    if m:
        return _make_date(int(m[1]), int(m[2]), int(m[3]), shown, field)
    if _NUMERIC_RE.fullmatch(text):
        # A number typed as text: an Excel serial (8-digit numbers were handled above).
        return excel_serial_to_date(float(text), field=field)
    raise ValidationError(
        field,
        f"无法识别的日期“{shown}”，请使用 {_FORMATS_HINT_ZH} 等格式",
        message_en=f"Unrecognised date {shown!r}; use a format such as {_FORMATS_HINT_EN}",
    )


@with_rule("bad_date")
def parse_date(value: object, *, field: str = "date") -> _dt.date:
    """Parse a date as users type it, or as it comes out of a spreadsheet.

    Accepts ``date``/``datetime`` objects (a datetime yields its date), Excel serial
    numbers (``int``/``float``/numeric text that is not 8 digits long), and text such as
    ``2024-03-15``, ``2024/3/15``, ``2024.3.15``, ``2024年3月15日``, ``20240315``,
    optionally in full-width characters.  A trailing time (``2024-03-15 00:00:00``) after
    a separated date is allowed and ignored.  Dates outside :data:`DATE_MIN` ..
    :data:`DATE_MAX` (1900-01-01 .. 2199-12-31) are refused.
    """
    return check_date_range(_parse_date(value, field), field=field)


def check_date_range(day: _dt.date, *, field: str = "date") -> _dt.date:
    """Refuse a date outside 1900-01-01 .. 2199-12-31 (a year typed wrong, 9999-12-31 as
    "never"): no field means one, and date arithmetic on it could overflow."""
    if not DATE_MIN <= day <= DATE_MAX:
        raise ValidationError(
            field,
            f"日期 {day.isoformat()} 超出可用范围"
            f"（{DATE_MIN.isoformat()} 至 {DATE_MAX.isoformat()}）",
            message_en=(
                f"date {day.isoformat()} is outside {DATE_MIN.isoformat()} .. "
                f"{DATE_MAX.isoformat()}"
            ),
            rule="date_out_of_range",
        )
    return day


def _parse_date(value: object, field: str) -> _dt.date:
    if value is None:
        raise ValidationError(field, "日期不能为空", message_en="Date must not be empty")
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str):
        return _parse_date_string(value, field)
    if not isinstance(value, bool) and isinstance(value, numbers.Real | Decimal):
        return excel_serial_to_date(float(value), field=field)
    raise ValidationError(
        field,
        f"不支持的日期值类型：{type(value).__name__}",
        message_en=f"Unsupported date value type: {type(value).__name__}",
    )


def parse_optional_date(value: object, *, field: str = "date") -> _dt.date | None:
    """Like :func:`parse_date`, but ``None`` and blank text give ``None``."""
    if value is None or (isinstance(value, str) and not normalize_text(value)):
        return None
    return parse_date(value, field=field)


# ---------------------------------------------------------------------------
# Date and time of day (a drill's start and end)
# ---------------------------------------------------------------------------

_MOMENT_RE = re.compile(
    r"(?P<date>.*?[0-9日])"
    r"(?:(?:[\sT]+|(?<=日))(?P<hour>[0-9]{1,2})(?::|时|点)(?P<minute>[0-9]{1,2})?分?"
    r"(?::(?P<second>[0-9]{2}))?)?",
    re.ASCII,
)


@with_rule("bad_date")
def parse_moment(
    value: object, *, field: str = "date", default_time: _dt.time = _dt.time(9, 0)
) -> _dt.datetime:
    """A date and time of day as people type them: the date in any form :func:`parse_date`
    takes (2027-01-01, 2027/1/1, 2027.1.1, 2027年1月1日, 20270101, full-width digits),
    optionally followed by a time (``9:30``, ``09:30:00``, ``9点30``, ``9时30分``); a date
    alone gets ``default_time`` (the time the field held, so typing a new date keeps it)."""
    if isinstance(value, _dt.datetime):
        check_date_range(value.date(), field=field)
        return value
    if isinstance(value, _dt.date):
        return _dt.datetime.combine(check_date_range(value, field=field), default_time)
    if not isinstance(value, str):
        return _dt.datetime.combine(parse_date(value, field=field), default_time)
    text = normalize_text(value)
    m = _MOMENT_RE.fullmatch(text)
    if m is None or m["hour"] is None:
        return _dt.datetime.combine(parse_date(text, field=field), default_time)
    day = parse_date(m["date"].strip(), field=field)
    minute = m["minute"] or "0"
    _check_time(m["hour"], minute, m["second"], value.strip(), field)
    return _dt.datetime.combine(day, _dt.time(int(m["hour"]), int(minute)))


def parse_optional_moment(
    value: object, *, field: str = "date", default_time: _dt.time = _dt.time(9, 0)
) -> _dt.datetime | None:
    """Like :func:`parse_moment`, but ``None`` and blank text give ``None``."""
    if value is None or (isinstance(value, str) and not normalize_text(value)):
        return None
    return parse_moment(value, field=field, default_time=default_time)


# ---------------------------------------------------------------------------
# A day written without its year (a monthly sheet: 12月1日, 12/1)
# ---------------------------------------------------------------------------

_MONTH_DAY_RE = re.compile(r"([0-9]{1,2})\s*(?:月\s*([0-9]{1,2})\s*日?|[/.-]\s*([0-9]{1,2}))")


def parse_date_in_year(value: object, *, year: int, field: str = "date") -> _dt.date:
    """Like :func:`parse_date`, and a day without its year (``12月1日``, ``12/1``) is taken
    in ``year`` (the year of the sheet it comes from)."""
    if isinstance(value, str):
        m = _MONTH_DAY_RE.fullmatch(normalize_text(value).strip())
        if m is not None:
            day = m[2] or m[3]
            return check_date_range(
                _make_date(year, int(m[1]), int(day), value.strip(), field), field=field
            )
    return parse_date(value, field=field)

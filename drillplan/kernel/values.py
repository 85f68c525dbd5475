"""Validation and normalisation of the codes and formats users type or import.

* Unified social credit codes (统一社会信用代码, GB 32100-2015).
* Mobile numbers and Shanghai landlines.
* Dates as people type them, plus Excel serial numbers and real date cells.

Every failure raises :class:`drillplan.kernel.errors.ValidationError` with a Chinese message
(primary, shown to users) and an English ``message_en``.
"""

from __future__ import annotations

import datetime as _dt
import math
import numbers
import re
from decimal import Decimal

from drillplan.kernel.errors import ValidationError

__all__ = [
    "CREDIT_CODE_ALPHABET",
    "CREDIT_CODE_WEIGHTS",
    "EXCEL_SERIAL_MAX",
    "EXCEL_SERIAL_MIN",
    "credit_code_check_char",
    "date_to_excel_serial",
    "excel_serial_to_date",
    "is_enterprise_code",
    "is_social_organisation_code",
    "normalize_text",
    "parse_date",
    "parse_optional_date",
    "validate_credit_code",
    "validate_phone",
]

# ---------------------------------------------------------------------------
# Text normalisation
# ---------------------------------------------------------------------------

_FULLWIDTH_TABLE: dict[int, int] = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FULLWIDTH_TABLE[0x3000] = 0x20  # ideographic space
_FULLWIDTH_TABLE[0x00A0] = 0x20  # no-break space (common in pasted spreadsheet text)


def normalize_text(s: str) -> str:
    """Map full-width ASCII (U+FF01..U+FF5E) to half-width, ideographic space to space,
    and strip surrounding whitespace."""
    return s.translate(_FULLWIDTH_TABLE).strip()


# ---------------------------------------------------------------------------
# Unified social credit code (GB 32100-2015)
# ---------------------------------------------------------------------------

CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS: tuple[int, ...] = (
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
)  # fmt: skip
_CREDIT_CODE_VALUES: dict[str, int] = {ch: i for i, ch in enumerate(CREDIT_CODE_ALPHABET)}
_CREDIT_CODE_FORBIDDEN_LETTERS = "IOZSV"
_SOCIAL_ORGANISATION_PREFIXES = frozenset({"51", "52", "53", "59"})
_ENTERPRISE_PREFIXES = frozenset({"91", "92", "93"})


def _normalize_code(code: str) -> str:
    return normalize_text(code).upper()


def _check_credit_code_chars(code: str, field: str) -> None:
    for pos, ch in enumerate(code, start=1):
        if ch in _CREDIT_CODE_VALUES:
            continue
        msg = f"统一社会信用代码第{pos}位字符“{ch}”不合法"
        msg_en = f"Unified social credit code: illegal character {ch!r} at position {pos}"
        if ch in _CREDIT_CODE_FORBIDDEN_LETTERS:
            msg += "（统一社会信用代码不使用字母 I、O、Z、S、V）"
            msg_en += " (the letters I, O, Z, S and V are not used)"
        else:
            msg += f"（只允许数字和字母 {CREDIT_CODE_ALPHABET[10:]}）"
            msg_en += f" (only digits and the letters {CREDIT_CODE_ALPHABET[10:]} are allowed)"
        raise ValidationError(field, msg, message_en=msg_en)


def _compute_check_char(first17: str) -> str:
    total = sum(
        _CREDIT_CODE_VALUES[ch] * w for ch, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def credit_code_check_char(first17: str) -> str:
    """Return the check character (position 18) for the first 17 characters of a code.

    Input is normalised (full-width, surrounding whitespace, case).  Raises
    :class:`ValidationError` (field ``credit_code``) unless it is 17 legal characters.
    """
    body = _normalize_code(first17)
    if len(body) != 17:
        raise ValidationError(
            "credit_code",
            f"计算校验位需要统一社会信用代码的前17位，实际为{len(body)}位",
            message_en=(
                "Computing the check character needs the first 17 characters of the code, "
                f"got {len(body)}"
            ),
        )
    _check_credit_code_chars(body, "credit_code")
    return _compute_check_char(body)


def validate_credit_code(
    code: str, *, field: str = "credit_code", allow_bad_check: bool = False
) -> str:
    """Validate a unified social credit code and return it normalised (upper case).

    With ``allow_bad_check=True`` a wrong check character is accepted (a few real codes
    fail the check); length and alphabet are still enforced.
    """
    if not isinstance(code, str):
        raise ValidationError(
            field,
            f"统一社会信用代码必须是文本，实际为 {type(code).__name__}",
            message_en=f"Unified social credit code must be text, got {type(code).__name__}",
        )
    normalized = _normalize_code(code)
    if not normalized:
        raise ValidationError(
            field,
            "统一社会信用代码不能为空",
            message_en="Unified social credit code must not be empty",
        )
    if len(normalized) != 18:
        raise ValidationError(
            field,
            f"统一社会信用代码应为18位，实际为{len(normalized)}位",
            message_en=(
                f"Unified social credit code must be 18 characters long, got {len(normalized)}"
            ),
        )
    _check_credit_code_chars(normalized, field)
    if not allow_bad_check:
        expected = _compute_check_char(normalized[:17])
        actual = normalized[17]
        if actual != expected:
            raise ValidationError(
                field,
                f"统一社会信用代码校验位错误：第18位应为“{expected}”，实际为“{actual}”，"
                "请核对代码是否录入有误",
                message_en=(
                    "Unified social credit code has a wrong check character: position 18 "
                    f"should be {expected!r}, got {actual!r}"
                ),
            )
    return normalized


def is_social_organisation_code(code: str) -> bool:
    """True when the code's prefix marks a social organisation (51/52/53/59).

    Only the prefix is inspected; call :func:`validate_credit_code` to validate.
    """
    return _normalize_code(code)[:2] in _SOCIAL_ORGANISATION_PREFIXES


def is_enterprise_code(code: str) -> bool:
    """True when the code's prefix marks an enterprise (91/92/93).

    Only the prefix is inspected; call :func:`validate_credit_code` to validate.
    """
    return _normalize_code(code)[:2] in _ENTERPRISE_PREFIXES


# ---------------------------------------------------------------------------
# Phone numbers
# ---------------------------------------------------------------------------

_MOBILE_RE = re.compile(
    r"(?:(?:\+|00)?86[\s-]*)?(1[3-9][0-9])[\s-]*([0-9]{4})[\s-]*([0-9]{4})", re.ASCII
)
_SHANGHAI_LANDLINE_RE = re.compile(r"(?:\(\s*021\s*\)|021)[\s-]*([0-9]{8})", re.ASCII)
_OTHER_LANDLINE_RE = re.compile(
    r"(?:\(\s*(0[0-9]{2,3})\s*\)|(0[0-9]{2,3}))[\s-]*[0-9]{7,8}", re.ASCII
)


def validate_phone(s: str | int, *, field: str = "phone") -> str:
    """Validate a mobile number or Shanghai landline and return it normalised.

    Mobile numbers (optional +86 / 0086 / 86 prefix, spaces or hyphens between groups)
    are returned as 11 digits; Shanghai landlines as ``021-xxxxxxxx``.  Full-width digits
    and punctuation are accepted.  An integer (a phone typed into a numeric Excel cell) is
    accepted too.
    """
    if isinstance(s, bool) or not isinstance(s, str | int):
        raise ValidationError(
            field,
            f"电话号码必须是文本，实际为 {type(s).__name__}",
            message_en=f"Phone number must be text, got {type(s).__name__}",
        )
    raw = str(s)
    text = normalize_text(raw)
    if not text:
        raise ValidationError(
            field, "电话号码不能为空", message_en="Phone number must not be empty"
        )
    m = _MOBILE_RE.fullmatch(text)
    if m:
        return "".join(m.groups())
    m = _SHANGHAI_LANDLINE_RE.fullmatch(text)
    if m:
        return f"021-{m.group(1)}"
    shown = raw.strip()
    other = _OTHER_LANDLINE_RE.fullmatch(text)
    if other:
        area = other.group(1) or other.group(2)
        if area != "021":
            raise ValidationError(
                field,
                f"电话号码“{shown}”的区号为 {area}，只支持上海固定电话（区号 021）或手机号",
                message_en=(
                    f"Phone number {shown!r} has area code {area}; only Shanghai landlines "
                    "(area code 021) and mobile numbers are accepted"
                ),
            )
    raise ValidationError(
        field,
        f"电话号码“{shown}”格式不正确：应为11位手机号（如 13812345678）"
        "或上海固定电话（如 021-62345678）",
        message_en=(
            f"Invalid phone number {shown!r}: expected an 11-digit mobile number "
            "(e.g. 13812345678) or a Shanghai landline (e.g. 021-62345678)"
        ),
    )


# ---------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------

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


def parse_date(value: object, *, field: str = "date") -> _dt.date:
    """Parse a date as users type it, or as it comes out of a spreadsheet.

    Accepts ``date``/``datetime`` objects (a datetime yields its date), Excel serial
    numbers (``int``/``float``/numeric text that is not 8 digits long), and text such as
    ``2024-03-15``, ``2024/3/15``, ``2024.3.15``, ``2024年3月15日``, ``20240315``,
    optionally in full-width characters.  A trailing time (``2024-03-15 00:00:00``) after
    a separated date is allowed and ignored.
    """
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

"""The one value-parsing kernel: what users type, paste or import, checked and normalised.

* Text fields, codes, lists of names, whole and decimal numbers; quantities, money and row
  ids with the precision and range the database stores (in :mod:`drillplan.kernel.numbers`,
  re-exported here).
* Vocabulary values (:func:`parse_enum`: the member, its code, its Chinese or English label).
* Unified social credit codes (统一社会信用代码, GB 32100-2015).
* Mobile numbers and Shanghai landlines.
* Dates as people type them, plus Excel serial numbers and real date cells (in
  :mod:`drillplan.kernel.dates`, re-exported here).

Every failure raises :class:`drillplan.kernel.errors.ValidationError` naming the field, with a
Chinese message (primary, shown to users) and an English ``message_en``. Nothing here touches
a database session (see :mod:`drillplan.kernel.records` for those helpers).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from enum import StrEnum
from typing import Any, Literal, TypeVar, overload

from drillplan.kernel.dates import (
    DATE_MAX,
    DATE_MIN,
    EXCEL_SERIAL_MAX,
    EXCEL_SERIAL_MIN,
    check_date_range,
    date_to_excel_serial,
    excel_serial_to_date,
    parse_date,
    parse_moment,
    parse_optional_date,
    parse_optional_moment,
)
from drillplan.kernel.errors import ValidationError, with_rule
from drillplan.kernel.numbers import (
    ID_MAX,
    INT_MAX,
    MONEY_DECIMALS,
    MONEY_LIMIT,
    QUANTITY_DECIMALS,
    QUANTITY_LIMIT,
    parse_decimal_number,
    parse_id,
    parse_int,
    parse_money,
    parse_optional_money,
    parse_optional_quantity,
    parse_quantity,
)
from drillplan.kernel.text import normalize_text
from drillplan.kernel.vocab import input_names, label

E = TypeVar("E", bound=StrEnum)
F = TypeVar("F", bound=Any)


__all__ = [
    "CREDIT_CODE_ALPHABET",
    "CREDIT_CODE_CLASSES",
    "CREDIT_CODE_WEIGHTS",
    "DATE_MAX",
    "DATE_MIN",
    "EXCEL_SERIAL_MAX",
    "EXCEL_SERIAL_MIN",
    "ID_MAX",
    "INT_MAX",
    "MONEY_DECIMALS",
    "MONEY_LIMIT",
    "QUANTITY_DECIMALS",
    "QUANTITY_LIMIT",
    "Checks",
    "check_date_range",
    "credit_code_check_char",
    "date_to_excel_serial",
    "excel_serial_to_date",
    "is_enterprise_code",
    "is_social_organisation_code",
    "normalize_text",
    "parse_code",
    "parse_date",
    "parse_decimal_number",
    "parse_enum",
    "parse_id",
    "parse_int",
    "parse_moment",
    "parse_money",
    "parse_optional_credit_code",
    "parse_optional_date",
    "parse_optional_decimal",
    "parse_optional_int",
    "parse_optional_moment",
    "parse_optional_money",
    "parse_optional_phone",
    "parse_optional_quantity",
    "parse_quantity",
    "parse_strings",
    "parse_text",
    "require_credit_code_class",
    "shown",
    "validate_credit_code",
    "validate_phone",
]


class Checks:
    """Checks the fields of one input, keeping every error: ``checks(parse, value, ...)``
    returns what ``parse`` returns, or None after recording its ValidationError; ``done()``
    raises the first error with the others attached (``ValidationError.others``), so an import
    lists every bad field of a row while a form shows the first."""

    def __init__(self) -> None:
        self.errors: list[ValidationError] = []

    def __call__(self, parse: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return parse(*args, **kwargs)
        except ValidationError as exc:
            self.errors.extend(exc.every())
            return None

    def done(self) -> None:
        if self.errors:
            first, *others = self.errors
            first.others = tuple(others)
            raise first


def shown(value: object, limit: int = 40) -> str:
    """A short rendering of a value for messages (never the whole of a 10 MB cell)."""
    text = str(value)
    return text if len(text) <= limit else f"{text[:limit]}…（共 {len(text)} 个字符）"


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not normalize_text(value))


# ---------------------------------------------------------------------------
# Text, codes, lists and numbers
# ---------------------------------------------------------------------------

CODE_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._/-]*$")
_LIST_SPLIT = re.compile(r"[、,，;；\s]+")


def parse_text(
    value: object,
    *,
    field: str,
    what: str | None = None,
    max_len: int,
    required: bool = False,
    fold: bool = False,
) -> str | None:
    """Text with surrounding spaces removed; None when blank and not ``required``.

    Free text keeps what was typed (Chinese full-width punctuation such as （） included);
    ``fold`` maps full-width letters, digits and punctuation to ASCII (for codes)."""
    raw = "" if value is None else str(value)
    text = normalize_text(raw) if fold else raw.strip()
    what = what or ""
    if not text:
        if required:
            raise ValidationError(
                field, f"{what}不能为空", message_en=f"{field} is required", rule="required"
            )
        return None
    if len(text) > max_len:
        raise ValidationError(
            field,
            f"{what}最多 {max_len} 个字符",
            message_en=f"{field} is longer than {max_len}",
            rule="too_long",
        )
    return text


def parse_code(value: object, *, field: str = "code", what: str = "编号", max_len: int = 32) -> str:
    """A required code: letters, digits and ``-_./``, starting with a letter or digit."""
    text = parse_text(value, field=field, what=what, max_len=max_len, required=True, fold=True)
    text = text or ""
    if not CODE_RE.match(text):
        raise ValidationError(
            field,
            f"{what}“{text}”只能包含字母、数字和 -_./，且以字母或数字开头",
            message_en=f"{field} {text!r}: letters, digits and -_./ only",
            rule="bad_code",
        )
    return text


def parse_strings(value: object, *, field: str = "values") -> list[str]:
    """Names given as a list or as one text separated by 、 , ; or spaces; blanks and repeats
    dropped, order kept."""
    if value is None:
        return []
    items: Iterable[object]
    if isinstance(value, str):
        items = _LIST_SPLIT.split(value)
    elif isinstance(value, Iterable):
        items = value
    else:
        raise ValidationError(
            field, "应为文字列表", message_en=f"{field} must be a list", rule="not_a_list"
        )
    out = [normalize_text(str(v)) for v in items]
    return [v for v in dict.fromkeys(out) if v]


def parse_optional_int(
    value: object, *, field: str, what: str, minimum: int = 0, maximum: int = INT_MAX
) -> int | None:
    """A whole number within ``minimum`` .. ``maximum``; None when blank."""
    if _blank(value):
        return None
    return parse_int(value, field=field, what=what, minimum=minimum, maximum=maximum)


def parse_optional_decimal(
    value: object, *, field: str, what: str, maximum: Decimal = QUANTITY_LIMIT
) -> Decimal | None:
    """A finite number that is not negative and not above ``maximum`` (thousands separators
    allowed); None when blank."""
    if _blank(value):
        return None
    number = parse_decimal_number(value, field=field, what=what, what_en=field)
    if number < 0:
        raise ValidationError(
            field, f"{what}不能为负数", message_en=f"{field} must be >= 0", rule="negative"
        )
    if number > maximum:
        raise ValidationError(
            field,
            f"{what}不能超过 {maximum}（输入为 {shown(value)}）",
            message_en=f"{field} must be at most {maximum}, got {shown(value)}",
            rule="out_of_range",
        )
    return number


# ---------------------------------------------------------------------------
# Vocabulary values
# ---------------------------------------------------------------------------

_ENUM_NAMES: dict[type[StrEnum], dict[str, StrEnum]] = {}


def _enum_names(cls: type[E]) -> dict[str, E]:
    table = _ENUM_NAMES.get(cls)
    if table is None:
        table = {}
        for member in cls:
            for name in input_names(member):
                table.setdefault(normalize_text(name).casefold(), member)
        _ENUM_NAMES[cls] = table
    return table  # type: ignore[return-value]


@overload
def parse_enum(
    cls: type[E],
    value: object,
    *,
    field: str,
    what: str | None = ...,
    optional: Literal[False] = False,
) -> E: ...


@overload
def parse_enum(
    cls: type[E], value: object, *, field: str, what: str | None = ..., optional: bool
) -> E | None: ...


def parse_enum(
    cls: type[E], value: object, *, field: str, what: str | None = None, optional: bool = False
) -> E | None:
    """A vocabulary value given as the member, its code (``tabletop``), its Chinese label
    (``桌面演练``), its English label (``Tabletop``) or one of its aliases (``桌面推演``):
    case, full-width forms and surrounding spaces do not matter.

    Blank gives None when ``optional``; otherwise, and for a value that names no member,
    :class:`ValidationError` on ``field`` (the Chinese message lists the labels, the English
    one the codes).
    """
    if isinstance(value, cls):
        return value
    text = "" if value is None else normalize_text(str(value))
    if not text:
        if optional:
            return None
        raise ValidationError(field, "必须填写", message_en=f"{field} is required", rule="required")
    member = _enum_names(cls).get(text.casefold())
    if member is None:
        allowed = "、".join(label(m, "zh") for m in cls)
        raise ValidationError(
            field,
            f"{what or ''}“{shown(text)}”不是可选值（可选：{allowed}）",
            message_en=f"{field} {shown(text)!r} is not one of {', '.join(m.value for m in cls)}",
            rule="not_in_list",
        )
    return member


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


# spaces and hyphens people type inside a code to group it (``52310118 MJ01 QHKG W3``,
# ``52310118-MJ01QHKGW3``): removed before the check, as in phone numbers
_CREDIT_CODE_SEPARATORS = re.compile(r"[\s\-\u2010\u2011\u2012\u2013\u2014\u2212]+")


def _normalize_code(code: str) -> str:
    return _CREDIT_CODE_SEPARATORS.sub("", normalize_text(code)).upper()


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


@with_rule("bad_credit_code")
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


@with_rule("bad_credit_code")
def validate_credit_code(
    code: str, *, field: str = "credit_code", allow_bad_check: bool = False
) -> str:
    """Validate a unified social credit code and return it normalised (upper case).

    Full-width characters are folded, and spaces and hyphens inside the code (people group
    its 18 characters as they read them out) are removed before the check.
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


def parse_optional_credit_code(
    value: object, *, field: str = "credit_code", override: bool = False
) -> str | None:
    """A validated credit code, or None when blank; ``override`` accepts a wrong check
    character (a few real codes fail the check)."""
    if _blank(value):
        return None
    return validate_credit_code(str(value), field=field, allow_bad_check=override)


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


# the registration classes DOMAIN.md names, by the code's first two characters:
# key -> (prefixes, 中文 class, 中文 prefix note, English class, English prefix note)
CREDIT_CODE_CLASSES: dict[str, tuple[frozenset[str], str, str, str, str]] = {
    "social_organisation": (
        _SOCIAL_ORGANISATION_PREFIXES,
        "社会组织",
        "51、52、53 或 59 开头，52 为民办非企业单位",
        "a social organisation",
        "starting 51, 52, 53 or 59; 52: private non-enterprise unit",
    ),
    "enterprise": (
        _ENTERPRISE_PREFIXES,
        "企业",
        "91、92 或 93 开头",
        "an enterprise",
        "starting 91, 92 or 93",
    ),
}


@with_rule("credit_code_class")
def require_credit_code_class(
    code: str, expected: str, *, who: str, who_en: str, field: str = "credit_code"
) -> str:
    """Refuse a (validated) code whose registration class is not ``expected``
    (a key of :data:`CREDIT_CODE_CLASSES`): ``who`` / ``who_en`` name the holder that needs it,
    e.g. 社会应急力量. The caller skips this with its explicit override (a real code that
    fails)."""
    prefixes, zh_class, zh_prefixes, en_class, en_prefixes = CREDIT_CODE_CLASSES[expected]
    normalized = _normalize_code(code)
    if normalized[:2] in prefixes:
        return normalized
    head = normalized[:2]
    raise ValidationError(
        field,
        f"{who}应填写{zh_class}的统一社会信用代码（{zh_prefixes}），"
        f"“{normalized}”以 {head} 开头；代码经核实无误的，可选择已核实仍保存",
        message_en=(
            f"{who_en} needs the credit code of {en_class} ({en_prefixes}); "
            f"{normalized!r} starts {head}; save with the override if the code is verified"
        ),
    )


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


@with_rule("bad_phone")
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


def parse_optional_phone(value: object, *, field: str = "phone") -> str | None:
    """A validated phone number; None when blank."""
    if _blank(value):
        return None
    return validate_phone(value, field=field)  # type: ignore[arg-type]

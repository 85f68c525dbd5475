"""Numbers as people type them, with the precision and range the database stores: quantities,
money, whole numbers and row ids; part of the value-parsing kernel
(:mod:`drillplan.kernel.values` re-exports everything here).

* A quantity is a finite decimal of at most 3 decimals whose absolute value is at most 10^12
  (the ``Numeric(16, 3)`` columns of ``drillplan.db.models.stock``).
* Money (a unit cost, a reference price) is a finite decimal, 0 or more (0: a donation), of at
  most 2 decimals, at most 10^10 yuan (the ``Numeric(14, 2)`` columns).
* A row id is a whole number 1 .. 2^63-1 (what both backends store in an INTEGER/BIGINT key).

NaN, Infinity, ``1e309`` and ``1e29`` are refused with the field, the limit and the value in the
message; nothing here touches a database session.
"""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation
from typing import Literal

from drillplan.kernel.errors import ValidationError
from drillplan.kernel.text import normalize_text

__all__ = [
    "ID_MAX",
    "INT_MAX",
    "MONEY_DECIMALS",
    "MONEY_LIMIT",
    "QUANTITY_DECIMALS",
    "QUANTITY_LIMIT",
    "Sign",
    "parse_decimal_number",
    "parse_id",
    "parse_int",
    "parse_money",
    "parse_optional_money",
    "parse_optional_quantity",
    "parse_quantity",
]

QUANTITY_LIMIT = Decimal(10) ** 12
QUANTITY_DECIMALS = 3
MONEY_LIMIT = Decimal(10) ** 10
MONEY_DECIMALS = 2
ID_MAX = 2**63 - 1  # a signed 64-bit key: SQLite INTEGER, PostgreSQL BIGINT
INT_MAX = 2**31 - 1  # an INTEGER column on PostgreSQL

Sign = Literal["positive", "non_negative", "any"]

_LIMIT_SHOWN = {QUANTITY_LIMIT: "10^12（1000000000000）", MONEY_LIMIT: "10^10（10000000000）"}
_LIMIT_SHOWN_EN = {QUANTITY_LIMIT: "10^12 (1000000000000)", MONEY_LIMIT: "10^10 (10000000000)"}


def _shown(value: object, limit: int = 40) -> str:
    text = str(value)
    return text if len(text) <= limit else f"{text[:limit]}…（共 {len(text)} 个字符）"


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not normalize_text(value))


def parse_decimal_number(value: object, *, field: str, what: str, what_en: str) -> Decimal:
    """A finite decimal from a number or a text (full-width digits and thousands separators
    allowed); NaN, Infinity and texts that are no number are refused."""
    if isinstance(value, bool):
        raise ValidationError(
            field,
            f"{what}应为数字，不是是/否",
            message_en=f"{what_en} must be a number, not yes/no",
            rule="not_a_number",
        )
    number: Decimal | None
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value)) if math.isfinite(value) else Decimal("NaN")
    else:
        text = normalize_text(str(value)).replace(",", "").replace("，", "").replace(" ", "")
        try:
            number = Decimal(text)
        except (InvalidOperation, ValueError):
            number = None
    if number is None:
        raise ValidationError(
            field,
            f"{what}“{_shown(value)}”不是数字",
            message_en=f"{what_en} {_shown(value)!r} is not a number",
            rule="not_a_number",
        )
    if not number.is_finite():
        raise ValidationError(
            field,
            f"{what}必须是有限的数字（输入为 {_shown(value)}）",
            message_en=f"{what_en} must be a finite number, got {_shown(value)}",
            rule="not_finite",
        )
    return number


def _bounded(
    number: Decimal,
    value: object,
    *,
    field: str,
    what: str,
    what_en: str,
    sign: Sign,
    limit: Decimal,
    decimals: int,
) -> Decimal:
    if sign == "positive" and number <= 0:
        raise ValidationError(
            field,
            f"{what}必须大于 0（输入为 {_shown(value)}）",
            message_en=f"{what_en} must be > 0, got {_shown(value)}",
            rule="not_positive",
        )
    if sign == "non_negative" and number < 0:
        raise ValidationError(
            field,
            f"{what}不能为负数（输入为 {_shown(value)}）",
            message_en=f"{what_en} must be >= 0, got {_shown(value)}",
            rule="negative",
        )
    if abs(number) > limit:
        zh_limit = _LIMIT_SHOWN.get(limit, str(limit))
        en_limit = _LIMIT_SHOWN_EN.get(limit, str(limit))
        zh = "的绝对值" if sign == "any" else ""
        en = "the absolute value of " if sign == "any" else ""
        raise ValidationError(
            field,
            f"{what}{zh}不能超过 {zh_limit}（输入为 {_shown(value)}）",
            message_en=f"{en}{what_en} must be at most {en_limit}, got {_shown(value)}",
            rule="out_of_range",
        )
    step = Decimal(1).scaleb(-decimals)
    if number != number.quantize(step):  # safe: |number| <= limit keeps it within precision
        raise ValidationError(
            field,
            f"{what}最多保留 {decimals} 位小数（输入为 {_shown(value)}）",
            message_en=f"{what_en} has at most {decimals} decimals, got {_shown(value)}",
            rule="too_many_decimals",
        )
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -decimals:
        number = number.quantize(step)  # 1.5000 -> 1.500: trailing zeros beyond the column
    return number


def parse_quantity(
    value: object,
    *,
    field: str = "quantity",
    what: str = "数量",
    what_en: str = "quantity",
    sign: Sign = "positive",
) -> Decimal:
    """A quantity: finite, at most 3 decimals, absolute value at most 10^12; ``sign`` says
    whether it must be > 0 (a movement), >= 0 (a count, a quota) or may be negative."""
    if _blank(value):
        raise ValidationError(
            field, f"{what}不能为空", message_en=f"{what_en} is required", rule="required"
        )
    number = parse_decimal_number(value, field=field, what=what, what_en=what_en)
    return _bounded(
        number,
        value,
        field=field,
        what=what,
        what_en=what_en,
        sign=sign,
        limit=QUANTITY_LIMIT,
        decimals=QUANTITY_DECIMALS,
    )


def parse_optional_quantity(
    value: object,
    *,
    field: str = "quantity",
    what: str = "数量",
    what_en: str = "quantity",
    sign: Sign = "non_negative",
) -> Decimal | None:
    """Like :func:`parse_quantity`; None when blank."""
    if _blank(value):
        return None
    return parse_quantity(value, field=field, what=what, what_en=what_en, sign=sign)


def parse_money(
    value: object, *, field: str = "unit_cost", what: str = "单价", what_en: str = "unit cost"
) -> Decimal:
    """An amount of money in yuan: finite, 0 or more (0: a donation), at most 2 decimals,
    at most 10^10."""
    if _blank(value):
        raise ValidationError(
            field, f"{what}不能为空", message_en=f"{what_en} is required", rule="required"
        )
    number = parse_decimal_number(value, field=field, what=what, what_en=what_en)
    return _bounded(
        number,
        value,
        field=field,
        what=what,
        what_en=what_en,
        sign="non_negative",
        limit=MONEY_LIMIT,
        decimals=MONEY_DECIMALS,
    )


def parse_optional_money(
    value: object, *, field: str = "unit_cost", what: str = "单价", what_en: str = "unit cost"
) -> Decimal | None:
    """Like :func:`parse_money`; None when blank."""
    if _blank(value):
        return None
    return parse_money(value, field=field, what=what, what_en=what_en)


def parse_int(
    value: object,
    *,
    field: str,
    what: str,
    what_en: str | None = None,
    minimum: int = 0,
    maximum: int = INT_MAX,
) -> int:
    """A whole number within ``minimum`` .. ``maximum`` (an INTEGER column by default)."""
    what_en = what_en or field
    if _blank(value):
        raise ValidationError(
            field, f"{what}不能为空", message_en=f"{what_en} is required", rule="required"
        )
    number: Decimal | None = None
    if not isinstance(value, bool):
        try:
            number = parse_decimal_number(value, field=field, what=what, what_en=what_en)
        except ValidationError:
            number = None
    if number is None or number != number.to_integral_value():
        raise ValidationError(
            field,
            f"{what}应为整数（输入为 {_shown(value)}）",
            message_en=f"{what_en} must be a whole number, got {_shown(value)}",
            rule="not_a_number" if number is None else "not_an_integer",
        )
    if number < minimum:
        raise ValidationError(
            field,
            f"{what}不能小于 {minimum}（输入为 {_shown(value)}）",
            message_en=f"{what_en} must be >= {minimum}, got {_shown(value)}",
            rule={0: "negative", 1: "not_positive"}.get(minimum, "too_small"),
        )
    if number > maximum:
        raise ValidationError(
            field,
            f"{what}不能大于 {maximum}（输入为 {_shown(value)}）",
            message_en=f"{what_en} must be <= {maximum}, got {_shown(value)}",
            rule="out_of_range",
        )
    return int(number)


def parse_id(value: object, *, field: str, what: str = "编号", what_en: str = "id") -> int:
    """A row id: a whole number 1 .. 2^63-1."""
    return parse_int(value, field=field, what=what, what_en=what_en, minimum=1, maximum=ID_MAX)

"""Helpers every domain write function shares: text, code and number fields, fetching a row,
optimistic locking (``row_version``) and uniqueness. No model is imported here."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from drillplan.kernel.errors import Conflict, NotFound, ValidationError
from drillplan.kernel.values import normalize_text, parse_optional_date, validate_phone
from drillplan.kernel.vocab import label

E = TypeVar("E", bound=StrEnum)
M = TypeVar("M")

CODE_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._/-]*$")


def clean(value: object, field: str, what: str, max_len: int, *, required: bool) -> str | None:
    """Trimmed text (full-width folded); None when blank and optional."""
    text = normalize_text(str(value)) if value is not None else ""
    if not text:
        if required:
            raise ValidationError(field, f"{what}不能为空", message_en=f"{field} is required")
        return None
    if len(text) > max_len:
        raise ValidationError(
            field, f"{what}最多 {max_len} 个字符", message_en=f"{field} is longer than {max_len}"
        )
    return text


def code(value: object, field: str = "code", what: str = "编号", max_len: int = 32) -> str:
    text = clean(value, field, what, max_len, required=True) or ""
    if not CODE_RE.match(text):
        raise ValidationError(
            field,
            f"{what}“{text}”只能包含字母、数字和 -_./，且以字母或数字开头",
            message_en=f"{field} {text!r}: letters, digits and -_./ only",
        )
    return text


def choice(cls: type[E], value: object, field: str, what: str) -> E:
    if isinstance(value, cls):
        return value
    text = normalize_text(str(value or ""))
    for member in cls:
        if (
            text in (member.value, label(member, "zh"))
            or text.lower() == label(member, "en").lower()
        ):
            return member
    allowed = "、".join(label(m) for m in cls)
    raise ValidationError(
        field,
        f"{what}“{text}”无效，应为：{allowed}",
        message_en=f"{field} {text!r} is not one of {[m.value for m in cls]}",
    )


def optional_int(value: object, field: str, what: str, *, minimum: int = 0) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValidationError(field, f"{what}应为整数", message_en=f"{field} must be an integer")
    try:
        number = int(str(value).strip())
    except ValueError as exc:
        raise ValidationError(
            field, f"{what}应为整数（输入为 {value}）", message_en=f"{field} must be an integer"
        ) from exc
    if number < minimum:
        raise ValidationError(
            field, f"{what}不能小于 {minimum}", message_en=f"{field} must be >= {minimum}"
        )
    return number


def optional_decimal(value: object, field: str, what: str) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError(
            field, f"{what}“{value}”不是数字", message_en=f"{field} is not a number"
        ) from exc
    if not number.is_finite() or number < 0:
        raise ValidationError(field, f"{what}不能为负数", message_en=f"{field} must be >= 0")
    return number


def optional_date(value: object, field: str) -> dt.date | None:
    return parse_optional_date(value, field=field)


def strings(value: object) -> list[str]:
    if value is None:
        return []
    items: Iterable[object] = re.split(r"[、,，;；\s]+", value) if isinstance(value, str) else value  # type: ignore[assignment]
    out = [normalize_text(str(v)) for v in items]
    return [v for v in dict.fromkeys(out) if v]


def get(session: Session, model: type[M], row_id: int, what: str) -> M:
    row = session.get(model, row_id)
    if row is None:
        table = getattr(model, "__tablename__", model.__name__)  # type: ignore[attr-defined]
        raise NotFound(f"{what} {row_id} 不存在 (no {table} {row_id})")
    return row


def check_version(row: Any, expected: int | None, what: str) -> None:
    if expected is not None and row.row_version != expected:
        raise Conflict(
            f"{what}已被他人修改（版本 {row.row_version}，您编辑的是 {expected}），"
            "请刷新后重试 (changed by someone else since you opened it)"
        )


def flush(session: Session, what: str) -> None:
    try:
        session.flush()
    except StaleDataError as exc:
        raise Conflict(f"{what}已被他人修改，请刷新后重试 (changed meanwhile)") from exc


def unique(session: Session, column: Any, value: object, own_id: int | None, what: str) -> None:
    other = session.scalar(select(column.class_.id).where(column == value))
    if other is not None and other != own_id:
        raise ValidationError(
            column.key, f"{what}“{value}”已被使用", message_en=f"{column.key} {value!r} is taken"
        )


def phone(value: object, field: str) -> str | None:
    """A validated phone number; None when blank."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return validate_phone(value, field=field)  # type: ignore[arg-type]

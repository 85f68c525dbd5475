"""The shift kinds (班次) of the duty roster: local practice, so a small table the office edits
(seeded with 白班 08:30-17:30, 夜班 17:30-次日08:30, 全天 08:30-次日08:30 by migration 0016).

A shift whose end is not after its start ends on the next day; the start and end are given as
people write them (8:30, 08:30, 8点30, 17:30).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from drillplan.audit import log as auditlog
from drillplan.db.models import DutyShift, ShiftKind
from drillplan.kernel import records as c
from drillplan.kernel import values as v
from drillplan.kernel.errors import ValidationError

SHIFT_KIND_FIELDS = ("code", "name", "starts", "ends", "sort_order", "active")
DEFAULT_SHIFT_KINDS = (
    ("day", "白班", "08:30", "17:30"),
    ("night", "夜班", "17:30", "08:30"),
    ("full", "全天", "08:30", "08:30"),
)
_TIME_RE = re.compile(r"([0-9]{1,2})\s*(?::|：|点|时)\s*([0-9]{1,2})?\s*分?")


def parse_clock(value: object, *, field: str, what: str) -> str:
    """A time of day as ``HH:MM`` (8:30, 08:30, 8点30, 8点, 24:00 is refused)."""
    text = v.normalize_text("" if value is None else str(value)).strip()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    m = _TIME_RE.fullmatch(text)
    if not text:
        raise ValidationError(field, f"{what}不能为空", message_en=f"{field} is required",
                              rule="required")  # fmt: skip
    if m is None or int(m[1]) > 23 or int(m[2] or 0) > 59:
        raise ValidationError(
            field,
            f"{what}“{v.shown(text)}”不是时刻，请写成 08:30 的形式",
            message_en=f"{field} {v.shown(text)!r} is not a time of day (08:30)",
            rule="bad_time",
        )
    return f"{int(m[1]):02d}:{int(m[2] or 0):02d}"


def span(kind: ShiftKind | tuple[str, str], day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """When a shift of ``kind`` on ``day`` starts and ends (an end not after the start is on
    the next day)."""
    starts, ends = (kind.starts, kind.ends) if isinstance(kind, ShiftKind) else kind
    start = dt.datetime.combine(day, dt.time.fromisoformat(starts))
    end = dt.datetime.combine(day, dt.time.fromisoformat(ends))
    if end <= start:
        end += dt.timedelta(days=1)
    return start, end


def hours_text(kind: ShiftKind, lang: str = "zh") -> str:
    """08:30-17:30, or 17:30-次日08:30 (English: 17:30-08:30 (+1))."""
    start, end = span(kind, dt.date(2000, 1, 1))
    next_day = end.date() > start.date()
    if lang != "zh":
        return f"{kind.starts}-{kind.ends}{' (+1)' if next_day else ''}"
    return f"{kind.starts}-{'次日' if next_day else ''}{kind.ends}"


def hours_in(text: str, lang: str) -> str:
    """A shift's hours as :func:`hours_text` gives them in Chinese, in ``lang``."""
    if lang == "zh" or "次日" not in text:
        return text
    return text.replace("次日", "") + " (+1)"


def _values(session: Session, raw: Mapping[str, Any], *, kind: ShiftKind | None) -> dict[str, Any]:
    raw = c.merged(kind, SHIFT_KIND_FIELDS, raw)
    check = v.Checks()
    out = {
        "code": check(v.parse_code, raw.get("code"), what="班次代码", max_len=16),
        "name": check(
            v.parse_text, raw.get("name"), field="name", what="班次名称", max_len=20, required=True
        ),
        "starts": check(parse_clock, raw.get("starts"), field="starts", what="开始时刻"),
        "ends": check(parse_clock, raw.get("ends"), field="ends", what="结束时刻"),
        "sort_order": check(
            v.parse_optional_int, raw.get("sort_order"), field="sort_order", what="排序"
        )
        or 0,
        "active": bool(raw.get("active", True)),
    }
    check.done()
    own = kind.id if kind else None
    c.unique(session, ShiftKind.code, out["code"], own, "班次代码")
    c.unique(session, ShiftKind.name, out["name"], own, "班次名称")
    return out


def check_shift_kind(
    session: Session, *, shift_kind_id: int | None = None, **fields: Any
) -> dict[str, Any]:
    kind = c.get(session, ShiftKind, shift_kind_id, "班次") if shift_kind_id is not None else None
    return _values(session, fields, kind=kind)


def create_shift_kind(session: Session, *, user: str = "system", **fields: Any) -> ShiftKind:
    values = _values(session, fields, kind=None)
    return auditlog.insert(session, ShiftKind(**values), user=user, action="shift_kind.create")


def update_shift_kind(
    session: Session,
    *,
    shift_kind_id: int,
    expected_version: int | None,
    user: str = "system",
    **fields: Any,
) -> ShiftKind:
    kind = c.get(session, ShiftKind, shift_kind_id, "班次")
    c.check_version(kind, expected_version, f"班次 {kind.name} ")
    values = _values(session, fields, kind=kind)
    return auditlog.update(
        session, kind, values, user=user, action="shift_kind.update", what=f"班次 {kind.name} "
    )


def delete_shift_kind(session: Session, *, shift_kind_id: int, user: str = "system") -> None:
    """Delete a shift kind no shift uses (else: set it inactive)."""
    kind = c.get(session, ShiftKind, shift_kind_id, "班次")
    used = session.scalar(
        select(func.count(DutyShift.id)).where(DutyShift.shift_kind_id == kind.id)
    )
    if used:
        raise ValidationError(
            "shift_kind",
            f"班次“{kind.name}”已用于 {used} 个值班安排，不能删除；可将其停用",
            message_en=f"shift kind {kind.name} is used by {used} shifts; deactivate it",
            rule="in_use",
        )
    auditlog.delete(session, kind, user=user, action="shift_kind.delete")


def shift_kinds(session: Session, *, active_only: bool = False) -> list[ShiftKind]:
    stmt = select(ShiftKind).order_by(ShiftKind.sort_order, ShiftKind.id)
    if active_only:
        stmt = stmt.where(ShiftKind.active.is_(True))
    return list(session.scalars(stmt))


def ensure_default_shift_kinds(session: Session, *, user: str = "system") -> list[ShiftKind]:
    """The default shift kinds, created when the table is empty (a database made without the
    migration's seed rows); returns every kind."""
    if session.scalar(select(func.count(ShiftKind.id))) == 0:
        for n, (code, name, starts, ends) in enumerate(DEFAULT_SHIFT_KINDS, start=1):
            create_shift_kind(
                session, user=user, code=code, name=name, starts=starts, ends=ends, sort_order=n
            )
    return shift_kinds(session)


def shift_kind_id(session: Session, value: object, *, field: str = "shift_kind_id") -> int:
    """The shift kind ``value`` names: its id, code or name (白班, day)."""
    if isinstance(value, ShiftKind):
        return value.id
    if isinstance(value, int) and not isinstance(value, bool):
        if session.get(ShiftKind, value) is None:
            raise ValidationError(
                field, f"班次 {value} 不存在", message_en=f"no shift kind {value}"
            )
        return value
    text = v.normalize_text("" if value is None else str(value)).strip()
    if not text:
        raise ValidationError(field, "请选择班次", message_en="choose a shift", rule="required")
    for kind in shift_kinds(session):
        if text in (kind.name, kind.code) or text.lower() == kind.code.lower():
            return kind.id
    names = "、".join(k.name for k in shift_kinds(session, active_only=True))
    raise ValidationError(
        field,
        f"没有“{v.shown(text)}”这个班次（可选：{names}）",
        message_en=f"no shift kind {v.shown(text)!r}",
        rule="unknown_ref",
    )

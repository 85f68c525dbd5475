"""Training and public education events: check, create, edit, delete.

The ``check_event`` function validates without writing (an import checks every row first);
``create_event`` / ``update_event`` / ``delete_event`` write the audit log. Linked plans and
teams are given as ids (``plan_ids``, ``team_ids``). A training is never a drill: it is kept
in its own table, so plan drill-due dates (:mod:`drillplan.drills.plan_due`) never see it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from drillplan.audit import log as auditlog
from drillplan.db.models import Movement, Plan, Team, TrainingEvent, Unit
from drillplan.kernel import records as c
from drillplan.kernel import values as v
from drillplan.kernel.errors import ValidationError
from drillplan.kernel.vocab import TrainingKind, UnitKind
from drillplan.org.units import unit_id

__all__ = [
    "CODE_PREFIX",
    "EVENT_FIELDS",
    "check_event",
    "create_event",
    "delete_event",
    "next_code",
    "update_event",
]

CODE_PREFIX = "QP-PX"  # 培训 (training): QP-PX-{year}-{seq:03d}
EVENT_FIELDS = (
    "code",
    "title",
    "kind",
    "starts_at",
    "ends_at",
    "street_unit_id",
    "organiser_unit_id",
    "venue",
    "audience",
    "headcount",
    "topics",
    "notes",
)
LINKS = ("plan_ids", "team_ids")
HEADCOUNT_MAX = 1_000_000


def next_code(session: Session, year: int, *, taken: Iterable[str] = ()) -> str:
    """The next free code ``QP-PX-{year}-{seq:03d}``."""
    prefix = f"{CODE_PREFIX}-{year}-"
    codes = set(
        session.scalars(select(TrainingEvent.code).where(TrainingEvent.code.like(prefix + "%")))
    )
    codes.update(taken)
    seqs = [int(code[len(prefix) :]) for code in codes if code[len(prefix) :].isdigit()]
    return f"{prefix}{max(seqs, default=0) + 1:03d}"


def street_unit(session: Session, value: object) -> int | None:
    """A street or town (街道/镇) unit, or None."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    number = unit_id(session, value, "street_unit_id")
    unit = session.get(Unit, number)
    if unit is not None and unit.kind != UnitKind.STREET_TOWN:
        raise ValidationError(
            "street_unit_id",
            f"“{unit.name}”不是街道或镇",
            message_en=f"{unit.code} is not a street or town",
            rule="not_a_street",
        )
    return number


def _ids(session: Session, model: type, ids: object, field: str, what: str) -> list[int]:
    if ids is None:
        return []
    if isinstance(ids, (str, bytes)) or not isinstance(ids, Iterable):
        raise ValidationError(field, f"请选择{what}", message_en=f"{field} must be a list of ids")
    out: list[int] = []
    for raw in ids:
        try:
            number = int(raw)
        except (TypeError, ValueError) as exc:
            raise ValidationError(field, f"请选择{what}", message_en=f"choose a {field}") from exc
        if session.get(model, number) is None:
            raise ValidationError(
                field, f"{what} {number} 不存在", message_en=f"no {what} {number}"
            )
        out.append(number)
    return list(dict.fromkeys(out))


def _event_values(
    session: Session, raw: Mapping[str, Any], *, event: TrainingEvent | None
) -> dict[str, Any]:
    links = {k: raw[k] for k in LINKS if k in raw}
    raw = c.merged(event, EVENT_FIELDS, {k: val for k, val in raw.items() if k not in LINKS})
    check = v.Checks()
    starts = check(v.parse_moment, raw.get("starts_at"), field="starts_at")
    ends_raw = raw.get("ends_at")
    ends = (
        check(v.parse_optional_moment, ends_raw, field="ends_at") if ends_raw is not None else None
    )
    code = raw.get("code")
    if code is None or (isinstance(code, str) and not code.strip()):
        code = next_code(session, starts.year) if starts is not None else None
    out: dict[str, Any] = {
        "code": check(v.parse_code, code, what="活动编号") if code is not None else None,
        "title": check(
            v.parse_text,
            raw.get("title"),
            field="title",
            what="活动名称",
            max_len=200,
            required=True,
        ),
        "kind": check(v.parse_enum, TrainingKind, raw.get("kind"), field="kind", what="活动类型"),
        "starts_at": starts,
        "ends_at": ends if ends is not None else starts,
        "street_unit_id": check(street_unit, session, raw.get("street_unit_id")),
        "organiser_unit_id": check(
            unit_id, session, raw.get("organiser_unit_id"), "organiser_unit_id"
        ),
        "venue": check(v.parse_text, raw.get("venue"), field="venue", what="地点", max_len=200),
        "audience": check(
            v.parse_text, raw.get("audience"), field="audience", what="参加对象", max_len=200
        ),
        "headcount": check(
            v.parse_optional_int,
            raw.get("headcount"),
            field="headcount",
            what="参加人数",
            maximum=HEADCOUNT_MAX,
        )
        or 0,
        "topics": check(v.parse_strings, raw.get("topics"), field="topics"),
        "notes": check(v.parse_text, raw.get("notes"), field="notes", what="备注", max_len=10_000),
    }
    if "plan_ids" in links:
        out["plan_ids"] = check(_ids, session, Plan, links["plan_ids"], "plan_ids", "预案")
    if "team_ids" in links:
        out["team_ids"] = check(_ids, session, Team, links["team_ids"], "team_ids", "队伍")
    check.done()
    if out["ends_at"] < out["starts_at"]:
        raise ValidationError(
            "ends_at",
            f"结束时间 {out['ends_at']:%Y-%m-%d %H:%M} 早于"
            f"开始时间 {out['starts_at']:%Y-%m-%d %H:%M}",
            message_en="the event ends before it starts",
            rule="ends_before_start",
        )
    c.unique(session, TrainingEvent.code, out["code"], event.id if event else None, "活动编号")
    if event is not None and out["code"] != event.code and issued_count(session, event.code):
        raise ValidationError(
            "code",
            f"活动 {event.code} 已有物资领用记录（单据号为活动编号），不能修改编号",
            message_en=f"materials were issued for {event.code}: its code cannot change",
            rule="code_in_ledger",
        )
    return out


def issued_count(session: Session, code: str) -> int:
    """How many ledger movements name the event's code as their document number."""
    return session.scalar(select(func.count(Movement.id)).where(Movement.document_no == code)) or 0


def check_event(session: Session, *, event_id: int | None = None, **fields: Any) -> dict[str, Any]:
    """Every field as :func:`create_event` (no ``event_id``) or :func:`update_event` would
    store it, or the ValidationError they would raise; writes nothing."""
    event = c.get(session, TrainingEvent, event_id, "培训活动") if event_id is not None else None
    return _event_values(session, fields, event=event)


def _set_links(session: Session, event: TrainingEvent, values: dict[str, Any]) -> None:
    if "plan_ids" in values:
        event.plans = [session.get(Plan, i) for i in values.pop("plan_ids")]  # type: ignore[misc]
    if "team_ids" in values:
        event.teams = [session.get(Team, i) for i in values.pop("team_ids")]  # type: ignore[misc]


def create_event(session: Session, *, user: str = "system", **fields: Any) -> TrainingEvent:
    """Register an event; without ``code`` the next free ``QP-PX-{year}-{seq}`` is used."""
    values = _event_values(session, fields, event=None)
    event = TrainingEvent()
    _set_links(session, event, values)
    for name, value in values.items():
        setattr(event, name, value)
    return auditlog.insert(session, event, user=user, action="training.create")


def update_event(
    session: Session,
    *,
    event_id: int,
    expected_version: int | None,
    user: str = "system",
    **fields: Any,
) -> TrainingEvent:
    """Edit an event; fields not given keep their value (``plan_ids``/``team_ids`` replace)."""
    event = c.get(session, TrainingEvent, event_id, "培训活动")
    c.check_version(event, expected_version, f"培训活动 {event.code} ")
    values = _event_values(session, fields, event=event)
    _set_links(session, event, values)
    return auditlog.update(
        session, event, values, user=user, action="training.update", what=f"培训活动 {event.code} "
    )


def delete_event(
    session: Session, *, event_id: int, expected_version: int | None = None, user: str = "system"
) -> None:
    """Delete an event; refused while the ledger holds issues for it (they stay its record)."""
    event = c.get(session, TrainingEvent, event_id, "培训活动")
    c.check_version(event, expected_version, f"培训活动 {event.code} ")
    n = issued_count(session, event.code)
    if n:
        raise ValidationError(
            "event",
            f"活动 {event.code} 已有物资领用记录 {n} 条，不能删除",
            message_en=f"event {event.code} has {n} ledger issues and cannot be deleted",
            rule="in_ledger",
        )
    auditlog.delete(session, event, user=user, action="training.delete")


def year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    return dt.datetime(year, 1, 1), dt.datetime(year + 1, 1, 1)

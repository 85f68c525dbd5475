"""Helpers shared by the plan operations: finding plans, checking dates."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from drillplan.db.models import Plan
from drillplan.kernel.errors import NotFound, ValidationError
from drillplan.kernel.values import normalize_text


def get_plan(session: Session, plan_id: int, *, lock: bool = False) -> Plan:
    """The plan ``plan_id`` (locked for update on PostgreSQL when ``lock``)."""
    plan = session.get(Plan, plan_id, with_for_update=lock or None, populate_existing=lock)
    if plan is None:
        raise NotFound(f"预案 {plan_id} 不存在 (no plan {plan_id})")
    return plan


def plan_by_code(session: Session, code: str) -> Plan:
    plan = session.scalar(select(Plan).where(Plan.code == normalize_text(code)))
    if plan is None:
        raise NotFound(f"没有编号为 {code} 的预案 (no plan with code {code})")
    return plan


def check_not_future(on: object, *, today: dt.date | None, field: str = "date") -> dt.date:
    """A real date that is not after ``today``."""
    if isinstance(on, dt.datetime):
        on = on.date()
    if not isinstance(on, dt.date):
        raise ValidationError(field, "日期不能为空", message_en="a date is required")
    today = today or dt.date.today()
    if on > today:
        raise ValidationError(
            field,
            f"日期 {on.isoformat()} 晚于今天 {today.isoformat()}，不能登记未来发生的事项",
            message_en=f"date {on.isoformat()} is after today ({today.isoformat()})",
        )
    return on

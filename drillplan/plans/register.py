"""The plan register: creating and editing plans, recording evaluations (评估).

Every function validates all of its input before it changes anything, raises
``ValidationError(field, ...)`` naming the offending field, ``Conflict`` for a duplicate
code or a stale ``expected_version``, and writes the audit log. The caller owns the
transaction.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from drillplan.audit import log as auditlog
from drillplan.db.models import Plan, PlanEvaluation, PlanRevision, PlanStatusChange, Unit
from drillplan.kernel import records
from drillplan.kernel.errors import Conflict, ValidationError
from drillplan.kernel.values import normalize_text, parse_enum, parse_strings, parse_text
from drillplan.kernel.vocab import EmergencyCategory, HolderClass, PlanKind, PlanStatus, label
from drillplan.plans.common import check_not_future, get_plan
from drillplan.plans.lifecycle import INITIAL_LABEL, INITIAL_REASON

# Letters, digits, CJK and the punctuation of document numbers (青应〔2024〕3号, QP-ZX-001).
CODE_PATTERN = re.compile(r"^[0-9A-Za-z\u4e00-\u9fff][0-9A-Za-z\u4e00-\u9fff〔〕()（）\[\]._/-]*$")

EVALUATION_CONCLUSIONS: dict[str, tuple[str, str]] = {
    "keep": ("继续适用", "remains fit for use"),
    "revise": ("需要修订", "needs revision"),
    "abolish": ("建议废止", "should be abolished"),
}

EDITABLE_FIELDS = frozenset(
    {
        "code",
        "title",
        "kind",
        "category",
        "hazards",
        "owner_unit_id",
        "holder_class",
        "response_levels",
        "approved_on",
        "published_on",
        "filed_on",
        "filed_with",
        "evaluation_interval_months",
        "drill_interval_months",
        "flood_related",
        "notes",
    }
)


# ----------------------------------------------------------------------------- validation


def _code(value: object) -> str:
    code = normalize_text(str(value or ""))
    if not code:
        raise ValidationError("code", "预案编号不能为空", message_en="a plan code is required")
    if len(code) > 40 or not CODE_PATTERN.match(code):
        raise ValidationError(
            "code",
            f"预案编号“{code}”格式不正确：最多 40 个字符，只能含字母、数字、汉字和 -_./()〔〕",
            message_en=f"bad plan code {code!r}: up to 40 letters, digits, CJK, -_./()〔〕",
        )
    return code


def _as_int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
        return int(value.strip())
    return None


def _months(value: object, field: str, what: str, *, optional: bool) -> int | None:
    if value is None or value == "":
        if optional:
            return None
        raise ValidationError(field, f"{what}不能为空", message_en=f"{field} is required")
    months = _as_int(value)
    if months is None:
        raise ValidationError(
            field, f"{what}应为整数（月）：{value}", message_en=f"{field} must be whole months"
        )
    if not 0 < months <= 600:
        raise ValidationError(
            field,
            f"{what}必须大于 0 个月（输入为 {months}）",
            message_en=f"{field} must be between 1 and 600 months",
        )
    return months


def _date(value: object, field: str, today: dt.date | None) -> dt.date | None:
    if value is None:
        return None
    return check_not_future(value, today=today, field=field)


def _unit(session: Session, value: object) -> int:
    unit_id = _as_int(value)
    if unit_id is None:
        raise ValidationError(
            "owner_unit_id", "请选择编制单位", message_en="an owner unit is required"
        )
    if session.get(Unit, unit_id) is None:
        raise ValidationError(
            "owner_unit_id", f"单位 {unit_id} 不存在", message_en=f"no unit {unit_id}"
        )
    return unit_id


def _normalise(
    session: Session, values: Mapping[str, Any], today: dt.date | None
) -> dict[str, Any]:
    """Validate and normalise the given plan fields (only those present)."""
    out: dict[str, Any] = {}
    for name, value in values.items():
        if name == "code":
            out[name] = _code(value)
        elif name == "title":
            out[name] = parse_text(
                value, field="title", what="预案名称", max_len=200, required=True
            )
        elif name == "kind":
            out[name] = parse_enum(PlanKind, value, field="kind", what="预案类别")
        elif name == "category":
            out[name] = parse_enum(EmergencyCategory, value, field="category", what="突发事件类别")
        elif name == "holder_class":
            out[name] = parse_enum(HolderClass, value, field="holder_class", what="持有单位类型")
        elif name in ("hazards", "response_levels"):
            out[name] = parse_strings(value, field=name)
        elif name == "owner_unit_id":
            out[name] = _unit(session, value)
        elif name in ("approved_on", "published_on", "filed_on"):
            out[name] = _date(value, name, today)
        elif name == "filed_with":
            out[name] = parse_text(value, field=name, what="备案机关", max_len=120, required=False)
        elif name == "evaluation_interval_months":
            out[name] = _months(value, name, "评估周期", optional=False)
        elif name == "drill_interval_months":
            out[name] = _months(value, name, "演练周期", optional=True)
        elif name == "flood_related":
            out[name] = bool(value)
        elif name == "notes":
            out[name] = parse_text(value, field=name, what="备注", max_len=10_000, required=False)
        else:
            raise ValidationError(
                name, f"字段 {name} 不能在此修改", message_en=f"field {name} cannot be edited here"
            )
    return out


def _check_dates(values: Mapping[str, Any]) -> None:
    """Publication not before approval; filing not before the plan was issued.

    ``approved_on`` is the approval-and-issue date (批准印发) the 20-working-day filing and
    publication clocks run from; a plan entered without it counts from ``published_on``.
    """
    approved, published, filed = (
        values.get(k) for k in ("approved_on", "published_on", "filed_on")
    )
    if published is not None and approved is not None and published < approved:
        raise ValidationError(
            "published_on",
            f"发布日期 {published} 早于批准日期 {approved}",
            message_en="the publication date is before the approval date",
        )
    issued = approved or published
    if filed is not None and issued is None:
        raise ValidationError(
            "filed_on",
            "预案尚未批准或发布，不能登记备案日期",
            message_en="a plan cannot be filed before it is approved or published",
        )
    if filed is not None and issued is not None and filed < issued:
        raise ValidationError(
            "filed_on",
            f"备案日期 {filed} 早于{'批准' if approved else '发布'}日期 {issued}",
            message_en="the filing date is before the plan was issued",
        )


def _check_code_free(session: Session, code: str, plan_id: int | None) -> None:
    other = session.scalar(select(Plan.id).where(Plan.code == code))
    if other is not None and other != plan_id:
        raise Conflict(f"预案编号 {code} 已存在 (plan code {code} is already used)")


# ----------------------------------------------------------------------------- operations


def create_plan(
    session: Session,
    *,
    code: str,
    title: str,
    kind: PlanKind | str,
    category: EmergencyCategory | str,
    owner_unit_id: int,
    holder_class: HolderClass | str = HolderClass.GOVERNMENT,
    hazards: Iterable[str] | str | None = None,
    response_levels: Iterable[str] | str | None = None,
    status: PlanStatus | str = PlanStatus.DRAFTING,
    version: str = "1.0",
    approved_on: dt.date | None = None,
    published_on: dt.date | None = None,
    filed_on: dt.date | None = None,
    filed_with: str | None = None,
    evaluation_interval_months: int = 36,
    drill_interval_months: int | None = None,
    flood_related: bool = False,
    notes: str | None = None,
    on: dt.date | None = None,
    user: str = "system",
    today: dt.date | None = None,
) -> Plan:
    """Register a plan (a new draft, or an existing plan entered with its status and dates).

    The first version is recorded as a ``PlanRevision`` (reason ``initial``) and the
    initial status as a ``PlanStatusChange``; ``on`` (default today) dates a new draft.
    """
    values = _normalise(
        session,
        {
            "code": code,
            "title": title,
            "kind": kind,
            "category": category,
            "owner_unit_id": owner_unit_id,
            "holder_class": holder_class,
            "hazards": hazards,
            "response_levels": response_levels,
            "approved_on": approved_on,
            "published_on": published_on,
            "filed_on": filed_on,
            "filed_with": filed_with,
            "evaluation_interval_months": evaluation_interval_months,
            "drill_interval_months": drill_interval_months,
            "flood_related": flood_related,
            "notes": notes,
        },
        today,
    )
    state = parse_enum(PlanStatus, status, field="status", what="预案状态")
    on = check_not_future(on or today or dt.date.today(), today=today)
    version = (
        parse_text(version, field="version", what="版本号", max_len=20, required=True) or "1.0"
    )
    _check_dates(values)
    if state in (PlanStatus.PUBLISHED, PlanStatus.REVISING) and values["published_on"] is None:
        raise ValidationError(
            "published_on",
            f"状态为“{label(state)}”的预案须填写发布日期",
            message_en=f"a {state} plan needs its publication date",
        )
    if state == PlanStatus.APPROVED and values["approved_on"] is None:
        raise ValidationError(
            "approved_on", "已批准的预案须填写批准日期", message_en="approval date required"
        )
    _check_code_free(session, values["code"], None)

    plan = Plan(**values, status=state, current_version=version)
    session.add(plan)
    session.flush()
    first_on = values["approved_on"] or values["published_on"] or on
    since = {
        PlanStatus.PUBLISHED: values["published_on"],
        PlanStatus.REVISING: values["published_on"],
        PlanStatus.APPROVED: values["approved_on"],
    }.get(state) or on
    session.add(
        PlanRevision(
            plan_id=plan.id,
            version=version,
            revised_on=first_on,
            reason=INITIAL_REASON,
            summary=INITIAL_LABEL[0],
        )
    )
    session.add(
        PlanStatusChange(
            plan_id=plan.id, from_status=None, to_status=state, changed_on=since, username=user
        )
    )
    session.flush()
    auditlog.record(session, user=user, action="plan.create", row=plan)
    return plan


def update_plan(
    session: Session,
    *,
    plan_id: int,
    expected_version: int,
    user: str = "system",
    today: dt.date | None = None,
    **fields: Any,
) -> Plan:
    """Edit a plan's register fields (not its status or version: see ``lifecycle``).

    ``expected_version`` is the ``row_version`` the editor loaded; if someone saved the
    plan since, ``EditConflict`` is raised and nothing changes.
    """
    plan = get_plan(session, plan_id, lock=True)
    records.check_version(plan, expected_version, f"预案 {plan.code} ")
    for name in ("status", "current_version", "version"):
        if name in fields:
            raise ValidationError(
                name,
                "状态和版本请通过状态变更或修订功能修改",
                message_en=f"{name} changes through transition() or revise()",
            )
    values = _normalise(session, fields, today)
    merged = {k: getattr(plan, k) for k in ("approved_on", "published_on", "filed_on")}
    merged.update({k: v for k, v in values.items() if k in merged})
    _check_dates(merged)
    if "code" in values:
        _check_code_free(session, values["code"], plan.id)
    changed = {k: v for k, v in values.items() if getattr(plan, k) != v}
    if not changed:
        return plan
    before = auditlog.snapshot(plan)
    for name, value in changed.items():
        setattr(plan, name, value)
    records.flush(session, f"预案 {plan.code} ")
    auditlog.record(session, user=user, action="plan.update", row=plan, before=before)
    return plan


def record_evaluation(
    session: Session,
    *,
    plan_id: int,
    on: dt.date,
    conclusion: str,
    summary: str = "",
    user: str = "system",
    today: dt.date | None = None,
) -> PlanEvaluation:
    """评估: record a periodic evaluation; the next one falls due an interval later."""
    plan = get_plan(session, plan_id, lock=True)
    key = normalize_text(conclusion or "")
    key = {zh: k for k, (zh, _en) in EVALUATION_CONCLUSIONS.items()}.get(key, key)
    if key not in EVALUATION_CONCLUSIONS:
        choices = "、".join(f"{k}（{zh}）" for k, (zh, _en) in EVALUATION_CONCLUSIONS.items())
        raise ValidationError(
            "conclusion",
            f"评估结论“{conclusion}”无效，应为：{choices}",
            message_en=f"invalid conclusion {conclusion!r}; one of {list(EVALUATION_CONCLUSIONS)}",
        )
    check_not_future(on, today=today)
    if plan.status == PlanStatus.ABOLISHED:
        raise ValidationError(
            "status", f"预案 {plan.code} 已废止，不能评估", message_en="the plan is abolished"
        )
    issued = plan.published_on or plan.approved_on
    if issued is None and plan.status in (PlanStatus.DRAFTING, PlanStatus.REVIEWING):
        raise ValidationError(
            "status",
            f"预案 {plan.code} 尚未发布，不能评估",
            message_en="the plan has not been issued yet",
        )
    evaluation = PlanEvaluation(
        plan_id=plan.id, evaluated_on=on, conclusion=key, summary=(summary or "").strip()
    )
    return auditlog.insert(session, evaluation, user=user, action="plan.evaluate")

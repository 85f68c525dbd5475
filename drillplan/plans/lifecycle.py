"""A plan's status lifecycle and its revisions (versions).

编制中 -> 审核中 -> 已批准 -> 已发布 -> 修订中 -> 审核中 -> ...; 审核中 may send a plan back
to 编制中; 已废止 can be reached from every other state and is final. Every transition is
dated (not in the future, not before the previous transition) and recorded twice: a
``PlanStatusChange`` row (the plan's history) and an audit-log entry (before/after).

A revision (修订) creates a new version with one of the revision triggers of the 2024
plan-management measures as its reason; the register keeps every version.
"""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from drillplan.audit import log as auditlog
from drillplan.db.models import Plan, PlanRevision, PlanStatusChange
from drillplan.kernel.errors import ValidationError
from drillplan.kernel.values import normalize_text, parse_enum
from drillplan.kernel.vocab import PlanStatus, label
from drillplan.plans.common import check_not_future, get_plan

S = PlanStatus

TRANSITIONS: dict[PlanStatus, frozenset[PlanStatus]] = {
    S.DRAFTING: frozenset({S.REVIEWING, S.ABOLISHED}),
    S.REVIEWING: frozenset({S.APPROVED, S.DRAFTING, S.ABOLISHED}),
    S.APPROVED: frozenset({S.PUBLISHED, S.ABOLISHED}),
    S.PUBLISHED: frozenset({S.REVISING, S.ABOLISHED}),
    S.REVISING: frozenset({S.REVIEWING, S.ABOLISHED}),
    S.ABOLISHED: frozenset(),
}

# 突发事件应急预案管理办法 (2024): the circumstances in which a plan must be revised.
REVISION_REASONS: dict[str, tuple[str, str]] = {
    "law_changed": (
        "有关法律法规、规章、标准、上位预案中的有关规定发生重大变化",
        "laws, regulations, standards or upper-level plans changed",
    ),
    "command_changed": (
        "应急指挥机构及其职责发生重大调整",
        "the command structure or its duties changed",
    ),
    "risk_changed": ("面临的风险发生重大变化", "a major change in the risks faced"),
    "resources_changed": ("重要应急资源发生重大变化", "a major change in key emergency resources"),
    "info_changed": ("预案中的其他重要信息发生变化", "other key information in the plan changed"),
    "lessons_learned": (
        "在突发事件实际应对和应急演练中发现问题需要作出重大调整",
        "problems found in a real response or a drill",
    ),
    "issuer_decided": ("应急预案制定单位认为应当修订的其他情况", "the issuing body decided"),
}
INITIAL_REASON = "initial"  # the first version, recorded when a plan is created
INITIAL_LABEL = ("首次编制", "first version")

_VERSION = re.compile(r"^(\d+)(?:\.\d+)*$")


def reason_label(key: str, lang: str = "zh") -> str:
    if key == INITIAL_REASON:
        return INITIAL_LABEL[0] if lang == "zh" else INITIAL_LABEL[1]
    pair = REVISION_REASONS.get(key)
    if pair is None:
        return key
    return pair[0] if lang == "zh" else pair[1]


def allowed_transitions(status: PlanStatus) -> list[PlanStatus]:
    """The states a plan in ``status`` may move to, in lifecycle order."""
    return [s for s in PlanStatus if s in TRANSITIONS[status]]


def _last_change_on(session: Session, plan_id: int) -> dt.date | None:
    return session.scalar(
        select(func.max(PlanStatusChange.changed_on)).where(PlanStatusChange.plan_id == plan_id)
    )


def check_transition(
    session: Session, plan: Plan, to_status: PlanStatus, on: dt.date, *, today: dt.date | None
) -> None:
    """Raise ValidationError unless ``plan`` may move to ``to_status`` on ``on``."""
    current = plan.status
    if to_status not in TRANSITIONS[current]:
        allowed = (
            "、".join(label(s) for s in allowed_transitions(current)) or "无（已废止为最终状态）"
        )
        raise ValidationError(
            "status",
            f"预案 {plan.code} 的状态不能从“{label(current)}”变为“{label(to_status)}”"
            f"（可变为：{allowed}）",
            message_en=f"plan {plan.code}: illegal status transition {current} -> {to_status} "
            f"(allowed: {', '.join(allowed_transitions(current)) or 'none'})",
        )
    check_not_future(on, today=today)
    last = _last_change_on(session, plan.id)
    if last is not None and on < last:
        raise ValidationError(
            "date",
            f"日期 {on.isoformat()} 早于上一次状态变更日期 {last.isoformat()}",
            message_en=f"date {on.isoformat()} is before the previous transition ({last})",
        )
    if to_status == S.PUBLISHED and plan.approved_on is not None and on < plan.approved_on:
        raise ValidationError(
            "date",
            f"发布日期 {on.isoformat()} 早于批准日期 {plan.approved_on.isoformat()}",
            message_en="publication date is before the approval date",
        )


def apply_transition(
    session: Session,
    plan: Plan,
    to_status: PlanStatus,
    on: dt.date,
    *,
    user: str,
    note: str | None,
) -> PlanStatusChange:
    """Move an already checked plan to ``to_status``: dates, history row and audit entry.

    Entering 已批准 starts a new version's approval: its approval date is set and the
    previous version's publication and filing dates are cleared (they stay in the history
    and the audit log); entering 已发布 sets the publication date.
    """
    before = auditlog.snapshot(plan)
    change = PlanStatusChange(
        plan_id=plan.id,
        from_status=plan.status,
        to_status=to_status,
        changed_on=on,
        username=user or "system",
        note=note[:200] if note else None,
    )
    session.add(change)
    if to_status == S.APPROVED:
        plan.approved_on = on
        plan.published_on = None
        plan.filed_on = None
        plan.filed_with = None
    elif to_status == S.PUBLISHED:
        plan.published_on = on
    plan.status = to_status
    session.flush()
    auditlog.record(
        session,
        user=user,
        action="plan.transition",
        row=plan,
        before=before,
        after={**auditlog.snapshot(plan), "note": note},
    )
    return change


def transition(
    session: Session,
    *,
    plan_id: int,
    to_status: PlanStatus | str,
    on: dt.date,
    user: str = "system",
    note: str | None = None,
    today: dt.date | None = None,
) -> PlanStatusChange:
    """Move a plan to another status on ``on``; illegal moves raise ValidationError("status")."""
    target = parse_enum(PlanStatus, to_status, field="status", what="预案状态")
    plan = get_plan(session, plan_id, lock=True)
    check_transition(session, plan, target, on, today=today)
    return apply_transition(session, plan, target, on, user=user, note=note)


# ------------------------------------------------------------------------------ revisions


def next_version(current: str) -> str | None:
    """The next major version ("1.0" -> "2.0", "2.3" -> "3.0"); None if not numeric."""
    match = _VERSION.match(current.strip())
    return f"{int(match.group(1)) + 1}.0" if match else None


def _version_key(version: str) -> tuple[int, ...] | None:
    if not _VERSION.match(version):
        return None
    return tuple(int(p) for p in version.split("."))


def _check_version(session: Session, plan: Plan, new_version: str | None) -> str:
    if new_version is None or not normalize_text(new_version):
        auto = next_version(plan.current_version)
        if auto is None:
            raise ValidationError(
                "version",
                f"当前版本号“{plan.current_version}”不是数字格式，请指定新版本号",
                message_en=f"cannot increment version {plan.current_version!r}; give one",
            )
        version = auto
    else:
        version = normalize_text(new_version)
    if len(version) > 20:
        raise ValidationError("version", "版本号最多 20 个字符", message_en="version too long")
    used = set(session.scalars(select(PlanRevision.version).where(PlanRevision.plan_id == plan.id)))
    if version in used or version == plan.current_version:
        raise ValidationError(
            "version",
            f"预案 {plan.code} 已有版本 {version}",
            message_en=f"plan {plan.code} already has version {version}",
        )
    new_key, old_key = _version_key(version), _version_key(plan.current_version)
    if new_key is not None and old_key is not None and new_key <= old_key:
        raise ValidationError(
            "version",
            f"新版本号 {version} 应大于当前版本号 {plan.current_version}",
            message_en=f"version {version} must be greater than {plan.current_version}",
        )
    return version


def revise(
    session: Session,
    *,
    plan_id: int,
    reason: str,
    summary: str,
    on: dt.date,
    new_version: str | None = None,
    user: str = "system",
    note: str | None = None,
    today: dt.date | None = None,
) -> PlanRevision:
    """Start a revision: a new version with its reason and summary.

    Allowed for a published plan (it moves to 修订中 on ``on``) or one already under
    revision. ``reason`` is a key of REVISION_REASONS (or its Chinese label).
    """
    plan = get_plan(session, plan_id, lock=True)
    key = normalize_text(reason or "")
    by_label = {zh: k for k, (zh, _en) in REVISION_REASONS.items()}
    key = by_label.get(key, key)
    if key not in REVISION_REASONS:
        choices = "；".join(f"{k}（{zh}）" for k, (zh, _en) in REVISION_REASONS.items())
        raise ValidationError(
            "reason",
            f"修订原因“{reason}”无效，应为：{choices}",
            message_en=f"invalid revision reason {reason!r}; one of {list(REVISION_REASONS)}",
        )
    text = (summary or "").strip()
    if not text:
        raise ValidationError("summary", "修订说明不能为空", message_en="a summary is required")
    check_not_future(on, today=today)
    if plan.status not in (S.PUBLISHED, S.REVISING):
        raise ValidationError(
            "status",
            f"预案 {plan.code} 处于“{label(plan.status)}”状态，只有已发布或修订中的预案可以修订",
            message_en=f"plan {plan.code} is {plan.status}; only published or revising plans "
            "can be revised",
        )
    last = session.scalar(
        select(func.max(PlanRevision.revised_on)).where(PlanRevision.plan_id == plan.id)
    )
    if last is not None and on < last:
        raise ValidationError(
            "date",
            f"修订日期 {on.isoformat()} 早于上一版本日期 {last.isoformat()}",
            message_en=f"revision date {on.isoformat()} is before the previous version ({last})",
        )
    version = _check_version(session, plan, new_version)
    if plan.status == S.PUBLISHED:
        check_transition(session, plan, S.REVISING, on, today=today)

    before = auditlog.snapshot(plan)
    if plan.status == S.PUBLISHED:
        apply_transition(session, plan, S.REVISING, on, user=user, note=note or reason_label(key))
    revision = PlanRevision(
        plan_id=plan.id, version=version, revised_on=on, reason=key, summary=text
    )
    session.add(revision)
    plan.current_version = version
    session.flush()
    auditlog.record(
        session,
        user=user,
        action="plan.revise",
        row=plan,
        before=before,
        after={**auditlog.snapshot(plan), "revision": auditlog.snapshot(revision)},
    )
    return revision


def versions(session: Session, plan_id: int) -> list[PlanRevision]:
    """Every version of a plan, oldest first."""
    get_plan(session, plan_id)
    return list(
        session.scalars(
            select(PlanRevision)
            .where(PlanRevision.plan_id == plan_id)
            .order_by(PlanRevision.revised_on, PlanRevision.id)
        )
    )


def history(session: Session, plan_id: int) -> list[PlanStatusChange]:
    """Every status change of a plan, oldest first."""
    get_plan(session, plan_id)
    return list(
        session.scalars(
            select(PlanStatusChange)
            .where(PlanStatusChange.plan_id == plan_id)
            .order_by(PlanStatusChange.changed_on, PlanStatusChange.id)
        )
    )

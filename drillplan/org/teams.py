"""Rescue teams (救援队伍), their members and members' certificates: create, edit, delete."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from drillplan.audit import log as auditlog
from drillplan.db.models import (
    Certificate,
    CompetitionEntry,
    DrillParticipant,
    Holder,
    Lot,
    Member,
    Team,
)
from drillplan.kernel import records as c
from drillplan.kernel.errors import ValidationError
from drillplan.kernel.values import validate_credit_code
from drillplan.kernel.vocab import Readiness, TeamKind, Tier
from drillplan.org.units import unit_id

TEAM_FIELDS = (
    "code",
    "name",
    "kind",
    "specialties",
    "owner_unit_id",
    "tier",
    "base",
    "duty_phone",
    "response_minutes",
    "readiness",
    "headcount",
    "credit_code",
    "agreement_no",
    "agreement_expires_on",
)
MEMBER_FIELDS = ("name", "role", "phone", "insured_until", "active")
CERTIFICATE_FIELDS = ("cert_type", "number", "issued_on", "expires_on")


def credit_code(value: object, *, kind: TeamKind, override: bool) -> str | None:
    """A social organisation's registration code is required and checked.

    ``override`` accepts a code whose check character is wrong (a few real codes are).
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        if kind == TeamKind.SOCIAL:
            raise ValidationError(
                "credit_code",
                "社会应急力量须填写统一社会信用代码",
                message_en="a social rescue force needs its unified social credit code",
            )
        return None
    return validate_credit_code(str(value), allow_bad_check=override)


def _team_values(session: Session, raw: Mapping[str, Any], *, override: bool) -> dict[str, Any]:
    unknown = sorted(set(raw) - set(TEAM_FIELDS))
    if unknown:
        raise ValidationError(unknown[0], "不能在此修改", message_en=f"{unknown[0]} not editable")
    kind = c.choice(TeamKind, raw.get("kind"), "kind", "队伍类型")
    out: dict[str, Any] = {
        "code": c.code(raw.get("code"), what="队伍编号"),
        "name": c.clean(raw.get("name"), "name", "队伍名称", 120, required=True),
        "kind": kind,
        "specialties": c.strings(raw.get("specialties")),
        "owner_unit_id": unit_id(session, raw.get("owner_unit_id")),
        "tier": c.choice(Tier, raw.get("tier") or Tier.DISTRICT, "tier", "层级"),
        "base": c.clean(raw.get("base"), "base", "驻地", 200, required=False),
        "duty_phone": c.phone(raw.get("duty_phone"), "duty_phone"),
        "response_minutes": c.optional_int(
            raw.get("response_minutes"), "response_minutes", "响应时间"
        ),
        "readiness": c.choice(
            Readiness, raw.get("readiness") or Readiness.READY, "readiness", "战备状态"
        ),
        "headcount": c.optional_int(raw.get("headcount"), "headcount", "编制人数"),
        "credit_code": credit_code(raw.get("credit_code"), kind=kind, override=override),
        "agreement_no": c.clean(
            raw.get("agreement_no"), "agreement_no", "协议编号", 40, required=False
        ),
        "agreement_expires_on": c.optional_date(
            raw.get("agreement_expires_on"), "agreement_expires_on"
        ),
    }
    if out["agreement_expires_on"] is not None and out["agreement_no"] is None:
        raise ValidationError(
            "agreement_no",
            "填写了协议到期日，请同时填写协议编号",
            message_en="an agreement expiry needs the agreement number",
        )
    return out


def create_team(
    session: Session, *, user: str = "system", credit_code_override: bool = False, **fields: Any
) -> Team:
    values = _team_values(session, fields, override=credit_code_override)
    c.unique(session, Team.code, values["code"], None, "队伍编号")
    team = Team(**values)
    session.add(team)
    session.flush()
    auditlog.record(session, user=user, action="team.create", row=team)
    return team


def update_team(
    session: Session,
    *,
    team_id: int,
    expected_version: int | None,
    user: str = "system",
    credit_code_override: bool = False,
    **fields: Any,
) -> Team:
    """Edit a team; fields not given keep their value."""
    team = c.get(session, Team, team_id, "队伍")
    c.check_version(team, expected_version, f"队伍 {team.code} ")
    merged = {name: getattr(team, name) for name in TEAM_FIELDS} | dict(fields)
    values = _team_values(session, merged, override=credit_code_override)
    c.unique(session, Team.code, values["code"], team.id, "队伍编号")
    before = auditlog.snapshot(team)
    for name, value in values.items():
        if getattr(team, name) != value:
            setattr(team, name, value)
    c.flush(session, f"队伍 {team.code} ")
    auditlog.record(session, user=user, action="team.update", row=team, before=before)
    return team


def delete_team(
    session: Session, *, team_id: int, expected_version: int | None = None, user: str = "system"
) -> None:
    """Delete a team with its members; refused while it holds stock, drills or results."""
    team = c.get(session, Team, team_id, "队伍")
    c.check_version(team, expected_version, f"队伍 {team.code} ")
    uses = {
        "参演记录": select(func.count(DrillParticipant.id)).where(
            DrillParticipant.team_id == team.id
        ),
        "比武成绩": select(func.count(CompetitionEntry.id)).where(
            CompetitionEntry.team_id == team.id
        ),
        "物资批次": select(func.count(Lot.id))
        .join(Holder, Lot.holder_id == Holder.id)
        .where(Holder.team_id == team.id),
    }
    used = [f"{what} {n} 条" for what, q in uses.items() if (n := session.scalar(q) or 0)]
    if used:
        raise ValidationError(
            "team",
            f"队伍 {team.code} 仍有{'、'.join(used)}，不能删除；可将战备状态改为“不可用”",
            message_en=f"team {team.code} is still referenced ({', '.join(used)})",
        )
    before = auditlog.snapshot(team)
    holder = session.scalar(select(Holder).where(Holder.team_id == team.id))
    if holder is not None:
        session.delete(holder)
    session.delete(team)
    session.flush()
    auditlog.record(
        session, user=user, action="team.delete", table="team", row_id=team_id, before=before
    )


# ---------------------------------------------------------------------------- members


def _member_values(raw: Mapping[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(raw) - set(MEMBER_FIELDS))
    if unknown:
        raise ValidationError(unknown[0], "不能在此修改", message_en=f"{unknown[0]} not editable")
    return {
        "name": c.clean(raw.get("name"), "name", "姓名", 60, required=True),
        "role": c.clean(raw.get("role"), "role", "职务", 40, required=False) or "队员",
        "phone": c.phone(raw.get("phone"), "phone"),
        "insured_until": c.optional_date(raw.get("insured_until"), "insured_until"),
        "active": bool(raw.get("active", True)),
    }


def add_member(session: Session, *, team_id: int, user: str = "system", **fields: Any) -> Member:
    team = c.get(session, Team, team_id, "队伍")
    member = Member(team_id=team.id, **_member_values(fields))
    session.add(member)
    session.flush()
    auditlog.record(session, user=user, action="member.create", row=member)
    return member


def update_member(
    session: Session, *, member_id: int, user: str = "system", **fields: Any
) -> Member:
    member = c.get(session, Member, member_id, "队员")
    merged = {name: getattr(member, name) for name in MEMBER_FIELDS} | dict(fields)
    values = _member_values(merged)
    before = auditlog.snapshot(member)
    for name, value in values.items():
        setattr(member, name, value)
    session.flush()
    auditlog.record(session, user=user, action="member.update", row=member, before=before)
    return member


def delete_member(session: Session, *, member_id: int, user: str = "system") -> None:
    member = c.get(session, Member, member_id, "队员")
    before = auditlog.snapshot(member)
    session.delete(member)
    session.flush()
    auditlog.record(
        session, user=user, action="member.delete", table="member", row_id=member_id, before=before
    )


# ----------------------------------------------------------------------- certificates


def _certificate_values(
    session: Session, raw: Mapping[str, Any], own_id: int | None
) -> dict[str, Any]:
    unknown = sorted(set(raw) - set(CERTIFICATE_FIELDS))
    if unknown:
        raise ValidationError(unknown[0], "不能在此修改", message_en=f"{unknown[0]} not editable")
    issued = c.optional_date(raw.get("issued_on"), "issued_on")
    if issued is None:
        raise ValidationError("issued_on", "发证日期不能为空", message_en="issued_on is required")
    expires = c.optional_date(raw.get("expires_on"), "expires_on")
    if expires is not None and expires < issued:
        raise ValidationError(
            "expires_on",
            f"有效期至 {expires} 早于发证日期 {issued}",
            message_en="the certificate expires before it was issued",
        )
    values = {
        "cert_type": c.clean(raw.get("cert_type"), "cert_type", "证书类型", 60, required=True),
        "number": c.clean(raw.get("number"), "number", "证书编号", 60, required=True),
        "issued_on": issued,
        "expires_on": expires,
    }
    other = session.scalar(
        select(Certificate.id).where(
            Certificate.cert_type == values["cert_type"], Certificate.number == values["number"]
        )
    )
    if other is not None and other != own_id:
        raise ValidationError(
            "number",
            f"{values['cert_type']} 证书编号 {values['number']} 已登记",
            message_en="this certificate number is already registered",
        )
    return values


def add_certificate(
    session: Session, *, member_id: int, user: str = "system", **fields: Any
) -> Certificate:
    member = c.get(session, Member, member_id, "队员")
    cert = Certificate(member_id=member.id, **_certificate_values(session, fields, None))
    session.add(cert)
    session.flush()
    auditlog.record(session, user=user, action="certificate.create", row=cert)
    return cert


def update_certificate(
    session: Session, *, certificate_id: int, user: str = "system", **fields: Any
) -> Certificate:
    cert = c.get(session, Certificate, certificate_id, "证书")
    merged = {name: getattr(cert, name) for name in CERTIFICATE_FIELDS} | dict(fields)
    values = _certificate_values(session, merged, cert.id)
    before = auditlog.snapshot(cert)
    for name, value in values.items():
        setattr(cert, name, value)
    session.flush()
    auditlog.record(session, user=user, action="certificate.update", row=cert, before=before)
    return cert


def delete_certificate(session: Session, *, certificate_id: int, user: str = "system") -> None:
    cert = c.get(session, Certificate, certificate_id, "证书")
    before = auditlog.snapshot(cert)
    session.delete(cert)
    session.flush()
    auditlog.record(
        session,
        user=user,
        action="certificate.delete",
        table="certificate",
        row_id=certificate_id,
        before=before,
    )

"""Rescue teams (救援队伍), their members and members' certificates: check, create, edit,
delete. The ``check_*`` functions validate without writing (an import checks every row first)."""

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
    HazardTeamLine,
    Holder,
    Lot,
    Member,
    Team,
)
from drillplan.kernel import records as c
from drillplan.kernel import values as v
from drillplan.kernel.errors import ValidationError
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


# the registration class a team kind's credit code must have (DOMAIN.md, GB 32100-2015:
# 51/52/53/59 social organisations, 91/92/93 enterprises): kind -> (class, 中文, English)
CREDIT_CODE_CLASS_OF_KIND: dict[TeamKind, tuple[str, str, str]] = {
    TeamKind.SOCIAL: ("social_organisation", "社会应急力量", "a social rescue force"),
    TeamKind.ENTERPRISE: ("enterprise", "企业专职队伍", "an enterprise full-time team"),
}


def credit_code(value: object, *, kind: TeamKind | None, override: bool) -> str | None:
    """A social organisation's registration code is required and checked.

    Spaces and hyphens inside the code are removed first. A social rescue force needs a
    social organisation's code (51/52/53/59), an enterprise full-time team an enterprise's
    (91/92/93). ``override`` accepts a real code that fails: a wrong check character or a
    registration class that does not match the kind.
    """
    code = v.parse_optional_credit_code(value, override=override)
    if code is None and kind == TeamKind.SOCIAL:
        raise ValidationError(
            "credit_code",
            "社会应急力量须填写统一社会信用代码",
            message_en="a social rescue force needs its unified social credit code",
            rule="credit_code_required",
        )
    wanted = CREDIT_CODE_CLASS_OF_KIND.get(kind) if kind is not None else None
    if code is not None and wanted is not None and not override:
        expected, who, who_en = wanted
        v.require_credit_code_class(code, expected, who=who, who_en=who_en)
    return code


def _team_values(
    session: Session, raw: Mapping[str, Any], *, team: Team | None, override: bool
) -> dict[str, Any]:
    raw = c.merged(team, TEAM_FIELDS, raw)
    check = v.Checks()
    kind = check(v.parse_enum, TeamKind, raw.get("kind"), field="kind", what="队伍类型")
    readiness = raw.get("readiness") or Readiness.READY
    out: dict[str, Any] = {
        "code": check(v.parse_code, raw.get("code"), what="队伍编号"),
        "name": check(
            v.parse_text, raw.get("name"), field="name", what="队伍名称", max_len=120, required=True
        ),
        "kind": kind,
        "specialties": check(v.parse_strings, raw.get("specialties"), field="specialties"),
        "owner_unit_id": check(unit_id, session, raw.get("owner_unit_id")),
        "tier": check(
            v.parse_enum, Tier, raw.get("tier") or Tier.DISTRICT, field="tier", what="层级"
        ),
        "base": check(v.parse_text, raw.get("base"), field="base", what="驻地", max_len=200),
        "duty_phone": check(v.parse_optional_phone, raw.get("duty_phone"), field="duty_phone"),
        "response_minutes": check(
            v.parse_optional_int,
            raw.get("response_minutes"),
            field="response_minutes",
            what="响应时间",
        ),
        "readiness": check(v.parse_enum, Readiness, readiness, field="readiness", what="战备状态"),
        "headcount": check(
            v.parse_optional_int, raw.get("headcount"), field="headcount", what="编制人数"
        ),
        "credit_code": check(credit_code, raw.get("credit_code"), kind=kind, override=override),
        "agreement_no": check(
            v.parse_text, raw.get("agreement_no"), field="agreement_no", what="协议编号", max_len=40
        ),
        "agreement_expires_on": check(
            v.parse_optional_date, raw.get("agreement_expires_on"), field="agreement_expires_on"
        ),
    }
    check.done()
    if out["agreement_expires_on"] is not None and out["agreement_no"] is None:
        raise ValidationError(
            "agreement_no",
            "填写了协议到期日，请同时填写协议编号",
            message_en="an agreement expiry needs the agreement number",
        )
    c.unique(session, Team.code, out["code"], team.id if team else None, "队伍编号")
    return out


def check_team(
    session: Session,
    *,
    team_id: int | None = None,
    credit_code_override: bool = False,
    **fields: Any,
) -> dict[str, Any]:
    """Every field of the team as :func:`create_team` (no ``team_id``) or :func:`update_team`
    would store it, or the ValidationError they would raise; writes nothing."""
    team = c.get(session, Team, team_id, "队伍") if team_id is not None else None
    return _team_values(session, fields, team=team, override=credit_code_override)


def create_team(
    session: Session, *, user: str = "system", credit_code_override: bool = False, **fields: Any
) -> Team:
    values = _team_values(session, fields, team=None, override=credit_code_override)
    return auditlog.insert(session, Team(**values), user=user, action="team.create")


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
    values = _team_values(session, fields, team=team, override=credit_code_override)
    return auditlog.update(
        session, team, values, user=user, action="team.update", what=f"队伍 {team.code} "
    )


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
        "预警响应待命": select(func.count(HazardTeamLine.id)).where(
            HazardTeamLine.team_id == team.id
        ),
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
    auditlog.delete(session, team, user=user, action="team.delete", before=before)


# ---------------------------------------------------------------------------- members


def _member_values(raw: Mapping[str, Any], *, member: Member | None) -> dict[str, Any]:
    raw = c.merged(member, MEMBER_FIELDS, raw)
    check = v.Checks()
    values = {
        "name": check(
            v.parse_text, raw.get("name"), field="name", what="姓名", max_len=60, required=True
        ),
        "role": check(v.parse_text, raw.get("role"), field="role", what="职务", max_len=40)
        or "队员",
        "phone": check(v.parse_optional_phone, raw.get("phone"), field="phone"),
        "insured_until": check(
            v.parse_optional_date, raw.get("insured_until"), field="insured_until"
        ),
        "active": bool(raw.get("active", True)),
    }
    check.done()
    return values


def check_member(
    session: Session, *, team_id: int | None = None, member_id: int | None = None, **fields: Any
) -> dict[str, Any]:
    """The member's fields as :func:`add_member` (``team_id``) or :func:`update_member`
    (``member_id``) would store them, or the ValidationError they would raise."""
    if member_id is not None:
        return _member_values(fields, member=c.get(session, Member, member_id, "队员"))
    c.get(session, Team, team_id, "队伍")  # type: ignore[arg-type]
    return _member_values(fields, member=None)


def add_member(session: Session, *, team_id: int, user: str = "system", **fields: Any) -> Member:
    team = c.get(session, Team, team_id, "队伍")
    return auditlog.insert(
        session,
        Member(team_id=team.id, **_member_values(fields, member=None)),
        user=user,
        action="member.create",
    )


def update_member(
    session: Session, *, member_id: int, user: str = "system", **fields: Any
) -> Member:
    member = c.get(session, Member, member_id, "队员")
    values = _member_values(fields, member=member)
    return auditlog.update(session, member, values, user=user, action="member.update")


def delete_member(session: Session, *, member_id: int, user: str = "system") -> None:
    member = c.get(session, Member, member_id, "队员")
    auditlog.delete(session, member, user=user, action="member.delete")


# ----------------------------------------------------------------------- certificates


def _certificate_values(
    session: Session, raw: Mapping[str, Any], *, cert: Certificate | None
) -> dict[str, Any]:
    raw = c.merged(cert, CERTIFICATE_FIELDS, raw)
    check = v.Checks()
    values = {
        "cert_type": check(
            v.parse_text,
            raw.get("cert_type"), field="cert_type", what="证书类型", max_len=60, required=True,
        ),
        "number": check(
            v.parse_text,
            raw.get("number"), field="number", what="证书编号", max_len=60, required=True,
            fold=True,
        ),
        "issued_on": check(v.parse_optional_date, raw.get("issued_on"), field="issued_on"),
        "expires_on": check(v.parse_optional_date, raw.get("expires_on"), field="expires_on"),
    }  # fmt: skip
    if values["issued_on"] is None and not any(e.field == "issued_on" for e in check.errors):
        check.errors.append(
            ValidationError(
                "issued_on", "发证日期不能为空", message_en="issued_on is required", rule="required"
            )
        )
    check.done()
    issued, expires = values["issued_on"], values["expires_on"]
    if expires is not None and expires < issued:
        raise ValidationError(
            "expires_on",
            f"有效期至 {expires} 早于发证日期 {issued}",
            message_en="the certificate expires before it was issued",
            rule="expires_before_issued",
        )
    other = session.scalar(
        select(Certificate.id).where(
            Certificate.cert_type == values["cert_type"], Certificate.number == values["number"]
        )
    )
    if other is not None and other != (cert.id if cert else None):
        raise ValidationError(
            "number",
            f"{values['cert_type']} 证书编号 {values['number']} 已登记",
            message_en="this certificate number is already registered",
        )
    return values


def check_certificate(
    session: Session,
    *,
    member_id: int | None = None,
    certificate_id: int | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """The certificate's fields as :func:`add_certificate` (``member_id``) or
    :func:`update_certificate` (``certificate_id``) would store them, or their
    ValidationError."""
    if member_id is not None:
        c.get(session, Member, member_id, "队员")
    cert = None
    if certificate_id is not None:
        cert = c.get(session, Certificate, certificate_id, "证书")
    return _certificate_values(session, fields, cert=cert)


def add_certificate(
    session: Session, *, member_id: int, user: str = "system", **fields: Any
) -> Certificate:
    member = c.get(session, Member, member_id, "队员")
    return auditlog.insert(
        session,
        Certificate(member_id=member.id, **_certificate_values(session, fields, cert=None)),
        user=user,
        action="certificate.create",
    )


def update_certificate(
    session: Session,
    *,
    certificate_id: int,
    user: str = "system",
    member_id: int | None = None,
    **fields: Any,
) -> Certificate:
    """Edit a certificate; ``member_id`` moves it to another member (a holder entered wrong)."""
    cert = c.get(session, Certificate, certificate_id, "证书")
    values = _certificate_values(session, fields, cert=cert)
    if member_id is not None:
        values["member_id"] = c.get(session, Member, member_id, "队员").id
    return auditlog.update(session, cert, values, user=user, action="certificate.update")


def delete_certificate(session: Session, *, certificate_id: int, user: str = "system") -> None:
    cert = c.get(session, Certificate, certificate_id, "证书")
    auditlog.delete(session, cert, user=user, action="certificate.delete")

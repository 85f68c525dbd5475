"""`drillplan units|teams|members|certificates ...`: the organisation registers.

Every command calls the write function the desktop form calls (:mod:`drillplan.org.units`,
:mod:`drillplan.org.teams`) with the user's words: vocabulary values as typed (code, 中文 or
English label), numbers, phones and credit codes as text; only references are turned into ids
(by code or exact name, as an import does). A refusal exits 2 with the domain's field and
message, and nothing is written. JSON keys are documented in ``docs/cli.md``.
"""

from __future__ import annotations

import argparse
from typing import Any

from sqlalchemy.orm import Session

from drillplan.cli.argtypes import version_arg
from drillplan.cli.common import EXIT_OK, Out, add_format, date_arg, run
from drillplan.cli.lookup import changed, find, listed, reference, show, user_of
from drillplan.db.models import Certificate, Member, Team, Unit
from drillplan.kernel.errors import NotFound
from drillplan.kernel.vocab import label
from drillplan.listing.records import listed_rows
from drillplan.org import read as org_read
from drillplan.org import teams, units
from drillplan.org.listing import TEAMS

__all__ = [
    "cmd_certificates",
    "cmd_members",
    "cmd_teams",
    "cmd_units",
    "register",
    "team_record",
    "unit_record",
]

UNIT_COLUMNS = ["code", "name", "kind", "tier", "parent", "credit_code", "phone"]
TEAM_COLUMNS = ["code", "name", "kind", "owner_unit", "tier", "duty_phone", "readiness"]
MEMBER_COLUMNS = ["team", "name", "role", "phone", "insured_until", "active"]
CERTIFICATE_COLUMNS = ["team", "member", "cert_type", "number", "issued_on", "expires_on"]

# argparse dest -> the domain's field name (options not given are not passed)
UNIT_OPTIONS = {
    "new_code": "code",
    "name": "name",
    "kind": "kind",
    "tier": "tier",
    "credit_code": "credit_code",
    "address": "address",
    "contact": "contact",
    "phone": "phone",
    "population": "population",
}
TEAM_OPTIONS = {
    "new_code": "code",
    "name": "name",
    "kind": "kind",
    "specialties": "specialties",
    "tier": "tier",
    "base": "base",
    "duty_phone": "duty_phone",
    "response_minutes": "response_minutes",
    "readiness": "readiness",
    "headcount": "headcount",
    "credit_code": "credit_code",
    "agreement_no": "agreement_no",
    "agreement_expires_on": "agreement_expires_on",
}
MEMBER_OPTIONS = {
    "name": "name",
    "role": "role",
    "phone": "phone",
    "insured_until": "insured_until",
}


# ------------------------------------------------------------------------------ records


def unit_record(unit: Unit) -> dict[str, Any]:
    return {
        "id": unit.id,
        "code": unit.code,
        "name": unit.name,
        "kind": unit.kind.value,
        "kind_label": label(unit.kind),
        "tier": unit.tier.value,
        "parent": unit.parent.code if unit.parent is not None else None,
        "credit_code": unit.credit_code,
        "address": unit.address,
        "contact": unit.contact,
        "phone": unit.phone,
        "population": unit.population,
        "row_version": unit.row_version,
    }


def team_record(team: Team) -> dict[str, Any]:
    return {
        "id": team.id,
        "code": team.code,
        "name": team.name,
        "kind": team.kind.value,
        "kind_label": label(team.kind),
        "specialties": list(team.specialties or []),
        "owner_unit": team.owner_unit.code,
        "tier": team.tier.value,
        "base": team.base,
        "duty_phone": team.duty_phone,
        "response_minutes": team.response_minutes,
        "readiness": team.readiness.value,
        "headcount": team.headcount,
        "credit_code": team.credit_code,
        "agreement_no": team.agreement_no,
        "agreement_expires_on": team.agreement_expires_on,
        "row_version": team.row_version,
    }


def member_record(member: Member) -> dict[str, Any]:
    return {
        "id": member.id,
        "team": member.team.code,
        "name": member.name,
        "role": member.role,
        "phone": member.phone,
        "insured_until": member.insured_until,
        "active": member.active,
    }


def certificate_record(cert: Certificate) -> dict[str, Any]:
    return {
        "id": cert.id,
        "team": cert.member.team.code,
        "member": cert.member.name,
        "cert_type": cert.cert_type,
        "number": cert.number,
        "issued_on": cert.issued_on,
        "expires_on": cert.expires_on,
    }


# ------------------------------------------------------------------------------- parsers


def _unit_options(p: argparse.ArgumentParser, *, new: bool) -> None:
    if new:
        p.add_argument(
            "--code", dest="new_code", metavar="CODE", required=True, help="unit code (单位编码)"
        )
    else:
        p.add_argument("--code", dest="new_code", metavar="CODE", help="a new code for the unit")
    p.add_argument("--name", required=new, help="单位名称")
    p.add_argument("--kind", required=new, help="政府/部门/街道/镇/企业/社会组织 (or the key)")
    p.add_argument("--tier", help="市级/区级/街镇级 (city/district/street; default district)")
    p.add_argument("--parent", metavar="UNIT", help="parent unit code ('' for none)")
    p.add_argument("--credit-code", help="统一社会信用代码")
    p.add_argument(
        "--credit-code-override",
        action="store_true",
        help="the code is verified: save it although its check character or class does not match",
    )
    p.add_argument("--address")
    p.add_argument("--contact")
    p.add_argument("--phone", help="mobile or Shanghai landline")
    p.add_argument("--population", help="常住人口 (people; street-towns: shelter capacity audit)")
    add_format(p)


def _team_options(p: argparse.ArgumentParser, *, new: bool) -> None:
    if new:
        p.add_argument(
            "--code", dest="new_code", metavar="CODE", required=True, help="team code (队伍编号)"
        )
    else:
        p.add_argument("--code", dest="new_code", metavar="CODE", help="a new code for the team")
    p.add_argument("--name", required=new, help="队伍名称")
    p.add_argument(
        "--kind", required=new, help="专业队伍/社会应急力量/街镇/企业/志愿者队伍 (or the key)"
    )
    p.add_argument("--owner", metavar="UNIT", required=new, help="owner unit code")
    p.add_argument("--tier", help="市级/区级/街镇级 (default district)")
    p.add_argument("--specialties", help="专业方向, separated by 、 or commas")
    p.add_argument("--base", help="驻地")
    p.add_argument("--duty-phone", help="值班电话")
    p.add_argument("--response-minutes", help="响应时间（分钟）")
    p.add_argument("--readiness", help="待命/部分可用/不可用 (default ready)")
    p.add_argument("--headcount", help="编制人数")
    p.add_argument("--credit-code", help="统一社会信用代码 (required for 社会应急力量)")
    p.add_argument(
        "--credit-code-override",
        action="store_true",
        help="the code is verified: save it although its check character or class does not match",
    )
    p.add_argument("--agreement-no", help="cooperation agreement number")
    p.add_argument("--agreement-expires-on", type=date_arg, help="agreement expiry date")
    add_format(p)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("units", help="organisation units (单位): add, list, set")
    s = p.add_subparsers(dest="units_command", metavar="ACTION", required=True)
    _unit_options(s.add_parser("add", help="register a unit"), new=True)
    q = s.add_parser("list", help="every unit")
    add_format(q)
    q = s.add_parser("set", help="change a unit's fields (those given)")
    q.add_argument("unit", metavar="CODE")
    q.add_argument("--expected-version", type=version_arg, help="refuse if the unit changed since")
    _unit_options(q, new=False)

    p = sub.add_parser("teams", help="rescue teams (救援队伍): add, list, set")
    s = p.add_subparsers(dest="teams_command", metavar="ACTION", required=True)
    _team_options(s.add_parser("add", help="register a team"), new=True)
    q = s.add_parser("list", help="the team register")
    q.add_argument("--search", help="words that must all appear (code, name, kind ...)")
    add_format(q)
    q = s.add_parser("set", help="change a team's fields (those given)")
    q.add_argument("team", metavar="CODE")
    q.add_argument("--expected-version", type=version_arg, help="refuse if the team changed since")
    _team_options(q, new=False)

    p = sub.add_parser("members", help="team members (队员): add, list")
    s = p.add_subparsers(dest="members_command", metavar="ACTION", required=True)
    q = s.add_parser("add", help="add a member to a team")
    q.add_argument("--team", required=True, metavar="CODE")
    q.add_argument("--name", required=True)
    q.add_argument("--role", help="职务 (default 队员)")
    q.add_argument("--phone", help="mobile or Shanghai landline")
    q.add_argument("--insured-until", type=date_arg)
    add_format(q)
    q = s.add_parser("list", help="a team's members")
    q.add_argument("--team", required=True, metavar="CODE")
    add_format(q)

    p = sub.add_parser("certificates", help="members' certificates (证书): add")
    s = p.add_subparsers(dest="certificates_command", metavar="ACTION", required=True)
    q = s.add_parser("add", help="record a member's certificate")
    q.add_argument("--team", required=True, metavar="CODE")
    q.add_argument("--member", required=True, metavar="NAME")
    q.add_argument("--type", dest="cert_type", required=True, help="证书类型")
    q.add_argument("--number", required=True, help="证书编号")
    q.add_argument("--issued-on", type=date_arg, required=True)
    q.add_argument("--expires-on", type=date_arg)
    add_format(q)


# --------------------------------------------------------------------------------- units


def _unit_fields(session: Session, args: argparse.Namespace) -> dict[str, Any]:
    fields = changed(args, UNIT_OPTIONS)
    if args.parent is not None:
        fields["parent_id"] = reference(session, "unit", args.parent, "parent_id")
    return fields


def cmd_units(args: argparse.Namespace) -> int:
    def body(session: Session, out: Out) -> int:
        command = args.units_command
        if command == "list":
            rows = [unit_record(u) for u in org_read.units_by_code(session)]
            listed(out, rows, UNIT_COLUMNS, args.format)
            return EXIT_OK
        fields = _unit_fields(session, args)
        override = args.credit_code_override
        if command == "add":
            unit = units.create_unit(
                session, user=user_of(session), credit_code_override=override, **fields
            )
            done = ("已新建单位", "unit created")
        else:
            unit = units.update_unit(
                session,
                unit_id=find(session, "unit", args.unit),
                expected_version=args.expected_version,
                user=user_of(session),
                credit_code_override=override,
                **fields,
            )
            done = ("已修改单位", "unit updated")
        session.flush()
        session.refresh(unit)
        show(out, unit_record(unit), UNIT_COLUMNS, args.format, done_zh=done[0], done_en=done[1])
        return EXIT_OK

    return run(args, body)


# --------------------------------------------------------------------------------- teams


def _team_fields(session: Session, args: argparse.Namespace) -> dict[str, Any]:
    fields = changed(args, TEAM_OPTIONS)
    if args.owner is not None:
        fields["owner_unit_id"] = reference(session, "unit", args.owner, "owner_unit_id")
    return fields


def cmd_teams(args: argparse.Namespace) -> int:
    def body(session: Session, out: Out) -> int:
        command = args.teams_command
        if command == "list":
            found = listed_rows(session, Team, TEAMS, search=args.search)
            rows = [team_record(team) for team in found]
            listed(out, rows, TEAM_COLUMNS, args.format)
            return EXIT_OK
        fields = _team_fields(session, args)
        override = args.credit_code_override
        if command == "add":
            team = teams.create_team(
                session, user=user_of(session), credit_code_override=override, **fields
            )
            done = ("已新建队伍", "team created")
        else:
            team = teams.update_team(
                session,
                team_id=find(session, "team", args.team),
                expected_version=args.expected_version,
                user=user_of(session),
                credit_code_override=override,
                **fields,
            )
            done = ("已修改队伍", "team updated")
        session.flush()
        session.refresh(team)
        show(out, team_record(team), TEAM_COLUMNS, args.format, done_zh=done[0], done_en=done[1])
        return EXIT_OK

    return run(args, body)


# ------------------------------------------------------------------- members, certificates


def _team(session: Session, code: str) -> Team:
    team = session.get(Team, find(session, "team", code))
    assert team is not None
    return team


def cmd_members(args: argparse.Namespace) -> int:
    def body(session: Session, out: Out) -> int:
        team = _team(session, args.team)
        if args.members_command == "list":
            rows = [member_record(m) for m in team.members]
            listed(out, rows, MEMBER_COLUMNS, args.format)
            return EXIT_OK
        member = teams.add_member(
            session, team_id=team.id, user=user_of(session), **changed(args, MEMBER_OPTIONS)
        )
        show(
            out,
            member_record(member),
            MEMBER_COLUMNS,
            args.format,
            done_zh="已添加队员",
            done_en="member added",
        )
        return EXIT_OK

    return run(args, body)


def _member(session: Session, team: Team, name: str) -> Member:
    found = [m for m in team.members if m.name == name.strip()]
    if len(found) != 1:
        what = "没有这名队员" if not found else "该队伍有多名同名队员"
        raise NotFound(f"{what}：{team.code} {name} (member {name!r} of team {team.code})")
    return found[0]


def cmd_certificates(args: argparse.Namespace) -> int:
    def body(session: Session, out: Out) -> int:
        member = _member(session, _team(session, args.team), args.member)
        cert = teams.add_certificate(
            session,
            member_id=member.id,
            user=user_of(session),
            cert_type=args.cert_type,
            number=args.number,
            issued_on=args.issued_on,
            expires_on=args.expires_on,
        )
        show(
            out,
            certificate_record(cert),
            CERTIFICATE_COLUMNS,
            args.format,
            done_zh="已登记证书",
            done_en="certificate recorded",
        )
        return EXIT_OK

    return run(args, body)

"""What the forms and detail tables read about units, teams, members and certificates:
choices, the values of a row being edited, a team's members, a member's certificates.

Every function takes the caller's session and returns plain values or small dataclasses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from drillplan.auth.conflicts import save_or_conflict
from drillplan.db.models import Certificate, Member, Team, Unit
from drillplan.kernel.errors import ValidationError
from drillplan.kernel.values import normalize_text
from drillplan.listing.records import row_values
from drillplan.org.teams import CERTIFICATE_FIELDS, MEMBER_FIELDS, TEAM_FIELDS
from drillplan.org.units import UNIT_FIELDS

T = TypeVar("T")
Choice = tuple[int, str]

# --- choices ------------------------------------------------------------------------------


def unit_choices(session: Session) -> list[Choice]:
    """Every unit, by tier then code: (id, name)."""
    rows = session.execute(select(Unit.id, Unit.name, Unit.code).order_by(Unit.tier, Unit.code))
    return [(r.id, r.name) for r in rows]


def team_choices(session: Session) -> list[Choice]:
    """Every team by code: (id, "code name")."""
    rows = session.execute(select(Team.id, Team.code, Team.name).order_by(Team.code))
    return [(r.id, f"{r.code} {r.name}") for r in rows]


# --- the values of a row being edited -----------------------------------------------------


def unit_record(session: Session, unit_id: int) -> dict[str, Any]:
    return row_values(session, Unit, unit_id, UNIT_FIELDS)


def team_record(session: Session, team_id: int) -> dict[str, Any]:
    return row_values(session, Team, team_id, TEAM_FIELDS)


def member_record(session: Session, member_id: int) -> dict[str, Any]:
    return row_values(session, Member, member_id, MEMBER_FIELDS)


def certificate_record(session: Session, certificate_id: int) -> dict[str, Any]:
    return row_values(session, Certificate, certificate_id, CERTIFICATE_FIELDS)


def team_edit_checked(
    session: Session,
    team_id: int,
    *,
    expected_version: int | None,
    attempted: Mapping[str, Any],
    save: Callable[[], T],
) -> T:
    """Run ``save()`` (an ``update_team``); a stale version becomes an ``EditConflict`` that
    carries the team as it is in the database now beside the values the user tried."""
    return save_or_conflict(
        session, Team, team_id, expected_version=expected_version, attempted=attempted, save=save
    )


# --- detail tables ------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitRow:
    unit_id: int
    code: str
    name: str
    kind: str
    tier: str
    parent: str | None
    phone: str | None


def unit_rows(session: Session) -> list[UnitRow]:
    parent = aliased(Unit)
    rows = session.execute(
        select(Unit, parent.name)
        .outerjoin(parent, Unit.parent_id == parent.id)
        .order_by(Unit.tier, Unit.code)
    )
    return [UnitRow(u.id, u.code, u.name, u.kind.value, u.tier.value, p, u.phone) for u, p in rows]


@dataclass(frozen=True)
class MemberRow:
    member_id: int
    name: str
    role: str
    phone: str | None
    insured_until: dt.date | None
    active: bool
    certificates: int


def team_members(session: Session, team_id: int) -> list[MemberRow]:
    """A team's members in the order they were added, with how many certificates each holds."""
    counts = (
        select(func.count(Certificate.id))
        .where(Certificate.member_id == Member.id)
        .correlate(Member)
        .scalar_subquery()
    )
    rows = session.execute(
        select(Member, counts).where(Member.team_id == team_id).order_by(Member.id)
    )
    return [MemberRow(m.id, m.name, m.role, m.phone, m.insured_until, m.active, n) for m, n in rows]


@dataclass(frozen=True)
class CertificateRow:
    certificate_id: int
    cert_type: str
    number: str
    issued_on: dt.date
    expires_on: dt.date | None
    # expired / within_<days> / ok: the expiry audit's judgement, filled in by the caller
    # (``drillplan.stock.read.expiry_statuses``; the expiry rules live with the audit)
    status: str = "ok"


def member_certificates(session: Session, member_id: int) -> list[CertificateRow]:
    rows = session.scalars(
        select(Certificate).where(Certificate.member_id == member_id).order_by(Certificate.id)
    )
    return [CertificateRow(c.id, c.cert_type, c.number, c.issued_on, c.expires_on) for c in rows]


def units_by_code(session: Session) -> list[Unit]:
    return list(session.scalars(select(Unit).order_by(Unit.code)))


def unit_id_by_code(session: Session, code: str, *, field: str = "unit") -> int:
    """The id of the unit ``code``; ``ValidationError(field, ...)`` when there is none."""
    unit_id = session.scalar(select(Unit.id).where(Unit.code == code.strip()))
    if unit_id is None:
        raise ValidationError(field, f"单位编码 {code} 不存在", message_en=f"no unit {code}")
    return unit_id


def team_by_code(session: Session, code: str, *, field: str = "team") -> Team:
    code = normalize_text(code)
    team = session.scalars(select(Team).where(Team.code == code)).one_or_none()
    if team is None:
        raise ValidationError(field, f"队伍编码“{code}”不存在", message_en=f"no team {code!r}")
    return team

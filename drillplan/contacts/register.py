"""Contacts (通讯录): check, create, edit and delete the people of units, depots, teams and
agreement suppliers. The ``check_contact`` function validates without writing (an import
checks every row first).

The owner is exactly one of ``unit_id`` / ``depot_id`` / ``team_id``, or ``supplier`` (an
agreement supplier named as text). ``scope_unit_id`` (主管单位) is the unit whose editors may
change the row in shared mode: derived from the owner, and given only for a supplier's contact.
A mobile number must be a mobile (1[3-9] + 9 digits, optional +86/0086); the office phone is a
Shanghai landline (021 + 8 digits) or a mobile.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from drillplan.audit import log as auditlog
from drillplan.db.models import Contact, Depot, DutyOfficer, DutyShift, Team, Unit
from drillplan.kernel import records as c
from drillplan.kernel import values as v
from drillplan.kernel.errors import ValidationError
from drillplan.org.units import unit_id

CONTACT_FIELDS = (
    "name",
    "role",
    "unit_id",
    "depot_id",
    "team_id",
    "supplier",
    "scope_unit_id",
    "mobile",
    "office_phone",
    "email",
    "notes",
)
OWNER_FIELDS = ("unit_id", "depot_id", "team_id", "supplier")
_EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def parse_mobile(value: object, *, field: str = "mobile") -> str | None:
    """A mobile number (DOMAIN.md), normalised to 11 digits; a landline is refused here."""
    phone = v.parse_optional_phone(value, field=field)
    if phone is not None and not phone.isdigit():
        raise ValidationError(
            field,
            f"手机号“{v.shown(value)}”不是手机号码：应为 11 位手机号（如 13812345678），"
            "固定电话请填写在办公电话中",
            message_en=f"{v.shown(value)!r} is not a mobile number; put a landline in office_phone",
            rule="bad_phone",
        )
    return phone


def parse_email(value: object, *, field: str = "email") -> str | None:
    text = v.parse_text(value, field=field, what="电子邮箱", max_len=120, fold=True)
    if text is not None and not _EMAIL_RE.fullmatch(text):
        raise ValidationError(
            field,
            f"电子邮箱“{v.shown(text)}”格式不正确（如 name@example.cn）",
            message_en=f"invalid email address {v.shown(text)!r}",
            rule="bad_email",
        )
    return text


def _ref(session: Session, model: type, value: object, field: str, what: str) -> int | None:
    """The id of an optional owner row (unit, depot or team), or a ValidationError naming
    ``field``."""
    if value is None or value == "":
        return None
    if model is Unit:
        return unit_id(session, value, field=field)
    try:
        number = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError) as exc:
        raise ValidationError(field, f"请选择{what}", message_en=f"choose a {field}") from exc
    if session.get(model, number) is None:
        raise ValidationError(field, f"{what} {number} 不存在", message_en=f"no {field} {number}")
    return number


def _owner(session: Session, out: dict[str, Any], given_scope: object) -> int | None:
    """Exactly one owner; the unit whose editors may change the row."""
    owners = [name for name in OWNER_FIELDS if out.get(name) is not None]
    if len(owners) != 1:
        raise ValidationError(
            "unit_id",
            "联系人须属于一个单位、储备库、队伍或协议供应商（只能选一个）"
            if owners
            else "请选择联系人所属的单位、储备库、队伍，或填写协议供应商",
            message_en="a contact belongs to exactly one unit, depot, team or supplier",
            rule="one_owner",
        )
    if out["unit_id"] is not None:
        return int(out["unit_id"])
    if out["depot_id"] is not None:
        return session.get(Depot, out["depot_id"]).owner_unit_id  # type: ignore[union-attr]
    if out["team_id"] is not None:
        return session.get(Team, out["team_id"]).owner_unit_id  # type: ignore[union-attr]
    return _ref(session, Unit, given_scope, "scope_unit_id", "主管单位")


def _values(session: Session, raw: Mapping[str, Any], *, contact: Contact | None) -> dict[str, Any]:
    raw = c.merged(contact, CONTACT_FIELDS, raw)
    check = v.Checks()
    out: dict[str, Any] = {
        "name": check(
            v.parse_text, raw.get("name"), field="name", what="姓名", max_len=60, required=True
        ),
        "role": check(v.parse_text, raw.get("role"), field="role", what="职务", max_len=60),
        "unit_id": check(_ref, session, Unit, raw.get("unit_id"), "unit_id", "单位"),
        "depot_id": check(_ref, session, Depot, raw.get("depot_id"), "depot_id", "储备库"),
        "team_id": check(_ref, session, Team, raw.get("team_id"), "team_id", "队伍"),
        "supplier": check(
            v.parse_text, raw.get("supplier"), field="supplier", what="协议供应商", max_len=120
        ),
        "mobile": check(parse_mobile, raw.get("mobile"), field="mobile"),
        "office_phone": check(
            v.parse_optional_phone, raw.get("office_phone"), field="office_phone"
        ),
        "email": check(parse_email, raw.get("email"), field="email"),
        "notes": check(v.parse_text, raw.get("notes"), field="notes", what="备注", max_len=2000),
    }
    check.done()
    out["scope_unit_id"] = _owner(session, out, raw.get("scope_unit_id"))
    if out["mobile"] is None and out["office_phone"] is None:
        raise ValidationError(
            "mobile",
            "请至少填写手机号或办公电话中的一项",
            message_en="a contact needs a mobile or an office phone",
            rule="required",
        )
    return out


def check_contact(
    session: Session, *, contact_id: int | None = None, **fields: Any
) -> dict[str, Any]:
    """Every field of the contact as :func:`create_contact` (no ``contact_id``) or
    :func:`update_contact` would store it, or the ValidationError they would raise."""
    contact = c.get(session, Contact, contact_id, "联系人") if contact_id is not None else None
    return _values(session, fields, contact=contact)


def create_contact(session: Session, *, user: str = "system", **fields: Any) -> Contact:
    values = _values(session, fields, contact=None)
    return auditlog.insert(session, Contact(**values), user=user, action="contact.create")


def update_contact(
    session: Session,
    *,
    contact_id: int,
    expected_version: int | None,
    user: str = "system",
    **fields: Any,
) -> Contact:
    """Edit a contact; fields not given keep their value. Changing the owner: give the new
    one and None for the old one (``unit_id=None, team_id=5``)."""
    contact = c.get(session, Contact, contact_id, "联系人")
    c.check_version(contact, expected_version, f"联系人 {contact.name} ")
    values = _values(session, fields, contact=contact)
    return auditlog.update(
        session,
        contact,
        values,
        user=user,
        action="contact.update",
        what=f"联系人 {contact.name} ",
    )


def delete_contact(
    session: Session, *, contact_id: int, expected_version: int | None = None, user: str = "system"
) -> None:
    """Delete a contact; refused while the duty roster names them (edit those shifts first)."""
    contact = c.get(session, Contact, contact_id, "联系人")
    c.check_version(contact, expected_version, f"联系人 {contact.name} ")
    used = (
        session.scalar(
            select(func.count(DutyShift.id)).where(DutyShift.leader_contact_id == contact.id)
        )
        or 0
    ) + (
        session.scalar(
            select(func.count(DutyOfficer.id)).where(DutyOfficer.contact_id == contact.id)
        )
        or 0
    )
    if used:
        raise ValidationError(
            "contact",
            f"联系人 {contact.name} 仍在值班表中出现 {used} 次，不能删除；请先修改相应班次",
            message_en=f"contact {contact.name} is on the duty roster {used} times",
            rule="in_use",
        )
    auditlog.delete(session, contact, user=user, action="contact.delete")


def contacts_named(session: Session, name: str) -> list[Contact]:
    """Contacts whose name is ``name`` (spaces ignored), for picking a person by name."""
    text = v.normalize_text(name).replace(" ", "")
    rows = session.scalars(
        select(Contact).where(or_(Contact.name == text, Contact.name == name.strip()))
    )
    return list(rows)

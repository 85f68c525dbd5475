"""The contacts as a table (the one listing engine), and what forms and commands read: the
values of a contact being edited, its record, choices for picking a person."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session, aliased

from drillplan.contacts.register import CONTACT_FIELDS
from drillplan.db.models import Contact, Depot, Team, Unit
from drillplan.listing.core import ID_KEY, Column, Listing, fetch_ids
from drillplan.listing.records import row_values

OWNER_KINDS = {"unit": ("单位", "unit"), "depot": ("储备库", "depot"), "team": ("队伍", "team"),
               "supplier": ("协议供应商", "supplier")}  # fmt: skip


def _contacts() -> Select[Any]:
    owner_unit = aliased(Unit)
    owner = func.coalesce(owner_unit.name, Depot.name, Team.name, Contact.supplier)
    kind = case(
        (Contact.unit_id.is_not(None), "单位"),
        (Contact.depot_id.is_not(None), "储备库"),
        (Contact.team_id.is_not(None), "队伍"),
        else_="协议供应商",
    )
    return (
        select(
            Contact.id.label(ID_KEY),
            Contact.name.label("name"),
            Contact.role.label("role"),
            kind.label("owner_kind"),
            owner.label("owner"),
            Contact.mobile.label("mobile"),
            Contact.office_phone.label("office_phone"),
            Contact.email.label("email"),
            Contact.notes.label("notes"),
            Contact.unit_id.label("unit_id"),
            Contact.depot_id.label("depot_id"),
            Contact.team_id.label("team_id"),
        )
        .outerjoin(owner_unit, Contact.unit_id == owner_unit.id)
        .outerjoin(Depot, Contact.depot_id == Depot.id)
        .outerjoin(Team, Contact.team_id == Team.id)
    )


CONTACTS = Listing(
    "contacts",
    "通讯录",
    "Contacts",
    (
        Column("name", "姓名", "Name"),
        Column("role", "职务", "Role"),
        Column("owner_kind", "类别", "Kind"),
        Column("owner", "所属单位/储备库/队伍/供应商", "Unit, depot, team or supplier"),
        Column("mobile", "手机", "Mobile"),
        Column("office_phone", "办公电话", "Office phone"),
        Column("email", "电子邮箱", "Email"),
        Column("notes", "备注", "Notes"),
    ),
    _contacts,
    default_order="owner",
)


def contact_ids(
    session: Session,
    *,
    search: str | None = None,
    unit_id: int | None = None,
    depot_id: int | None = None,
    team_id: int | None = None,
) -> list[int]:
    """The contacts shown by the table, filtered by owner and by the words of ``search``."""
    equals = {k: v for k, v in (("unit_id", unit_id), ("depot_id", depot_id),
                                ("team_id", team_id)) if v is not None}  # fmt: skip
    return fetch_ids(session, CONTACTS, search=search, equals=equals)


def contacts_in_order(session: Session, ids: Iterable[int]) -> list[Contact]:
    wanted = list(ids)
    found = {c.id: c for c in session.scalars(select(Contact).where(Contact.id.in_(wanted)))}
    return [found[i] for i in wanted if i in found]


def owner_text(contact: Contact) -> tuple[str, str]:
    """(kind, name) of the contact's owner: ("unit", "青浦区应急管理局") ..."""
    if contact.unit is not None:
        return "unit", contact.unit.name
    if contact.depot is not None:
        return "depot", contact.depot.name
    if contact.team is not None:
        return "team", contact.team.name
    return "supplier", contact.supplier or ""


def owner_code(contact: Contact) -> str | None:
    if contact.unit is not None:
        return contact.unit.code
    if contact.depot is not None:
        return contact.depot.code
    if contact.team is not None:
        return contact.team.code
    return None


def contact_record(contact: Contact) -> dict[str, Any]:
    """The contact as the command line's JSON shows it (keys in docs/cli.md)."""
    kind, name = owner_text(contact)
    return {
        "id": contact.id,
        "name": contact.name,
        "role": contact.role,
        "owner_kind": kind,
        "owner": name,
        "owner_code": owner_code(contact),
        "unit": contact.unit.code if contact.unit else None,
        "depot": contact.depot.code if contact.depot else None,
        "team": contact.team.code if contact.team else None,
        "supplier": contact.supplier,
        "scope_unit": contact.scope_unit.code if contact.scope_unit else None,
        "mobile": contact.mobile,
        "office_phone": contact.office_phone,
        "email": contact.email,
        "notes": contact.notes,
        "row_version": contact.row_version,
    }


def contact_values(session: Session, contact_id: int) -> dict[str, Any]:
    """The stored fields of a contact being edited, with its ``row_version``; the 主管单位 only
    for a supplier's contact (for the others it follows the owner)."""
    values = row_values(session, Contact, contact_id, CONTACT_FIELDS)
    if values["supplier"] is None:
        values["scope_unit_id"] = None
    return values


def contact_choices(session: Session) -> list[tuple[int, str]]:
    """Every contact for a picker: (id, "姓名 职务 · 所属")."""
    rows = session.execute(select(CONTACTS.query_builder().subquery()).order_by("name")).mappings()
    out = []
    for r in rows:
        extra = " ".join(x for x in (r["role"], r["owner"]) if x)
        out.append((r[ID_KEY], f"{r['name']} {extra}".strip()))
    return out


def owner_choices(session: Session, kind: str) -> list[tuple[int, str]]:
    """Units, depots or teams to own a contact: (id, "code name")."""
    model = {"unit": Unit, "depot": Depot, "team": Team}[kind]
    rows = session.execute(select(model.id, model.code, model.name).order_by(model.code))
    return [(r.id, f"{r.code} {r.name}") for r in rows]

"""The shifts of the duty roster (值班表): check, create, edit and delete.

A shift is one shift kind (白班, 夜班 ...) on one day, with its leader (带班领导) and one or more
duty officers (值班员) and the duty phone. A person is given as a contact (its id: picked in
the form) or as a typed name; a typed name that is exactly one contact's name is linked to that
contact, so the conflict check knows it is the same person whichever door entered it. A shift
may be saved without a leader or an officer (a roster is filled in over days): the conflict
check (:mod:`drillplan.duty.conflicts`) reports those.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from drillplan.audit import log as auditlog
from drillplan.db.models import Contact, DutyOfficer, DutyShift, ShiftKind
from drillplan.duty.shift_kinds import shift_kind_id
from drillplan.kernel import records as c
from drillplan.kernel import values as v
from drillplan.kernel.errors import ValidationError

SHIFT_FIELDS = ("day", "shift_kind_id", "leader", "officers", "phone", "notes")
MAX_OFFICERS = 20


@dataclass(frozen=True)
class Person:
    """Someone on duty: the contact (None for a typed name that matches no single contact)
    and the name shown."""

    contact_id: int | None
    name: str

    def same(self, other: Person) -> bool:
        """The same person: the same contact, or the same name where one of them is typed."""
        if self.contact_id is not None and other.contact_id is not None:
            return self.contact_id == other.contact_id
        return self.name == other.name


def _contacts_by_name(session: Session) -> dict[str, list[int]]:
    cache: dict[str, list[int]] = {}
    for cid, name in session.execute(select(Contact.id, Contact.name)):
        cache.setdefault(name, []).append(cid)
    return cache


def parse_person(
    session: Session, value: object, *, field: str, names: dict[str, list[int]] | None = None
) -> Person | None:
    """A contact id (or a Contact, or a :class:`Person`), or a typed name; None when blank."""
    if isinstance(value, Person):
        return value
    if isinstance(value, Contact):
        return Person(value.id, value.name)
    if isinstance(value, int) and not isinstance(value, bool):
        contact = session.get(Contact, value)
        if contact is None:
            raise ValidationError(field, f"联系人 {value} 不存在", message_en=f"no contact {value}")
        return Person(contact.id, contact.name)
    name = v.parse_text(value, field=field, what="姓名", max_len=60)
    if name is None:
        return None
    name = " ".join(name.split())
    ids = (names if names is not None else _contacts_by_name(session)).get(name, [])
    return Person(ids[0] if len(ids) == 1 else None, name)


def parse_people(session: Session, value: object, *, field: str) -> list[Person]:
    """Officers: a list (ids, names) or one text of names separated by 、 , ; or spaces."""
    if value is None:
        return []
    items: Iterable[object]
    if isinstance(value, str):
        items = v.parse_strings(value, field=field)
    elif isinstance(value, Iterable):
        items = list(value)
    else:
        items = [value]
    names = _contacts_by_name(session)
    people = [p for item in items if (p := parse_person(session, item, field=field, names=names))]
    if len(people) > MAX_OFFICERS:
        raise ValidationError(
            field,
            f"一个班次最多 {MAX_OFFICERS} 名值班员",
            message_en=f"at most {MAX_OFFICERS} officers per shift",
            rule="too_many",
        )
    for i, person in enumerate(people):
        if any(person.same(earlier) for earlier in people[:i]):
            raise ValidationError(
                field,
                f"值班员“{person.name}”重复填写",
                message_en=f"officer {person.name!r} is listed twice",
                rule="duplicate",
            )
    return people


def leader_of(shift: DutyShift) -> Person | None:
    if shift.leader_name is None:
        return None
    return Person(shift.leader_contact_id, shift.leader_name)


def officers_of(shift: DutyShift) -> list[Person]:
    return [Person(o.contact_id, o.name) for o in shift.officers]


def _stored(shift: DutyShift | None) -> dict[str, Any]:
    if shift is None:
        return {}
    return {
        "day": shift.day,
        "shift_kind_id": shift.shift_kind_id,
        "leader": leader_of(shift),
        "officers": officers_of(shift),
        "phone": shift.phone,
        "notes": shift.notes,
    }


def _values(
    session: Session, given: Mapping[str, Any], *, shift: DutyShift | None
) -> dict[str, Any]:
    unknown = sorted(set(given) - set(SHIFT_FIELDS))
    if unknown:
        raise ValidationError(unknown[0], "不能在此修改", message_en=f"{unknown[0]} not editable")
    raw = _stored(shift) | dict(given)
    check = v.Checks()
    out: dict[str, Any] = {
        "day": check(v.parse_date, raw.get("day"), field="day"),
        "shift_kind_id": check(shift_kind_id, session, raw.get("shift_kind_id")),
        "leader": check(parse_person, session, raw.get("leader"), field="leader"),
        "officers": check(parse_people, session, raw.get("officers"), field="officers") or [],
        "phone": check(v.parse_optional_phone, raw.get("phone"), field="phone"),
        "notes": check(v.parse_text, raw.get("notes"), field="notes", what="备注", max_len=2000),
    }
    check.done()
    kind = session.get(ShiftKind, out["shift_kind_id"])
    if kind is not None and not kind.active and (shift is None or shift.shift_kind_id != kind.id):
        raise ValidationError(
            "shift_kind_id",
            f"班次“{kind.name}”已停用，不能再安排",
            message_en=f"the shift kind {kind.name} is no longer in use",
            rule="inactive",
        )
    leader = out["leader"]
    if leader is not None and any(leader.same(p) for p in out["officers"]):
        raise ValidationError(
            "officers",
            f"{leader.name} 已是本班带班领导，不能同时担任本班值班员",
            message_en=f"{leader.name} leads this shift and cannot also be its officer",
            rule="leader_is_officer",
        )
    other = session.scalar(
        select(DutyShift.id).where(
            DutyShift.day == out["day"], DutyShift.shift_kind_id == out["shift_kind_id"]
        )
    )
    if other is not None and other != (shift.id if shift else None):
        kind = session.get(ShiftKind, out["shift_kind_id"])
        raise ValidationError(
            "shift_kind_id",
            f"{out['day'].isoformat()} 已排有{kind.name if kind else '该班次'}，请修改那一班",
            message_en=f"{out['day'].isoformat()} already has this shift; edit that one",
            rule="duplicate",
        )
    return out


def check_shift(session: Session, *, shift_id: int | None = None, **fields: Any) -> dict[str, Any]:
    """The shift as :func:`create_shift` / :func:`update_shift` would store it (``leader``
    a :class:`Person` or None, ``officers`` a list of them), or their ValidationError."""
    shift = c.get(session, DutyShift, shift_id, "值班安排") if shift_id is not None else None
    return _values(session, fields, shift=shift)


def _apply(shift: DutyShift, values: dict[str, Any]) -> None:
    leader: Person | None = values["leader"]
    shift.day = values["day"]
    shift.shift_kind_id = values["shift_kind_id"]
    shift.leader_contact_id = leader.contact_id if leader else None
    shift.leader_name = leader.name if leader else None
    shift.phone = values["phone"]
    shift.notes = values["notes"]
    people: list[Person] = values["officers"]
    if [(o.contact_id, o.name) for o in shift.officers] != [(p.contact_id, p.name) for p in people]:
        shift.officers = [
            DutyOfficer(position=n, contact_id=p.contact_id, name=p.name)
            for n, p in enumerate(people)
        ]
        flag_modified(shift, "notes")  # a new version of the shift


def snapshot(shift: DutyShift) -> dict[str, Any]:
    """The shift's columns and its officers, for the audit log."""
    return auditlog.snapshot(shift) | {
        "officers": [{"contact_id": o.contact_id, "name": o.name} for o in shift.officers]
    }


def create_shift(session: Session, *, user: str = "system", **fields: Any) -> DutyShift:
    values = _values(session, fields, shift=None)
    shift = DutyShift()
    _apply(shift, values)
    session.add(shift)
    session.flush()
    auditlog.record(session, user=user, action="duty_shift.create", row=shift,
                    after=snapshot(shift))  # fmt: skip
    return shift


def update_shift(
    session: Session,
    *,
    shift_id: int,
    expected_version: int | None,
    user: str = "system",
    **fields: Any,
) -> DutyShift:
    """Edit a shift; fields not given keep their value (``officers`` replaces the list)."""
    shift = c.get(session, DutyShift, shift_id, "值班安排")
    what = f"{shift.day.isoformat()} 的值班安排 "
    c.check_version(shift, expected_version, what)
    values = _values(session, fields, shift=shift)
    before = snapshot(shift)
    _apply(shift, values)
    c.flush(session, what)
    auditlog.record(session, user=user, action="duty_shift.update", row=shift, before=before,
                    after=snapshot(shift))  # fmt: skip
    return shift


def delete_shift(
    session: Session, *, shift_id: int, expected_version: int | None = None, user: str = "system"
) -> None:
    shift = c.get(session, DutyShift, shift_id, "值班安排")
    c.check_version(shift, expected_version, f"{shift.day.isoformat()} 的值班安排 ")
    auditlog.delete(session, shift, user=user, action="duty_shift.delete", before=snapshot(shift))


def find_shift(session: Session, *, day: object, shift_kind: object) -> DutyShift | None:
    """The shift of ``shift_kind`` (id, code or name) on ``day`` (as people type dates)."""
    when = v.parse_date(day, field="day")
    kind = shift_kind_id(session, shift_kind)
    return session.scalar(
        select(DutyShift).where(DutyShift.day == when, DutyShift.shift_kind_id == kind)
    )


def shifts_between(session: Session, first: dt.date, last: dt.date) -> list[DutyShift]:
    """The shifts from ``first`` to ``last`` (inclusive), by day and shift order."""
    stmt = (
        select(DutyShift)
        .join(ShiftKind, DutyShift.shift_kind_id == ShiftKind.id)
        .where(DutyShift.day >= first, DutyShift.day <= last)
        .order_by(DutyShift.day, ShiftKind.sort_order, ShiftKind.id)
    )
    return list(session.scalars(stmt))

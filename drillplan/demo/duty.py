"""Demo contacts (通讯录) and the duty roster (值班表) of the month of ``as_of``.

Contacts: the district bureau's leaders and duty staff, two people per street/town, each
depot's keeper (from depots.json), each team's captain and two agreement suppliers. Names and
numbers are generated (seeded), in valid formats: mobiles 1[3-9]xxxxxxxxx, landlines
021-5972xxxx. The roster is clean (no finding): on working days (Monday to Friday) a 白班 and a
夜班, at weekends one 全天, each with a leader from the bureau's leaders and officers from its
duty staff, in turn; tests build conflicts themselves.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random

from sqlalchemy.orm import Session

from drillplan.demo.context import Ctx
from drillplan.demo.org import MOBILE_PREFIXES
from drillplan.duty.shift_kinds import ensure_default_shift_kinds
from drillplan.kernel.values import validate_phone

BUREAU = "310118-YJJ"
DUTY_PHONE = "021-59701110"
LEADER_ROLES = ("局长", "副局长", "副局长", "副局长", "总工程师")
STAFF_ROLE = "值班员"
TOWN_ROLES = ("分管副镇长（副主任）", "应急管理办公室主任")
SUPPLIERS = (
    ("上海青浦华联商贸有限公司", "业务经理", "CK-XY-01"),
    ("上海淀湖船艇制造有限公司", "销售主管", "CK-XY-02"),
)


class _Names:
    def __init__(self, ctx: Ctx, rng: random.Random) -> None:
        names = ctx.json("names.json")
        self.surnames, self.given, self.rng = names["surnames"], names["given"], rng
        self.taken: set[str] = set()
        self.phones: set[str] = set()

    def name(self) -> str:
        while True:
            size = 1 if self.rng.random() < 0.3 else 2
            name = self.rng.choice(self.surnames) + "".join(
                self.rng.choice(self.given) for _ in range(size)
            )
            if name not in self.taken:
                self.taken.add(name)
                return name

    def mobile(self) -> str:
        while True:
            phone = self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if phone not in self.phones:
                self.phones.add(phone)
                return phone

    def office(self) -> str:
        while True:
            phone = f"021-5972{self.rng.randrange(10**4):04d}"
            if phone not in self.phones:
                self.phones.add(phone)
                return phone


def _contact(ctx: Ctx, **row: object) -> int:
    for key in ("mobile", "office_phone"):
        if row.get(key):
            row[key] = validate_phone(str(row[key]), field=key)
    row.setdefault("row_version", 1)
    for key in ("unit_id", "depot_id", "team_id", "supplier", "role", "email", "notes",
                "office_phone", "mobile"):  # fmt: skip
        row.setdefault(key, None)
    return ctx.add("contact", dict(row))


def build_contacts(ctx: Ctx) -> dict[str, list[tuple[int, str]]]:
    """The contacts; returns the bureau's leaders and duty staff as (id, name)."""
    people = _Names(ctx, ctx.rng("contacts"))
    people.taken |= {d["keeper"] for d in ctx.json("depots.json")["depots"] if d.get("keeper")}
    bureau = ctx.id_of("unit", BUREAU)
    leaders, staff = [], []
    for role in LEADER_ROLES:
        name = people.name()
        cid = _contact(ctx, name=name, role=role, unit_id=bureau, scope_unit_id=bureau,
                       mobile=people.mobile(), office_phone=people.office())  # fmt: skip
        leaders.append((cid, name))
    for n in range(8):
        name = people.name()
        cid = _contact(ctx, name=name, role=STAFF_ROLE if n else "值班科科长", unit_id=bureau,
                       scope_unit_id=bureau, mobile=people.mobile(),
                       office_phone=DUTY_PHONE)  # fmt: skip
        staff.append((cid, name))
    for unit in ctx.json("units.json")["units"]:
        if unit["kind"] != "street_town":
            continue
        uid = ctx.id_of("unit", unit["code"])
        for role in TOWN_ROLES:
            _contact(ctx, name=people.name(), role=role, unit_id=uid, scope_unit_id=uid,
                     mobile=people.mobile(), office_phone=people.office())  # fmt: skip
    owners = {u["code"]: u for u in ctx.json("units.json")["units"]}
    for depot in ctx.json("depots.json")["depots"]:
        if not depot.get("keeper"):
            continue
        phone = validate_phone(depot.get("keeper_phone") or people.mobile(), field="keeper")
        landline = not phone.isdigit()
        _contact(ctx, name=depot["keeper"], role="保管员",
                 depot_id=ctx.id_of("depot", depot["code"]),
                 scope_unit_id=ctx.id_of("unit", depot["owner"]),
                 mobile=None if landline else phone,
                 office_phone=phone if landline else None)  # fmt: skip
        assert depot["owner"] in owners
    for team in ctx.json("teams.json")["teams"]:
        _contact(ctx, name=people.name(), role="队长", team_id=ctx.id_of("team", team["code"]),
                 scope_unit_id=ctx.id_of("unit", team["owner"]),
                 mobile=people.mobile())  # fmt: skip
    for supplier, role, depot in SUPPLIERS:
        _contact(ctx, name=people.name(), role=role, supplier=supplier, scope_unit_id=bureau,
                 mobile=people.mobile(), office_phone=people.office(),
                 notes=f"协议储备（{depot}）联系人")  # fmt: skip
    return {"leaders": leaders, "staff": staff}


def build_roster(ctx: Ctx, session: Session, people: dict[str, list[tuple[int, str]]]) -> None:
    """The month of ``as_of``: 白班 + 夜班 on weekdays, 全天 at weekends; nobody overlaps."""
    kinds = {k.code: k.id for k in ensure_default_shift_kinds(session, user=ctx.operator)}
    year, month = ctx.as_of.year, ctx.as_of.month
    leaders, staff = people["leaders"], people["staff"]
    turn = 0
    for n in range(1, calendar.monthrange(year, month)[1] + 1):
        day = dt.date(year, month, n)
        leader = leaders[(n - 1) % len(leaders)]
        plan = [("full", 2)] if day.weekday() >= 5 else [("day", 2), ("night", 1)]
        for code, size in plan:
            if code not in kinds:
                continue
            shift_id = ctx.add("duty_shift", {
                "day": day, "shift_kind_id": kinds[code], "leader_contact_id": leader[0],
                "leader_name": leader[1], "phone": DUTY_PHONE, "notes": None, "row_version": 1,
            })  # fmt: skip
            for position in range(size):
                cid, name = staff[turn % len(staff)]
                turn += 1
                ctx.add("duty_officer", {"shift_id": shift_id, "position": position,
                                         "contact_id": cid, "name": name})  # fmt: skip


def build_contacts_duty(ctx: Ctx, session: Session) -> None:
    build_roster(ctx, session, build_contacts(ctx))

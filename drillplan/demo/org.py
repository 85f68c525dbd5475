"""Demo units, teams, members and certificates (units and teams from data, people generated)."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from drillplan.demo.context import Ctx
from drillplan.kernel.values import validate_credit_code, validate_phone
from drillplan.kernel.vocab import Readiness, TeamKind, Tier, UnitKind

MOBILE_PREFIXES = tuple(f"1{n}" for n in (
    30, 31, 32, 33, 35, 36, 37, 38, 39, 50, 51, 52, 53, 55, 56, 58, 59,
    73, 77, 80, 81, 82, 85, 86, 87, 88, 89, 99,
))  # fmt: skip
# Certificate expiry spread relative to base: (weight, first day, last day or None = as late
# as the validity allows).
CERT_BANDS = ((8, -400, -4), (5, 4, 26), (7, 34, 86), (80, 94, None))
INSURANCE_BANDS = ((7, -120, -5), (8, 5, 28), (85, 40, 360))


def _pick_band(rng: random.Random, bands: tuple[tuple[int, int, int | None], ...]) -> tuple:
    return rng.choices(bands, weights=[b[0] for b in bands])[0]


def _phone(text: str | None, field: str) -> str | None:
    return validate_phone(text, field=field) if text else None


def build_units(ctx: Ctx) -> None:
    for unit in ctx.json("units.json")["units"]:
        code = unit["code"]
        credit = unit.get("credit_code")
        ctx.add(
            "unit",
            {
                "code": code,
                "name": unit["name"],
                "kind": UnitKind(unit["kind"]),
                "tier": Tier(unit["tier"]),
                "parent_id": ctx.id_of("unit", unit["parent"]) if unit.get("parent") else None,
                "credit_code": validate_credit_code(credit, field=code) if credit else None,
                "address": unit.get("address"),
                "contact": unit.get("contact"),
                "phone": _phone(unit.get("phone"), code),
            },
            key=code,
        )
        ctx.extra.setdefault("unit_contact", {})[code] = unit.get("contact")


class _People:
    """Unique names within a team and unique phone numbers / certificate numbers overall."""

    def __init__(self, ctx: Ctx) -> None:
        names = ctx.json("names.json")
        self.surnames: str = names["surnames"]
        self.given: str = names["given"]
        self.phones: set[str] = set()
        self.cert_numbers: set[tuple[str, str]] = set()

    def name(self, rng: random.Random, taken: set[str]) -> str:
        while True:
            size = 1 if rng.random() < 0.3 else 2
            name = rng.choice(self.surnames) + "".join(rng.choice(self.given) for _ in range(size))
            if name not in taken:
                taken.add(name)
                return name

    def mobile(self, rng: random.Random) -> str:
        while True:
            phone = rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
            if phone not in self.phones:
                self.phones.add(phone)
                return phone

    def cert_number(self, rng: random.Random, cert_type: str, prefix: str, year: int) -> str:
        while True:
            number = f"{prefix}{year}{rng.randrange(10**6):06d}"
            if (cert_type, number) not in self.cert_numbers:
                self.cert_numbers.add((cert_type, number))
                return number


def _roles(size: int, role_counts: dict[str, int], medic: bool) -> list[str]:
    roles: list[str] = []
    for role, count in role_counts.items():
        if role == "医护" and not medic:
            continue
        roles.extend([role] * count)
    roles = roles[: max(1, size - 2)]
    return roles + ["队员"] * (size - len(roles))


def build_teams(ctx: Ctx) -> None:
    data = ctx.json("teams.json")
    people = _People(ctx)
    cert_types: dict[str, dict[str, Any]] = data["certificate_types"]
    profiles: dict[str, dict[str, float]] = data["certificate_profiles"]
    members_of: dict[str, list[dict[str, Any]]] = {}
    for team in data["teams"]:
        code = team["code"]
        rng = ctx.rng(f"team:{code}")
        signed = ctx.day(team.get("agreement_signed_on"))
        agreement_no = team.get("agreement_no")
        if agreement_no and signed:
            agreement_no = agreement_no.replace("{signed_year}", str(signed.year))
        credit = team.get("credit_code")
        team_id = ctx.add(
            "team",
            {
                "code": code,
                "name": team["name"],
                "kind": TeamKind(team["kind"]),
                "specialties": list(team["specialties"]),
                "owner_unit_id": ctx.id_of("unit", team["owner"]),
                "tier": Tier(team["tier"]),
                "base": team.get("base"),
                "duty_phone": _phone(team.get("duty_phone"), code),
                "response_minutes": team.get("response_minutes"),
                "readiness": Readiness(team.get("readiness", "ready")),
                "headcount": None,
                "credit_code": validate_credit_code(credit, field=code) if credit else None,
                "agreement_no": agreement_no,
                "agreement_expires_on": ctx.day(team.get("agreement_expires_on")),
            },
            key=code,
        )
        profile = profiles[team["certificates"]]
        medic = "医疗" in "".join(team["specialties"]) or team["kind"] != "street"
        taken: set[str] = set()
        members = []
        for role in _roles(int(team["members"]), data["member_roles"], medic):
            members.append(_member(ctx, rng, people, team_id, role, taken, profile, cert_types))
        active = sum(1 for m in members if m["active"])
        ctx.rows["team"][team_id - 1]["headcount"] = active
        members_of[code] = members
    ctx.extra["members"] = members_of


def _member(
    ctx: Ctx,
    rng: random.Random,
    people: _People,
    team_id: int,
    role: str,
    taken: set[str],
    profile: dict[str, float],
    cert_types: dict[str, dict[str, Any]],
) -> dict[str, Any]:
    _, lo, hi = _pick_band(rng, INSURANCE_BANDS)
    row = {
        "team_id": team_id,
        "name": people.name(rng, taken),
        "role": role,
        "phone": people.mobile(rng),
        "insured_until": ctx.offset(rng.randint(lo, hi)),
        "active": role != "队员" or rng.random() > 0.05,
    }
    member_id = ctx.add("member", row)
    held = [t for t, share in profile.items() if rng.random() < share]
    if role == "驾驶员":
        held.append("机动车驾驶证（B2）")
    if role == "医护":
        held.append("护士执业证书")
    for cert_type in dict.fromkeys(held):
        _certificate(ctx, rng, people, member_id, cert_type, cert_types[cert_type])
    return row


def _certificate(
    ctx: Ctx,
    rng: random.Random,
    people: _People,
    member_id: int,
    cert_type: str,
    spec: dict[str, Any],
) -> None:
    years = spec.get("years")
    if years is None:
        issued = ctx.offset(-rng.randint(200, 3000))
        expires = None
    else:
        validity = 365 * int(years) + int(years) // 4
        _, lo, hi = _pick_band(rng, CERT_BANDS)
        hi = validity - 30 if hi is None else hi
        expires = ctx.offset(rng.randint(lo, hi))
        issued = expires - dt.timedelta(days=validity)
    ctx.add(
        "certificate",
        {
            "member_id": member_id,
            "cert_type": cert_type,
            "number": people.cert_number(rng, cert_type, spec["prefix"], issued.year),
            "issued_on": issued,
            "expires_on": expires,
        },
    )

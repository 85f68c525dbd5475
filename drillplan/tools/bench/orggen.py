"""Generated registers: units, depots, teams, holders, members, certificates, materials, quotas.

Every function takes a seeded ``random.Random`` and returns rows as tuples in the column
order of its ``*_COLUMNS`` constant, stored the way SQLAlchemy stores them on SQLite (dates
as ISO text, booleans as 0/1, JSON as text).
"""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass, field

from drillplan.kernel.values import credit_code_check_char
from drillplan.tools.bench import names
from drillplan.tools.bench.scales import AS_OF, Scale

Row = tuple[object, ...]

UNIT_COLUMNS = ("id", "code", "name", "kind", "tier", "parent_id", "credit_code", "row_version")
DEPOT_COLUMNS = (
    "id", "code", "name", "tier", "owner_unit_id", "address", "keeper", "keeper_phone",
    "capacity_m3", "row_version",
)  # fmt: skip
TEAM_COLUMNS = (
    "id", "code", "name", "kind", "specialties", "owner_unit_id", "tier", "base", "duty_phone",
    "response_minutes", "readiness", "headcount", "credit_code", "agreement_no",
    "agreement_expires_on", "row_version",
)  # fmt: skip
HOLDER_COLUMNS = ("id", "kind", "depot_id", "team_id")
MEMBER_COLUMNS = ("id", "team_id", "name", "role", "phone", "insured_until", "active")
CERTIFICATE_COLUMNS = ("id", "member_id", "cert_type", "number", "issued_on", "expires_on")
MATERIAL_COLUMNS = (
    "id", "code", "name", "uom", "spec", "shelf_life_days", "needs_rotation", "flood_control",
    "reference_price",
)  # fmt: skip
TIER_QUOTA_COLUMNS = ("id", "tier", "material_id", "required_qty")
QUOTA_COLUMNS = ("id", "depot_id", "material_id", "required_qty")

DEPOT_TIERS = ("city", "district", "street", "enterprise", "agreement")
DEPOT_TIER_WEIGHTS = (2, 10, 60, 18, 10)
DEPOT_LABELS = {
    "city": "市级",
    "district": "区级",
    "street": "街镇",
    "enterprise": "企业代储",
    "agreement": "协议储备",
}
TEAM_KINDS = ("professional", "social", "street", "enterprise", "volunteer")
TEAM_KIND_WEIGHTS = (30, 20, 30, 10, 10)


def iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def days_ago(rng: random.Random, low: float, high: float) -> dt.date:
    return AS_OF - dt.timedelta(days=int(rng.uniform(low, high)))


def credit_code(rng: random.Random, prefix: str) -> str:
    body = f"{prefix}310118{rng.randrange(10**9):09d}"
    return body + credit_code_check_char(body)


@dataclass
class Org:
    """The generated organisation, as the ids later generators pick from."""

    units: list[Row] = field(default_factory=list)
    city: int = 1
    districts: list[int] = field(default_factory=list)
    departments: list[int] = field(default_factory=list)
    streets: list[int] = field(default_factory=list)
    enterprises: list[int] = field(default_factory=list)
    social: list[int] = field(default_factory=list)
    district_names: dict[int, str] = field(default_factory=dict)

    def add(
        self,
        code: str,
        name: str,
        kind: str,
        tier: str,
        parent: int | None,
        credit: str | None = None,
    ) -> int:
        uid = len(self.units) + 1
        self.units.append((uid, code, name, kind, tier, parent, credit, 1))
        return uid


def units(scale: Scale, rng: random.Random) -> Org:
    org = Org()
    org.city = org.add("SH", "上海市应急管理局", "government", "city", None)
    streets_per = min(len(names.STREET_WORDS), max(3, scale.depots // (4 * scale.districts)))
    for d in range(scale.districts):
        dname = names.DISTRICTS[d % len(names.DISTRICTS)]
        gov = org.add(f"D{d + 1:02d}", f"{dname}区人民政府", "government", "district", org.city)
        org.districts.append(gov)
        org.district_names[gov] = dname
        for k, dept in enumerate(names.DEPARTMENTS):
            org.departments.append(
                org.add(f"D{d + 1:02d}-B{k + 1}", f"{dname}区{dept}", "department", "district", gov)
            )
        for s in range(streets_per):
            word = names.STREET_WORDS[s]
            suffix = names.STREET_SUFFIXES[s % 2]
            name = f"{dname}{word}{suffix}"
            org.streets.append(
                org.add(f"D{d + 1:02d}-S{s + 1:02d}", name, "street_town", "street", gov)
            )
    for e in range(max(2, scale.depots // 4 + scale.teams // 10)):
        parent = org.streets[e % len(org.streets)]
        name = f"上海{names.STREET_WORDS[e % 20]}实业有限公司{e + 1}号"
        code = credit_code(rng, "91")
        org.enterprises.append(org.add(f"E{e + 1:05d}", name, "enterprise", "street", parent, code))
    for s in range(max(1, scale.teams // 5)):
        parent = org.districts[s % len(org.districts)]
        name = f"{org.district_names[parent]}区蓝天应急救援协会{s + 1}"
        code = credit_code(rng, "52")
        org.social.append(org.add(f"S{s + 1:05d}", name, "social_org", "district", parent, code))
    return org


def depots(scale: Scale, rng: random.Random, org: Org) -> list[Row]:
    rows: list[Row] = []
    for i in range(scale.depots):
        tier = (
            DEPOT_TIERS[i]
            if i < len(DEPOT_TIERS)
            else rng.choices(DEPOT_TIERS, DEPOT_TIER_WEIGHTS)[0]
        )
        owner = {
            "city": org.city,
            "district": rng.choice(org.departments),
            "street": rng.choice(org.streets),
        }.get(tier) or rng.choice(org.enterprises)
        label = DEPOT_LABELS[tier]
        rows.append(
            (
                i + 1,
                f"CK{i + 1:05d}",
                f"{label}应急物资储备库{i + 1:04d}",
                tier,
                owner,
                f"上海市{names.DISTRICTS[i % len(names.DISTRICTS)]}区储备路{i + 1}号",
                names.person(rng),
                names.mobile(rng),
                round(rng.uniform(50, 5000), 1),
                1,
            )
        )
    return rows


def teams(scale: Scale, rng: random.Random, org: Org, headcounts: list[int]) -> list[Row]:
    rows: list[Row] = []
    for i in range(scale.teams):
        kind = TEAM_KINDS[i] if i < len(TEAM_KINDS) else None
        kind = kind or rng.choices(TEAM_KINDS, TEAM_KIND_WEIGHTS)[0]
        tier, owner = {
            "professional": ("district", rng.choice(org.departments)),
            "social": ("district", rng.choice(org.social)),
            "street": ("street", rng.choice(org.streets)),
            "enterprise": ("street", rng.choice(org.enterprises)),
            "volunteer": ("street", rng.choice(org.streets)),
        }[kind]
        if kind == "professional" and rng.random() < 0.1:
            tier, owner = "city", org.city
        agreement = kind in ("social", "volunteer")
        rows.append(
            (
                i + 1,
                f"DW{i + 1:05d}",
                f"{rng.choice(names.SPECIALTIES)}救援队{i + 1:04d}",
                kind,
                json.dumps(rng.sample(names.SPECIALTIES, rng.randint(1, 3))),
                owner,
                tier,
                f"上海市{names.DISTRICTS[i % len(names.DISTRICTS)]}区队伍基地{i + 1}号",
                names.mobile(rng),
                rng.choice((15, 20, 30, 45, 60, 90)),
                rng.choices(("ready", "limited", "unavailable"), (85, 12, 3))[0],
                headcounts[i],
                credit_code(rng, "52") if kind == "social" else None,
                f"XY-{i + 1:05d}" if agreement else None,
                iso(days_ago(rng, -900, 200)) if agreement else None,
                1,
            )
        )
    return rows


def holders(scale: Scale) -> list[Row]:
    rows: list[Row] = [(i + 1, "depot", i + 1, None) for i in range(scale.depots)]
    rows += [(scale.depots + i + 1, "team", None, i + 1) for i in range(scale.teams)]
    return rows


def member_teams(scale: Scale, rng: random.Random) -> list[int]:
    """The team of each member (every team gets at least one when there are enough)."""
    return [
        (i % scale.teams) + 1 if i < scale.teams else rng.randrange(scale.teams) + 1
        for i in range(scale.members)
    ]


def members(rng: random.Random, teams_of: list[int]) -> list[Row]:
    return [
        (
            i + 1,
            team,
            names.person(rng),
            rng.choice(names.ROLES),
            names.mobile(rng),
            iso(days_ago(rng, -700, 60)) if rng.random() < 0.9 else None,
            1 if rng.random() < 0.96 else 0,
        )
        for i, team in enumerate(teams_of)
    ]


def certificates(scale: Scale, rng: random.Random) -> list[Row]:
    rows: list[Row] = []
    for i in range(scale.certificates):
        cert_type, prefix = rng.choice(names.CERTIFICATES)
        issued = days_ago(rng, 0, 6 * 365)
        years = rng.choice((3, 4, 5, 6, None))
        expires = issued + dt.timedelta(days=365 * years) if years else None
        rows.append(
            (
                i + 1,
                rng.randrange(scale.members) + 1,
                cert_type,
                f"{prefix}{i + 1:09d}",
                iso(issued),
                iso(expires),
            )
        )
    return rows


@dataclass(frozen=True)
class MaterialInfo:
    id: int
    shelf_life_days: int | None
    decimals: int
    price: float
    bulky: bool


def materials(scale: Scale, rng: random.Random) -> tuple[list[Row], list[MaterialInfo]]:
    rows: list[Row] = []
    info: list[MaterialInfo] = []
    bases = names.MATERIAL_BASES
    for i in range(scale.materials):
        name, uom, shelf, price, flood = bases[i % len(bases)]
        variant = i // len(bases)
        spec = names.SPECS[variant % len(names.SPECS)] + (f"-{variant}" if variant else "")
        if shelf is not None:
            shelf = int(shelf * rng.uniform(0.8, 1.25))
        cost = round(price * rng.uniform(0.8, 1.3), 2)
        rows.append(
            (
                i + 1,
                f"{i % 9 + 1}{i:06d}",
                name,
                uom,
                spec,
                shelf,
                1 if shelf is not None and shelf <= 1095 else 0,
                1 if flood else 0,
                cost,
            )
        )
        decimals = 1 if uom in ("吨", "升", "平方米") else 0
        info.append(MaterialInfo(i + 1, shelf, decimals, cost, price >= 1000))
    return rows, info


def quotas(
    scale: Scale, rng: random.Random, material_rows: list[Row]
) -> tuple[list[Row], list[Row]]:
    flood = [r[0] for r in material_rows if r[7]][:60]
    tier_rows: list[Row] = []
    for tier in ("city", "district", "street"):
        for mid in flood:
            tier_rows.append((len(tier_rows) + 1, tier, mid, rng.choice((20, 50, 100, 200, 500))))
    depot_rows: list[Row] = []
    for depot in range(1, scale.depots + 1):
        for mid in sorted(rng.sample(range(1, scale.materials + 1), min(8, scale.materials))):
            depot_rows.append((len(depot_rows) + 1, depot, mid, rng.choice((10, 30, 100, 300))))
    return tier_rows, depot_rows

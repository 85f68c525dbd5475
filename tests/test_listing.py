"""The listings behind every table: ids filtered and sorted in SQL, rows fetched by id."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from drillplan.competitions.listing import COMPETITIONS, ENTRIES
from drillplan.db.database import Database
from drillplan.db.models import (
    CapacityReserve,
    Competition,
    CompetitionEntry,
    CompetitionEvent,
    Contact,
    CorrectiveAction,
    Finding,
    Holder,
    Member,
    Plan,
    TrainingEvent,
)
from drillplan.drills.listing import DRILLS
from drillplan.kernel.vocab import (
    ActionStatus,
    DepotTier,
    DrillForm,
    DrillScope,
    DrillStatus,
    EmergencyCategory,
    EventKind,
    HolderKind,
    MovementKind,
    PlanKind,
    PlanStatus,
    Scoring,
    TeamKind,
    Tier,
    TrainingKind,
    UnitKind,
)
from drillplan.listing import Column, expiry_tone, fetch_ids, fetch_rows, format_value
from drillplan.org.listing import TEAMS
from drillplan.plans.listing import PLANS
from drillplan.readiness.overview import OVERVIEW_ITEMS, database_is_blank, overview_counts
from drillplan.requests import steps
from drillplan.stock.listing import DEPOTS, LOTS, MATERIALS
from tests import factories as f
from tests.support.listings import LISTINGS

AS_OF = dt.date(2025, 6, 1)


def add_sample_data(session: Session) -> None:
    """A small register: 4 units, 3 plans, 2 teams, 2 depots, 3 materials, 4 lots ..."""
    bureau = f.unit(
        session, "U1", name="青浦区应急管理局", kind=UnitKind.GOVERNMENT, tier=Tier.DISTRICT
    )
    water = f.unit(session, "U2", name="青浦区水务局")
    town = f.unit(
        session, "U3", name="朱家角镇人民政府", kind=UnitKind.STREET_TOWN, tier=Tier.STREET
    )
    ngo = f.unit(session, "U4", name="青浦区蓝天救援队", kind=UnitKind.SOCIAL_ORG)
    plans = [
        ("QP-ZT-01", "青浦区突发事件总体应急预案", PlanKind.OVERALL, PlanStatus.PUBLISHED, bureau),
        ("QP-ZX-03", "青浦区防汛防台专项应急预案", PlanKind.SPECIAL, PlanStatus.PUBLISHED, water),
        ("QP-ZX-07", "轨道交通大客流专项应急预案", PlanKind.SPECIAL, PlanStatus.DRAFTING, bureau),
    ]
    for code, title, kind, status, owner in plans:
        published = dt.date(2024, 5, 10) if status == PlanStatus.PUBLISHED else None
        category = (
            EmergencyCategory.SOCIAL_SECURITY if "客流" in title else EmergencyCategory.NATURAL
        )
        session.add(
            Plan(
                code=code,
                title=title,
                kind=kind,
                category=category,
                owner_unit_id=owner.id,
                status=status,
                current_version="2.0",
                approved_on=published,
                published_on=published,
            )
        )
    flood = f.team(
        session,
        water,
        "T1",
        name="青浦区防汛抢险队",
        specialties=["防汛抢险", "水上救援"],
        duty_phone="021-59728888",
    )
    blue_sky = f.team(
        session,
        ngo,
        "T2",
        name="蓝天救援队",
        kind=TeamKind.SOCIAL,
        specialties=["水上救援"],
        agreement_expires_on=dt.date(2025, 12, 31),
    )
    session.add_all(
        [
            Member(team_id=flood.id, name="王强", role="队长", phone="13800138000"),
            Member(team_id=flood.id, name="李明"),
            Member(team_id=flood.id, name="赵军", active=False),
            Member(team_id=blue_sky.id, name="张伟"),
        ]
    )
    vests = f.material(session, "2010101", name="救生衣", uom="件")
    bags = f.material(session, "2020201", name="编织袋", uom="条", shelf_life_days=None)
    food = f.material(
        session, "3010301", name="方便食品", uom="箱", shelf_life_days=365, needs_rotation=True
    )
    _central, central_h = f.depot(session, bureau, "D1", name="青浦区应急物资储备库", keeper="陈红")
    _town_d, town_h = f.depot(session, town, "D2", name="朱家角镇物资储备点", tier=DepotTier.STREET)
    team_h = Holder(kind=HolderKind.TEAM, team_id=flood.id)
    session.add(team_h)
    session.flush()
    lots = [
        (vests, central_h, "V2023-01", 200, dt.date(2028, 1, 1)),
        (food, central_h, "F2024-02", 50, dt.date(2025, 3, 1)),  # expired as of AS_OF
        (food, town_h, "F2024-05", "12.5", dt.date(2025, 8, 15)),  # expires within 90 days
        (bags, team_h, "B2019-01", 0, dt.date(2024, 1, 1)),  # expired but used up
    ]
    for mat, holder, batch, qty, expiry in lots:
        lot = f.lot(session, mat, holder, batch, expiry_date=expiry, on_hand=Decimal(str(qty)))
        if qty:
            f.movement(session, lot, qty)
        else:
            f.movement(session, lot, 100)
            f.movement(session, lot, -100, kind=MovementKind.ISSUE)
    steps.create_request(  # 调拨申请: the town asks the district depot for life vests
        session,
        requester_holder_id=town_h.id,
        holder_id=central_h.id,
        purpose="演练",
        needed_by=dt.date(2025, 6, 20),
        lines=[{"material_id": vests.id, "quantity": 20}],
        today=dt.date(2025, 6, 1),
    )
    f.drill(
        session,
        bureau,
        "DR-2025-01",
        title="青浦区防汛防台综合演练",
        scope=DrillScope.COMPREHENSIVE,
        venue="朱家角镇",
        starts_at=dt.datetime(2025, 6, 20, 9, 0),
        ends_at=dt.datetime(2025, 6, 20, 12, 0),
    )
    tabletop = f.drill(
        session,
        water,
        "DR-2024-03",
        title="城市内涝桌面推演",
        form=DrillForm.TABLETOP,
        status=DrillStatus.EVALUATED,
        starts_at=dt.datetime(2024, 11, 5, 14, 0),
        ends_at=dt.datetime(2024, 11, 5, 16, 0),
    )
    finding = Finding(drill_id=tabletop.id, seq=1, description="泵车调度信息不畅")
    session.add(finding)
    session.flush()
    session.add_all(
        [
            CorrectiveAction(
                finding_id=finding.id,
                action="建立泵车调度群",
                owner_unit_id=water.id,
                due_on=dt.date(2025, 1, 31),
            ),
            CorrectiveAction(
                finding_id=finding.id,
                action="修订调度流程",
                owner_unit_id=water.id,
                due_on=dt.date(2025, 3, 31),
                status=ActionStatus.CLOSED,
                closed_on=dt.date(2025, 3, 20),
            ),
        ]
    )
    contest = Competition(year=2025, title="青浦区应急救援技能大比武", held_on=dt.date(2025, 9, 12))
    session.add(contest)
    session.flush()
    rope = CompetitionEvent(
        competition_id=contest.id, seq=1, name="绳索救援", kind=EventKind.TEAM, scoring=Scoring.TIME
    )
    cpr = CompetitionEvent(
        competition_id=contest.id,
        seq=2,
        name="心肺复苏",
        kind=EventKind.INDIVIDUAL,
        scoring=Scoring.POINTS,
    )
    session.add_all([rope, cpr])
    session.flush()
    session.add_all(
        [
            CompetitionEntry(event_id=rope.id, team_id=flood.id, time_seconds=Decimal("312.5")),
            CompetitionEntry(event_id=rope.id, team_id=blue_sky.id, time_seconds=Decimal(298)),
            CompetitionEntry(
                event_id=cpr.id, team_id=blue_sky.id, participant="张伟", score=Decimal("96.5")
            ),
        ]
    )
    session.add(
        CapacityReserve(
            code="CN-1", supplier="练塘编织厂", material_id=bags.id, promised_qty=Decimal(50000),
            lead_time_hours=72,
        )
    )  # fmt: skip
    session.flush()
    session.add_all(
        [
            Contact(
                name="王建国",
                role="科长",
                unit_id=bureau.id,
                scope_unit_id=bureau.id,
                mobile="13912345678",
            ),
            Contact(
                name="周队长",
                team_id=flood.id,
                scope_unit_id=flood.owner_unit_id,
                office_phone="021-59721234",
            ),
        ]
    )
    session.add(
        TrainingEvent(
            code="QP-PX-2025-001", title="防灾减灾日进社区宣传", kind=TrainingKind.COMMUNITY,
            starts_at=dt.datetime(2025, 5, 12, 9), ends_at=dt.datetime(2025, 5, 12, 11),
            street_unit_id=town.id, organiser_unit_id=bureau.id, headcount=80, topics=["防汛"],
        )
    )  # fmt: skip
    session.flush()


EXPECTED_COUNTS = {
    "plans": 3,
    "teams": 2,
    "depots": 2,
    "lots": 4,
    "materials": 3,
    "drills": 2,
    "competitions": 1,
    "entries": 3,
    "requests": 1,
    "contacts": 2,
    "trainings": 1,
    "capacity_reserves": 1,
}


@pytest.fixture
def sample(db: Database) -> Database:
    with db.session() as session:
        add_sample_data(session)
    return db


def rows_by(session: Session, listing: Any, key: str, **kw: Any) -> list[Any]:
    ids = fetch_ids(session, listing, **kw)
    rows = fetch_rows(session, listing, ids, lang=kw.get("lang", "zh"))
    index = listing.keys.index(key)
    return [rows[i][index] for i in ids]


def test_every_listing_returns_every_row(sample: Database) -> None:
    assert set(LISTINGS) == set(EXPECTED_COUNTS)
    with sample.session() as session:
        for name, listing in LISTINGS.items():
            ids = fetch_ids(session, listing)
            assert len(ids) == EXPECTED_COUNTS[name], name
            rows = fetch_rows(session, listing, ids)
            assert set(rows) == set(ids)
            assert all(len(row) == len(listing.columns) for row in rows.values())


def test_listings_work_on_an_empty_database(db: Database) -> None:
    with db.session() as session:
        for listing in LISTINGS.values():
            assert fetch_ids(session, listing, search="x", order_by=listing.keys[-1]) == []
            assert fetch_rows(session, listing, []) == {}


def test_rows_show_vocabulary_labels_in_the_chosen_language(sample: Database) -> None:
    with sample.session() as session:
        ids = fetch_ids(session, PLANS)
        zh = fetch_rows(session, PLANS, ids)[ids[0]]
        en = fetch_rows(session, PLANS, ids, lang="en")[ids[0]]
    assert zh == (
        "QP-ZT-01",
        "青浦区突发事件总体应急预案",
        "总体预案",
        "自然灾害",
        "青浦区应急管理局",
        "已发布",
        "2.0",
        dt.date(2024, 5, 10),
    )
    assert en[2:4] == ("Overall", "Natural disaster") and en[5] == "Published"


def test_joined_and_counted_columns(sample: Database) -> None:
    with sample.session() as session:
        team_rows = {row[0]: row for row in fetch_team_rows(session)}
        assert team_rows["T1"][3] == "防汛抢险、水上救援"
        assert team_rows["T1"][7] == 2  # active members only
        assert team_rows["T2"][8] == dt.date(2025, 12, 31)
        assert rows_by(session, DEPOTS, "lots") == [2, 1]
        assert sorted(rows_by(session, LOTS, "holder")) == sorted(
            [
                "青浦区应急物资储备库",
                "青浦区应急物资储备库",
                "朱家角镇物资储备点",
                "青浦区防汛抢险队",
            ]
        )
        assert rows_by(session, MATERIALS, "on_hand") == [Decimal(200), Decimal(0), Decimal("62.5")]
        assert rows_by(session, MATERIALS, "lots") == [1, 0, 2]
        assert rows_by(session, COMPETITIONS, "events") == [2]
        assert rows_by(session, COMPETITIONS, "entries") == [3]
        assert rows_by(session, DRILLS, "organiser") == ["青浦区水务局", "青浦区应急管理局"]


def fetch_team_rows(session: Session) -> list[tuple[Any, ...]]:
    ids = fetch_ids(session, TEAMS)
    rows = fetch_rows(session, TEAMS, ids)
    return [rows[i] for i in ids]


@pytest.mark.parametrize(
    ("listing", "search", "expected"),
    [
        (PLANS, "防汛", ["QP-ZX-03"]),
        (PLANS, "已发布", ["QP-ZT-01", "QP-ZX-03"]),  # a vocabulary label
        (PLANS, "published", ["QP-ZT-01", "QP-ZX-03"]),  # its English label
        (PLANS, "qp-zx", ["QP-ZX-03", "QP-ZX-07"]),  # case-insensitive
        (PLANS, "专项 客流", ["QP-ZX-07"]),  # every word must match
        (PLANS, "应急管理局", ["QP-ZT-01", "QP-ZX-07"]),  # the joined owner unit
        (PLANS, "100%", []),  # wildcards are literal
        (PLANS, "_", []),
        (TEAMS, "水上救援", ["T1", "T2"]),  # inside the JSON list of specialties
        (TEAMS, "社会应急力量", ["T2"]),
        (COMPETITIONS, "2025", ["2025"]),
    ],
)
def test_search(sample: Database, listing: Any, search: str, expected: list[str]) -> None:
    key = "year" if listing is COMPETITIONS else "code"
    with sample.session() as session:
        found = [str(v) for v in rows_by(session, listing, key, search=search)]
    assert found == expected


def test_search_lots_by_material_and_holder(sample: Database) -> None:
    with sample.session() as session:
        assert rows_by(session, LOTS, "batch_no", search="方便食品") == ["F2024-02", "F2024-05"]
        assert rows_by(session, LOTS, "batch_no", search="防汛抢险队") == ["B2019-01"]
        assert rows_by(session, ENTRIES, "participant", search="心肺") == ["张伟"]


def test_filters(sample: Database) -> None:
    assert LOTS.default_filters == ("in_stock",)
    with sample.session() as session:
        in_stock = rows_by(session, LOTS, "batch_no", filters=LOTS.default_filters)
        both = rows_by(session, LOTS, "batch_no", filters=["in_stock"], search="方便食品")
    assert in_stock == ["F2024-02", "F2024-05", "V2023-01"]  # not the used-up B2019-01
    assert both == ["F2024-02", "F2024-05"]


def test_sort_by_vocabulary_follows_its_order_not_the_alphabet(sample: Database) -> None:
    with sample.session() as session:
        asc = rows_by(session, PLANS, "status", order_by="status")
        desc = rows_by(session, PLANS, "status", order_by="status", descending=True)
    assert asc == ["编制中", "已发布", "已发布"]
    assert desc == ["已发布", "已发布", "编制中"]


def test_sort_puts_empty_values_last_both_ways(sample: Database) -> None:
    with sample.session() as session:
        asc = rows_by(session, PLANS, "code", order_by="published_on")
        desc = rows_by(session, PLANS, "code", order_by="published_on", descending=True)
        by_qty = rows_by(session, LOTS, "on_hand", order_by="on_hand", descending=True)
    assert asc[-1] == desc[-1] == "QP-ZX-07"
    assert asc[:2] == ["QP-ZT-01", "QP-ZX-03"]  # ties broken by id
    assert desc[:2] == ["QP-ZX-03", "QP-ZT-01"]
    assert by_qty == [Decimal(200), Decimal(50), Decimal("12.5"), Decimal(0)]


def test_default_order_and_lots_by_expiry(sample: Database) -> None:
    with sample.session() as session:
        assert rows_by(session, LOTS, "expiry_date") == sorted(
            rows_by(session, LOTS, "expiry_date")
        )
        assert rows_by(session, DRILLS, "code") == ["DR-2024-03", "DR-2025-01"]


def test_fetch_rows_is_one_statement(sample: Database) -> None:
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    event.listen(sample.engine, "before_cursor_execute", count)
    try:
        with sample.session() as session:
            for listing in LISTINGS.values():
                ids = fetch_ids(session, listing)
                statements.clear()
                fetch_rows(session, listing, ids)
                assert len(statements) == 1, listing.name
    finally:
        event.remove(sample.engine, "before_cursor_execute", count)


def test_overview_counts(sample: Database) -> None:
    with sample.session() as session:
        counts = overview_counts(session, AS_OF)
    assert counts == {
        "plans": 3,
        "plans_published": 2,
        "teams": 2,
        "members": 3,
        "depots": 2,
        "materials": 3,
        "lots_expired": 1,
        "lots_expiring": 1,
        "drills_this_year": 1,
        "actions_open": 1,
        "actions_overdue": 1,
    }
    assert [item.key for item in OVERVIEW_ITEMS] == list(counts)


def test_database_is_blank(db: Database) -> None:
    with db.session() as session:
        assert database_is_blank(session)
        add_sample_data(session)
        assert not database_is_blank(session)


@pytest.mark.parametrize(
    ("column", "value", "text"),
    [
        (Column("d", "日期", "Date", kind="date"), dt.date(2025, 3, 1), "2025-03-01"),
        (
            Column("t", "时间", "Time", kind="datetime"),
            dt.datetime(2025, 3, 1, 9, 5),
            "2025-03-01 09:05",
        ),
        (Column("q", "数量", "Qty", kind="number"), Decimal("120.000"), "120"),
        (Column("q", "数量", "Qty", kind="number"), Decimal("12.500"), "12.5"),
        (Column("q", "数量", "Qty", kind="number"), 2025, "2025"),
        (Column("b", "需轮换", "Rotated", kind="bool"), True, "是"),
        (Column("b", "需轮换", "Rotated", kind="bool"), False, "否"),
        (Column("x", "文本", "Text"), None, ""),
    ],
)
def test_format_value(column: Column, value: Any, text: str) -> None:
    assert format_value(column, value) == text


def test_columns_align_numbers_right() -> None:
    for listing in LISTINGS.values():
        for col in listing.columns:
            assert (col.align == "right") == (col.kind == "number"), (listing.name, col.key)


def test_expiry_tone() -> None:
    assert expiry_tone(dt.date(2025, 5, 31), AS_OF, 90) == "expired"
    assert expiry_tone(AS_OF, AS_OF, 90) == "expiring"
    assert expiry_tone(dt.date(2025, 8, 30), AS_OF, 90) == "expiring"  # day 90
    assert expiry_tone(dt.date(2025, 8, 31), AS_OF, 90) is None
    assert expiry_tone(dt.date(2025, 8, 31), AS_OF, 91) == "expiring"
    assert expiry_tone(dt.date(2025, 7, 16), AS_OF, 45) == "expiring"  # day 45
    assert expiry_tone(dt.date(2025, 7, 17), AS_OF, 45) is None
    assert expiry_tone(None, AS_OF, 90) is None
    assert [c.key for c in LOTS.columns if c.expiry] == ["expiry_date"]
    assert [c.key for c in TEAMS.columns if c.expiry] == ["agreement_expires_on"]


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize(
    ("listing", "key"),
    [(LOTS, "expiry_date"), (PLANS, "published_on"), (PLANS, "status"), (DRILLS, None)],
)
def test_a_limited_fetch_is_the_start_of_the_full_one(
    sample: Database, listing: Any, key: str | None, descending: bool
) -> None:
    with sample.session() as session:
        full = fetch_ids(session, listing, order_by=key, descending=descending)
        for limit in (1, 2, len(full), len(full) + 5):
            start = fetch_ids(session, listing, order_by=key, descending=descending, limit=limit)
            assert start == full[:limit]

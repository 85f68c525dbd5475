"""The resource directory: a material held in all five tiers and by two teams is found by
name, synonym, width/space-tolerant query and code; quantities per unit; whom to call."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from drillplan.db.database import Database
from drillplan.directory.find import Found, find, holding_text, parse_tier
from drillplan.kernel.errors import ValidationError
from drillplan.kernel.vocab import DepotTier, Tier, UnitKind
from drillplan.org import teams
from drillplan.reserves import capacity
from drillplan.stock import catalogue
from drillplan.stock.holders import holder_for_team
from drillplan.stock.ledger import receive
from tests import factories as f

AS_OF = dt.date(2026, 6, 1)
TIERS = ("city", "district", "street", "enterprise", "agreement")


def build(session: Session) -> None:
    district = f.unit(session, "310118", name="青浦区人民政府", kind=UnitKind.GOVERNMENT)
    town = f.unit(
        session, "310118102", name="朱家角镇", kind=UnitKind.STREET_TOWN, tier=Tier.STREET,
        parent_id=district.id,
    )  # fmt: skip
    f.unit(
        session, "310118103", name="练塘镇", kind=UnitKind.STREET_TOWN, tier=Tier.STREET,
        parent_id=district.id,
    )  # fmt: skip
    boat = catalogue.create_material(
        session, code="2030102", name="冲锋舟", uom="艘", synonyms="橡皮艇、冲锋艇"
    )
    jacket = catalogue.create_material(session, code="2010101", name="救生衣", uom="件")
    catalogue.create_material(session, code="2030103", name="船外机", uom="台")
    for n, tier in enumerate(TIERS):
        fields = {}
        if tier == "agreement":
            fields = {"agreement_supplier": "淀湖船艇有限公司", "agreement_contact": "倪磊",
                      "agreement_phone": "15324749009"}  # fmt: skip
        depot = catalogue.create_depot(
            session, code=f"D-{tier}", name=f"{tier} 仓库", tier=tier,
            owner_unit_id=town.id if tier == "street" else district.id,
            address=f"青浦区{tier}路 {n + 1} 号", keeper=f"保管员{n}",
            keeper_phone=f"1380000000{n}", **fields,
        )  # fmt: skip
        holder = depot_holder(session, depot.id)
        receive(
            session, holder_id=holder, material_id=boat.id, quantity=n + 1, on=AS_OF,
            batch_no="A", expiry_date=AS_OF + dt.timedelta(days=10 if n == 0 else 900),
            today=AS_OF,
        )  # fmt: skip
        receive(
            session, holder_id=holder, material_id=jacket.id, quantity=100, on=AS_OF,
            batch_no="J", expiry_date=AS_OF + dt.timedelta(days=900), today=AS_OF,
        )  # fmt: skip
    for code, specialties, phone in (
        ("T-W", ["水上救援"], "021-59726202"),
        ("T-F", ["防汛抢险", "危险化学品"], "13912345678"),
    ):
        team = teams.create_team(
            session, code=code, name=f"队伍{code}", kind="专业队伍", specialties=specialties,
            owner_unit_id=district.id, tier="区级", duty_phone=phone, base="青浦区城中路",
        )  # fmt: skip
        holder = holder_for_team(session, team.id).id
        receive(
            session, holder_id=holder, material_id=boat.id, quantity=2, on=AS_OF,
            batch_no="T", expiry_date=None, today=AS_OF,
        )  # fmt: skip
    # an expired lot is not usable
    city = depot_holder(session, session_depot(session, "D-city"))
    receive(
        session, holder_id=city, material_id=boat.id, quantity=50, on=AS_OF - dt.timedelta(400),
        batch_no="OLD", production_date=dt.date(2020, 1, 1),
        expiry_date=AS_OF - dt.timedelta(days=1), today=AS_OF,
    )  # fmt: skip
    capacity.create_capacity_reserve(
        session, code="CR-1", supplier="淀湖船艇有限公司", contact="倪磊", phone="15324749009",
        material_id=boat.id, promised_qty="20", lead_time_hours="2天",
    )  # fmt: skip


def session_depot(session: Session, code: str) -> int:
    from sqlalchemy import select

    from drillplan.db.models import Depot

    return session.scalar(select(Depot.id).where(Depot.code == code))  # type: ignore[return-value]


def depot_holder(session: Session, depot_id: int) -> int:
    from drillplan.stock.holders import holder_for_depot

    return holder_for_depot(session, depot_id).id


@pytest.fixture
def directory(db: Database) -> Database:
    with db.session() as session:
        build(session)
    return db


def boat_holders(found: Found) -> dict[str, str]:
    return {h.code: h.tier for h in found.holders}


@pytest.mark.parametrize("query", ["冲锋舟", "橡皮艇", " 冲 锋 舟 ", "２０３０１０２", "2030102"])
def test_a_material_in_five_tiers_and_two_teams_is_found(directory: Database, query: str) -> None:
    with directory.session() as session:
        found = find(session, query, as_of=AS_OF)
    held = boat_holders(found)
    assert {held[f"D-{t}"] for t in TIERS} == set(TIERS)
    assert held["T-W"] == held["T-F"] == "team"
    assert held["CR-1"] == "capacity"
    assert [m.code for m in found.materials] == ["2030102"]


def test_quantities_per_unit_expiring_and_whom_to_call(directory: Database) -> None:
    with directory.session() as session:
        found = find(session, "冲锋舟", as_of=AS_OF)
    by_code = {h.code: h for h in found.holders}
    city = by_code["D-city"]
    (boat,) = city.holdings
    assert (boat.uom, boat.usable, boat.expiring) == (
        "艘",
        Decimal(1),
        Decimal(1),
    )  # expired 50 out
    assert city.keeper == "保管员0" and city.phone == "13800000000"
    assert city.address == "青浦区city路 1 号"
    agreement = by_code["D-agreement"]
    assert (agreement.agreement_supplier, agreement.agreement_contact) == (
        "淀湖船艇有限公司",
        "倪磊",
    )
    assert agreement.agreement_phone == "15324749009"
    team = by_code["T-W"]
    assert team.phone == "021-59726202" and team.address == "青浦区城中路"
    cap = by_code["CR-1"]
    assert cap.holdings[0].usable == 0 and cap.holdings[0].promised == Decimal(20)
    assert holding_text(cap.holdings[0]) == "产能储备：承诺 20 艘，48 小时内"
    # capacity never added to the totals: 1+2+3+4+5 in depots, 2+2 at teams
    assert found.totals() == {("2030102", "艘"): (Decimal(19), Decimal(1))}


def test_class_prefix_finds_the_class_and_units_are_not_added(directory: Database) -> None:
    with directory.session() as session:
        found = find(session, "2030", as_of=AS_OF)
        both = find(session, "20", as_of=AS_OF)
    assert [m.code for m in found.materials] == ["2030102", "2030103"]
    district = next(h for h in both.holders if h.code == "D-district")
    assert district.totals() == {"艘": Decimal(2), "件": Decimal(100)}


def test_team_capability_finds_teams_and_their_equipment(directory: Database) -> None:
    with directory.session() as session:
        water = find(session, "水上救援", as_of=AS_OF)
        hazmat = find(session, "危化品", as_of=AS_OF)
    assert [h.code for h in water.holders] == ["T-W"]
    assert [h.material_code for h in water.holders[0].holdings] == ["2030102"]
    assert water.holders[0].capabilities == ("水上救援",)
    assert [h.code for h in hazmat.holders] == ["T-F"]


def test_tier_filter_and_near_unit_order(directory: Database) -> None:
    with directory.session() as session:
        only = find(session, "冲锋舟", tier="协议储备", as_of=AS_OF)
        teams_only = find(session, "冲锋舟", tier="队伍", as_of=AS_OF)
        near = find(session, "冲锋舟", near_unit="朱家角镇", as_of=AS_OF)
        beside = find(session, "冲锋舟", near_unit="310118103", as_of=AS_OF)
        with pytest.raises(ValidationError) as bad:
            find(session, "冲锋舟", tier="省级", as_of=AS_OF)
    assert [h.code for h in only.holders] == ["D-agreement"]
    assert {h.code for h in teams_only.holders} == {"T-W", "T-F"}
    assert near.holders[0].code == "D-street" and near.holders[0].nearness == 0
    assert beside.holders[0].code == "D-street" and beside.holders[0].nearness == 1
    assert bad.value.field == "tier"
    assert parse_tier("企业代储") == DepotTier.ENTERPRISE.value


def test_nothing_matches(directory: Database) -> None:
    with directory.session() as session:
        found = find(session, "航空母舰", as_of=AS_OF)
    assert found.holders == () and found.materials == ()


def test_material_synonyms_are_validated_and_edited(directory: Database) -> None:
    with directory.session() as session:
        m = catalogue.check_material(session, code="2050101", name="柴油发电机组", uom="台",
                                     synonyms=["发电机", "发电机", " 发电机组 "])  # fmt: skip
        assert m["synonyms"] == ["发电机", "发电机组"]
        with pytest.raises(ValidationError) as bad:
            catalogue.check_material(session, code="2050101", name="柴油发电机组", uom="台",
                                     synonyms="x" * 41)  # fmt: skip
        assert bad.value.field == "synonyms"
        with pytest.raises(ValidationError) as phone:
            catalogue.check_depot(session, code="D-x", name="x", tier="协议储备",
                                  owner_unit_id=1, agreement_phone="123")  # fmt: skip
        assert phone.value.field == "agreement_phone"


def test_directory_report_one_page_per_class(directory: Database, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from pypdf import PdfReader

    from drillplan.reports.registry import build_report

    out = tmp_path / "directory.pdf"
    with directory.session() as session:
        result = build_report(session, "directory", out, as_of=AS_OF)
        with pytest.raises(ValidationError) as bad:
            build_report(session, "directory", tmp_path / "x.pdf", as_of=AS_OF,
                         material_class="船")  # fmt: skip
    assert bad.value.field == "class"
    pages = [p.extract_text() for p in PdfReader(out).pages]
    text = "\n".join(pages)
    assert "203 水上救援装备" in text and "201 个体防护装备" in text
    assert "第 1 页" in pages[0]
    # each class on its own page: boats and life jackets never share one
    assert not any("203 水上救援装备" in p and "201 个体防护装备" in p for p in pages)
    assert "13800000000" in text and "淀湖船艇有限公司" in text
    assert result.path == out


def test_cli_find_json_table_and_exports(
    directory: Database, tmp_path, capsys: pytest.CaptureFixture[str]
) -> None:  # type: ignore[no-untyped-def]
    import json

    from openpyxl import load_workbook

    from drillplan.cli.main import main

    base = ["--db", directory.url]
    assert main([*base, "find", "冲锋舟", "--as-of", AS_OF.isoformat(), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"query", "as_of", "horizon_days", "materials", "capability_teams",
                         "holders", "totals"}  # fmt: skip
    assert data["totals"] == [{"material": "2030102", "uom": "艘", "usable": 19, "expiring": 1}]
    city = next(h for h in data["holders"] if h["code"] == "D-city")
    assert city["holdings"][0]["usable"] == 1 and city["phone"] == "13800000000"
    assert main([*base, "find", "冲锋舟", "--as-of", AS_OF.isoformat()]) == 0
    table = capsys.readouterr().out
    assert "淀湖船艇有限公司 倪磊 15324749009" in table and "产能储备：承诺 20 艘" in table
    assert main([*base, "find", "冲锋舟", "--tier", "省级"]) == 2
    assert "tier: " in capsys.readouterr().err
    sheet = tmp_path / "directory.xlsx"
    assert main([*base, "export", "directory", str(sheet)]) == 0
    rows = list(load_workbook(sheet).active.iter_rows(values_only=True))  # type: ignore[union-attr]
    assert rows[0][:3] == ("层级", "持有方编码", "持有方")
    boats = [r for r in rows if r[4] == "2030102"]
    # judged today: the city depot's only usable boat (expiring 10 days after AS_OF) is out
    assert len(boats) == 7 and "D-city" not in {r[1] for r in boats}
    out = tmp_path / "boats.csv"
    assert main([*base, "find", "橡皮艇", "--as-of", AS_OF.isoformat(), "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8-sig").count("\n") == 9  # header + 8


def test_an_edited_synonym_is_found_at_once(directory: Database) -> None:
    from sqlalchemy import select

    from drillplan.db.models import Material

    with directory.session() as session:
        assert find(session, "抢险舟", as_of=AS_OF).materials == ()  # the index is built
        boat = session.scalar(select(Material.id).where(Material.code == "2030102"))
        assert boat is not None
        catalogue.update_material(session, material_id=boat, synonyms="橡皮艇、抢险舟")
    with directory.session() as session:
        assert [m.why for m in find(session, "抢险舟", as_of=AS_OF).materials] == ["synonym"]


def test_edited_and_new_holders_are_shown_at_once(directory: Database) -> None:
    """The holders' columns are kept with the catalogue between searches: an edit of a
    keeper's phone, a team's duty phone or a new depot with stock shows in the next search."""
    from sqlalchemy import select

    from drillplan.db.models import Depot, Material, Team

    with directory.session() as session:
        before = {h.code: h.phone for h in find(session, "冲锋舟", as_of=AS_OF).holders}
        assert before["D-city"] == "13800000000"
        assert before["T-W"] == "021-59726202"
        depot = session.scalar(select(Depot).where(Depot.code == "D-city"))
        team = session.scalar(select(Team).where(Team.code == "T-W"))
        assert depot is not None and team is not None
        catalogue.update_depot(
            session, depot_id=depot.id, expected_version=depot.row_version,
            keeper_phone="13911112222",
        )  # fmt: skip
        teams.update_team(
            session, team_id=team.id, expected_version=team.row_version,
            duty_phone="021-59720000",
        )  # fmt: skip
    with directory.session() as session:
        boat = session.scalar(select(Material.id).where(Material.code == "2030102"))
        assert boat is not None
        owner = session.scalar(select(Depot.owner_unit_id).where(Depot.code == "D-city"))
        new = catalogue.create_depot(
            session, code="D-new", name="新建仓库", tier="district", keeper="新保管员",
            keeper_phone="13700001111", owner_unit_id=owner,
        )  # fmt: skip
        receive(
            session, holder_id=depot_holder(session, new.id), material_id=boat, quantity=3,
            on=AS_OF, batch_no="N", expiry_date=None, today=AS_OF,
        )  # fmt: skip
    with directory.session() as session:
        found = find(session, "冲锋舟", as_of=AS_OF)
    after = {h.code: h for h in found.holders}
    assert after["D-city"].phone == "13911112222"
    assert after["T-W"].phone == "021-59720000"
    assert after["D-new"].keeper == "新保管员"
    assert after["D-new"].totals() == {"艘": Decimal(3)}
    assert found.total_holders == len(before) + 1


def test_fractional_quantities_are_summed_exactly(directory: Database) -> None:
    """0.1 + 0.2 of a material at one holder reads 0.3 (SQLite sums in floating point: the
    sum is read back at the quantity column's 3 decimals, never as 0.30000000000000004)."""
    with directory.session() as session:
        sand = catalogue.create_material(session, code="3010101", name="防汛砂石", uom="吨")
        holder = depot_holder(session, session_depot(session, "D-district"))
        for batch, qty in (("S1", "0.1"), ("S2", "0.2")):
            receive(
                session, holder_id=holder, material_id=sand.id, quantity=Decimal(qty), on=AS_OF,
                batch_no=batch, expiry_date=None, today=AS_OF,
            )  # fmt: skip
    with directory.session() as session:
        found = find(session, "防汛砂石", as_of=AS_OF)
    (holder_row,) = found.holders
    assert holder_row.totals() == {"吨": Decimal("0.3")}
    assert str(holder_row.holdings[0].usable) in {"0.3", "0.300"}
    assert found.totals() == {("3010101", "吨"): (Decimal("0.3"), Decimal(0))}

"""Shortfall, coverage and the expiry audits against hand-computed examples."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from drillplan.cli.main import main
from drillplan.db.database import Database
from drillplan.db.models import Certificate, Member, Quota, TierQuota
from drillplan.kernel.vocab import DepotTier, Tier
from drillplan.stock import coverage, expiry
from tests import factories as f

AS_OF = dt.date(2025, 6, 1)


def _lot(session: Session, mat, holder, batch: str, qty: int, expiry_date, cost=None):  # type: ignore[no-untyped-def]
    lot = f.lot(
        session,
        mat,
        holder,
        batch=batch,
        production_date=dt.date(2020, 1, 1),
        expiry_date=expiry_date,
        on_hand=Decimal(qty),
        unit_cost=cost,
    )
    f.movement(session, lot, qty, moved_on=dt.date(2025, 1, 1))
    return lot


def _coverage_world(session: Session) -> None:
    """Two district depots, one street depot; quotas by tier default and by depot override.

    vest (件): district tier default 100; D1 overrides to 50.
      D1 usable 30 (+20 expired)          -> required 50, covered 30, shortfall 20
      D2 usable 150 (tier default 100)    -> required 100, covered 100, shortfall 0
    tent (顶): street tier default 10
      S1 usable 4 (one lot expires today: still usable) -> required 10, covered 4, short 6
    every material weighs 1 (一般): coverage is the mean of the lines' ratios
    district tier: ratios 0.6 and 1.0 -> 80.0 %; street tier: 0.4 -> 40.0 %
    district total: (0.6 + 1.0 + 0.4) / 3 -> 66.7 %; quantities per unit: 件 150/130, 顶 10/4
    """
    u = f.unit(session)
    vest = f.material(session, code="2010101", name="救生衣", uom="件")
    tent = f.material(session, code="1010201", name="帐篷", uom="顶")
    d1, h1 = f.depot(session, u, code="D1", tier=DepotTier.DISTRICT)
    _, h2 = f.depot(session, u, code="D2", tier=DepotTier.DISTRICT)
    _, hs = f.depot(session, u, code="S1", tier=DepotTier.STREET)
    session.add_all(
        [
            TierQuota(tier=DepotTier.DISTRICT, material_id=vest.id, required_qty=100),
            TierQuota(tier=DepotTier.STREET, material_id=tent.id, required_qty=10),
            Quota(depot_id=d1.id, material_id=vest.id, required_qty=50),
        ]
    )
    _lot(session, vest, h1, "V1", 30, dt.date(2026, 1, 1))
    _lot(session, vest, h1, "V0", 20, dt.date(2025, 5, 31))  # expired yesterday
    _lot(session, vest, h2, "V2", 150, None)
    _lot(session, tent, hs, "T1", 4, AS_OF)  # expires today: still usable
    session.flush()


def test_shortfall_and_coverage_per_line_tier_material_district(db: Database) -> None:
    with db.session() as session:
        _coverage_world(session)
        lines = coverage.quota_lines(session, as_of=AS_OF)
    got = [(x.depot_code, x.material_code, x.required, x.usable, x.shortfall) for x in lines]
    assert got == [
        ("D1", "2010101", 50, 30, 20),
        ("D2", "2010101", 100, 150, 0),
        ("S1", "1010201", 10, 4, 6),
    ]
    assert [x.quota_source for x in lines] == ["depot", "tier", "tier"]
    tiers = {g.key: g.coverage_pct for g in coverage.group_by(lines, "tier")}
    assert tiers == {"district": 80.0, "street": 40.0}
    materials = {g.key: g.coverage_pct for g in coverage.group_by(lines, "material")}
    assert materials == {"2010101": 80.0, "1010201": 40.0}
    total = coverage.district_total(lines)
    assert total.coverage_pct == 66.7
    per_unit = {u.uom: (u.required, u.covered, u.shortfall, u.lines) for u in total.units}
    assert per_unit == {"件": (150, 130, 20, 2), "顶": (10, 4, 6, 1)}
    assert (total.lines, total.lines_short) == (3, 2)


def test_shortfall_as_of_later_date_drops_expiring_stock(db: Database) -> None:
    with db.session() as session:
        _coverage_world(session)
        lines = coverage.quota_lines(session, as_of=AS_OF + dt.timedelta(days=1), tier="street")
    assert [(x.depot_code, x.usable, x.shortfall) for x in lines] == [("S1", 0, 10)]


def _expiry_world(session: Session) -> dict[str, int]:
    u = f.unit(session)
    m = f.material(session, code="2010101", name="救生衣", uom="件")
    _, h = f.depot(session, u, code="D1", tier=DepotTier.DISTRICT)
    team = f.team(session, u, code="T1", tier=Tier.STREET)
    from drillplan.stock.holders import holder_for_team

    th = holder_for_team(session, team.id)
    days = {
        "yesterday": -1,
        "today": 0,
        "d30": 30,
        "d31": 31,
        "d90": 90,
        "d180": 180,
        "d181": 181,
    }
    ids = {}
    for name, delta in days.items():
        holder = th if name == "d90" else h
        ids[name] = _lot(
            session, m, holder, name, 10, AS_OF + dt.timedelta(days=delta), Decimal("12.50")
        ).id
    member = Member(team_id=team.id, name="李四")
    session.add(member)
    session.flush()
    for n, delta in (("C-1", -1), ("C0", 0), ("C30", 30), ("C200", 200)):
        session.add(
            Certificate(
                member_id=member.id,
                cert_type="应急救援员",
                number=n,
                issued_on=dt.date(2020, 1, 1),
                expires_on=AS_OF + dt.timedelta(days=delta),
            )
        )
    team.agreement_no = "XY-1"
    team.agreement_expires_on = AS_OF + dt.timedelta(days=90)
    session.flush()
    return ids


def test_lot_expiry_boundaries(db: Database) -> None:
    with db.session() as session:
        _expiry_world(session)
        found = expiry.lot_expiry(session, as_of=AS_OF)
    got = [(x.batch_no, x.days_left, x.status) for x in found]
    assert got == [
        ("yesterday", -1, "expired"),
        ("today", 0, "within_30"),
        ("d30", 30, "within_30"),
        ("d31", 31, "within_90"),
        ("d90", 90, "within_90"),
        ("d180", 180, "within_180"),
    ]  # d181 is beyond the largest horizon
    assert found[0].value == Decimal("125.00")
    assert found[0].action.startswith("报损")
    assert found[4].holder_code == "T1" and found[4].tier == "street"


def test_custom_horizon_and_filters(db: Database) -> None:
    with db.session() as session:
        _expiry_world(session)
        found = expiry.lot_expiry(session, as_of=AS_OF, horizons=[7])
        assert [(x.batch_no, x.status) for x in found] == [
            ("yesterday", "expired"),
            ("today", "within_7"),
        ]
        only_team = expiry.lot_expiry(session, as_of=AS_OF, tier="street")
        assert [x.batch_no for x in only_team] == ["d90"]


def test_expiry_summary_matches_the_detail(db: Database) -> None:
    with db.session() as session:
        _expiry_world(session)
        summary = expiry.expiry_summary(session, as_of=AS_OF)
    got = {(r.tier, r.status): (r.lots, r.quantity, r.value) for r in summary}
    assert got == {
        ("district", "expired"): (1, 10, Decimal("125.00")),
        ("district", "within_30"): (2, 20, Decimal("250.00")),
        ("district", "within_90"): (1, 10, Decimal("125.00")),
        ("district", "within_180"): (1, 10, Decimal("125.00")),
        ("district", "ok"): (1, 10, Decimal("125.00")),
        ("street", "within_90"): (1, 10, Decimal("125.00")),
    }


def test_certificate_and_agreement_audits(db: Database) -> None:
    with db.session() as session:
        _expiry_world(session)
        certs = expiry.certificate_expiry(session, as_of=AS_OF)
        agreements = expiry.agreement_expiry(session, as_of=AS_OF, horizons=[30, 90])
        none_soon = expiry.agreement_expiry(session, as_of=AS_OF, horizons=[30])
    assert [(c.number, c.days_left, c.status) for c in certs] == [
        ("C-1", -1, "expired"),
        ("C0", 0, "within_30"),
        ("C30", 30, "within_30"),
    ]
    assert [(a.team_code, a.days_left, a.status) for a in agreements] == [("T1", 90, "within_90")]
    assert none_soon == []


def test_bad_horizon_is_rejected() -> None:
    with pytest.raises(Exception, match="预警天数"):
        expiry.check_horizons([0, 30])


def test_cli_expiry_json_has_the_documented_keys(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    with db.session() as session:
        ids = _expiry_world(session)
    code = main(["--db", db.url, "audit", "expiry", "--as-of", "2025-06-01", "--format", "json"])
    assert code == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0] == {
        "lot_id": ids["yesterday"],
        "batch": "yesterday",
        "material_code": "2010101",
        "material_name": "救生衣",
        "holder_kind": "depot",
        "holder_code": "D1",
        "holder_name": "仓库D1",
        "tier": "district",
        "quantity": 10,
        "unit": "件",
        "expiry_date": "2025-05-31",
        "days_left": -1,
        "status": "expired",
        "value": 125,
        "action": rows[0]["action"],
    }
    assert len(rows) == 6


def test_cli_shortfall_by_tier(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    with db.session() as session:
        _coverage_world(session)
    code = main(
        ["--db", db.url, "audit", "shortfall", "--by", "tier", "--as-of", "2025-06-01",
         "--format", "json"]
    )  # fmt: skip
    assert code == 0
    rows = {(r["key"], r["unit"]): r for r in json.loads(capsys.readouterr().out)}
    assert set(rows) == {("district", "件"), ("street", "顶")}
    district = rows["district", "件"]
    assert (district["shortfall"], district["coverage_pct"]) == (20, 80.0)
    assert rows["street", "顶"]["shortfall"] == 6

"""Unit-safe coverage: ratios per quota line weighted by criticality, never sums of units.

The hand-computed example is the worked example of docs/readiness.md, number by number.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from drillplan.cli.main import main
from drillplan.db import migrate
from drillplan.db.database import Database, open_db
from drillplan.db.engine import make_engine
from drillplan.db.models import Material, Quota
from drillplan.kernel.errors import ValidationError
from drillplan.kernel.vocab import Criticality, DepotTier, label
from drillplan.readiness.facts import Fact, Facts
from drillplan.readiness.score import points_text, readiness
from drillplan.stock import catalogue, coverage
from tests import factories as f

AS_OF = dt.date(2025, 6, 1)
FAR = dt.date(2030, 1, 1)


def _stock(session: Session, material: Material, holder, qty: int) -> None:  # type: ignore[no-untyped-def]
    lot = f.lot(
        session, material, holder, batch=f"B{material.code}", expiry_date=FAR, on_hand=Decimal(qty)
    )
    f.movement(session, lot, qty, moved_on=dt.date(2025, 1, 1))


def _mixed_world(db: Database) -> None:
    """docs/readiness.md, 示例 / worked example:

    D1 (区级): 编织袋 50,000 条, usable 40,000 (重要, set by the office)  r 0.8  w 2
               潜水泵 10 台,     usable 5      (关键, class 2 default)    r 0.5  w 3
               方便面 1,000 箱,  usable 0      (重要, class 1 default)    r 0    w 2
    S1 (街镇级): 编织袋 3,000 条, usable 2,700                            r 0.9  w 2
               潜水泵 4 台,      usable 6 (surplus capped)                 r 1    w 3
    """
    with db.session() as session:
        u = f.unit(session)
        bags = catalogue.create_material(
            session, code="3010101", name="编织袋", uom="条", criticality="重要"
        )
        pump = catalogue.create_material(session, code="2060101", name="潜水泵", uom="台")
        noodles = catalogue.create_material(
            session, code="1020201", name="方便面", uom="箱", shelf_life_days=180
        )
        d1, h1 = f.depot(session, u, code="D1", name="区级仓库", tier=DepotTier.DISTRICT)
        s1, hs = f.depot(session, u, code="S1", name="街镇储备点", tier=DepotTier.STREET)
        for depot, material, required in (
            (d1, bags, 50_000),
            (d1, pump, 10),
            (d1, noodles, 1_000),
            (s1, bags, 3_000),
            (s1, pump, 4),
        ):
            session.add(Quota(depot_id=depot.id, material_id=material.id, required_qty=required))
        _stock(session, bags, h1, 40_000)
        _stock(session, pump, h1, 5)
        _stock(session, bags, hs, 2_700)
        _stock(session, pump, hs, 6)


def test_defaults_and_weights_by_class(db: Database) -> None:
    _mixed_world(db)
    with db.sessions() as session:
        lines = coverage.quota_lines(session, as_of=AS_OF)
    got = [(x.depot_code, x.material_code, x.criticality, x.weight, x.ratio) for x in lines]
    assert got == [
        ("D1", "1020201", Criticality.IMPORTANT, 2, 0),
        ("D1", "2060101", Criticality.CRITICAL, 3, Decimal("0.5")),
        ("D1", "3010101", Criticality.IMPORTANT, 2, Decimal("0.8")),
        ("S1", "2060101", Criticality.CRITICAL, 3, 1),  # 6 of 4: capped at 1
        ("S1", "3010101", Criticality.IMPORTANT, 2, Decimal("0.9")),
    ]


def test_hand_computed_mixed_units_example(db: Database) -> None:
    _mixed_world(db)
    with db.sessions() as session:
        result = readiness(session, as_of=AS_OF)
        lines = coverage.quota_lines(session, as_of=AS_OF)
    comps = {c.key: c for c in result.district.components}
    cov = comps["coverage"]
    # sum(w) = 2 + 3 + 2 + 2 + 3 = 12; sum(w x r) = 0 + 1.5 + 1.6 + 3 + 1.8 = 7.9
    assert (cov.total, cov.good) == (12, Decimal("7.9"))
    assert cov.value == 65.8  # 7.9 / 12 = 65.83 %
    assert comps["expiry"].value == 100.0  # four lots, none expiring
    # (30 x 65.833 + 15 x 100) / 45 = 77.22
    assert result.district.score == 77.2
    # the old formula added 条 + 台 + 箱: 42,709 / 54,014 = 79.1 %, a number of nothing
    covered = sum((x.covered for x in lines), Decimal(0))
    required = sum((x.required for x in lines), Decimal(0))
    assert (covered, required) == (42_709, 54_014)
    depots = {s.key: s for s in result.depots}
    assert {k: s.components[0].value for k, s in depots.items()} == {"D1": 44.3, "S1": 96.0}
    tiers = {g.key: g.coverage_pct for g in coverage.group_by(lines, "tier")}
    assert tiers == {"district": 44.3, "street": 96.0}  # 3.1 / 7 and 4.8 / 5


def test_fix_first_order_and_points(db: Database) -> None:
    _mixed_world(db)
    with db.sessions() as session:
        result = readiness(session, as_of=AS_OF)
    fixes = [(fx.row_id, fx.points, fx.points_text) for fx in result.fixes]
    # coverage share 30 / 45; points = 2/3 x w(1 - r) / 12 x 100
    assert fixes == [
        ("D1/1020201", pytest.approx(100 / 9), "11.1"),  # 方便面 0 %: 2 x 1
        ("D1/2060101", pytest.approx(25 / 3), "8.33"),  # 潜水泵 50 %: 3 x 0.5
        ("D1/3010101", pytest.approx(20 / 9), "2.22"),  # 编织袋 80 %: 2 x 0.2
        ("S1/3010101", pytest.approx(10 / 9), "1.11"),  # 编织袋 90 %: 2 x 0.1
    ]
    # each item is what the district gains when it is put right: together, all that is lost
    assert sum(fx.points for fx in result.fixes) == pytest.approx(100 - 77.2222, abs=1e-3)
    noodles = result.fixes[0]
    assert "保障率 0.0%" in noodles.problem and "重要×2" in noodles.problem


def test_no_noodles_ranks_above_partial_sandbags_of_the_same_criticality(db: Database) -> None:
    """The issue's case: 0 % of 1,000 箱 against 20 % short of 50,000 条, both 重要."""
    _mixed_world(db)
    with db.sessions() as session:
        order = [fx.label for fx in readiness(session, as_of=AS_OF).fixes]
    assert order.index("方便面 @ 区级仓库") < order.index("编织袋 @ 区级仓库")
    assert order.index("方便面 @ 区级仓库") < order.index("编织袋 @ 街镇储备点")


def test_totals_are_per_unit(db: Database) -> None:
    _mixed_world(db)
    with db.sessions() as session:
        total = coverage.district_total(coverage.quota_lines(session, as_of=AS_OF))
    assert total.coverage_pct == 65.8 and (total.lines, total.lines_short) == (5, 4)
    got = {
        u.uom: (u.required, u.covered, u.shortfall, u.lines, u.coverage_pct) for u in total.units
    }
    assert got == {
        "条": (53_000, 42_700, 10_300, 2, 85.0),  # (1.6 + 1.8) / 4
        "台": (14, 9, 5, 2, 75.0),  # (1.5 + 3) / 6
        "箱": (1_000, 0, 1_000, 1, 0.0),
    }
    assert not hasattr(total, "required")  # no total across units to misread


def test_cli_shortfall_by_district_is_per_unit(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    _mixed_world(db)
    argv = ["--db", db.url, "audit", "shortfall", "--by", "district", "--as-of", "2025-06-01"]
    assert main([*argv, "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["unit"], r["required"], r["shortfall"], r["coverage_pct"]) for r in rows] == [
        ("台", 14, 5, 75.0),
        ("条", 53_000, 10_300, 85.0),
        ("箱", 1_000, 1_000, 0.0),
    ]
    assert {r["group_coverage_pct"] for r in rows} == {65.8}
    by_line = ["--db", db.url, "audit", "shortfall", "--as-of", "2025-06-01"]
    assert main([*by_line, "--format", "json"]) == 0
    lines = json.loads(capsys.readouterr().out)
    assert {(r["material_code"], r["criticality"], r["weight"]) for r in lines} >= {
        ("1020201", "important", 2)
    }


def test_cli_readiness_shows_three_significant_digits(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    _mixed_world(db)
    argv = ["--db", db.url, "readiness", "--as-of", "2025-06-01", "--level", "district"]
    assert main([*argv, "--fixes", "2"]) == 0
    out = capsys.readouterr().out
    assert "11.1 " in out and "8.33 " in out and "2.22" not in out
    assert main([*argv, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["fixes"][0]["points_text"] == "11.1"
    assert data["fixes"][0]["points"] == pytest.approx(11.1111, abs=1e-4)


def test_points_text() -> None:
    assert [points_text(p) for p in (11.111, 1.4949, 0.021645, 0.0017999, 0.0)] == [
        "11.1",
        "1.49",
        "0.0216",
        "0.00180",
        "0",
    ]


def test_city_scale_fix_first_items_stay_distinct(db: Database) -> None:
    """2,000 depots x 11 quota lines: each item costs thousandths of a point; the list still
    ranks them by their effect and shows them differently (2 decimals showed 0.00)."""
    facts = Facts(as_of=AS_OF)
    short = {  # depot -> (weight, ratio) of its one bad line
        0: (3, Decimal("0.5")),  # 关键 half short: 1.5
        1: (2, Decimal(0)),  # 重要 none at all: 2
        2: (2, Decimal("0.4")),  # 重要 60 % short: 1.2
        3: (1, Decimal("0.9")),  # 一般 10 % short: 0.1
    }
    for depot in range(2000):
        for line in range(11):
            weight, ratio = short.get(depot, (2, Decimal(1))) if line == 0 else (2, Decimal(1))
            facts.items.append(
                Fact(
                    "coverage",
                    "quota",
                    f"D{depot}/{line}",
                    f"D{depot}/{line}",
                    Decimal(weight),
                    weight * ratio,
                    "short" if ratio < 1 else "",
                    depot_id=depot,
                    tier="street",
                )
            )
            facts.depots[depot] = (f"D{depot}", f"D{depot}", "street")
    with db.sessions() as session:
        result = readiness(session, as_of=AS_OF, facts=facts)
    top = [(fx.row_id, fx.points_text) for fx in result.fixes]
    weight = float(sum(fact.total for fact in facts.items))
    assert weight == 44_000  # 22,000 lines of weight 2, one of 3, one of 1
    assert [r for r, _ in top] == ["D1/0", "D0/0", "D2/0", "D3/0"]
    expected = [100 * w / weight for w in (2, 1.5, 1.2, 0.1)]  # coverage is the only judged one
    assert [fx.points for fx in result.fixes] == pytest.approx(expected)
    assert len({t for _, t in top}) == 4 and all(t != "0" for _, t in top)
    assert all(round(fx.points, 2) == 0 for fx in result.fixes)  # what 2 decimals showed


# ------------------------------------------------------------------ the field on the material


def test_criticality_is_validated_by_create_and_update_material(db: Database) -> None:
    with db.session() as session:
        with pytest.raises(ValidationError) as info:
            catalogue.create_material(
                session, code="2010101", name="救生衣", uom="件", criticality="很重要"
            )
        assert info.value.field == "criticality"
        assert "关键、重要、一般" in info.value.message
        assert session.scalar(select(Material.id)) is None
    with db.session() as session:
        vest = catalogue.create_material(
            session, code="2010101", name="救生衣", uom="件", criticality="重要"
        )
        english = catalogue.create_material(
            session, code="1010101", name="帐篷", uom="顶", criticality="Critical"
        )
        default = catalogue.create_material(session, code="1999999", name="其他", uom="件")
        assert (vest.criticality, english.criticality, default.criticality) == (
            Criticality.IMPORTANT,
            Criticality.CRITICAL,
            Criticality.GENERAL,
        )
        catalogue.update_material(session, material_id=vest.id, name="成人救生衣")
        assert vest.criticality == Criticality.IMPORTANT  # an edit without it keeps it
        catalogue.update_material(session, material_id=vest.id, criticality="一般")
        assert vest.criticality == Criticality.GENERAL
        with pytest.raises(ValidationError) as info:
            catalogue.update_material(session, material_id=vest.id, criticality="urgent")
        assert info.value.field == "criticality"
    assert [label(c) for c in Criticality] == ["关键", "重要", "一般"]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("2010101", Criticality.CRITICAL),  # 救生衣
        ("2060101", Criticality.CRITICAL),  # 潜水泵
        ("1020201", Criticality.IMPORTANT),  # 方便面
        ("3010101", Criticality.GENERAL),  # 编织袋
        ("1999999", Criticality.GENERAL),  # catch-all
        ("2999999", Criticality.GENERAL),
    ],
)
def test_default_criticality_per_class(code: str, expected: Criticality) -> None:
    assert catalogue.default_criticality(code) == expected


def test_materials_import_reads_the_criticality_column(db: Database, tmp_path: Path) -> None:
    from drillplan.interchange.importer import import_file
    from drillplan.interchange.kinds import KINDS

    path = tmp_path / "materials.csv"
    path.write_text(
        "物资编码,物资名称,计量单位,重要程度\n3010101,编织袋,条,关键\n1020201,方便面,箱,\n",
        encoding="utf-8",
    )
    with db.session() as session:
        report = import_file(session, KINDS["materials"], path, today=AS_OF)
        assert not report.problems, report.problems
    with db.sessions() as session:
        got = dict(session.execute(select(Material.code, Material.criticality)).all())
    assert got == {"3010101": Criticality.CRITICAL, "1020201": Criticality.IMPORTANT}


def test_migration_0006_gives_existing_materials_their_class_default(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    cfg = migrate.alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0005")
        for code, name in (("2010101", "救生衣"), ("1020201", "方便面"), ("3010101", "编织袋"),
                           ("1999999", "其他")):  # fmt: skip
            conn.execute(
                text(
                    "INSERT INTO material (code, name, uom, needs_rotation, flood_control)"
                    " VALUES (:code, :name, '件', 0, 0)"
                ),
                {"code": code, "name": name},
            )
    engine.dispose()
    database = open_db(path)
    try:
        assert migrate.current_revision(database.engine) == migrate.head_revision()
        with database.engine.connect() as conn:
            got = dict(conn.execute(text("SELECT code, criticality FROM material")).all())
        assert got == {
            "2010101": "critical",
            "1020201": "important",
            "3010101": "general",
            "1999999": "general",
        }
        with database.engine.begin() as conn, pytest.raises(Exception, match="CHECK"):
            conn.execute(text("UPDATE material SET criticality = 'urgent'"))
    finally:
        database.close()
    assert database.backup_taken is not None
    with sqlite3.connect(database.backup_taken) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0005",)

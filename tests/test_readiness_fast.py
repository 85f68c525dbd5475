"""The readiness computed from SQL tallies equals the old row-by-row one (issue 16), on the demo
data set and on a generated district, to the last component: every score, every component's
value, total, good (coverage's good, a weighted sum of ratios, to 9 decimals: the database
adds it in floating point), every problem in order, and the fix-first ranking."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from drillplan.db.database import Database, open_db
from drillplan.kernel.formatting import to_jsonable
from drillplan.readiness import tallies
from drillplan.readiness.dashboard import district_readiness
from drillplan.readiness.lazy import LazyList
from drillplan.readiness.score import readiness
from drillplan.stock import coverage
from drillplan.tools.bench.generate import generate
from drillplan.tools.bench.scales import AS_OF, SCALES
from tests.support.readiness_oracle import oracle_readiness

DEMO_AS_OF = dt.date(2026, 6, 1)


def _norm(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: round(v, 9) if k == "good" and isinstance(v, Decimal) else _norm(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_norm(v) for v in value]
    return value


def _exact(unit: coverage.UnitTotal) -> tuple[Any, ...]:
    return (unit.uom, unit.required, unit.covered, unit.shortfall, unit.lines,
            unit.lines_short, unit.weight)  # fmt: skip


def _assert_equal(database: Database, as_of: dt.date) -> dict[str, Any]:
    with database.session() as session:
        fast = readiness(session, as_of=as_of)
        first = [f.as_dict() for f in fast.fixes[:25]]
        new, old = _norm(fast.as_dict()), _norm(oracle_readiness(session, as_of=as_of).as_dict())
        for key in old:
            assert new[key] == old[key], key
        assert first == old["fixes"][:25]  # the top of the ranking, read without the rest
        assert fast.fixes[0].as_dict() == old["fixes"][0]  # one row, not the whole ranking
        # the report's per-unit totals, from the lines in SQL, equal the row-by-row ones
        lines = coverage.quota_lines(session, as_of=as_of)
        fast_units = tallies.unit_totals(session, as_of=as_of)
        old_units = coverage.district_total(lines).units
        assert [_exact(u) for u in fast_units] == [_exact(u) for u in old_units]
        for new_unit, old_unit in zip(fast_units, old_units, strict=True):  # the order of the
            assert abs(new_unit.weighted - old_unit.weighted) < Decimal("1e-20")  # 28-digit sum
            assert new_unit.coverage_pct == old_unit.coverage_pct
        assert len(fast.fixes) == len(old["fixes"])
        for score in [fast.district, *fast.tiers, *fast.depots, *fast.teams]:
            for comp in score.components:
                assert isinstance(comp.problems, LazyList)
                assert len(comp.problems) == len(list(comp.problems))
        # within shared_lines (the readiness report) the quota lines are read from one
        # temporary table: the same scores, problems, ranking and per-unit totals
        with tallies.shared_lines(session, as_of=as_of):
            shared = readiness(session, as_of=as_of)
            assert _norm(shared.as_dict()) == new
            assert tallies.unit_totals(session, as_of=as_of) == fast_units
            assert [f.as_dict() for f in shared.fixes[:25]] == first
        score, comps = district_readiness(session, as_of=as_of)
        assert score == old["district"]["score"]
        assert [c.problems for c in comps] == [
            len(c["problems"]) for c in old["district"]["components"]
        ]
    return old


def test_fast_readiness_equals_the_old_on_the_demo(tmp_path: Path) -> None:
    from drillplan.demo import load_demo

    database = open_db(tmp_path / "demo.sqlite3")
    with database.session() as session:
        load_demo(session, as_of=DEMO_AS_OF)
    old = _assert_equal(database, DEMO_AS_OF)
    judged = [c for c in old["district"]["components"] if c["value"] is not None]
    assert len(judged) >= 5 and old["fixes"]  # the demo has something to compare
    database.close()


def test_fast_readiness_equals_the_old_on_a_generated_district(tmp_path: Path) -> None:
    path = tmp_path / "district.sqlite3"
    generate(SCALES["district"], path)
    database = open_db(path)
    old = _assert_equal(database, AS_OF)
    counts = {c["component"]: len(c["problems"]) for c in old["district"]["components"]}
    assert counts["coverage"] > 100 and counts["expiry"] > 100 and counts["certificates"] > 100
    assert len(old["depots"]) == 50 and len(old["teams"]) == 100
    database.close()


def test_shared_lines_on_both_backends_and_dropped_after(db: Database) -> None:
    """The temporary table of :func:`tallies.shared_lines` on SQLite and PostgreSQL: the
    readiness within equals the one without, and the table is gone after (also on error)."""
    from sqlalchemy import text

    from drillplan.demo import load_demo

    def temp_tables(session: Any) -> list[str]:
        sql = (
            "select name from sqlite_temp_master where name like 'tmp_quota_line_%'"
            if session.get_bind().dialect.name == "sqlite"
            else "select relname from pg_class where relname like 'tmp_quota_line_%'"
            " and relpersistence = 't'"
        )
        return list(session.execute(text(sql)).scalars())

    with db.session() as session:
        load_demo(session, as_of=DEMO_AS_OF)
    with db.session() as session:
        plain = readiness(session, as_of=DEMO_AS_OF).as_dict()
        units = tallies.unit_totals(session, as_of=DEMO_AS_OF)
        with tallies.shared_lines(session, as_of=DEMO_AS_OF):
            table = session.info[(tallies._SHARED, DEMO_AS_OF)]
            assert temp_tables(session) == [table.element.name]
            assert _norm(readiness(session, as_of=DEMO_AS_OF).as_dict()) == _norm(plain)
            assert tallies.unit_totals(session, as_of=DEMO_AS_OF) == units
        assert (tallies._SHARED, DEMO_AS_OF) not in session.info
        with pytest.raises(RuntimeError), tallies.shared_lines(session, as_of=DEMO_AS_OF):
            raise RuntimeError("a report that fails half way")
        assert (tallies._SHARED, DEMO_AS_OF) not in session.info
        assert temp_tables(session) == []
        assert _norm(readiness(session, as_of=DEMO_AS_OF).as_dict()) == _norm(plain)


@pytest.mark.parametrize("limit", [0, 1, 3, 40])
def test_a_lazy_list_reads_only_what_is_asked(limit: int) -> None:
    reads: list[int | None] = []

    def load(n: int | None):  # type: ignore[no-untyped-def]
        reads.append(n)
        yield from range(10, 10 + (n if n is not None else 5))

    lazy = LazyList([1, 2], 5, load)
    assert len(lazy) == 7
    assert lazy[:limit] == [1, 2, 10, 11, 12, 13, 14][:limit]
    assert all(n is not None and n <= max(limit - 2, 0) for n in reads)
    assert list(lazy) == [1, 2, 10, 11, 12, 13, 14] and reads[-1] is None
    assert json.dumps(to_jsonable(list(lazy)))


def test_a_lazy_list_item_reads_up_to_it_and_keeps_what_it_read() -> None:
    reads: list[int | None] = []

    def load(n: int | None):  # type: ignore[no-untyped-def]
        reads.append(n)
        yield from range(10, 10 + (n if n is not None else 5))

    lazy = LazyList([], 5, load)
    assert lazy[0] == 10 and reads == [1]
    assert lazy[:3] == [10, 11, 12] and reads == [1, 3]
    assert (lazy[0], lazy[2], lazy[:2]) == (10, 12, [10, 11]) and reads == [1, 3]  # kept
    assert lazy[4] == 14 and reads == [1, 3, 5]
    assert lazy[-1] == 14 and reads[-1] is None  # from the end: every row

"""The benchmark's generator and measurements, at the tiny scale (no timing assertions)."""

from __future__ import annotations

import argparse
import json
import sqlite3
from pathlib import Path

import pytest

from drillplan.db.database import open_db
from drillplan.stock.bulk import receive_batch
from drillplan.stock.check import run_checks
from drillplan.stock.expiry import expiry_summary
from drillplan.tools.bench import cli, rawsql
from drillplan.tools.bench.generate import dataset, fingerprint, generate
from drillplan.tools.bench.run import make_receipts
from drillplan.tools.bench.scales import AS_OF, SCALES

TINY = SCALES["tiny"]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return dataset(TINY, tmp_path_factory.mktemp("bench")).path


def test_the_generator_is_deterministic(tiny: Path, tmp_path: Path) -> None:
    counts = generate(TINY, tmp_path / "again.sqlite3")
    assert fingerprint(tmp_path / "again.sqlite3") == fingerprint(tiny)
    assert counts["lot"] == TINY.lots
    assert counts["depot"] == TINY.depots and counts["material"] == TINY.materials
    assert counts["member"] == TINY.members and counts["certificate"] == TINY.certificates
    assert 0.9 * TINY.movements < counts["movement"] < 1.15 * TINY.movements


def test_generated_data_passes_drillplan_check(tiny: Path) -> None:
    database = open_db(tiny)
    try:
        with database.session() as session:
            assert run_checks(session) == []
    finally:
        database.close()
    conn = sqlite3.connect(tiny)
    try:
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        kinds = dict(conn.execute("SELECT kind, count(*) FROM movement GROUP BY kind").fetchall())
        assert {"receipt", "issue", "transfer_out", "transfer_in", "adjustment"} <= set(kinds)
        assert kinds["transfer_out"] == kinds["transfer_in"]
        tiers = {t for (t,) in conn.execute("SELECT DISTINCT tier FROM depot")}
        assert tiers == {"city", "district", "street", "enterprise", "agreement"}
        team_lots = conn.execute(
            "SELECT count(*) FROM lot JOIN holder ON holder.id = lot.holder_id"
            " WHERE holder.kind = 'team'"
        ).fetchone()[0]
        assert team_lots > 0
    finally:
        conn.close()


def test_raw_sql_summary_equals_expiry_summary(tiny: Path) -> None:
    database = open_db(tiny)
    raw = sqlite3.connect(tiny)
    try:
        with database.sessions() as session:
            core = expiry_summary(session, as_of=AS_OF)
        by_hand = rawsql.expiry_summary(raw, as_of=AS_OF)
    finally:
        raw.close()
        database.close()
    assert rawsql.same_summary(core, by_hand)
    assert [(r.tier, r.status, r.lots, r.quantity) for r in core] == [
        (r.tier, r.status, r.lots, r.quantity) for r in by_hand
    ]
    statuses = {r.status for r in core}
    assert {"expired", "ok"} <= statuses


def test_the_benchmark_receipts_are_accepted(tiny: Path) -> None:
    work = make_receipts(tiny, 500)
    assert len(work.rows) == len(work.raw) == 500
    assert make_receipts(tiny, 500).rows == work.rows
    database = open_db(tiny)
    try:
        with database.sessions() as session:
            session.begin()
            result = receive_batch(session, work.rows, today=AS_OF)
            assert result.lots_updated > 0 and result.lots_created > 0
            assert run_checks(session) == []
            session.rollback()
    finally:
        database.close()


def test_cached_data_sets_are_reused_until_the_marker_changes(tmp_path: Path) -> None:
    first = dataset(TINY, tmp_path)
    assert not first.reused
    assert dataset(TINY, tmp_path).reused
    marker = tmp_path / "tiny.json"
    saved = json.loads(marker.read_text(encoding="utf-8"))
    marker.write_text(json.dumps({**saved, "generator_version": -1}), encoding="utf-8")
    assert not dataset(TINY, tmp_path).reused
    assert not dataset(TINY, tmp_path, regenerate=True).reused


def test_a_cached_data_set_is_migrated_when_only_the_schema_moved(tmp_path: Path) -> None:
    from alembic import command
    from sqlalchemy import inspect

    from drillplan.db.engine import make_engine, resolve_url
    from drillplan.db.migrate import alembic_config, current_revision, head_revision

    first = dataset(TINY, tmp_path)
    engine = make_engine(resolve_url(first.path))
    try:
        with engine.begin() as conn:
            cfg = alembic_config(engine)
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0020")
    finally:
        engine.dispose()
    marker = tmp_path / "tiny.json"
    saved = json.loads(marker.read_text(encoding="utf-8"))
    marker.write_text(json.dumps({**saved, "schema": "0020"}), encoding="utf-8")

    again = dataset(TINY, tmp_path)
    assert again.reused and again.counts == first.counts
    engine = make_engine(resolve_url(again.path))
    try:
        assert current_revision(engine) == head_revision()
        assert "ix_lot_holder_directory" in {i["name"] for i in inspect(engine).get_indexes("lot")}
    finally:
        engine.dispose()
    assert json.loads(marker.read_text(encoding="utf-8"))["schema"] == head_revision()


FIGURE_KEYS = {"name", "value", "unit", "floor", "ratio", "target", "pass"}


def test_cmd_bench_prints_every_figure(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = argparse.Namespace(
        scale="tiny", dir=tmp_path, regenerate=False, generate_only=False, format="json", ui=False
    )
    status = cli.cmd_bench(args)
    report = json.loads(capsys.readouterr().out)
    assert status == (0 if report["passed"] else 1)
    names = [f["name"] for f in report["figures"]]
    assert names == [
        "expiry_summary_ratio",
        "receive_batch_speed",
        "check_seconds",
        "cli_start",
        "readiness",
        "readiness_peak",
        "report_readiness",
        "audit_expiry",
        "report_expiry_500",
        "report_expiry_peak",
        "import_500",
        "import_500_seconds",
        "import_500_peak",
        "growth_readiness",
        "growth_audit",
    ]
    by = {f["name"]: f for f in report["figures"]}
    for figure in report["figures"]:
        assert set(figure) >= FIGURE_KEYS, figure["name"]
        if figure["floor"] and figure["value"] is not None:  # measured beside its floor
            assert figure["ratio"] == round(figure["value"] / figure["floor"], 3)
        judged = figure["ratio"] if figure["target_on"] == "ratio" else figure["value"]
        if judged is not None:
            ok = (
                judged <= figure["target"]
                if figure["comparison"] == "<="
                else judged >= figure["target"]
            )
            assert figure["pass"] is ok, figure["name"]
    assert by["check_seconds"]["details"]["violations"] == 0
    assert by["cli_start"]["floor"] > 0 and by["readiness"]["floor"] > 0
    assert by["import_500"]["floor"] > 0 and by["import_500"]["target_on"] == "ratio"
    assert by["import_500_peak"]["floor"] > 0  # the floor child's own peak
    assert by["readiness_peak"]["unit"] == "MiB" and by["readiness_peak"]["value"] > 1
    assert by["growth_readiness"]["details"]["lots"] == [200, 2000]
    assert (tmp_path / "tinyx10.sqlite3").exists()  # kept for the next run (--keep DIR)

    args.format, args.generate_only = "table", True
    assert cli.cmd_bench(args) == 0
    assert capsys.readouterr().out.strip() == str(tmp_path / "tiny.sqlite3")


def test_growth_exponent_is_the_log_ratio() -> None:
    from drillplan.tools.bench.figures import growth_exponent, growth_scales

    assert growth_exponent(1.0, 10.0, 20_000, 200_000) == 1.0
    assert growth_exponent(0.4, 5.7, 20_000, 200_000) == pytest.approx(1.154, abs=1e-3)
    assert growth_exponent(1.0, 100.0, 10, 100) == 2.0
    small, big = growth_scales(SCALES["city"])
    assert (small.lots, big.lots) == (20_000, 200_000) and big.name == "districtx10"


def test_a_child_reports_its_own_peak_memory_not_its_parents() -> None:
    from drillplan.tools.bench.figures import run_command

    ballast = bytearray(300 * 1024 * 1024)  # this process now holds 300 MiB
    ballast[::4096] = b"x" * len(ballast[::4096])
    _seconds, peak = run_command(None)
    assert 1 < peak < 150, peak  # an empty interpreter, not the parent's 300 MiB
    del ballast


def test_register_adds_the_bench_command() -> None:
    parser = argparse.ArgumentParser()
    cli.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["bench", "--scale", "city", "--format", "json", "--regenerate"])
    assert (args.command, args.scale, args.format, args.regenerate) == (
        "bench",
        "city",
        "json",
        True,
    )
    assert args.dir is None


def test_table_report_explains_every_figure(tmp_path: Path) -> None:
    from drillplan.tools.bench.figures import Measured
    from drillplan.tools.bench.report import render_table

    data = dataset(TINY, tmp_path)
    figures = [
        Measured("readiness", 2.0, "s", 1.0, 3.0),
        Measured("audit_expiry", 0.5, "s", 0.4, 1.2, "ratio"),
        Measured("growth_readiness", 1.3, "exponent", None, 1.1),
    ]
    text = render_table(data, figures)
    assert "drillplan readiness (table, top 10 fixes)" in text
    lines = {line.split()[0]: line for line in text.splitlines() if line and line.split()[0] in
             ("readiness", "audit_expiry", "growth_readiness")}  # fmt: skip
    assert "2 x" in lines["readiness"] and "PASS" in lines["readiness"]
    assert "1.25 x" in lines["audit_expiry"] and "FAIL" in lines["audit_expiry"]
    assert "FAIL" in lines["growth_readiness"]

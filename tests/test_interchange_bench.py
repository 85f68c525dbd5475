"""The lot import benchmark runs (its 100,000-row figure is printed by `drillplan bench`)."""

from __future__ import annotations

import pytest

from drillplan.tools.bench.interchange import bench_import


def test_small_benchmark_runs(tmp_path_factory: pytest.TempPathFactory) -> None:
    result = bench_import(500, workdir=tmp_path_factory.mktemp("bench"))
    assert [r["file"] for r in result["imports"]] == ["xlsx", "csv"]
    for r in result["imports"]:
        # both sides (each in its own process) wrote the same 500 lots
        assert r["rows"] == r["created"] == r["floor_created"] == 500
        assert r["floor_seconds"] > 0 and r["ratio"] > 0
        assert 5 < r["floor_peak_mib"] < r["peak_mib"]  # each child's own peak, not the parent's

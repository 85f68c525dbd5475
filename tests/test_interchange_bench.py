"""The lot import benchmark runs (its 100,000-row figure is printed by `drillplan bench`)."""

from __future__ import annotations

import pytest

from drillplan.tools.bench.interchange import bench_import


def test_small_benchmark_runs(tmp_path_factory: pytest.TempPathFactory) -> None:
    result = bench_import(500, workdir=tmp_path_factory.mktemp("bench"))
    assert [r["file"] for r in result["imports"]] == ["xlsx", "csv"]
    assert all(r["rows"] == r["created"] == 500 for r in result["imports"])

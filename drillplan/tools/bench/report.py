"""Printing benchmark figures: a few explained lines and a table, or JSON."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence

from drillplan.cli.output import render, to_jsonable
from drillplan.tools.bench.generate import Dataset
from drillplan.tools.bench.run import Figure, environment


def _value(figure: Figure) -> str:
    if math.isinf(figure.value):
        return "-"
    return f"{figure.value:g} {figure.unit}".strip()


def as_dict(data: Dataset, figures: Sequence[Figure]) -> dict[str, object]:
    return {
        "scale": data.scale.name,
        "database": str(data.path),
        "counts": data.counts,
        "generated_seconds": data.generated_seconds,
        "reused": data.reused,
        "environment": environment(),
        "figures": [f.as_dict() for f in figures],
        "passed": all(f.passed for f in figures),
    }


def render_json(data: Dataset, figures: Sequence[Figure]) -> str:
    return json.dumps(to_jsonable(as_dict(data, figures)), ensure_ascii=False, indent=2) + "\n"


def _explain(figure: Figure) -> str:
    d = figure.details
    if figure.key == "expiry_summary_ratio":
        return (
            f"expiry summary over {d['lots_counted']:,} lots with stock ({d['groups']} groups):"
            f" expiry_summary {d['core_seconds']:.3f} s, raw SQL {d['raw_seconds']:.3f} s,"
            f" ratio {figure.value:.2f} (floor <= {figure.floor})"
        )
    if figure.key == "receive_batch_speed":
        return (
            f"receive {d['rows']:,} receipts ({d['new_lots']:,} new lots, {d['top_ups']:,}"
            f" top-ups): receive_batch {d['core_seconds']:.3f} s ="
            f" {d['core_rows_per_second']:,} rows/s; raw executemany {d['raw_seconds']:.3f} s ="
            f" {d['raw_rows_per_second']:,} rows/s; ratio {figure.value:.2f}"
            f" (floor >= {figure.floor})"
        )
    if figure.key == "check_seconds":
        return (
            f"drillplan check: {figure.value:.2f} s, {d['violations']} violations"
            f" (floor < {figure.floor:g} s, no violations)"
        )
    if figure.key.startswith("report_"):
        return (
            f"expiry report of {d['lots']:,} lots: ours {d['ours_seconds']:.2f} s"
            f" (peak {d['ours_peak_rss_mb']:.0f} MB), bare ReportLab {d['bare_seconds']:.2f} s"
            f" (peak {d['bare_peak_rss_mb']:.0f} MB), speed ratio {d['speed_ratio']:.2f}"
        )
    if figure.key == "import_seconds":
        parts = [f"{i['file']} {i['seconds']:.1f} s" for i in d["imports"]]  # type: ignore[attr-defined]
        return f"lot import: {', '.join(parts)} (floor <= {figure.floor:g} s)"
    return (
        f"{figure.label}: {figure.value} {figure.unit} (floor {figure.comparison} {figure.floor})"
    )


def render_table(data: Dataset, figures: Sequence[Figure]) -> str:
    env = environment()
    counts = data.counts
    origin = "reused" if data.reused else "generated"
    lines = [
        f"data set: {data.scale.name} ({data.path}; {origin},"
        f" generation took {data.generated_seconds:g} s)",
        "  " + ", ".join(f"{k} {v:,}" for k, v in counts.items()),
        f"machine: {env['cpus']} CPUs, Python {env['python']}, SQLite {env['sqlite']},"
        f" {env['platform']}",
        "",
        *dict.fromkeys(_explain(f) for f in figures),  # one line per measurement
        "",
    ]
    rows = [
        {
            "measurement": f.label,
            "value": _value(f),
            "floor": f"{f.comparison} {f.floor:g} {f.unit}".strip(),
            "result": "PASS" if f.passed else "FAIL",
        }
        for f in figures
    ]
    table = render(rows, ["measurement", "value", "floor", "result"], "table")
    return "\n".join(lines) + "\n" + table


def render_ui_json(result: dict[str, object]) -> str:
    return json.dumps(to_jsonable(result), ensure_ascii=False, indent=2) + "\n"


def render_ui_table(result: dict[str, object]) -> str:
    """The desktop application's figures against their floors."""
    floors: dict[str, float] = result["floors"]  # type: ignore[assignment]
    met: dict[str, bool] = result["met"]  # type: ignore[assignment]
    rows = [
        {
            "measurement": key,
            "value": f"{float(result[key]):,.1f}",  # type: ignore[arg-type]
            "floor": f"<= {floors[key]:g}",
            "result": "PASS" if met[key] else "FAIL",
        }
        for key in floors
    ]
    return render(rows, ["measurement", "value", "floor", "result"], "table")

"""Printing benchmark figures: a few explained lines and a table, or JSON."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence

from drillplan.cli.output import render, to_jsonable
from drillplan.tools.bench.figures import Measured
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
        parts = [
            f"{i['file']} {i['seconds']:.1f} s (floor {i['floor_seconds']:.1f} s)"
            for i in d["imports"]  # type: ignore[attr-defined]
        ]
        return f"lot import: {', '.join(parts)}"
    return (
        f"{figure.label}: {figure.value} {figure.unit} (floor {figure.comparison} {figure.floor})"
    )


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


def figures_dict(
    data: Dataset, measured: Sequence[Measured], ui: dict[str, object] | None = None
) -> dict[str, object]:
    out = {
        "scale": data.scale.name,
        "database": str(data.path),
        "counts": data.counts,
        "generated_seconds": data.generated_seconds,
        "reused": data.reused,
        "environment": environment(),
        "figures": [m.as_dict() for m in measured],
        "passed": all(m.passed for m in measured),
    }
    if ui is not None:
        out["ui"] = ui
    return out


def render_json(
    data: Dataset, measured: Sequence[Measured], ui: dict[str, object] | None = None
) -> str:
    body = to_jsonable(figures_dict(data, measured, ui))
    return json.dumps(body, ensure_ascii=False, indent=2) + "\n"


EXPLAIN = {
    "cli_start": "drillplan --help, whole process, against an empty interpreter",
    "readiness": "drillplan readiness (table, top 10 fixes), whole process, against its tally SQL",
    "readiness_peak": "drillplan readiness peak resident memory (its own process)",
    "report_readiness": "drillplan report readiness, whole process, against the tally SQL",
    "audit_expiry": "audit expiry --summary, whole process, against python + the raw statement",
    "report_expiry_20k": "expiry report of 20,000 lots against the bare ReportLab script",
    "report_expiry_peak": "expiry report peak memory (its own process) against the bare script's",
    "import_100k": "100,000-row lot import, full validation, against calamine/csv + executemany"
    " of the same rows (.xlsx or .csv, the worse ratio)",
    "import_100k_seconds": "100,000-row lot import, the slower of .xlsx and .csv (issue: 3 s)",
    "import_100k_peak": "100,000-row lot import peak memory (its own process) against the floor's",
    "ui_lot_list_open": "the lot list opens in the desktop",
    "ui_cold_start": "cold start to a painted window",
    "growth_readiness": "readiness time growth exponent, 20k -> 200k lots (1 = linear)",
    "growth_audit": "expiry audit time growth exponent, 20k -> 200k lots (1 = linear)",
}


def _num(value: float | None, unit: str = "") -> str:
    if value is None or (isinstance(value, float) and (math.isinf(value) or math.isnan(value))):
        return "-"
    return f"{value:g} {unit}".strip()


def render_table(
    data: Dataset, measured: Sequence[Measured], ui: dict[str, object] | None = None
) -> str:
    env = environment()
    origin = "reused" if data.reused else "generated"
    lines = [
        f"data set: {data.scale.name} ({data.path}; {origin},"
        f" generation took {data.generated_seconds:g} s)",
        "  " + ", ".join(f"{k} {v:,}" for k, v in data.counts.items()),
        f"machine: {env['cpus']} CPUs, Python {env['python']}, SQLite {env['sqlite']},"
        f" {env['platform']}",
        "",
        *(f"{m.name}: {EXPLAIN.get(m.name, m.name)}" for m in measured),
        "",
    ]
    rows = [
        {
            "figure": m.name,
            "value": _num(m.value, m.unit),
            "floor": _num(m.floor, m.unit),
            "ratio": _num(m.ratio, "x"),
            "target": f"{m.comparison} {m.target:g}"
            + (" x floor" if m.target_on == "ratio" else f" {m.unit}"),
            "result": "PASS" if m.passed else "FAIL",
        }
        for m in measured
    ]
    table = render(rows, ["figure", "value", "floor", "ratio", "target", "result"], "table")
    return "\n".join(lines) + "\n" + table

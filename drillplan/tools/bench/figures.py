"""The figures of issue 16: each what a user waits on, measured beside its floor in the same run.

A figure is ``{"name", "value", "unit", "floor", "ratio", "target", "pass"}`` (plus
``target_on``: whether the target holds the value or the ratio value / floor, and
``details``). Whole commands run in a fresh process each (:func:`run_command`), which reports
its own peak memory (:mod:`drillplan.kernel.memory`).

Growth: readiness and the expiry audit on two data sets ten times apart; the exponent
``log(t_big / t_small) / log(n_big / n_small)`` is 1 for linear work (target <= 1.1).
"""

from __future__ import annotations

import json
import math
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from drillplan.tools.bench.generate import Dataset
from drillplan.tools.bench.run import Figure
from drillplan.tools.bench.scales import AS_OF, SCALES, Scale

_WRAP = """
import atexit, json, os, sys
from drillplan.kernel.memory import peak_rss_mib
def _peak():
    with open(os.environ["DRILLPLAN_BENCH_PEAK"], "w") as out:
        out.write(json.dumps(peak_rss_mib()))
atexit.register(_peak)
argv = json.loads(sys.argv[1])
if argv is not None:
    sys.argv = ["drillplan", *argv]
    from drillplan.cli.main import main
    sys.exit(main())
"""


@dataclass
class Measured:
    name: str
    value: float
    unit: str
    floor: float | None
    target: float
    target_on: str = "value"  # or "ratio"
    details: dict[str, object] = field(default_factory=dict)
    comparison: str = "<="  # ">=" for a speed that must reach its target

    @property
    def ratio(self) -> float | None:
        if self.floor is None or self.floor <= 0 or math.isnan(self.value):
            return None
        return round(self.value / self.floor, 3)

    @property
    def passed(self) -> bool:
        judged = self.ratio if self.target_on == "ratio" else self.value
        if judged is None or math.isnan(judged) or math.isinf(judged):
            return False
        return judged <= self.target if self.comparison == "<=" else judged >= self.target

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "value": None if math.isnan(self.value) or math.isinf(self.value) else self.value,
            "unit": self.unit,
            "floor": self.floor,
            "ratio": self.ratio,
            "target": self.target,
            "target_on": self.target_on,
            "pass": self.passed,
            "comparison": self.comparison,
            "details": self.details,
        }


def run_command(argv: Sequence[str] | None, *, timeout: float = 900) -> tuple[float, float]:
    """Run ``drillplan ARGV`` (None: an empty interpreter, the floor of any start) in a fresh
    process: (wall seconds, the child's own peak resident MiB)."""
    with tempfile.TemporaryDirectory() as tmp:
        peak_file = Path(tmp) / "peak.json"
        env = {**os.environ, "DRILLPLAN_BENCH_PEAK": str(peak_file)}
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", _WRAP, json.dumps(None if argv is None else list(argv))],
            capture_output=True,
            text=True,
            env=env,
            timeout=timeout,
        )
        seconds = time.perf_counter() - started
        if done.returncode not in (0, 1):
            raise RuntimeError(f"drillplan {argv} failed: {done.stderr.strip()[-500:]}")
        return seconds, float(json.loads(peak_file.read_text()))


def best(fn: Callable[[], tuple[float, float]], repeats: int) -> tuple[float, float]:
    runs = [fn() for _ in range(repeats)]
    return min(r[0] for r in runs), max(r[1] for r in runs)


def growth_exponent(t_small: float, t_big: float, n_small: int, n_big: int) -> float:
    """How time grows with size: 1.0 linear, 2.0 quadratic."""
    return round(math.log(t_big / t_small) / math.log(n_big / n_small), 3)


# ----------------------------------------------------------------------------- floors


def readiness_sql_seconds(path: Path) -> float:
    """The floor of readiness: the tally statements it needs, as plain SQL through sqlite3."""
    from sqlalchemy.dialects import sqlite

    from drillplan.db.database import open_db
    from drillplan.readiness import tallies

    statements: list[tuple[str, list[object]]] = []
    database = open_db(path)
    try:
        with database.session() as session:
            captured: list[object] = []
            real = session.execute

            def capture(stmt, *a, **k):  # type: ignore[no-untyped-def]
                captured.append(stmt)
                return real(stmt, *a, **k)

            session.execute = capture  # type: ignore[method-assign]
            tallies.tallies(session, as_of=AS_OF, first_horizon=30)
    finally:
        database.close()
    for stmt in captured:
        compiled = stmt.compile(dialect=sqlite.dialect())  # type: ignore[attr-defined]
        params = compiled.construct_params()
        values = [params[k] for k in compiled.positiontup]
        values = [v.isoformat() if hasattr(v, "isoformat") else v for v in values]
        statements.append((str(compiled), values))
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        started = time.perf_counter()
        for sql, values in statements:
            conn.execute(sql, values).fetchall()
        return time.perf_counter() - started
    finally:
        conn.close()


_RAW_AUDIT = """
import sqlite3, sys
from drillplan.tools.bench import rawsql
import datetime as dt
conn = sqlite3.connect(sys.argv[1])
rawsql.expiry_summary(conn, as_of=dt.date.fromisoformat(sys.argv[2]))
"""


def raw_audit_seconds(path: Path) -> float:
    """The floor of ``audit expiry --summary``: a process running the one raw statement."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", _RAW_AUDIT, str(path), AS_OF.isoformat()], check=True, timeout=600
    )
    return time.perf_counter() - started


# ----------------------------------------------------------------------------- figures


def cli_start(repeats: int = 5) -> Measured:
    value, peak = best(lambda: run_command(["--help"]), repeats)
    floor, _ = best(lambda: run_command(None), repeats)
    return Measured(
        "cli_start",
        round(value, 3),
        "s",
        round(floor, 3),
        0.25,
        details={"command": "drillplan --help", "floor": "python -c pass", "peak_mib": peak},
    )


def readiness_figures(path: Path) -> list[Measured]:
    floor = readiness_sql_seconds(path)
    db = ["--db", str(path)]
    seconds, peak = run_command([*db, "readiness", "--as-of", AS_OF.isoformat()])
    with tempfile.TemporaryDirectory() as tmp:
        out = str(Path(tmp) / "readiness.pdf")
        r_seconds, r_peak = run_command(
            [*db, "report", "readiness", "-o", out, "--as-of", AS_OF.isoformat()]
        )
    return [
        Measured(
            "readiness",
            round(seconds, 2),
            "s",
            round(floor, 4),
            3.0,
            details={"peak_mib": round(peak, 1), "peak_target_mib": 300, "floor": "tally SQL"},
        ),
        Measured("readiness_peak", round(peak, 1), "MiB", None, 300.0),
        Measured(
            "report_readiness",
            round(r_seconds, 2),
            "s",
            round(floor, 4),
            5.0,
            details={"peak_mib": round(r_peak, 1), "floor": "tally SQL"},
        ),
    ]


def audit_expiry(path: Path, repeats: int = 3) -> Measured:
    argv = ["--db", str(path), "audit", "expiry", "--summary", "--as-of", AS_OF.isoformat()]
    value, peak = best(lambda: run_command(argv), repeats)
    floor = min(raw_audit_seconds(path) for _ in range(repeats))
    return Measured(
        "audit_expiry",
        round(value, 3),
        "s",
        round(floor, 3),
        1.2,
        "ratio",
        {"peak_mib": round(peak, 1), "floor": "python + sqlite3, the one raw statement"},
    )


def _core_seconds(path: Path, work: str, repeats: int = 2) -> float:
    from drillplan.db.database import open_db
    from drillplan.readiness.score import readiness
    from drillplan.stock.expiry import expiry_summary

    database = open_db(path)
    try:
        times = []
        for _ in range(repeats):
            with database.session() as session:
                started = time.perf_counter()
                if work == "readiness":
                    readiness(session, as_of=AS_OF).fixes[:10]
                else:
                    expiry_summary(session, as_of=AS_OF)
                times.append(time.perf_counter() - started)
        return min(times)
    finally:
        database.close()


def growth_scales(scale: Scale) -> tuple[Scale, Scale]:
    """The two sizes growth is measured on: 20,000 and 200,000 lots (tiny: 200 and 2,000)."""
    small = SCALES["tiny"] if scale.name == "tiny" else SCALES["district"]
    ten = {
        k: getattr(small, k) * 10
        for k in ("depots", "lots", "movements", "teams", "members", "certificates")
    }
    return small, replace(small, name=f"{small.name}x10", **ten)


def growth(directory: Path | None, scale: Scale, *, log: Callable[[str], None]) -> list[Measured]:
    from drillplan.tools.bench.generate import dataset

    small, big = growth_scales(scale)
    data = [dataset(s, directory, log=log) for s in (small, big)]
    out = []
    for work in ("readiness", "audit"):
        t_small, t_big = (_core_seconds(d.path, work) for d in data)
        out.append(
            Measured(
                f"growth_{work}",
                growth_exponent(t_small, t_big, small.lots, big.lots),
                "exponent",
                None,
                1.1,
                details={
                    "lots": [small.lots, big.lots],
                    "seconds": [round(t_small, 3), round(t_big, 3)],
                },
            )
        )
    return out


def from_reports(r: dict[str, object]) -> Measured:
    """The expiry report of 20,000 lots against the bare ReportLab script (report_speed)."""
    return Measured(
        "report_expiry_20k" if r["lots"] == 20_000 else f"report_expiry_{r['lots']}",
        round(float(r["ours_seconds"]), 2),  # type: ignore[arg-type]
        "s",
        round(float(r["bare_seconds"]), 2),  # type: ignore[arg-type]
        1.0,
        "ratio",
        {k: round(v, 2) if isinstance(v, float) else v for k, v in r.items()},
    )


def from_import(result: dict[str, object], rows: int) -> list[Measured]:
    """The lot import against its floor (python-calamine or csv read + sqlite3 executemany of
    the same rows into the same tables, measured beside it: bench/import_child.py): the worse
    of the .xlsx and .csv ratios; the absolute seconds (the issue's 3 s was 2x a floor of
    1.46 s measured on a bare table) and the import's own peak memory."""
    imports: list[dict[str, object]] = result["imports"]  # type: ignore[assignment]
    worst = max(imports, key=lambda i: float(i["seconds"]) / float(i["floor_seconds"]))  # type: ignore[arg-type]
    name = "import_100k" if rows == 100_000 else f"import_{rows}"
    slowest = max(float(i["seconds"]) for i in imports)  # type: ignore[arg-type]
    return [
        Measured(
            name,
            float(worst["seconds"]),  # type: ignore[arg-type]
            "s",
            float(worst["floor_seconds"]),  # type: ignore[arg-type]
            2.0,
            "ratio",
            details={"file": worst["file"], "imports": imports},
        ),
        Measured(f"{name}_seconds", slowest, "s", None, 3.0),
        Measured(
            f"{name}_peak",
            max(float(i["peak_mib"]) for i in imports),  # type: ignore[arg-type]
            "MiB",
            max(float(i["floor_peak_mib"]) for i in imports),  # type: ignore[arg-type]
            200.0,
        ),
    ]


def from_ui(result: dict[str, object]) -> list[Measured]:
    return [
        Measured(
            "ui_lot_list_open",
            float(result["lot_list_open_ms"]),  # type: ignore[arg-type]
            "ms",
            None,
            100.0,
        ),
        Measured(
            "ui_cold_start",
            round(float(result["cold_start_ms"]) / 1000, 3),  # type: ignore[arg-type]
            "s",
            None,
            1.0,
        ),
        *(
            [
                Measured(
                    "ui_find",  # the resource directory's Ctrl+K search box (issue 14)
                    float(result["ui_find_ms"]),  # type: ignore[arg-type]
                    "ms",
                    None,
                    200.0,
                    details={"queries": result.get("ui_find_queries")},
                )
            ]
            if "ui_find_ms" in result
            else []
        ),
    ]


def from_figure(figure: Figure) -> Measured:
    """A measurement of the earlier bench (drillplan.tools.bench.run) in this shape."""
    return Measured(
        figure.key,
        figure.value,
        figure.unit,
        None,
        figure.floor,
        details=figure.details,
        comparison=figure.comparison,
    )


def issue_figures(
    data: Dataset,
    earlier: Sequence[Figure],
    *,
    directory: Path | None,
    ui: dict[str, object] | None,
    log: Callable[[str], None],
) -> list[Measured]:
    """Every figure: the earlier bench's, then issue 16's (each beside its floor)."""
    out = [from_figure(f) for f in earlier if not f.key.startswith(("report_", "import_"))]
    log("measuring start-up ...")
    out.append(cli_start())
    log("measuring readiness and its report ...")
    out += readiness_figures(data.path)
    log("measuring the expiry audit command ...")
    out.append(audit_expiry(data.path))
    for f in earlier:
        if f.key == "import_seconds":
            out += from_import(f.details, int(f.details.get("rows", 0)) or 100_000)
        if f.key == "report_seconds":
            out.append(from_reports(f.details))
            out.append(
                Measured(
                    "report_expiry_peak",
                    f.details["ours_peak_rss_mb"],
                    "MiB",
                    f.details["bare_peak_rss_mb"],
                    400.0,
                )
            )  # type: ignore[arg-type]
    if ui is not None:
        out += from_ui(ui)
    log("measuring growth (20,000 and 200,000 lots) ...")
    out += growth(directory, data.scale, log=log)
    return out

"""`drillplan bench`: generate (or reuse) a data set and measure the core against floors.

Exit status: 0 when every floor is met, 1 when any is missed.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from drillplan.tools.bench.scales import SCALES

EXIT_OK, EXIT_MISSED = 0, 1


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--scale",
        choices=list(SCALES),
        default="district",
        help="data set size: district (20,000 lots), city (1,000,000 lots), tiny (for tests)",
    )
    parser.add_argument(
        "--dir",
        "--keep",
        dest="dir",
        type=Path,
        default=None,
        help="where generated data sets are kept and reused (default: the user's cache directory)",
    )
    parser.add_argument(
        "--regenerate", action="store_true", help="generate the data set even if cached"
    )
    parser.add_argument(
        "--generate-only", action="store_true", help="generate (or find) the data set only"
    )
    parser.add_argument(
        "--ui",
        action="store_true",
        help="measure the desktop application instead (cold start, lot list, scroll, sort,"
        " memory) on the same data set; needs Qt (runs offscreen)",
    )
    parser.add_argument("--format", choices=("table", "json"), default="table")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    bench = sub.add_parser(
        "bench",
        help="performance figures against their floors (on generated data, not --db)",
    )
    add_arguments(bench)


def plug(sub: argparse._SubParsersAction) -> dict[str, Callable[[argparse.Namespace], int]]:  # type: ignore[type-arg]
    """The ``drillplan.commands`` entry point (see drillplan/cli/plugins.py)."""
    register(sub)
    return {"bench": cmd_bench}


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def cmd_bench(args: argparse.Namespace) -> int:
    from drillplan.tools.bench.figures import issue_figures
    from drillplan.tools.bench.generate import dataset
    from drillplan.tools.bench.report import render_json, render_table
    from drillplan.tools.bench.run import run

    data = dataset(SCALES[args.scale], args.dir, regenerate=args.regenerate, log=_log)
    if args.generate_only:
        print(data.path)
        return EXIT_OK
    ui = None
    if getattr(args, "ui", False):
        from drillplan.ui.shell.bench import bench_ui  # Qt only when asked for

        ui = bench_ui(data.path)
    figures = run(data, log=_log)
    measured = issue_figures(data, figures, directory=args.dir, ui=ui, log=_log)
    render = render_json if args.format == "json" else render_table
    sys.stdout.write(render(data, measured, ui))
    return EXIT_OK if all(m.passed for m in measured) else EXIT_MISSED

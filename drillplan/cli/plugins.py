"""Commands that live outside the product, in ``drillplan/tools/`` (``drillplan bench``).

They are found through the ``drillplan.commands`` entry-point group declared in
``pyproject.toml``, so nothing in the product imports ``tools/``: a packaged build that leaves
the tools out simply has no ``bench`` command. An entry point names a function
``plug(subparsers) -> {command: handler}``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from importlib.metadata import entry_points

GROUP = "drillplan.commands"

Handler = Callable[[argparse.Namespace], int]


def register_plugins(sub: argparse._SubParsersAction) -> dict[str, Handler]:  # type: ignore[type-arg]
    handlers: dict[str, Handler] = {}
    for point in entry_points(group=GROUP):
        try:
            plug = point.load()
        except ImportError as exc:  # a tool whose own dependencies are missing: leave it out
            print(f"drillplan: {point.name} unavailable ({exc})", file=sys.stderr)
            continue
        handlers.update(plug(sub))
    return handlers

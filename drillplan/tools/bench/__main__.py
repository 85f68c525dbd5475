"""`python -m drillplan.tools.bench [--scale district|city] ...` (the same as `drillplan bench`)."""

from __future__ import annotations

import argparse
import sys

from drillplan.tools.bench.cli import add_arguments, cmd_bench


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="python -m drillplan.tools.bench", description="drillplan performance figures"
    )
    add_arguments(parser)
    return cmd_bench(parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())

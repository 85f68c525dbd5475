"""The demo data set: a realistic Qingpu district register for trying the tool out.

The data lives in ``resources/demo`` (JSON/CSV, UTF-8) written against an anchor date;
bulk rows (members, certificates, lots, a year of ledger movements, competition results)
come from seeded generators driven by parameters in those files. Loading for ``as_of``
shifts every date by whole weeks, so the demo always has the same spread around "today".

    with db.session() as session:
        summary = load_demo(session, as_of=date(2026, 11, 24), reset=True)
"""

from __future__ import annotations

from drillplan.demo.context import DEMO_DIR, week_shift
from drillplan.demo.fingerprint import KEPT_TABLES, demo_counts, domain_tables, fingerprint
from drillplan.demo.loader import DemoSummary, clear_domain_data, has_domain_data, load_demo

__all__ = [
    "DEMO_DIR",
    "KEPT_TABLES",
    "DemoSummary",
    "clear_domain_data",
    "demo_counts",
    "domain_tables",
    "fingerprint",
    "has_domain_data",
    "load_demo",
    "week_shift",
]

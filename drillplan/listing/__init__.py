"""Listings: the tables every area shows (plans, teams, depots, lots ...), Qt-free.

``core`` holds the abstraction (columns, filters, fetching ids and rows), ``tables`` the
listing of each area, ``overview`` the dashboard figures.
"""

from __future__ import annotations

from drillplan.listing.core import (
    ID_KEY,
    LIST_SEPARATOR,
    Column,
    Filter,
    Listing,
    Tone,
    expiry_tone,
    fetch_ids,
    fetch_rows,
    format_value,
)
from drillplan.listing.overview import (
    OVERVIEW_ITEMS,
    OverviewItem,
    database_is_blank,
    overview_counts,
)
from drillplan.listing.tables import (
    COMPETITIONS,
    DEPOTS,
    DRILLS,
    ENTRIES,
    LISTINGS,
    LOTS,
    MATERIALS,
    PLANS,
    TEAMS,
)

__all__ = [
    "COMPETITIONS",
    "DEPOTS",
    "DRILLS",
    "ENTRIES",
    "ID_KEY",
    "LISTINGS",
    "LIST_SEPARATOR",
    "LOTS",
    "MATERIALS",
    "OVERVIEW_ITEMS",
    "PLANS",
    "TEAMS",
    "Column",
    "Filter",
    "Listing",
    "OverviewItem",
    "Tone",
    "database_is_blank",
    "expiry_tone",
    "fetch_ids",
    "fetch_rows",
    "format_value",
    "overview_counts",
]

"""The one listing engine: columns, filters, fetching ids and rows, formatting (Qt-free).

Each area declares its own tables in ``<area>/listing.py`` (plans, org, stock, drills,
competitions); the dashboard's figures are in :mod:`drillplan.readiness.overview`.
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
    number_column,
)

__all__ = [
    "ID_KEY",
    "LIST_SEPARATOR",
    "Column",
    "Filter",
    "Listing",
    "Tone",
    "expiry_tone",
    "fetch_ids",
    "fetch_rows",
    "format_value",
    "number_column",
]

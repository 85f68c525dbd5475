"""The office settings: one registry (:mod:`.options`) and one store (:mod:`.store`)."""

from __future__ import annotations

from drillplan.settings.options import OPTIONS, Option, option
from drillplan.settings.store import (
    all_values,
    expiry_horizons,
    flood_season,
    get,
    month_day_in,
    set_text,
    set_value,
    soon_days,
)

__all__ = [
    "OPTIONS",
    "Option",
    "all_values",
    "expiry_horizons",
    "flood_season",
    "get",
    "month_day_in",
    "option",
    "set_text",
    "set_value",
    "soon_days",
]

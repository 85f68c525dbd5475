"""Reading and writing the office settings in the database (the ``setting`` table)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from drillplan.db.models import Setting
from drillplan.settings.options import OPTIONS, option

__all__ = [
    "all_values",
    "expiry_horizons",
    "flood_season",
    "get",
    "month_day_in",
    "set_text",
    "set_value",
    "soon_days",
]


def get(session: Session, key: str) -> Any:
    """The office's value of ``key`` (the declared default when never set)."""
    declared = option(key)
    row = session.get(Setting, key)
    if row is None:
        return declared.default
    try:
        return declared.validate(row.value)
    except Exception:  # a value stored by an older version that no longer passes: the default
        return declared.default


def set_value(session: Session, key: str, value: Any) -> Any:
    """Validate and store ``value``; returns the value as stored."""
    clean = option(key).validate(value)
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=clean))
    else:
        row.value = clean
    session.flush()
    return clean


def set_text(session: Session, key: str, text: str) -> Any:
    """Parse ``text`` as typed (``15,45``) and store it."""
    return set_value(session, key, option(key).parse(text))


def all_values(session: Session) -> dict[str, Any]:
    return {key: get(session, key) for key in OPTIONS}


def expiry_horizons(session: Session) -> list[int]:
    """The office's expiry horizons in days, ascending."""
    return sorted(get(session, "expiry_horizons"))


def soon_days(session: Session) -> int:
    """ "Expiring soon" in lists, on the dashboard and in the overview figures: the middle one
    of the office's expiry horizons (30/90/180 -> 90; 15/45 -> 45; one horizon -> itself)."""
    horizons = expiry_horizons(session)
    return horizons[len(horizons) // 2]


def month_day_in(text: str, year: int) -> dt.date:
    """A ``MM-DD`` setting in ``year`` (02-29 in a common year is 02-28)."""
    month, day = int(text[:2]), int(text[3:])
    while True:
        try:
            return dt.date(year, month, day)
        except ValueError:
            day -= 1


def flood_season(session: Session, year: int) -> tuple[dt.date, dt.date]:
    """The flood season (汛期) of ``year``: its first and last day from the office's
    ``flood_season_start`` / ``flood_season_end``; an end before the start is next year's."""
    start = month_day_in(str(get(session, "flood_season_start")), year)
    end = month_day_in(str(get(session, "flood_season_end")), year)
    if end < start:
        end = month_day_in(str(get(session, "flood_season_end")), year + 1)
    return start, end

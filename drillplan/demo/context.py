"""The build context of the demo data set: the data files, the date shift and the rows.

The data files under ``resources/demo`` are written against an anchor date. Loading them for
an ``as_of`` date moves every date by the whole number of weeks nearest to
``as_of - anchor`` (so weekdays are kept) and the generators work in days relative to the
shifted anchor, ``base``. Because ``|as_of - base| <= 3`` days, anything the data puts at
least 4 days before the anchor is in the past for ``as_of`` and anything at least 4 days
after it is in the future.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from drillplan.kernel.resources import resources_dir

#: Where the demo data files live (repository layout: resources/ beside the package).
DEMO_DIR = resources_dir() / "demo"

#: Days between ``base`` and the last date the ledger may use (never after ``as_of``).
PAST_MARGIN = 4


def week_shift(anchor: dt.date, as_of: dt.date) -> int:
    """Days (a multiple of 7) to add to the data's dates: the nearest whole weeks."""
    return 7 * round((as_of - anchor).days / 7)


def with_year(template: str, year: int) -> str:
    """Fill the ``{year}`` placeholder the data files use in codes and titles."""
    return template.replace("{year}", str(year))


@dataclass
class Ctx:
    """Everything the builders share: shifted dates, seeded RNGs and the rows to insert."""

    as_of: dt.date
    anchor: dt.date
    shift_days: int
    seed: int
    data_dir: Path
    operator: str = "demo"
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    keys: dict[str, dict[str, int]] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    _files: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def create(cls, as_of: dt.date, data_dir: Path | None = None) -> Ctx:
        directory = Path(data_dir) if data_dir is not None else DEMO_DIR
        meta = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
        anchor = dt.date.fromisoformat(meta["anchor"])
        return cls(
            as_of=as_of,
            anchor=anchor,
            shift_days=week_shift(anchor, as_of),
            seed=int(meta["seed"]),
            data_dir=directory,
            operator=str(meta.get("operator", "demo")),
        )

    # ----------------------------------------------------------------- dates

    @property
    def base(self) -> dt.date:
        """The anchor date moved by the week shift."""
        return self.anchor + dt.timedelta(days=self.shift_days)

    @property
    def last_past_day(self) -> dt.date:
        """The last day a ledger entry may carry (never after as_of)."""
        return self.base - dt.timedelta(days=PAST_MARGIN)

    def offset(self, days: int) -> dt.date:
        return self.base + dt.timedelta(days=days)

    def day(self, text: str | None) -> dt.date | None:
        """A date of the data files, shifted."""
        if text is None:
            return None
        return dt.date.fromisoformat(text) + dt.timedelta(days=self.shift_days)

    def day_req(self, text: str) -> dt.date:
        value = self.day(text)
        assert value is not None
        return value

    def moment(self, text: str) -> dt.datetime:
        """A datetime of the data files (ISO, no zone), shifted."""
        return dt.datetime.fromisoformat(text) + dt.timedelta(days=self.shift_days)

    # ------------------------------------------------------------- randomness

    def rng(self, area: str) -> random.Random:
        """An independent seeded generator per area, so editing one area leaves the rest."""
        return random.Random(f"{self.seed}:{area}")

    # ------------------------------------------------------------------ files

    def json(self, name: str) -> Any:
        if name not in self._files:
            self._files[name] = json.loads((self.data_dir / name).read_text(encoding="utf-8"))
        return self._files[name]

    def csv(self, name: str) -> list[dict[str, str]]:
        if name not in self._files:
            with (self.data_dir / name).open(encoding="utf-8", newline="") as fh:
                self._files[name] = list(csv.DictReader(fh))
        return self._files[name]

    # ------------------------------------------------------------------- rows

    def add(self, table: str, row: dict[str, Any], *, key: str | None = None) -> int:
        """Queue a row with the next id of its table; remember it under ``key`` if given."""
        rows = self.rows.setdefault(table, [])
        row_id = len(rows) + 1
        row["id"] = row_id  # the same dict is queued: builders may fill it in later
        rows.append(row)
        if key is not None:
            self.keys.setdefault(table, {})[key] = row_id
        return row_id

    def add_plain(self, table: str, row: dict[str, Any]) -> None:
        """Queue a row of a table without a surrogate id (association tables)."""
        self.rows.setdefault(table, []).append(row)

    def id_of(self, table: str, key: str) -> int:
        try:
            return self.keys[table][key]
        except KeyError:
            raise KeyError(f"demo data: unknown {table} {key!r}") from None

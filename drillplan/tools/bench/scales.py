"""The sizes of the generated data sets, and what makes a generated file reusable."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

GENERATOR_VERSION = 1
"""Bump when the generator writes different rows for the same scale (invalidates caches)."""

AS_OF = dt.date(2025, 6, 30)
"""The date the generated data is relative to (expiry spread, "today" of every check)."""


@dataclass(frozen=True)
class Scale:
    name: str
    depots: int
    materials: int
    lots: int
    movements: int
    teams: int
    members: int
    certificates: int
    districts: int
    receipts: int = 100_000  # rows of the batch-receive measurement
    seed: int = 20250630

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


SCALES: dict[str, Scale] = {
    "tiny": Scale("tiny", 5, 20, 200, 1_000, 4, 40, 80, districts=1, receipts=1_000),
    "district": Scale("district", 50, 500, 20_000, 100_000, 100, 2_000, 4_000, districts=1),
    "city": Scale(
        "city", 2_000, 5_000, 1_000_000, 5_000_000, 3_000, 100_000, 200_000, districts=16
    ),
}

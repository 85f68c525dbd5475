"""Pure ranking rules (no database): standard competition ranking and the points table.

Standard competition ranking ("1224"): results that compare equal share a rank and the
ranks after them are skipped, so 95, 90, 90, 80 rank 1, 2, 2, 4. A missing result (None)
gets no rank.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from drillplan.kernel.vocab import Scoring

__all__ = [
    "DEFAULT_POINTS_TABLE",
    "competition_ranks",
    "points_for_rank",
    "result_key",
]

#: Points per event rank (1st, 2nd, ...) when a competition sets no table of its own.
DEFAULT_POINTS_TABLE: tuple[int, ...] = (10, 8, 6, 5, 4, 3, 2, 1)


def competition_ranks(keys: Sequence[Any]) -> list[int | None]:
    """The rank of each sort key, in input order; a smaller key is a better result.

    Equal keys share a rank and the next rank is skipped by the number sharing it ("1224").
    ``None`` keys (no result) are unranked.
    """
    order = sorted((i for i, k in enumerate(keys) if k is not None), key=lambda i: keys[i])
    ranks: list[int | None] = [None] * len(keys)
    for position, index in enumerate(order, start=1):
        previous = order[position - 2] if position > 1 else None
        if previous is not None and keys[previous] == keys[index]:
            ranks[index] = ranks[previous]
        else:
            ranks[index] = position
    return ranks


def result_key(
    scoring: Scoring, score: Decimal | None, time_seconds: Decimal | None
) -> Decimal | None:
    """The sort key of one result, smaller is better; None when the entry has no result.

    Points: higher is better (key ``-score``); time: lower is better (key ``time_seconds``).
    """
    if scoring == Scoring.POINTS:
        return None if score is None else -Decimal(score)
    return None if time_seconds is None else Decimal(time_seconds)


def points_for_rank(rank: int | None, table: Sequence[int]) -> int:
    """Points a rank earns: ``table[rank - 1]``, 0 beyond the table or without a rank."""
    if rank is None or rank < 1 or rank > len(table):
        return 0
    return int(table[rank - 1])

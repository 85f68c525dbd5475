"""The digest that seals one audit entry in the hash chain (:mod:`drillplan.audit.chain`).

Pure and stable: migration 0007 sealed the existing entries with it, and ``drillplan check``
recomputes it. Changing what is hashed means a new ``CHAIN_FORMAT`` that keeps the old one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from drillplan.kernel.formatting import to_jsonable

#: bumped if the hashed content ever changes (then :func:`digest` keeps the old form too)
CHAIN_FORMAT = 1
GENESIS = ""


def _at_text(at: dt.datetime | str | None) -> str:
    if isinstance(at, str):  # a backend that hands back text
        at = dt.datetime.fromisoformat(at)
    if at is None:
        return ""
    if at.tzinfo is not None:
        at = at.astimezone(dt.UTC).replace(tzinfo=None)
    return at.isoformat(sep=" ", timespec="microseconds")


def digest(
    *,
    seq: int,
    prev_hash: str,
    at: dt.datetime | str | None,
    username: str,
    table_name: str,
    row_id: int | None,
    action: str,
    before: Any,
    after: Any,
) -> str:
    """The SHA-256 (hex) that seals one entry."""
    payload = [
        CHAIN_FORMAT,
        seq,
        prev_hash,
        _at_text(at),
        username,
        table_name,
        row_id,
        action,
        to_jsonable(before),
        to_jsonable(after),
    ]
    data = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()

"""A cheap change counter that views poll to refresh when other clients changed data.

Every change made with an actor attached writes the audit log, so the log's newest id moves
whenever any client commits a change. :func:`change_counter` is that id (one index lookup).
:class:`ChangeWatcher` also catches the rare commit that lands after a later-numbered one
(ids are handed out at insert, transactions commit in any order) by counting the entries of
a recent window of ids.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from drillplan.db.models import AuditLog

#: how many ids back the watcher looks for late commits
WINDOW = 1000


def change_counter(session: Session) -> int:
    """The newest audit log id (0 for an empty log): it grows with every committed change."""
    return int(session.scalar(select(func.max(AuditLog.id))) or 0)


@dataclass
class ChangeWatcher:
    """``changed(session)`` is True when something was committed since the previous call."""

    window: int = WINDOW
    _token: tuple[int, int] | None = None
    _floor: int = 0

    def _read(self, session: Session) -> tuple[int, int]:
        newest, count = session.execute(
            select(func.max(AuditLog.id), func.count()).where(AuditLog.id > self._floor)
        ).one()
        return int(newest or 0), int(count or 0)

    def changed(self, session: Session) -> bool:
        token = self._read(session)
        first = self._token is None
        moved = token != self._token
        if token[0] - self._floor > 2 * self.window:  # keep the counted window small
            self._floor = max(token[0] - self.window, 0)
            token = self._read(session)
        self._token = token
        return moved and not first

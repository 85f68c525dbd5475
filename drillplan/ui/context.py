"""What every view needs: the database, the op runner, the date it judges by, the user."""

from __future__ import annotations

import datetime as dt
import getpass
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from drillplan.db.database import Database

from drillplan.ui import prefs as prefs_module
from drillplan.ui.i18n import current_language
from drillplan.ui.ops import Op, OpRunner
from drillplan.ui.prefs import Prefs


def _user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # pragma: no cover - no login name
        return "system"


@dataclass
class UiContext:
    db: Database
    runner: OpRunner
    fixed_date: dt.date | None = None  # None: today (screenshots and tests fix it)
    user: str = field(default_factory=_user)
    prefs: Prefs = field(default_factory=prefs_module.current)

    @classmethod
    def create(cls, db: Database, *, as_of: dt.date | None = None) -> UiContext:
        return cls(db=db, runner=OpRunner(db), fixed_date=as_of)

    def as_of(self) -> dt.date:
        return self.fixed_date or dt.date.today()

    def today(self) -> dt.date:
        """'today' for the core's no-future-dates checks (the fixed date in demos/tests)."""
        return self.as_of()

    @property
    def lang(self) -> str:
        return current_language()

    def session(self) -> AbstractContextManager[Session]:
        """A short session on the main thread: only the lazy tables' row batches use it."""
        return self.db.session()

    def load_in_background(
        self, fn: Callable[[Session], list[int]], done: Callable[[list[int]], None]
    ) -> None:
        """The lazy tables' loader: the rest of a big list's ids, read on the op runner."""
        Op(fn).success(done).run(self.runner)

    def close(self) -> None:
        self.runner.shutdown()

"""Progress and cancellation of long core work, without Qt.

A long core function takes ``progress: Progress | None``: it calls ``progress.update(...)``
now and then (which raises :class:`Cancelled` once the user asked to stop) and never needs
to know who is watching. The desktop UI polls ``snapshot()`` from a timer on its own thread
(Anki's ``progress.py`` pattern); the command line may ignore progress altogether.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from drillplan.kernel.errors import DrillplanError

__all__ = ["CancelToken", "Cancelled", "Progress", "ProgressSnapshot", "check_cancelled"]


class Cancelled(DrillplanError):
    """The user cancelled the work; whatever it had done is rolled back by the caller."""

    def __init__(
        self, message: str = "已取消，未写入任何数据 (cancelled: nothing was written)"
    ) -> None:
        super().__init__(message)


class CancelToken:
    """A flag one thread sets and another checks. Calling the token tells whether it is set."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def __call__(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        """Raise :class:`Cancelled` if cancellation was asked for."""
        if self._event.is_set():
            raise Cancelled()


def check_cancelled(token: CancelToken | Progress | None) -> None:
    """Raise :class:`Cancelled` if ``token`` (may be None) was cancelled."""
    if token is not None:
        token.check()


@dataclass(frozen=True)
class ProgressSnapshot:
    label: str
    value: int
    maximum: int  # 0: unknown (a busy indicator)
    cancelled: bool


class Progress(CancelToken):
    """A cancel token that also carries how far the work has come (thread-safe)."""

    def __init__(self, label: str = "", maximum: int = 0) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._label = label
        self._value = 0
        self._maximum = maximum

    def update(
        self,
        value: int | None = None,
        *,
        maximum: int | None = None,
        label: str | None = None,
    ) -> None:
        """Record progress, then raise :class:`Cancelled` if the user asked to stop."""
        with self._lock:
            if value is not None:
                self._value = value
            if maximum is not None:
                self._maximum = maximum
            if label is not None:
                self._label = label
        self.check()

    def step(self, by: int = 1) -> None:
        with self._lock:
            self._value += by
        self.check()

    def snapshot(self) -> ProgressSnapshot:
        with self._lock:
            return ProgressSnapshot(self._label, self._value, self._maximum, self.cancelled)

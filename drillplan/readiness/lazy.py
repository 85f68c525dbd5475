"""Lists whose length is known from the tallies and whose rows are read when someone looks.

``Component.problems`` and ``Readiness.fixes`` at city scale would hold hundreds of thousands
of facts. These sequences answer ``len()`` at once, read only the first ``n`` rows for a
slice ``[:n]`` (what the dashboard, the report and the table output show) and stream the
rest when iterated (``--format json``). Read them while the session that made them is open.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from itertools import islice
from typing import TypeVar, overload

T = TypeVar("T")

Loader = Callable[[int | None], Iterator[T]]  # limit (None: all) -> the rows in order


class LazyList(Sequence[T]):
    """``head`` (already built) followed by ``count`` rows that ``load`` reads on demand."""

    def __init__(self, head: list[T], count: int = 0, load: Loader[T] | None = None) -> None:
        self._head = head
        self._count = count if load is not None else 0
        self._load = load
        self._all: list[T] | None = None if self._count else head
        self._prefix: list[T] = []  # the longest run of first rows read so far

    @property
    def head(self) -> list[T]:
        return self._head

    @property
    def lazy_count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return len(self._head) + self._count

    def __iter__(self) -> Iterator[T]:
        if self._all is not None:
            yield from self._all
            return
        yield from self._head
        assert self._load is not None
        yield from self._load(None)

    def first(self, n: int) -> list[T]:
        """The first ``n`` rows, reading no more than needed."""
        n = min(n, len(self))
        if self._all is not None or n <= len(self._head):
            return list((self._all or self._head)[:n])
        if n <= len(self._prefix):
            return self._prefix[:n]  # the report asks for fixes[:20], then fixes[0]
        assert self._load is not None
        rest = self._load(n - len(self._head))
        try:
            self._prefix = [*self._head, *islice(rest, n - len(self._head))]
        finally:
            close = getattr(rest, "close", None)
            if close is not None:
                close()
        return list(self._prefix)

    def materialise(self) -> list[T]:
        if self._all is None:
            self._all = list(iter(self))
        return self._all

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            start, stop, step = index.start, index.stop, index.step
            if (start in (None, 0)) and step in (None, 1) and stop is not None and stop >= 0:
                return self.first(stop)
            return self.materialise()[index]
        if 0 <= index < len(self._head):
            return self._head[index]
        if 0 <= index < len(self) and self._all is None:
            return self.first(index + 1)[index]  # fixes[0]: one row read, not all of them
        return self.materialise()[index]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return len(self) == len(other) and list(self) == list(other)

    def __repr__(self) -> str:
        return f"LazyList(len={len(self)})"

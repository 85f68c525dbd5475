"""How a bulk receipt writes its rows: Core executemany, or SQLite's DBAPI directly.

:func:`_writer` picks :class:`_SqliteWriter` on SQLite and the portable
:class:`_CoreWriter` elsewhere. Both insert rows (returning their ids in row order) and run
an UPDATE for many parameter sets.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence

from sqlalchemy import (
    BindParameter,
    Connection,
    Insert,
    Table,
    Update,
    func,
    insert,
    select,
)
from sqlalchemy.orm import Session

from drillplan.kernel.errors import DrillplanError


class _CoreWriter:
    """Portable writes: Core executemany; ids come back by RETURNING in parameter order."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def insert(
        self,
        table: Table,
        n: int,
        columns: Mapping[str, Sequence[object]],
        constants: Mapping[str, object],
    ) -> list[int]:
        keys = [*columns, *constants]
        series = [*columns.values(), *(itertools.repeat(v, n) for v in constants.values())]
        params = [dict(zip(keys, values, strict=True)) for values in zip(*series, strict=True)]
        stmt = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        return list(self.conn.execute(stmt, params).scalars())

    def execute(self, stmt: Update, columns: Mapping[str, Sequence[object]]) -> None:
        keys = list(columns)
        rows = zip(*columns.values(), strict=True)
        self.conn.execute(stmt, [dict(zip(keys, values, strict=True)) for values in rows])


class _SqliteWriter(_CoreWriter):
    """SQLite: the DBAPI's executemany on the statement SQLAlchemy compiles, each value
    converted by the dialect's own bind processor (so rows are stored exactly as the ORM
    stores them) but without SQLAlchemy's per-row parameter bookkeeping, which costs more
    than SQLite's own work at this size. The new rows' ids follow on from the largest id:
    the transaction holds SQLite's write lock, so nobody else can insert in between.
    """

    def _run(
        self,
        stmt: Insert | Update,
        n: int,
        columns: Mapping[str, Sequence[object]],
        constants: Mapping[str, object],
    ) -> None:
        dialect = self.conn.dialect
        compiled = stmt.compile(dialect=dialect, column_keys=[*columns, *constants])
        assert compiled.positiontup is not None
        series: list[Iterable[object]] = []
        for name in compiled.positiontup:
            bind = compiled.binds[name]
            proc = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if name in columns:
                series.append(_processed(proc, columns[name]) if proc else columns[name])
            else:  # the same for every row
                value = constants[name] if name in constants else _fixed_value(stmt, bind)
                series.append(itertools.repeat(proc(value) if proc else value, n))
        cursor = self.conn.connection.cursor()  # the DBAPI cursor takes an iterator
        try:
            cursor.executemany(compiled.string, zip(*series, strict=True))
        finally:
            cursor.close()

    def insert(
        self,
        table: Table,
        n: int,
        columns: Mapping[str, Sequence[object]],
        constants: Mapping[str, object],
    ) -> list[int]:
        last = self.conn.scalar(select(func.max(table.c.id))) or 0
        self._run(insert(table), n, columns, constants)
        now = self.conn.scalar(select(func.max(table.c.id))) or 0
        if now != last + n:  # never expected: ids were not handed out consecutively
            raise DrillplanError(f"{table.name}: ids {last + 1}..{now} for {n} rows")
        return list(range(last + 1, now + 1))

    def execute(self, stmt: Update, columns: Mapping[str, Sequence[object]]) -> None:
        n = len(next(iter(columns.values())))
        self._run(stmt, n, columns, {})


def _fixed_value(stmt: Insert | Update, bind: BindParameter[object]) -> object:
    """A value not given per row: an inserted column's default (None if it has none), or
    a literal of the statement (the 1 of ``row_version + 1``)."""
    if not isinstance(stmt, Insert) or bind.key not in stmt.table.c:
        return bind.effective_value
    default = stmt.table.c[bind.key].default
    if default is None:
        return None
    if not default.is_scalar:
        raise DrillplanError(f"{stmt.table.name}.{bind.key}: computed defaults are not supported")
    return default.arg  # type: ignore[attr-defined]


def _processed(proc: Callable[[object], object], values: Sequence[object]) -> Iterable[object]:
    """``values`` through a bind processor, once per distinct value (dates and quantities
    repeat a lot in an import)."""
    try:
        done = {v: proc(v) for v in set(values)}
    except TypeError:  # unhashable
        return map(proc, values)
    return map(done.__getitem__, values)


def _writer(session: Session) -> _CoreWriter:
    conn = session.connection()
    return _SqliteWriter(conn) if conn.dialect.name == "sqlite" else _CoreWriter(conn)

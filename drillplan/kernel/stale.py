"""A stale save (optimistic locking) as the project's :class:`EditConflict`, wherever it happens.

Versioned rows (``row_version``, SQLAlchemy's ``version_id_col``) make an ``UPDATE`` or
``DELETE`` of a row that someone else saved meanwhile match nothing, and SQLAlchemy raises
``StaleDataError`` from the flush: from an explicit flush, an autoflush or the flush of a
commit. The session class of :mod:`drillplan.db.engine` notes the versioned rows a flush is
about to write (:func:`pending_rows`) and turns that error into an :class:`EditConflict`
(:func:`stale_conflict`) that names the record (``预案 QP-YA-01``), says what the other user
changed and carries both versions for the conflict dialog.

What a table is called is the audit vocabulary's business (:mod:`drillplan.audit.labels`
registers it with :func:`name_tables`); without it the table's own name is used.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from drillplan.kernel.errors import EditConflict
from drillplan.kernel.formatting import to_jsonable

__all__ = ["PendingRow", "name_tables", "pending_rows", "row_name", "stale_conflict"]

#: attributes that identify a row to people, in order of preference
IDENTIFYING = ("code", "batch_no", "username", "name", "title")

_TABLE_IN_ERROR = re.compile(r"on table '([^']+)'")

_table_label: Callable[[str, str], str] = lambda table, _lang: table  # noqa: E731


def name_tables(label: Callable[[str, str], str]) -> None:
    """Use ``label(table, lang)`` ("zh" or "en") to call tables by their names in messages."""
    global _table_label
    _table_label = label


@dataclass(frozen=True)
class PendingRow:
    """A versioned row a flush is about to update or delete, as this session knows it."""

    model: type[Any]
    table: str
    row_id: Any
    version_key: str
    loaded_version: Any
    loaded: dict[str, Any]  # the column values this session read (before its own changes)
    attempted: dict[str, Any] = field(default_factory=dict)  # this session's changes
    deleting: bool = False

    def name(self, lang: str = "zh") -> str:
        return row_name(self.table, self.row_id, self.loaded, lang)


def row_name(table: str, row_id: Any, values: dict[str, Any], lang: str = "zh") -> str:
    """``预案 QP-YA-01``: the table's label and the row's code (or name, or ``#id``)."""
    ident = next((str(values[k]) for k in IDENTIFYING if values.get(k)), f"#{row_id}")
    return f"{_table_label(table, lang)} {ident}"


def pending_rows(session: Session) -> list[PendingRow]:
    """The versioned rows the next flush of ``session`` updates or deletes."""
    rows = []
    for obj in [*session.dirty, *session.deleted]:
        state = inspect(obj)
        mapper = state.mapper
        version_col = mapper.version_id_col
        if version_col is None or state.key is None:
            continue
        deleting = obj in session.deleted
        if not deleting and not session.is_modified(obj, include_collections=False):
            continue
        version_key = mapper.get_property_by_column(version_col).key
        committed, current = state.committed_state, state.dict
        keys = [a.key for a in mapper.column_attrs]
        loaded = {
            k: committed.get(k, current.get(k)) for k in keys if k in committed or k in current
        }
        attempted = {
            k: to_jsonable(current.get(k)) for k in keys if k in committed and k != version_key
        }
        rows.append(
            PendingRow(
                model=mapper.class_,
                table=mapper.local_table.name,
                row_id=state.key[1][0] if len(state.key[1]) == 1 else state.key[1],
                version_key=version_key,
                loaded_version=loaded.get(version_key),
                loaded=loaded,
                attempted=attempted,
                deleting=deleting,
            )
        )
    return rows


def _stored(session: Session, row: PendingRow) -> dict[str, Any] | None:
    """The row as committed now, read on a connection of its own (this session's transaction
    failed); None when it no longer exists. Raises whatever the database raises."""
    mapper = inspect(row.model)
    pk = mapper.primary_key[0]
    with session.get_bind().connect() as conn:
        found = conn.execute(select(mapper.local_table).where(pk == row.row_id)).mappings().first()
    if found is None:
        return None
    return {attr.key: found[attr.columns[0].name] for attr in mapper.column_attrs}


def _changed_by_others(row: PendingRow, stored: dict[str, Any]) -> list[str]:
    return [
        key
        for key, value in stored.items()
        if key != row.version_key
        and key in row.loaded
        and to_jsonable(row.loaded[key]) != to_jsonable(value)
    ]


def _message(row: PendingRow, stored: dict[str, Any] | None, others: list[str]) -> str:
    zh, en = row.name("zh"), row.name("en")
    if stored is None:
        return (
            f"{zh} 已被他人删除，您的修改未保存 ({en} was deleted by someone else;"
            " your change was not saved)"
        )
    version = stored.get(row.version_key)
    what_zh = f"，他人修改了：{'、'.join(others)}" if others else ""
    what_en = f"; they changed {', '.join(others)}" if others else ""
    return (
        f"{zh} 已被他人修改（当前版本 {version}，您编辑的是版本 {row.loaded_version}{what_zh}），"
        f"您的修改未保存，请刷新后重试 ({en} was changed by someone else (version {version} now,"
        f" you edited {row.loaded_version}{what_en}); your change was not saved, reload and"
        " try again)"
    )


def _table_of(error: BaseException | None) -> str | None:
    """The table SQLAlchemy names in a ``StaleDataError`` ("UPDATE statement on table 'plan'
    expected to update 1 row(s); 0 were matched.")."""
    match = _TABLE_IN_ERROR.search(str(error or ""))
    return match.group(1) if match else None


def stale_conflict(
    session: Session, rows: Iterable[PendingRow], error: BaseException | None = None
) -> EditConflict:
    """The :class:`EditConflict` for a flush of ``rows`` that found one of them changed (or
    deleted) by someone else (``error``: SQLAlchemy's ``StaleDataError``): the first row of the
    table the error names whose stored version is no longer the one loaded, with the row as
    stored now and this session's changes."""
    rows = list(rows)
    table = _table_of(error)
    if table is not None and any(row.table == table for row in rows):
        rows = [row for row in rows if row.table == table]
    found: list[tuple[PendingRow, dict[str, Any] | None]] = []
    for row in rows:
        try:
            stored = _stored(session, row)
        except Exception:  # the details are a courtesy; the conflict is not
            continue
        if stored is None or stored.get(row.version_key) != row.loaded_version:
            found.append((row, stored))
    if not found:
        if not rows:
            return EditConflict(
                "记录已被他人修改或删除，您的修改未保存，请刷新后重试"
                " (a record was changed or deleted by someone else; reload and try again)"
            )
        row = rows[0]
        return EditConflict(
            f"{row.name()} 已被他人修改或删除，您的修改未保存，请刷新后重试 ({row.name('en')}"
            " was changed or deleted by someone else; reload and try again)",
            table=None,
            row_id=row.row_id,
            expected_version=row.loaded_version,
            attempted=row.attempted,
        )
    row, stored = found[0]
    others = _changed_by_others(row, stored) if stored is not None else []
    return EditConflict(
        _message(row, stored, others),
        table=row.table,
        row_id=row.row_id,
        expected_version=row.loaded_version,
        current=to_jsonable(stored) if stored is not None else None,
        attempted=row.attempted,
    )

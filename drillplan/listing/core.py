"""Listings: the abstraction behind every table (Qt-free).

A :class:`Listing` names its columns and builds one ``SELECT`` whose first column is the
row id and whose other columns are labelled with the column keys. The UI's lazy table
model (and the CLI) use two calls: :func:`fetch_ids` runs the query filtered and sorted in
SQL and returns only ids; :func:`fetch_rows` fetches the rows of a batch of ids.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any, Literal

from sqlalchemy import ColumnElement, Select, String, case, cast, false, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import KeyedColumnElement

from drillplan.kernel.formatting import date_text
from drillplan.kernel.vocab import label

Kind = Literal["text", "date", "datetime", "number", "bool", "list"]
Tone = Literal["expired", "expiring"]
LIST_SEPARATOR = "、"
ID_KEY = "id"


@dataclass(frozen=True)
class Column:
    """One column of a listing. ``vocab`` names the vocabulary whose labels are shown."""

    key: str
    zh: str
    en: str
    align: Literal["left", "right"] = "left"
    kind: Kind = "text"
    vocab: type[StrEnum] | None = None
    searchable: bool | None = None  # None: text, list and vocabulary columns are searched
    expiry: bool = False  # a date after which the thing is no longer valid: see expiry_tone()

    def title(self, lang: str = "zh") -> str:
        return self.zh if lang == "zh" else self.en

    @property
    def is_searchable(self) -> bool:
        if self.searchable is not None:
            return self.searchable
        return self.kind in ("text", "list") or self.vocab is not None


def number_column(*args: Any, **kwargs: Any) -> Column:
    """A right-aligned number column."""
    return Column(*args, align="right", kind="number", **kwargs)


@dataclass(frozen=True)
class Filter:
    """A named condition the user can switch on or off (e.g. only lots still in stock).

    ``condition`` receives the listing's query as a subquery and returns a WHERE clause
    over its labelled columns (``sub.c.<key>``).
    """

    key: str
    zh: str
    en: str
    condition: Callable[[Any], ColumnElement[bool]]
    default: bool = False

    def title(self, lang: str = "zh") -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class Listing:
    """A named table: columns plus a builder of the ``SELECT id, <columns...>`` behind it."""

    name: str
    title_zh: str
    title_en: str
    columns: tuple[Column, ...]
    query_builder: Callable[[], Select[Any]]
    default_order: str | None = None
    filters: tuple[Filter, ...] = ()
    keys: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "keys", tuple(c.key for c in self.columns))

    def title(self, lang: str = "zh") -> str:
        return self.title_zh if lang == "zh" else self.title_en

    def column(self, key: str) -> Column:
        return self.columns[self.keys.index(key)]

    @property
    def default_filters(self) -> tuple[str, ...]:
        return tuple(f.key for f in self.filters if f.default)


# --- fetching ---------------------------------------------------------------------------


def _like_pattern(term: str) -> str:
    escaped = term.replace("!", "!!").replace("%", "!%").replace("_", "!_")
    return f"%{escaped}%"


def _term_condition(listing: Listing, sub: Any, term: str) -> ColumnElement[bool]:
    """Rows where any searchable column contains ``term`` (vocabularies: by their labels)."""
    needle = term.casefold()
    clauses: list[ColumnElement[bool]] = []
    for col in listing.columns:
        if not col.is_searchable:
            continue
        expr = sub.c[col.key]
        if col.vocab is not None:
            keys = [
                m.value
                for m in col.vocab
                if needle in label(m, "zh").casefold() or needle in label(m, "en").casefold()
            ]
            if keys:
                clauses.append(expr.in_(keys))
        elif col.kind == "list":
            # JSON lists may be stored with \\uXXXX escapes: match both spellings.
            text_expr = cast(expr, String)
            clauses.append(text_expr.ilike(_like_pattern(term), escape="!"))
            encoded = json.dumps(term)[1:-1]
            if encoded != term:
                clauses.append(text_expr.ilike(_like_pattern(encoded), escape="!"))
        elif col.kind == "text":
            clauses.append(expr.ilike(_like_pattern(term), escape="!"))
        else:
            clauses.append(cast(expr, String).ilike(_like_pattern(term), escape="!"))
    return or_(*clauses) if clauses else false()


def _sort_expression(listing: Listing, sub: Any, key: str) -> ColumnElement[Any]:
    col = listing.column(key)
    expr = sub.c[key]
    if col.vocab is not None:  # vocabulary order (the lifecycle), not alphabetical keys
        order = {m.value: i for i, m in enumerate(col.vocab)}
        return case(order, value=expr, else_=len(order))
    if col.kind == "list":  # a JSON list has no order on PostgreSQL: sort by its text
        return cast(expr, String)
    return expr


def fetch_ids(
    session: Session,
    listing: Listing,
    *,
    search: str | None = None,
    order_by: str | None = None,
    descending: bool = False,
    filters: Iterable[str] = (),
    equals: Mapping[str, Any] | None = None,
    restrict: Collection[int] | None = None,
    limit: int | None = None,
) -> list[int]:
    """Ids of the rows matching every word of ``search`` and the named filters, sorted in SQL.

    ``equals`` keeps rows whose labelled column (shown or not, e.g. ``owner_id``) has the
    value; ``restrict`` keeps only the given ids (the rows behind a dashboard figure).
    Empty values sort last both ways, ties by id. With ``limit`` only the first ids come
    back, read in an order an index on the sort column can give (no sort of the whole
    table): a big list shows its first screen at once.
    """
    sub = listing.query_builder().subquery()
    query = select(sub.c[ID_KEY])
    by_key = {f.key: f for f in listing.filters}
    for key in filters:
        query = query.where(by_key[key].condition(sub))
    for key, value in (equals or {}).items():
        query = query.where(sub.c[key] == value)
    if restrict is not None:
        query = query.where(sub.c[ID_KEY].in_(list(restrict)))
    for term in (search or "").split():
        query = query.where(_term_condition(listing, sub, term))
    key = order_by or listing.default_order
    id_col: KeyedColumnElement[Any] = sub.c[ID_KEY]
    id_order = id_col.desc() if descending else id_col
    if key is None:
        return list(session.scalars(query.order_by(id_order).limit(limit)))
    if (
        limit is not None
        and listing.column(key).vocab is None
        and listing.column(key).kind != "list"
    ):
        # the same order in two index-friendly parts: values, then the empty ones
        value = sub.c[key]
        first = query.where(value.is_not(None)).order_by(
            value.desc() if descending else value, id_order
        )
        ids = list(session.scalars(first.limit(limit)))
        if len(ids) < limit:
            empty = query.where(value.is_(None)).order_by(id_order)
            ids += session.scalars(empty.limit(limit - len(ids)))
        return ids
    expr = _sort_expression(listing, sub, key)
    nulls_last = case((sub.c[key].is_(None), 1), else_=0)
    query = query.order_by(nulls_last, expr.desc() if descending else expr, id_order)
    return list(session.scalars(query.limit(limit)))


def _convert(col: Column, value: Any, lang: str) -> Any:
    if value is None:
        return None
    if col.vocab is not None:
        return label(value, lang)
    if col.kind == "list":
        return LIST_SEPARATOR.join(str(v) for v in value) if value else ""
    return value


def fetch_rows(
    session: Session, listing: Listing, ids: Iterable[int], *, lang: str = "zh"
) -> dict[int, tuple[Any, ...]]:
    """The rows of ``ids`` (in column order, vocabularies as labels), keyed by id."""
    wanted = list(ids)
    if not wanted:
        return {}
    sub = listing.query_builder().subquery()
    rows = session.execute(select(sub).where(sub.c[ID_KEY].in_(wanted)))
    result: dict[int, tuple[Any, ...]] = {}
    for row in rows.mappings():
        result[row[ID_KEY]] = tuple(_convert(c, row[c.key], lang) for c in listing.columns)
    return result


def format_value(col: Column, value: Any, lang: str = "zh") -> str:
    """A cell as text: dates as YYYY-MM-DD, quantities without trailing zeros."""
    if value is None:
        return ""
    if col.kind == "bool" or isinstance(value, bool):
        yes, no = ("是", "否") if lang == "zh" else ("yes", "no")
        return yes if value else no
    if (when := date_text(value)) is not None:
        return when
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)


def expiry_tone(value: Any, as_of: dt.date, horizon_days: int) -> Tone | None:
    """How an expiry date reads on ``as_of``: already expired, expiring within ``horizon_days``
    (the office's :func:`drillplan.settings.soon_days`), or fine."""
    if not isinstance(value, dt.date):
        return None
    day = value.date() if isinstance(value, dt.datetime) else value
    if day < as_of:
        return "expired"
    if day <= as_of + dt.timedelta(days=horizon_days):
        return "expiring"
    return None

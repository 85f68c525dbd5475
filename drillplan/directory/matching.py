"""Which materials and which teams a directory query names.

A query finds a material by its code (a prefix is a class: "2030" finds every boat), by its
name or one of its synonyms (tolerant of full/half width, case and spaces, and of pinyin
initials through :mod:`drillplan.kernel.search_text`), and a team by a capability among its
specialties ("水上救援"; "危化品" for 危险化学品). The catalogue, the team list and the holders
(depots and teams) are small (hundreds to a few thousand rows even at city scale): they are
read as plain tuples, folded once and kept per database until a cheap token says they changed
(:func:`_token`: the newest audit entry, counts and id sums).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import String, cast, func, select
from sqlalchemy.orm import Session

from drillplan.db.models import AuditLog, Depot, Holder, Material, Team
from drillplan.kernel.search_text import matches
from drillplan.kernel.text import normalize_text

#: the columns of a depot and of a team the directory shows, in this order
DEPOT_COLUMNS = (
    Depot.id, Depot.code, Depot.name, Depot.tier, Depot.owner_unit_id, Depot.address,
    Depot.keeper, Depot.keeper_phone, Depot.agreement_supplier, Depot.agreement_contact,
    Depot.agreement_phone,
)  # fmt: skip
TEAM_COLUMNS = (
    Team.id, Team.code, Team.name, Team.owner_unit_id, Team.base, Team.duty_phone,
    Team.agreement_no,
)  # fmt: skip

#: words the office uses for a specialty that the team register spells out
CAPABILITY_ALIASES: dict[str, str] = {
    "危化品": "危险化学品",
    "危化": "危险化学品",
    "水域救援": "水上救援",
    "防汛": "防汛抢险",
}


@dataclass(frozen=True)
class MaterialMatch:
    id: int
    code: str
    name: str
    uom: str
    why: str  # "code", "name", "synonym"


def fold(text: str) -> str:
    """Lower-case, full-width folded, every space removed."""
    return "".join(normalize_text(text).lower().split())


@dataclass(frozen=True)
class _Index:
    """The catalogue and the teams' specialties, folded once."""

    materials: tuple[tuple[int, str, str, str, str, tuple[str, ...], tuple[str, ...]], ...]
    teams: tuple[tuple[int, tuple[str, ...], tuple[str, ...]], ...]  # id, specialties, folded
    #: (specialties, folded) -> the ids of the teams with exactly those (few distinct sets)
    team_groups: tuple[tuple[tuple[str, ...], tuple[str, ...], tuple[int, ...]], ...] = ()
    #: material id -> (code, name, uom) of the whole catalogue
    catalogue: dict[int, tuple[str, str, str]] = field(default_factory=dict)
    #: holder id -> (depot id, team id); depot id / team id -> the directory's columns of it
    #: (``find.DEPOT_COLUMNS`` / ``find.TEAM_COLUMNS``)
    holders: dict[int, tuple[int | None, int | None]] = field(default_factory=dict)
    depot_rows: dict[int, tuple] = field(default_factory=dict)  # type: ignore[type-arg]
    team_rows: dict[int, tuple] = field(default_factory=dict)  # type: ignore[type-arg]


_CACHE: dict[str, tuple[tuple[object, ...], _Index]] = {}
_LOCK = threading.Lock()


def _sum(value: object) -> object:
    return func.coalesce(func.sum(value), 0)


def _token(session: Session) -> tuple[object, ...]:
    """What changes when the catalogue or the teams change (one cheap aggregate each): the
    newest audit entry, and the rows' count, id sum and text length."""
    text = (
        func.length(Material.name)
        + func.length(Material.code)
        + func.length(cast(Material.synonyms, String))
    )
    m = session.execute(select(func.count(Material.id), _sum(Material.id), _sum(text))).one()
    t = session.execute(
        select(
            func.count(Team.id),
            _sum(Team.id),
            _sum(func.length(cast(Team.specialties, String))),
        )
    ).one()
    h = session.execute(select(func.count(Holder.id), _sum(Holder.id))).one()
    d = session.execute(select(func.count(Depot.id), _sum(Depot.id))).one()
    newest = session.scalar(select(func.max(AuditLog.id)))
    return (newest, *m, *t, *h, *d)


def match_index(session: Session) -> _Index:
    """The folded catalogue and team specialties of this database (cached until they change)."""
    key = str(session.get_bind().url)
    token = _token(session)
    with _LOCK:
        cached = _CACHE.get(key)
    if cached is not None and cached[0] == token:
        return cached[1]
    materials = tuple(
        (mid, code, name, uom, fold(name), tuple(fold(x) for x in synonyms or ()),
         tuple(synonyms or ()))
        for mid, code, name, uom, synonyms in session.execute(
            select(Material.id, Material.code, Material.name, Material.uom, Material.synonyms)
            .order_by(Material.code)
        )
    )  # fmt: skip
    teams = tuple(
        (tid, tuple(specialties or ()), tuple(fold(x) for x in specialties or ()))
        for tid, specialties in session.execute(select(Team.id, Team.specialties).order_by(Team.id))
    )
    grouped: dict[tuple[tuple[str, ...], tuple[str, ...]], list[int]] = {}
    for tid, specialties, folded in teams:
        if specialties:
            grouped.setdefault((specialties, folded), []).append(tid)
    groups = tuple((sp, fo, tuple(ids)) for (sp, fo), ids in grouped.items())
    catalogue = {m[0]: (m[1], m[2], m[3]) for m in materials}
    holders = {
        hid: (depot, team)
        for hid, depot, team in session.execute(
            select(Holder.id, Holder.depot_id, Holder.team_id)
        ).tuples()
    }
    depot_rows = {row[0]: tuple(row) for row in session.execute(select(*DEPOT_COLUMNS))}
    team_rows = {row[0]: tuple(row) for row in session.execute(select(*TEAM_COLUMNS))}
    index = _Index(materials, teams, groups, catalogue, holders, depot_rows, team_rows)
    with _LOCK:
        _CACHE[key] = (token, index)
    return index


def _pinyin(query: str, folded: str, label: str) -> bool:
    """Pinyin initials / spelling ("cfz"), for plain ASCII letters of 2 or more."""
    return folded.isascii() and folded.isalpha() and len(folded) >= 2 and matches(query, label)


def find_materials(
    session: Session, query: str, *, index: _Index | None = None
) -> list[MaterialMatch]:
    folded = fold(query)
    if not folded:
        return []
    out: list[MaterialMatch] = []
    for mid, code, name, uom, fname, fsyn, syn in (index or match_index(session)).materials:
        if folded.isdigit():
            if code.startswith(folded):
                out.append(MaterialMatch(mid, code, name, uom, "code"))
            continue
        if folded in fname or _pinyin(query, folded, name):
            out.append(MaterialMatch(mid, code, name, uom, "name"))
        elif any(folded in f for f in fsyn) or any(_pinyin(query, folded, x) for x in syn):
            out.append(MaterialMatch(mid, code, name, uom, "synonym"))
    return out


def _capability_words(query: str) -> set[str]:
    folded = fold(query)
    words = {folded}
    for alias, full in CAPABILITY_ALIASES.items():
        if folded == fold(alias):
            words.add(fold(full))
    return words


def capability_matches(
    query: str,
    specialties: Iterable[str],
    folded: Iterable[str] | None = None,
    words: list[str] | None = None,
) -> list[str]:
    """The specialties a query names (whole words the query contains or is part of);
    ``folded``: the specialties already folded (:func:`fold`), ``words``: the query's."""
    if words is None:
        words = [w for w in _capability_words(query) if len(w) >= 2]
    if not words:
        return []
    specialties = list(specialties)
    folds = list(folded) if folded is not None else [fold(x) for x in specialties]
    return [
        specialty
        for specialty, s in zip(specialties, folds, strict=True)
        if any(w in s or (len(s) >= 2 and s in w) for w in words)
    ]


def find_capable_teams(
    session: Session, query: str, *, index: _Index | None = None
) -> dict[int, list[str]]:
    """team id -> the specialties of it the query names."""
    if fold(query).isdigit():
        return {}
    out: dict[int, list[str]] = {}
    words = [w for w in _capability_words(query) if len(w) >= 2]
    if not words:
        return out
    for specialties, folded, team_ids in (index or match_index(session)).team_groups:
        found = capability_matches(query, specialties, folded, words)
        if found:
            for tid in team_ids:
                out[tid] = list(found)
    return dict(sorted(out.items()))

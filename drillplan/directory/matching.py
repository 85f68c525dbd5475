"""Which materials and which teams a directory query names.

A query finds a material by its code (a prefix is a class: "2030" finds every boat), by its
name or one of its synonyms (tolerant of full/half width, case and spaces, and of pinyin
initials through :mod:`drillplan.kernel.search_text`), and a team by a capability among its
specialties ("水上救援"; "危化品" for 危险化学品). The catalogue and the team list are small
(hundreds to a few thousand rows even at city scale): they are read as plain tuples.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from drillplan.db.models import Material, Team
from drillplan.kernel.search_text import matches
from drillplan.kernel.text import normalize_text

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


def _found(query: str, folded: str, label: str) -> bool:
    if not label:
        return False
    if folded in fold(label):
        return True
    # pinyin initials / spelling ("cfz"), only for plain ASCII letters of 2 or more
    return folded.isascii() and folded.isalpha() and len(folded) >= 2 and matches(query, label)


def find_materials(session: Session, query: str) -> list[MaterialMatch]:
    folded = fold(query)
    if not folded:
        return []
    rows = session.execute(
        select(Material.id, Material.code, Material.name, Material.uom, Material.synonyms).order_by(
            Material.code
        )
    ).all()
    out: list[MaterialMatch] = []
    for mid, code, name, uom, synonyms in rows:
        if folded.isdigit():
            if code.startswith(folded):
                out.append(MaterialMatch(mid, code, name, uom, "code"))
            continue
        if _found(query, folded, name):
            out.append(MaterialMatch(mid, code, name, uom, "name"))
        elif any(_found(query, folded, s) for s in synonyms or ()):
            out.append(MaterialMatch(mid, code, name, uom, "synonym"))
    return out


def _capability_words(query: str) -> set[str]:
    folded = fold(query)
    words = {folded}
    for alias, full in CAPABILITY_ALIASES.items():
        if folded == fold(alias):
            words.add(fold(full))
    return words


def capability_matches(query: str, specialties: Iterable[str]) -> list[str]:
    """The specialties a query names (whole words the query contains or is part of)."""
    words = _capability_words(query)
    if not any(len(w) >= 2 for w in words):
        return []
    out = []
    for specialty in specialties:
        s = fold(specialty)
        if any(len(w) >= 2 and (w in s or (len(s) >= 2 and s in w)) for w in words):
            out.append(specialty)
    return out


def find_capable_teams(session: Session, query: str) -> dict[int, list[str]]:
    """team id -> the specialties of it the query names."""
    if fold(query).isdigit():
        return {}
    out: dict[int, list[str]] = {}
    for tid, specialties in session.execute(select(Team.id, Team.specialties)):
        found = capability_matches(query, specialties or ())
        if found:
            out[tid] = found
    return out

"""Looking up references by code or exact name: units, materials, depots, teams, holders, plans.

Each register is loaded once per import (a few queries, however many rows refer to it).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from drillplan.db.models import Depot, Material, Plan, Team, Unit
from drillplan.kernel.values import normalize_text

WHAT: dict[str, tuple[str, str]] = {
    "unit": ("单位", "unit"),
    "material": ("物资", "material"),
    "depot": ("储备库", "depot"),
    "team": ("队伍", "team"),
    "holder": ("储备库或队伍", "depot or team"),
    "plan": ("预案", "plan"),
}


class RefError(Exception):
    def __init__(self, rule: str, message: str, message_en: str) -> None:
        super().__init__(message)
        self.rule, self.message, self.message_en = rule, message, message_en


@dataclass
class _Index:
    by_code: dict[str, object] = field(default_factory=dict)
    by_name: dict[str, list[object]] = field(default_factory=dict)

    def add(self, code: str, name: str | None, target: object) -> None:
        self.by_code.setdefault(code, target)
        if name:
            self.by_name.setdefault(normalize_text(name), []).append(target)


@dataclass(frozen=True)
class MaterialRef:
    id: int
    code: str
    name: str
    uom: str
    shelf_life_days: int | None


class Refs:
    """Code/name lookups for one import. ``holder`` answers ("depot" | "team", id)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._indexes: dict[str, _Index] = {}
        self.extra_units: dict[str, str] = {}  # units created by the file being imported

    def _load(self, kind: str) -> _Index:
        index = _Index()
        s = self.session
        if kind == "unit":
            for uid, code, name in s.execute(select(Unit.id, Unit.code, Unit.name)):
                index.add(code, name, uid)
        elif kind == "material":
            for m in s.execute(
                select(Material.id, Material.code, Material.name, Material.uom,
                       Material.shelf_life_days)
            ):  # fmt: skip
                index.add(m.code, m.name, MaterialRef(*m))
        elif kind == "team":
            for tid, code, name in s.execute(select(Team.id, Team.code, Team.name)):
                index.add(code, name, tid)
        elif kind == "depot":
            for did, code, name in s.execute(select(Depot.id, Depot.code, Depot.name)):
                index.add(code, name, did)
        elif kind == "plan":
            for pid, code, title in s.execute(select(Plan.id, Plan.code, Plan.title)):
                index.add(code, title, pid)
        elif kind == "holder":
            for sub in ("depot", "team"):
                part = self.index(sub)
                for code, target in part.by_code.items():
                    index.by_code.setdefault(code, (sub, target))
                for name, targets in part.by_name.items():
                    index.by_name.setdefault(name, []).extend((sub, t) for t in targets)
        return index

    def index(self, kind: str) -> _Index:
        if kind not in self._indexes:
            self._indexes[kind] = self._load(kind)
        return self._indexes[kind]

    def resolve(self, kind: str, text: str) -> object:
        """The row a code or exact name refers to, or :class:`RefError`."""
        index = self.index(kind)
        target = index.by_code.get(text)
        if target is not None:
            return target
        found = index.by_name.get(text)
        zh, en = WHAT[kind]
        if not found:
            raise RefError(
                "unknown_ref",
                f"{zh}“{text}”不存在（按编码或名称都找不到）",
                f"no {en} with code or name {text!r}",
            )
        if len(found) > 1:
            raise RefError(
                "ambiguous_ref",
                f"有 {len(found)} 个{zh}名为“{text}”，请改用编码",
                f"{len(found)} {en}s are named {text!r}; use the code",
            )
        return found[0]

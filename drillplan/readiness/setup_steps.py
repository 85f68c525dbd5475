"""The first-start checklist: what an office registers first, in the order the register
needs it (a depot, team or plan belongs to a unit; a lot needs a depot and a material).

Qt-free: the desktop shows these steps with a button to each page and the import template
of each; ``drillplan`` scripts can ask the same question.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from drillplan.db.models import Depot, Material, Plan, Team, Unit

__all__ = ["SETUP_ORDER", "SetupStep", "next_step", "setup_steps"]


@dataclass(frozen=True)
class SetupStep:
    key: str  # units, depots, materials, teams, plans: also the import kind of its template
    zh: str
    en: str
    hint_zh: str
    hint_en: str
    count: int

    @property
    def done(self) -> bool:
        return self.count > 0


_STEPS: tuple[tuple[str, Any, str, str, str, str], ...] = (
    ("units", Unit, "单位", "Units",
     "区政府部门、街镇、企业和社会组织：预案、队伍和储备库都属于某个单位",
     "departments, streets/towns, enterprises, organisations: plans, teams and depots "
     "belong to one"),
    ("depots", Depot, "储备库", "Depots",
     "市级、区级、街镇级储备库（点），以及企业代储、协议储备",
     "city, district and street/town stores, enterprise-held and agreement reserves"),
    ("materials", Material, "物资目录", "Materials",
     "物资品类、计量单位和保质期；入库和定额都按品类登记",
     "material types, units of measure and shelf lives; receipts and quotas use them"),
    ("teams", Team, "救援队伍", "Teams",
     "专业队伍、街镇队伍和社会应急力量，及其队员和证书",
     "professional, street/town and social rescue teams, their members and certificates"),
    ("plans", Plan, "应急预案", "Plans",
     "总体、专项、部门预案；演练计划按预案的演练周期生成",
     "overall, special and departmental plans; the drill schedule follows their intervals"),
)  # fmt: skip

SETUP_ORDER: tuple[str, ...] = tuple(step[0] for step in _STEPS)


def setup_steps(session: Session) -> list[SetupStep]:
    """The five first steps, each with how many records it has so far."""
    return [
        SetupStep(key, zh, en, hint_zh, hint_en, session.scalar(select(func.count(model.id))) or 0)
        for key, model, zh, en, hint_zh, hint_en in _STEPS
    ]


def next_step(steps: list[SetupStep]) -> SetupStep | None:
    """The first step not done yet (None: the register has something in every step)."""
    return next((step for step in steps if not step.done), None)

"""Editing the warning-level response matrix (预警响应矩阵): hazards and their allowed levels,
the plans activated from a level up, the teams standing by and the materials to pre-position.

Every write is one function taking a Session. A refusal is a ``ValidationError(field, ...)``
raised before anything is written: an unknown hazard, plan, team, material, depot or unit; a
level the hazard does not allow; a headcount or quantity not above 0; a plan's activation
levels that skip one (a plan activated at 黄 is also activated at 橙 and 红: the levels given
are a run without gaps up to the hazard's highest level); a line that is already there.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from drillplan.audit import log as auditlog
from drillplan.db.models import (
    Depot,
    Hazard,
    HazardMaterialLine,
    HazardPlan,
    HazardTeamLine,
    Material,
    Plan,
    Team,
    Unit,
)
from drillplan.hazards.levels import LABELS, LEVEL_CODES, level_rank, parse_level, parse_levels
from drillplan.kernel import values as v
from drillplan.kernel.errors import ValidationError
from drillplan.kernel.numbers import QUANTITY_LIMIT, parse_decimal_number
from drillplan.kernel.text import normalize_text

ALL = list(LEVEL_CODES)
#: the starter hazards (issue 15): which warning levels each has is data the office edits
STARTER_HAZARDS: tuple[dict[str, Any], ...] = (
    {"code": "typhoon", "name": "台风", "name_en": "Typhoon", "aliases": ["防台"], "levels": ALL},
    {"code": "rainstorm", "name": "暴雨", "name_en": "Rainstorm", "aliases": [], "levels": ALL},
    {"code": "flood", "name": "防汛", "name_en": "Flood control",
     "aliases": ["洪水", "洪涝", "防汛防台"], "levels": ALL,
     "notes": "防汛防台应急响应 Ⅳ～Ⅰ级"},
    {"code": "heat", "name": "高温", "name_en": "High temperature", "aliases": [],
     "levels": ["yellow", "orange", "red"], "notes": "高温预警信号从黄色起"},
    {"code": "cold", "name": "寒潮", "name_en": "Cold wave / icing",
     "aliases": ["冰冻", "寒潮冰冻", "道路结冰"], "levels": ALL},
    {"code": "passenger_flow", "name": "大客流", "name_en": "Large passenger flow",
     "aliases": ["轨交大客流"], "levels": ALL,
     "notes": "轨道交通运营单位自定的客流等级，按本区约定对应蓝～红"},
    {"code": "hazchem", "name": "危化品", "name_en": "Hazardous chemicals",
     "aliases": ["危险化学品", "危化"], "levels": ALL},
)  # fmt: skip


def _text(value: object) -> str:
    return "" if value is None else normalize_text(str(value))


def _required(field: str, what: str, value: object) -> str:
    text = _text(value)
    if not text:
        raise ValidationError(field, f"请填写{what}", message_en=f"{field} is required",
                              rule="required")  # fmt: skip
    return text


# ---------------------------------------------------------------------------- lookups


def get_hazard(session: Session, value: object, *, field: str = "hazard") -> Hazard:
    """A hazard by id, code, name or one of its aliases (洪水 for 防汛)."""
    if isinstance(value, Hazard):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        found = session.get(Hazard, value)
        if found is not None:
            return found
    text = _required(field, "灾种", value)
    rows = list(session.scalars(select(Hazard).order_by(Hazard.id)))
    folded = text.casefold()
    for row in rows:
        if folded in {row.code.casefold(), row.name.casefold(), row.name_en.casefold()} or text in (
            row.aliases or []
        ):
            return row
    names = "、".join(r.name for r in rows)
    hint = f"可选：{names}" if rows else "尚无灾种，请先运行 drillplan hazards seed"
    raise ValidationError(
        field,
        f"灾种“{v.shown(text)}”不存在（{hint}）",
        message_en=f"no hazard {text!r}",
        rule="not_in_list",
    )


def _by_code_or_name(
    session: Session, model: Any, value: object, field: str, what: str, name_column: Any
) -> Any:
    if isinstance(value, model):
        return value
    text = _required(field, what, value)
    row = session.scalar(select(model).where(or_(model.code == text, name_column == text)))
    if row is None:
        raise ValidationError(
            field,
            f"{what}“{v.shown(text)}”不存在",
            message_en=f"no {model.__tablename__} {text!r}",
            rule="not_in_list",
        )
    return row


def get_plan(session: Session, value: object) -> Plan:
    return _by_code_or_name(session, Plan, value, "plan", "预案", Plan.title)  # type: ignore[no-any-return]


def get_team(session: Session, value: object) -> Team:
    return _by_code_or_name(session, Team, value, "team", "队伍", Team.name)  # type: ignore[no-any-return]


def get_material(session: Session, value: object) -> Material:
    return _by_code_or_name(session, Material, value, "material", "物资", Material.name)  # type: ignore[no-any-return]


def get_depot(session: Session, value: object) -> Depot:
    return _by_code_or_name(session, Depot, value, "depot", "储备库", Depot.name)  # type: ignore[no-any-return]


def get_unit(session: Session, value: object) -> Unit:
    return _by_code_or_name(session, Unit, value, "unit", "单位", Unit.name)  # type: ignore[no-any-return]


def _positive_int(value: object, field: str, what: str) -> int:
    number = parse_decimal_number(
        _required(field, what, value) if value != 0 else 0, field=field, what=what, what_en=field
    )
    if number != number.to_integral_value() or number <= 0 or number > 100_000:
        raise ValidationError(
            field,
            f"{what}应为大于 0 的整数",
            message_en=f"{field} must be a whole number above 0",
            rule="not_positive",
        )
    return int(number)


def _positive_quantity(value: object, field: str = "quantity") -> Decimal:
    if value in (None, ""):
        raise ValidationError(
            field, "请填写数量", message_en="quantity is required", rule="required"
        )
    number = parse_decimal_number(value, field=field, what="数量", what_en=field)
    if number <= 0:
        raise ValidationError(
            field,
            f"数量应大于 0（填的是 {number}）",
            message_en="quantity must be above 0",
            rule="not_positive",
        )
    if number > QUANTITY_LIMIT or number != number.quantize(Decimal("0.001")):
        raise ValidationError(
            field,
            "数量过大或小数超过 3 位",
            message_en="quantity too large or more than 3 decimals",
            rule="out_of_range",
        )
    return number


def _allowed(hazard: Hazard) -> list[str]:
    return [c for c in LEVEL_CODES if c in (hazard.levels or [])]


def _level(hazard: Hazard, value: object, field: str = "level") -> str:
    return parse_level(value, field=field, allowed=_allowed(hazard), hazard=hazard.name)


# ---------------------------------------------------------------------------- hazards


def _check_run(levels: Sequence[str], field: str, what: str) -> None:
    """Levels (lowest first) without a gap: 黄、红 skips 橙."""
    ranks = [level_rank(x) for x in levels]
    for low, high in itertools.pairwise(ranks):
        if high != low + 1:
            skipped = LABELS[LEVEL_CODES[low + 1]][0]
            raise ValidationError(
                field,
                f"{what}跳过了{skipped}（级别应连续，高级别包含低级别）",
                message_en=f"{field} skip {LEVEL_CODES[low + 1]}: levels must not skip one",
                rule="skips_level",
            )


def create_hazard(
    session: Session,
    *,
    code: object,
    name: object,
    levels: object,
    name_en: object = "",
    aliases: object = None,
    notes: object = None,
    user: str = "system",
) -> Hazard:
    code_text = v.parse_code(code, what="灾种编号")
    name_text = v.parse_text(name, field="name", what="灾种名称", max_len=40, required=True)
    allowed = parse_levels(levels)
    if not allowed:
        raise ValidationError(
            "levels", "请至少选择一个预警级别", message_en="levels required", rule="required"
        )
    _check_run(allowed, "levels", "预警级别")
    for column, value, what in (
        (Hazard.code, code_text, "灾种编号"),
        (Hazard.name, name_text, "灾种名称"),
    ):
        taken = session.scalar(select(Hazard.id).where(column == value))
        if taken is not None:
            raise ValidationError(
                column.key,
                f"{what}“{value}”已被使用",
                message_en=f"{column.key} {value!r} is taken",
            )
    row = Hazard(
        code=code_text,
        name=name_text,
        name_en=v.parse_text(name_en, field="name_en", what="英文名称", max_len=60) or "",
        aliases=v.parse_strings(aliases, field="aliases"),
        levels=allowed,
        notes=v.parse_text(notes, field="notes", what="备注", max_len=2000),
    )
    return auditlog.insert(session, row, user=user, action="hazard.create")


def ensure_starter_hazards(session: Session, *, user: str = "system") -> int:
    """Add the starter hazards whose code is not used yet; returns how many were added."""
    have = set(session.scalars(select(Hazard.code)))
    added = 0
    for row in STARTER_HAZARDS:
        if row["code"] not in have:
            create_hazard(session, user=user, **row)
            added += 1
    return added


def set_levels(session: Session, *, hazard: object, levels: object, user: str = "system") -> Hazard:
    """Change the levels a hazard has; refused when a line of the matrix uses a level dropped."""
    row = get_hazard(session, hazard)
    allowed = parse_levels(levels)
    if not allowed:
        raise ValidationError(
            "levels", "请至少选择一个预警级别", message_en="levels required", rule="required"
        )
    _check_run(allowed, "levels", "预警级别")
    dropped = [c for c in LEVEL_CODES if c not in allowed]
    if dropped:
        used = sum(
            session.scalar(
                select(func.count()).where(model.hazard_id == row.id, column.in_(dropped))
            )
            or 0
            for model, column in (
                (HazardPlan, HazardPlan.min_level),
                (HazardTeamLine, HazardTeamLine.level),
                (HazardMaterialLine, HazardMaterialLine.level),
            )
        )
        if used:
            raise ValidationError(
                "levels",
                f"{row.name}的矩阵中有 {used} 行用到了要去掉的级别，请先删除这些行",
                message_en=f"{used} lines of {row.code} use a level being removed",
                rule="level_in_use",
            )
    return auditlog.update(
        session,
        row,
        {"levels": allowed},
        user=user,
        action="hazard.levels",
        what=f"灾种 {row.name} ",
    )


# ---------------------------------------------------------------------------- plans


def activation_level(hazard: Hazard, *, min_level: object = None, levels: object = None) -> str:
    """The lowest level a plan is activated at, from ``min_level`` or from the list of
    ``levels`` (a run without gaps up to the hazard's highest level)."""
    if levels not in (None, "", []):
        chosen = parse_levels(levels)
        allowed = _allowed(hazard)
        for code in chosen:
            parse_level(code, field="levels", allowed=allowed, hazard=hazard.name)
        _check_run(chosen, "levels", "启动级别")
        if chosen[-1] != allowed[-1]:
            missing = [LABELS[c][0] for c in allowed if level_rank(c) > level_rank(chosen[-1])]
            raise ValidationError(
                "levels",
                f"启动级别跳过了{'、'.join(missing)}（高级别包含低级别：{LABELS[chosen[0]][0]}"
                "启动的预案在更高级别也启动）",
                message_en="the levels stop below the hazard's highest one: higher levels "
                "include lower ones",
                rule="skips_level",
            )
        return chosen[0]
    return _level(hazard, min_level, "min_level")


def link_plan(
    session: Session,
    *,
    hazard: object,
    plan: object,
    min_level: object = None,
    levels: object = None,
    user: str = "system",
) -> HazardPlan:
    """Activate ``plan`` for ``hazard`` from a level up (a plan already linked gets the new
    level)."""
    h = get_hazard(session, hazard)
    p = get_plan(session, plan)
    level = activation_level(h, min_level=min_level, levels=levels)
    row = session.scalar(
        select(HazardPlan).where(HazardPlan.hazard_id == h.id, HazardPlan.plan_id == p.id)
    )
    if row is not None:
        return auditlog.update(
            session, row, {"min_level": level}, user=user, action="hazard_plan.update"
        )
    return auditlog.insert(
        session,
        HazardPlan(hazard_id=h.id, plan_id=p.id, min_level=level),
        user=user,
        action="hazard_plan.create",
    )


def unlink_plan(session: Session, *, hazard: object, plan: object, user: str = "system") -> None:
    h = get_hazard(session, hazard)
    p = get_plan(session, plan)
    row = session.scalar(
        select(HazardPlan).where(HazardPlan.hazard_id == h.id, HazardPlan.plan_id == p.id)
    )
    if row is None:
        raise ValidationError(
            "plan",
            f"预案 {p.code} 未关联{h.name}",
            message_en=f"plan {p.code} is not linked to {h.code}",
            rule="not_found",
        )
    auditlog.delete(session, row, user=user, action="hazard_plan.delete")


# ---------------------------------------------------------------------------- teams


def add_team_line(
    session: Session,
    *,
    hazard: object,
    level: object,
    team: object,
    headcount: object,
    notes: object = None,
    user: str = "system",
) -> HazardTeamLine:
    """A team that stands by from ``level`` up, with at least ``headcount`` people."""
    h = get_hazard(session, hazard)
    code = _level(h, level)
    t = get_team(session, team)
    people = _positive_int(headcount, "headcount", "最低待命人数")
    text = v.parse_text(notes, field="notes", what="备注", max_len=2000)
    taken = session.scalar(
        select(HazardTeamLine.id).where(
            HazardTeamLine.hazard_id == h.id,
            HazardTeamLine.level == code,
            HazardTeamLine.team_id == t.id,
        )
    )
    if taken is not None:
        raise ValidationError(
            "team",
            f"{h.name}{LABELS[code][0]}预警已列有队伍 {t.code}",
            message_en=f"team {t.code} is already on that line",
            rule="duplicate",
        )
    row = HazardTeamLine(hazard_id=h.id, level=code, team_id=t.id, headcount=people, notes=text)
    return auditlog.insert(session, row, user=user, action="hazard_team_line.create")


def remove_team_line(
    session: Session, *, hazard: object, level: object, team: object, user: str = "system"
) -> None:
    h = get_hazard(session, hazard)
    code = _level(h, level)
    t = get_team(session, team)
    row = session.scalar(
        select(HazardTeamLine).where(
            HazardTeamLine.hazard_id == h.id,
            HazardTeamLine.level == code,
            HazardTeamLine.team_id == t.id,
        )
    )
    if row is None:
        raise ValidationError(
            "team",
            f"{h.name}{LABELS[code][0]}预警没有队伍 {t.code}",
            message_en=f"no line for team {t.code}",
            rule="not_found",
        )
    auditlog.delete(session, row, user=user, action="hazard_team_line.delete")


# ---------------------------------------------------------------------------- materials


def _place(session: Session, depot: object, unit: object) -> tuple[int | None, int | None]:
    if depot not in (None, "") and unit not in (None, ""):
        raise ValidationError(
            "depot",
            "存放地点只能是一个储备库或一个单位，不能同时填写",
            message_en="give a depot or a unit, not both",
            rule="one_place",
        )
    if depot not in (None, ""):
        return get_depot(session, depot).id, None
    if unit not in (None, ""):
        return None, get_unit(session, unit).id
    return None, None


def _material_line(
    session: Session,
    h: Hazard,
    code: str,
    m: Material,
    depot_id: int | None,
    unit_id: int | None,
) -> HazardMaterialLine | None:
    return session.scalar(
        select(HazardMaterialLine).where(
            HazardMaterialLine.hazard_id == h.id,
            HazardMaterialLine.level == code,
            HazardMaterialLine.material_id == m.id,
            HazardMaterialLine.depot_id.is_(None)
            if depot_id is None
            else HazardMaterialLine.depot_id == depot_id,
            HazardMaterialLine.unit_id.is_(None)
            if unit_id is None
            else HazardMaterialLine.unit_id == unit_id,
        )
    )


def add_material_line(
    session: Session,
    *,
    hazard: object,
    level: object,
    material: object,
    quantity: object,
    depot: object = None,
    unit: object = None,
    notes: object = None,
    user: str = "system",
) -> HazardMaterialLine:
    """A material to pre-position from ``level`` up, in the material's unit of measure: at
    ``depot``, at the holders of ``unit`` (and the units below it), or (neither) anywhere in
    the district."""
    h = get_hazard(session, hazard)
    code = _level(h, level)
    m = get_material(session, material)
    amount = _positive_quantity(quantity)
    depot_id, unit_id = _place(session, depot, unit)
    text = v.parse_text(notes, field="notes", what="备注", max_len=2000)
    if _material_line(session, h, code, m, depot_id, unit_id) is not None:
        raise ValidationError(
            "material",
            f"{h.name}{LABELS[code][0]}预警在该地点已列有物资 {m.code}",
            message_en=f"material {m.code} is already on that line there",
            rule="duplicate",
        )
    row = HazardMaterialLine(
        hazard_id=h.id,
        level=code,
        material_id=m.id,
        quantity=amount,
        depot_id=depot_id,
        unit_id=unit_id,
        notes=text,
    )
    return auditlog.insert(session, row, user=user, action="hazard_material_line.create")


def remove_material_line(
    session: Session,
    *,
    hazard: object,
    level: object,
    material: object,
    depot: object = None,
    unit: object = None,
    user: str = "system",
) -> None:
    h = get_hazard(session, hazard)
    code = _level(h, level)
    m = get_material(session, material)
    depot_id, unit_id = _place(session, depot, unit)
    row = _material_line(session, h, code, m, depot_id, unit_id)
    if row is None:
        raise ValidationError(
            "material",
            f"{h.name}{LABELS[code][0]}预警在该地点没有物资 {m.code}",
            message_en=f"no line for material {m.code} there",
            rule="not_found",
        )
    auditlog.delete(session, row, user=user, action="hazard_material_line.delete")

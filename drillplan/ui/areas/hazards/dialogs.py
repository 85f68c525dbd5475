"""The fields of the matrix page's dialogs: a plan, team or material line of one hazard."""

from __future__ import annotations

from collections.abc import Sequence

from drillplan.hazards.levels import level_label

from drillplan.ui.forms import FieldSpec
from drillplan.ui.i18n import current_language, tr

Choices = Sequence[tuple[str, str]]


def level_choices(levels: Sequence[str]) -> list[tuple[str, str]]:
    lang = current_language()
    return [(code, level_label(code, lang)) for code in levels]


def _level(levels: Sequence[str], caption: str) -> FieldSpec:
    return FieldSpec("level", caption, "choice", required=True, choices=level_choices(levels),
                     aliases=("min_level", "levels"))  # fmt: skip


def plan_fields(levels: Sequence[str], plans: Choices) -> list[FieldSpec]:
    return [
        FieldSpec("plan", tr("预案"), "choice", required=True, choices=plans, searchable=True),
        _level(levels, tr("自此级别起启动")),
    ]


def team_fields(levels: Sequence[str], teams: Choices) -> list[FieldSpec]:
    return [
        _level(levels, tr("预警级别")),
        FieldSpec("team", tr("待命队伍"), "choice", required=True, choices=teams, searchable=True),
        FieldSpec("headcount", tr("最低待命人数"), "int", required=True),
        FieldSpec("notes", tr("备注"), "multiline"),
    ]


def material_fields(
    levels: Sequence[str], materials: Choices, depots: Choices, units: Choices
) -> list[FieldSpec]:
    return [
        _level(levels, tr("预警级别")),
        FieldSpec("material", tr("物资"), "choice", required=True, choices=materials,
                  searchable=True),
        FieldSpec("quantity", tr("前置数量"), "decimal", required=True,
                  hint=tr("按物资的计量单位")),
        FieldSpec("depot", tr("存放储备库"), "choice", choices=depots, searchable=True,
                  empty_choice=True, hint=tr("储备库与单位只填一个；都不填表示全区范围")),
        FieldSpec("unit", tr("存放单位"), "choice", choices=units, searchable=True,
                  empty_choice=True),
        FieldSpec("notes", tr("备注"), "multiline"),
    ]  # fmt: skip

"""响应矩阵: pick a hazard, see its warning levels and its matrix (the plans activated, the
teams standing by, the materials to pre-position, each from a level up); add and remove lines
through dialogs that call the matrix functions; run the hazard check for a chosen level and
print it. The page owns its actions (:class:`MatrixActions`); no SQL here."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSplitter, QVBoxLayout, QWidget

from drillplan.hazards import read
from drillplan.hazards.levels import level_label
from drillplan.readiness.hazard_check import HazardCheck

from drillplan.ui.area import AreaPage
from drillplan.ui.areas.hazards.actions import MatrixActions, check_summary
from drillplan.ui.context import UiContext
from drillplan.ui.i18n import current_language, tr
from drillplan.ui.rows_model import Col, RowsView
from drillplan.ui.widgets import tool_button

KIND_LABELS = {"plan": ("启动预案", "Plan"), "team": ("待命队伍", "Team"),
               "material": ("前置物资", "Material")}  # fmt: skip


def _kind(row: dict[str, Any]) -> str:
    zh, en = KIND_LABELS[row["kind"]]
    return tr(zh) if current_language() == "zh" else en


def _lang_label(level: str) -> str:
    return level_label(level, current_language())


def line_columns() -> tuple[Col, ...]:
    """The matrix table's columns, titled in the language of the moment (never at import)."""
    return (
        Col(tr("预警级别（自）"), lambda r: _lang_label(r["level"])),
        Col(tr("类型"), _kind),
        Col(tr("编号"), lambda r: r["code"]),
        Col(tr("名称"), lambda r: r["name"]),
        Col(tr("人数/数量"), lambda r: r["amount"], right=True),
        Col(tr("计量单位"), lambda r: r["uom"]),
        Col(
            tr("存放地点"), lambda r: r["place"] or ("" if r["kind"] != "material" else tr("全区"))
        ),
    )


def _tone(row: dict[str, Any]) -> str | None:
    return None if row["ok"] else "bad"


def check_columns() -> tuple[Col, ...]:
    """The check table's columns, titled in the language of the moment (never at import)."""
    return (
        Col(tr("类型"), _kind, tone=_tone),
        Col(tr("编号"), lambda r: r["code"], tone=_tone),
        Col(tr("名称"), lambda r: r["name"]),
        Col(tr("要求"), lambda r: r["need"], right=True),
        Col(tr("现有"), lambda r: r["have"], right=True),
        Col(tr("结论"), lambda r: tr("满足") if r["ok"] else r["what"], tone=_tone),
    )


def check_rows(result: HazardCheck) -> list[dict[str, Any]]:
    """The check's lines as rows of one table: teams, materials, plans."""
    lang = current_language()
    rows: list[dict[str, Any]] = []
    for t in result.teams:
        rows.append({"kind": "team", "code": t.code, "name": t.name, "need": t.headcount,
                     "have": t.counted, "ok": t.ok, "what": t.problem(lang)})  # fmt: skip
    for m in result.materials:
        what = tr("缺 {short}{uom}").format(short=f"{m.short.normalize():f}", uom=m.uom)
        rows.append({"kind": "material", "code": m.code, "name": m.name, "need": m.required,
                     "have": m.usable, "ok": m.ok, "what": what})  # fmt: skip
    for p in result.plans:
        problems = p.problems if lang == "zh" else p.problems_en
        rows.append({"kind": "plan", "code": p.code, "name": p.title, "need": None,
                     "have": None, "ok": p.current, "what": "；".join(problems)})  # fmt: skip
    return rows


class HazardsPage(AreaPage):
    areas = ("hazards", "plans", "teams", "stock")

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.actions = MatrixActions(self)
        self.hazards: list[dict[str, Any]] = []
        self.choices: dict[str, list[tuple[str, str]]] = {}
        self.result: HazardCheck | None = None

        self.hazard_box = QComboBox(self)
        self.hazard_box.setObjectName("hazardBox")
        self.hazard_box.setMinimumWidth(160)
        self.hazard_box.currentIndexChanged.connect(lambda _i: self._hazard_changed())
        self.levels_label = QLabel(self)
        self.levels_label.setObjectName("dataLabel")
        top = QHBoxLayout()
        top.addWidget(QLabel(tr("灾种"), self))
        top.addWidget(self.hazard_box)
        top.addWidget(self.levels_label, 1)
        top.addWidget(tool_button(tr("加入推荐灾种"), self, self.actions.seed))
        tools = QHBoxLayout()
        tools.addWidget(tool_button(tr("加入预案"), self, self.actions.add_plan))
        tools.addWidget(tool_button(tr("加入队伍"), self, self.actions.add_team, "Ctrl+N"))
        tools.addWidget(tool_button(tr("加入物资"), self, self.actions.add_material))
        tools.addWidget(tool_button(tr("删除所选"), self, self.actions.remove))
        tools.addStretch(1)
        tools.addWidget(QLabel(tr("核查级别"), self))
        self.level_box = QComboBox(self)
        self.level_box.setObjectName("checkLevelBox")
        self.level_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.level_box.setMinimumWidth(self.fontMetrics().horizontalAdvance("红色（Ⅰ级）") + 40)
        tools.addWidget(self.level_box)
        tools.addWidget(tool_button(tr("核查"), self, self.actions.check))
        tools.addWidget(tool_button(tr("打印核查单"), self, self.actions.print_check))

        self.lines = RowsView(line_columns(), "matrixLines", self)
        self.checked = RowsView(check_columns(), "hazardCheck", self)
        self.summary = QLabel(self)
        self.summary.setObjectName("dataLabel")
        self.summary.setWordWrap(True)
        lower = QWidget(self)
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.summary)
        lower_layout.addWidget(self.checked, 1)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.lines)
        split.addWidget(lower)
        split.setSizes([360, 260])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(tools)
        layout.addWidget(split, 1)
        self.refresh()

    # --- what is chosen ----------------------------------------------------------------------

    def _current(self) -> dict[str, Any] | None:
        i = self.hazard_box.currentIndex()
        return self.hazards[i] if 0 <= i < len(self.hazards) else None

    def hazard_code(self) -> str | None:
        h = self._current()
        return None if h is None else str(h["code"])

    def hazard_name(self) -> str:
        h = self._current()
        return "" if h is None else str(h["name"])

    def levels(self) -> list[str]:
        h = self._current()
        return [] if h is None else list(h["levels"])

    def check_level(self) -> str | None:
        data = self.level_box.currentData()
        return None if data is None else str(data)

    # --- loading -----------------------------------------------------------------------------

    def refresh(self) -> None:
        self.op(lambda s: (read.hazards(s), read.line_choices(s)), self._got_hazards)

    def _got_hazards(self, got: tuple[list[dict[str, Any]], dict[str, Any]]) -> None:
        keep = self.hazard_code()
        self.hazards, self.choices = got
        self.hazard_box.blockSignals(True)
        self.hazard_box.clear()
        for h in self.hazards:
            self.hazard_box.addItem(f"{h['name']}（{h['code']}）", h["code"])
        index = self.hazard_box.findData(keep) if keep else 0
        self.hazard_box.setCurrentIndex(max(index, 0))
        self.hazard_box.blockSignals(False)
        self._hazard_changed()

    def _hazard_changed(self) -> None:
        code = self.hazard_code()
        levels = self.levels()
        chosen = self.check_level()
        self.level_box.clear()
        for value, text in ((c, _lang_label(c)) for c in reversed(levels)):
            self.level_box.addItem(text, value)
        if chosen in levels:
            self.level_box.setCurrentIndex(self.level_box.findData(chosen))
        if code is None:
            self.levels_label.setText(tr("尚无灾种：点“加入推荐灾种”"))
            self.lines.set_rows([])
            return
        self.levels_label.setText(
            tr("预警级别：{levels}").format(levels="、".join(_lang_label(c) for c in levels))
        )
        self.op(lambda s: read.matrix_lines(s, hazard=code), self._got_lines)

    def _got_lines(self, rows: list[dict[str, Any]]) -> None:
        self.lines.set_rows(rows)

    def show_check(self, result: HazardCheck) -> None:
        self.result = result
        self.summary.setText(check_summary(result))
        self.checked.set_rows(check_rows(result))

    def new_item(self) -> None:
        self.actions.add_team()

    def delete_item(self) -> None:
        self.actions.remove()

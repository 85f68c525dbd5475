"""避难场所: shelters and dual-use facilities, their inspections and the capacity audit.

The register on the left (overdue inspections in red, due within 30 days in amber), the audit
on the right (inspections overdue, capacity per street-town against its population). Ctrl+N
new, Enter edit, Del delete; 记录巡查 records an inspection; 分类管理 edits the classification.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QSplitter, QVBoxLayout, QWidget

from drillplan.facilities import audit as facility_audit
from drillplan.facilities import read
from drillplan.facilities import register as facilities
from drillplan.kernel.values import validate_phone
from drillplan.kernel.vocab import (
    FACILITY_AMENITIES,
    EmergencyUse,
    FacilityStatus,
    InspectionResult,
)
from drillplan.org import read as org_read

from drillplan.ui import prefs as prefs_module
from drillplan.ui.area import AreaPage
from drillplan.ui.areas.facilities.classes_dialog import ClassesDialog
from drillplan.ui.context import UiContext
from drillplan.ui.forms import FieldSpec, vocab
from drillplan.ui.i18n import current_language, tr
from drillplan.ui.rows_model import Col, RowsView
from drillplan.ui.widgets import tool_button

SOON_DAYS = 30


def facility_fields(
    classes: list[tuple[int, str]], streets: list[tuple[int, str]], units: list[tuple[int, str]]
) -> list[FieldSpec]:
    lang = current_language()
    amenities = [(k, zh if lang == "zh" else en) for k, (zh, en) in FACILITY_AMENITIES.items()]
    return [
        FieldSpec("code", tr("场所编号"), required=True, max_length=32),
        FieldSpec("name", tr("场所名称"), required=True, max_length=120),
        FieldSpec("class_id", tr("分类"), "choice", required=True, choices=classes),
        FieldSpec("street_unit_id", tr("所在街镇"), "choice", required=True, choices=streets,
                  searchable=True),
        FieldSpec("unit_in_charge_id", tr("责任单位"), "choice", required=True, choices=units,
                  searchable=True),
        FieldSpec("address", tr("地址"), max_length=200),
        FieldSpec("capacity_people", tr("可容纳人数"), "int"),
        FieldSpec("area_m2", tr("面积（平方米）"), "decimal"),
        FieldSpec("normal_use", tr("平时用途"), max_length=60,
                  placeholder=tr("如：学校、体育场馆")),
        FieldSpec("emergency_use", tr("急时用途"), "choice", choices=vocab(EmergencyUse)),
        FieldSpec("conversion_hours", tr("平急转换时间（小时）"), "int"),
        FieldSpec("amenities", tr("设施"), "multi", choices=amenities),
        FieldSpec("contact", tr("联系人"), max_length=60),
        FieldSpec("phone", tr("联系电话"), check=lambda v: validate_phone(v),
                  placeholder="021-59720000 / 13800000000"),
        FieldSpec("last_inspected_on", tr("最近巡查日期"), "date"),
        FieldSpec("inspection_days", tr("巡查周期（天）"), "int",
                  hint=tr("不填则用设置中的默认巡查周期")),
        FieldSpec("status", tr("状态"), "choice", choices=vocab(FacilityStatus)),
        FieldSpec("notes", tr("备注"), "multiline"),
    ]  # fmt: skip


def inspection_fields() -> list[FieldSpec]:
    return [
        FieldSpec("inspected_on", tr("巡查日期"), "date", required=True),
        FieldSpec("inspector", tr("巡查人"), required=True, max_length=60),
        FieldSpec("result", tr("巡查结果"), "choice", choices=vocab(InspectionResult)),
        FieldSpec("notes", tr("备注"), "multiline"),
    ]


def _due_tone(row: dict[str, Any], as_of: dt.date) -> str | None:
    if row["status"] not in (FacilityStatus.IN_SERVICE.value, FacilityStatus.LIMITED.value):
        return "muted"
    if row["overdue"]:
        return "bad"
    due = row["next_due"]
    return "warn" if due is not None and (due - as_of).days <= SOON_DAYS else None


def _street_tone(row: facility_audit.StreetCapacity) -> str | None:
    return {"no_shelter": "bad", "below_target": "warn", "": "good"}.get(row.problem, "muted")


class FacilitiesPage(AreaPage):
    areas = ("facilities", "units")

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._classes: list[tuple[int, str]] = []
        self._streets: list[tuple[int, str]] = []
        self._units: list[tuple[int, str]] = []
        self._rows: list[dict[str, Any]] = []
        as_of = ctx.as_of
        self.search = QLineEdit(self)
        self.search.setObjectName("facilitySearch")
        self.search.setPlaceholderText(tr("查找：编号、名称、街镇、用途…"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _t: self._show_rows())
        tools = QHBoxLayout()
        tools.addWidget(self.search, 1)
        tools.addWidget(tool_button(tr("新建场所"), self, self.new_item, "Ctrl+N"))
        tools.addWidget(tool_button(tr("编辑"), self, self.edit_item, "Enter"))
        tools.addWidget(tool_button(tr("删除"), self, self.delete_item, "Del"))
        tools.addWidget(tool_button(tr("记录巡查"), self, self.record_inspection))
        tools.addWidget(tool_button(tr("分类管理"), self, self.edit_classes))
        self.view = RowsView(
            [
                Col(tr("编号"), lambda r: r["code"]),
                Col(tr("场所名称"), lambda r: r["name"]),
                Col(tr("分类"), lambda r: r["class_name"]),
                Col(tr("所在街镇"), lambda r: r["street_name"]),
                Col(tr("可容纳人数"), lambda r: r["capacity_people"], right=True),
                Col(tr("急时用途"), lambda r: r["emergency_use_label"]),
                Col(tr("最近巡查"), lambda r: r["last_inspected_on"] or tr("从未巡查"),
                    tone=lambda r: _due_tone(r, as_of())),
                Col(tr("下次巡查"), lambda r: r["next_due"],
                    tone=lambda r: _due_tone(r, as_of())),
                Col(tr("状态"), lambda r: r["status_label"]),
            ],
            "facilitiesTable",
            self,
        )  # fmt: skip
        self.view.doubleClicked.connect(lambda _i: self.edit_item())
        self.count = QLabel(self)
        self.count.setObjectName("pageNote")
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(tools)
        left_layout.addWidget(self.view, 1)
        left_layout.addWidget(self.count)

        self.summary = QLabel(self)
        self.summary.setObjectName("sectionTitle")
        self.summary.setWordWrap(True)
        self.overdue = RowsView(
            [
                Col(tr("场所名称"), lambda i: i.name),
                Col(tr("所在街镇"), lambda i: i.street),
                Col(tr("逾期（天）"), lambda i: i.days_overdue if i.next_due else tr("从未巡查"),
                    right=True, tone=lambda _i: "bad"),
            ],
            "facilityOverdueTable",
            self,
        )  # fmt: skip
        self.streets = RowsView(
            [
                Col(tr("街镇"), lambda s: s.name),
                Col(tr("常住人口"), lambda s: s.population, right=True),
                Col(tr("可容纳"), lambda s: s.capacity, right=True),
                Col(tr("容量/人口"), lambda s: "" if s.ratio is None else f"{s.ratio:.1%}",
                    right=True, tone=_street_tone),
                Col(tr("结论"), lambda s: facility_audit.problem_label(s.problem,
                                                                       current_language()),
                    tone=_street_tone),
            ],
            "facilityStreetsTable",
            self,
        )  # fmt: skip
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.summary)
        caption = QLabel(tr("巡查逾期"), right)
        caption.setObjectName("sectionTitle")
        right_layout.addWidget(caption)
        right_layout.addWidget(self.overdue, 1)
        caption = QLabel(tr("各街镇避难容量"), right)
        caption.setObjectName("sectionTitle")
        right_layout.addWidget(caption)
        right_layout.addWidget(self.streets, 2)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("facilitiesSplitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([820, 540])
        prefs_module.current().restore_splitter(self.splitter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        self.refresh()

    # --- loading ---------------------------------------------------------------------------

    def refresh(self, keep: int | None = None) -> None:
        as_of = self.ctx.as_of()

        def load(session: Session) -> tuple[Any, ...]:
            return (
                read.facilities(session, as_of=as_of),
                facility_audit.audit(session, as_of=as_of, horizon=SOON_DAYS),
                read.class_choices(session),
                read.street_choices(session),
                org_read.unit_choices(session),
            )

        self.op(load, lambda got: self._got(got, keep))

    def _got(self, got: tuple[Any, ...], keep: int | None) -> None:
        rows, result, self._classes, self._streets, self._units = got
        current = self.current()
        keep = keep if keep is not None else (current["id"] if current else None)
        self._rows = rows
        self._show_rows(keep)
        self.overdue.set_rows(result.overdue)
        self.streets.set_rows(result.streets)
        self.summary.setText(
            tr("巡查逾期 {overdue} 处，{soon} 天内到期 {due} 处；容量未达目标的街镇 {short} 个"
               "（目标：常住人口的 {target}）").format(
                overdue=len(result.overdue), soon=SOON_DAYS, due=len(result.due_soon),
                short=len(result.street_findings), target=f"{result.target_ratio:.0%}",
            )
        )  # fmt: skip

    def _show_rows(self, keep: int | None = None) -> None:
        words = self.search.text().strip().casefold().split()
        keys = ("code", "name", "class_name", "street_name", "emergency_use_label", "normal_use",
                "address")  # fmt: skip

        def hit(row: dict[str, Any]) -> bool:
            text = " ".join(str(row.get(k) or "") for k in keys).casefold()
            return all(w in text for w in words)

        shown = [r for r in self._rows if hit(r)]
        self.view.set_rows(shown)
        ids = [r["id"] for r in shown]
        self.view.choose_row(ids.index(keep) if keep in ids else 0)
        self.count.setText(tr("共 {n} 处").format(n=len(shown)))

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def current(self) -> dict[str, Any] | None:
        row = self.view.current()
        return row if isinstance(row, dict) else None

    # --- actions ---------------------------------------------------------------------------

    def _saved(self, row: Any) -> None:
        self.refresh(getattr(row, "id", None))

    def new_item(self) -> None:
        user = self.ctx.user

        def save(session: Session, values: dict[str, Any]) -> Any:
            return facilities.create_facility(session, user=user, **values)

        self.form(
            name="facilityNew",
            title=tr("新建场所"),
            fields=facility_fields(self._classes, self._streets, self._units),
            values={"emergency_use": EmergencyUse.SHELTERING.value,
                    "status": FacilityStatus.IN_SERVICE.value},
            save=save,
            changes=("facilities",),
            saved=self._saved,
        )  # fmt: skip

    def edit_item(self) -> None:
        row = self.current()
        if row is None:
            self.need_selection(tr("一处场所"))
            return
        facility_id = row["id"]
        self.op(lambda s: read.facility_values(s, facility_id),
                lambda v: self._edit(facility_id, v))  # fmt: skip

    def _edit(self, facility_id: int, values: dict[str, Any]) -> None:
        version, user = values.pop("row_version"), self.ctx.user

        def save(session: Session, changed: dict[str, Any]) -> Any:
            return facilities.update_facility(
                session, facility_id=facility_id, expected_version=version, user=user, **changed
            )

        self.form(
            name="facilityEdit",
            title=tr("编辑场所 {code}").format(code=values["code"]),
            fields=facility_fields(self._classes, self._streets, self._units),
            values=values,
            save=save,
            changes=("facilities",),
            saved=self._saved,
            record=facility_id,
        )

    def delete_item(self) -> None:
        row = self.current()
        if row is None:
            self.need_selection(tr("一处场所"))
            return
        if not self.confirm_delete(tr("所选场所及其巡查记录")):
            return
        facility_id, user = row["id"], self.ctx.user
        self.op(
            lambda s: facilities.delete_facility(s, facility_id=facility_id, user=user),
            lambda _r: self.refresh(),
            changes=("facilities",),
        )

    def record_inspection(self) -> None:
        row = self.current()
        if row is None:
            self.need_selection(tr("一处场所"))
            return
        facility_id, user, today = row["id"], self.ctx.user, self.ctx.as_of()

        def save(session: Session, values: dict[str, Any]) -> Any:
            return facilities.record_inspection(
                session, facility_id=facility_id, user=user, today=max(today, dt.date.today()),
                **values,
            )  # fmt: skip

        self.form(
            name="facilityInspection",
            title=tr("记录巡查：{name}").format(name=row["name"]),
            fields=inspection_fields(),
            values={"inspected_on": today, "result": InspectionResult.PASSED.value},
            save=save,
            changes=("facilities",),
            saved=lambda _inspection: self.refresh(facility_id),
            record=("inspection", facility_id),
        )

    def edit_classes(self) -> None:
        dialog = ClassesDialog(self, self.ctx)
        dialog.finished.connect(lambda _r: self.refresh())
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()

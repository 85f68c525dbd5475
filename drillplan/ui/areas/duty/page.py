"""通讯录与值班: the contacts (a list with its form) and the monthly duty roster (a table of the
month's days and shifts; conflicts in red with the reason in the tooltip and in the side list),
month navigation, import, export and the printed roster."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from drillplan.contacts import read as contacts_read
from drillplan.contacts import register as contacts
from drillplan.duty import read as duty_read
from drillplan.duty import roster
from drillplan.duty.conflicts import WEEKDAYS_ZH, Finding, month_days
from drillplan.duty.shift_kinds import hours_in

from drillplan.ui import messages
from drillplan.ui.area import AreaPage
from drillplan.ui.areas.duty.forms import contact_fields, shift_fields
from drillplan.ui.context import UiContext
from drillplan.ui.i18n import current_language, tr
from drillplan.ui.listing_view import ListingPanel
from drillplan.ui.rows_model import Col, RowsView
from drillplan.ui.widgets import tool_button

CONTACTS_TAB, ROSTER_TAB = "contacts", "roster"


@dataclass(frozen=True)
class DayRow:
    """A row of the roster table: a shift, or a day without any (``shift`` None)."""

    day: dt.date
    shift: duty_read.ShiftRow | None
    findings: tuple[Finding, ...] = field(default=())

    def text(self, name: str) -> str:
        if self.shift is None:
            return tr("（未排班）") if name == "shift" else ""
        value = getattr(self.shift, name)
        return "、".join(value) if isinstance(value, tuple) else (value or "")


def _day_text(row: DayRow) -> str:
    day = row.day
    return f"{day.month}月{day.day}日" if current_language() == "zh" else day.isoformat()


def _weekday_text(row: DayRow) -> str:
    names = WEEKDAYS_ZH if current_language() == "zh" else duty_read.WEEKDAYS_EN
    return names[row.day.weekday()]


def _tip(row: DayRow) -> str:
    lang = current_language()
    return "\n".join(f.message if lang == "zh" else f.message_en for f in row.findings)


@dataclass
class _Choices:
    units: list[tuple[int, str]] = field(default_factory=list)
    depots: list[tuple[int, str]] = field(default_factory=list)
    teams: list[tuple[int, str]] = field(default_factory=list)
    kinds: list[tuple[int, str]] = field(default_factory=list)
    people: list[tuple[int, str]] = field(default_factory=list)


def _choices(session: Session) -> _Choices:
    return _Choices(
        contacts_read.owner_choices(session, "unit"),
        contacts_read.owner_choices(session, "depot"),
        contacts_read.owner_choices(session, "team"),
        duty_read.shift_kind_choices(session),
        [(cid, text.split(" ")[0]) for cid, text in contacts_read.contact_choices(session)],
    )


class DutyPage(AreaPage):
    """Two tabs: 通讯录 (contacts) and 值班表 (the month's roster)."""

    areas = ("contacts", "duty", "units", "teams", "stock")
    screenshot_tabs = (ROSTER_TAB,)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        today = ctx.as_of()
        self.year, self.month = today.year, today.month
        self.choices = _Choices()
        self.findings: list[Finding] = []
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("dutyTabs")

        # --- contacts
        self.panel = ListingPanel(
            contacts_read.CONTACTS, ctx.session, as_of=ctx.fixed_date,
            loader=ctx.load_in_background, parent=self,
        )  # fmt: skip
        self.panels = [self.panel]
        tools = self.panel.tools
        tools.addWidget(tool_button(tr("新建联系人"), self, self.new_contact, "Ctrl+N"))
        tools.addWidget(tool_button(tr("编辑"), self, self.edit_contact, "Enter"))
        tools.addWidget(tool_button(tr("删除"), self, self.delete_contact, "Del"))
        tools.addWidget(tool_button(tr("导入…"), self, lambda: self.open_import("contacts")))
        tools.addWidget(tool_button(tr("导出…"), self, lambda: self.export("contacts")))
        self.panel.activated.connect(lambda _id: self.edit_contact())
        self.tabs.addTab(self.panel, tr("通讯录"))

        # --- roster
        roster_tab = QWidget(self)
        bar = QHBoxLayout()
        bar.addWidget(tool_button(tr("◀ 上月"), roster_tab, lambda: self.move_month(-1)))
        self.month_label = QLabel(roster_tab)
        self.month_label.setObjectName("sectionTitle")
        bar.addWidget(self.month_label)
        bar.addWidget(tool_button(tr("下月 ▶"), roster_tab, lambda: self.move_month(1)))
        bar.addWidget(tool_button(tr("本月"), roster_tab, self.this_month))
        bar.addStretch(1)
        for caption, slot in (
            (tr("添加班次"), self.new_shift),
            (tr("编辑"), self.edit_shift),
            (tr("删除"), self.delete_shift),
            (tr("导入…"), lambda: self.open_import("duty")),
            (tr("导出本月…"), lambda: self.export("duty")),
            (tr("打印本月…"), lambda: self.print_month()),
            (tr("班次设置…"), self.open_kinds),
        ):
            bar.addWidget(tool_button(caption, roster_tab, slot))
        self.roster = RowsView(
            [
                Col(tr("日期"), _day_text),
                Col(tr("星期"), _weekday_text),
                Col(tr("班次"), lambda r: r.text("shift"), tone=self._tone, tip=_tip),
                Col(tr("时间"), lambda r: hours_in(r.text("hours"), current_language())),
                Col(tr("带班领导"), lambda r: r.text("leader"), tone=self._tone, tip=_tip),
                Col(tr("值班员"), lambda r: r.text("officers"), tone=self._tone, tip=_tip),
                Col(tr("联系电话"), lambda r: r.text("phone")),
                Col(tr("问题"), lambda r: len(r.findings) or "", right=True, tone=self._tone,
                    tip=_tip),
            ],
            "rosterTable",
            roster_tab,
        )  # fmt: skip
        self.roster.doubleClicked.connect(lambda _i: self.edit_shift())
        side = QWidget(roster_tab)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(6, 0, 0, 0)
        self.check_title = QLabel(side)
        self.check_title.setObjectName("sectionTitle")
        self.finding_list = QListWidget(side)
        self.finding_list.setObjectName("dutyFindings")
        self.finding_list.setWordWrap(True)
        self.finding_list.currentRowChanged.connect(self._finding_chosen)
        side_layout.addWidget(self.check_title)
        side_layout.addWidget(self.finding_list)
        split = QSplitter(Qt.Orientation.Horizontal, roster_tab)
        split.setObjectName("dutySplitter")
        split.addWidget(self.roster)
        split.addWidget(side)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(roster_tab)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(split, 1)
        self.tabs.addTab(roster_tab, tr("值班表"))

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.tabs)
        self.op(_choices, self._got_choices)
        self.load_month()

    # --- loading ---------------------------------------------------------------------------

    def _got_choices(self, choices: _Choices) -> None:
        self.choices = choices

    def _tone(self, row: DayRow) -> str | None:
        return "bad" if row.findings else None

    def refresh(self) -> None:
        self.panel.reload()
        self.op(_choices, self._got_choices)
        self.load_month()

    def focus_search(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.panel.focus_search()

    def show_tab(self, name: str) -> None:
        self.tabs.setCurrentIndex(1 if name == ROSTER_TAB else 0)

    def on_roster(self) -> bool:
        return self.tabs.currentIndex() == 1

    def load_month(self, keep: int | None = None) -> None:
        year, month = self.year, self.month
        self.month_label.setText(tr("{year}年{month}月").format(year=year, month=month))
        self.op(lambda s: duty_read.month_view(s, year, month), lambda m: self._show(m, keep))

    def _show(self, month: duty_read.Month, keep: int | None) -> None:
        by_day: dict[dt.date, list[duty_read.ShiftRow]] = {}
        for r in month.rows:
            by_day.setdefault(r.day, []).append(r)
        day_findings = {
            f.day: f for f in month.findings if f.rule == "no_leader" and not f.shift_ids
        }
        rows: list[DayRow] = []
        for day in month_days(month.year, month.month):
            shifts = by_day.get(day, [])
            if not shifts:
                found = day_findings.get(day)
                rows.append(DayRow(day, None, (found,) if found else ()))
            rows += [DayRow(day, s, s.findings) for s in shifts]
        current = self.current_shift()
        keep = keep if keep is not None else (current.id if current else None)
        self.roster.set_rows(rows)
        ids = [r.shift.id if r.shift else None for r in rows]
        if keep in ids:
            self.roster.choose_row(ids.index(keep))
        self.findings = month.findings
        self.check_title.setText(
            tr("冲突检查：{n} 个问题").format(n=len(month.findings))
            if month.findings
            else tr("冲突检查：未发现问题")
        )
        self.finding_list.clear()
        lang = current_language()
        for f in month.findings:
            self.finding_list.addItem(f.message if lang == "zh" else f.message_en)

    def _finding_chosen(self, index: int) -> None:
        if not 0 <= index < len(self.findings):
            return
        found = self.findings[index]
        rows = self.roster.rows_model.rows
        for n, r in enumerate(rows):
            if (r.shift is not None and r.shift.id in found.shift_ids) or (
                r.shift is None and r.day == found.day
            ):
                self.roster.choose_row(n)
                return

    def move_month(self, step: int) -> None:
        index = self.year * 12 + self.month - 1 + step
        self.year, self.month = divmod(index, 12)
        self.month += 1
        self.load_month()

    def this_month(self) -> None:
        today = self.ctx.as_of()
        self.year, self.month = today.year, today.month
        self.load_month()

    def current_shift(self) -> duty_read.ShiftRow | None:
        row = self.roster.current()
        return row.shift if isinstance(row, DayRow) else None

    # --- the standard actions: the tab in front decides -------------------------------------

    def new_item(self) -> None:
        self.new_shift() if self.on_roster() else self.new_contact()

    def edit_item(self) -> None:
        self.edit_shift() if self.on_roster() else self.edit_contact()

    def delete_item(self) -> None:
        self.delete_shift() if self.on_roster() else self.delete_contact()

    # --- contacts --------------------------------------------------------------------------

    def _contact_fields(self) -> list[Any]:
        c = self.choices
        return contact_fields(c.units, c.depots, c.teams)

    def _contact_saved(self, contact: Any) -> None:
        self.panel.reload(keep=getattr(contact, "id", None))
        self.op(_choices, self._got_choices)

    def new_contact(self) -> None:
        user = self.ctx.user
        self.form(
            name="contactNew",
            title=tr("新建联系人"),
            fields=self._contact_fields(),
            save=lambda s, values: contacts.create_contact(s, user=user, **values),
            changes=("contacts",),
            saved=self._contact_saved,
        )

    def edit_contact(self) -> None:
        contact_id = self.panel.current_id()
        if contact_id is None:
            self.need_selection(tr("一位联系人"))
            return
        self.op(
            lambda s: contacts_read.contact_values(s, contact_id),
            lambda v: self._edit_contact(contact_id, v),
        )

    def _edit_contact(self, contact_id: int, values: dict[str, Any]) -> None:
        version, user = values.pop("row_version"), self.ctx.user
        self.form(
            name="contactEdit",
            title=tr("编辑联系人 {name}").format(name=values["name"]),
            fields=self._contact_fields(),
            values=values,
            save=lambda s, changed: contacts.update_contact(
                s, contact_id=contact_id, expected_version=version, user=user, **changed
            ),
            changes=("contacts",),
            saved=self._contact_saved,
            record=("contact", contact_id),
        )

    def delete_contact(self) -> None:
        contact_id = self.panel.current_id()
        if contact_id is None:
            self.need_selection(tr("一位联系人"))
            return
        if not self.confirm_delete(tr("所选联系人")):
            return
        user = self.ctx.user
        self.op(
            lambda s: contacts.delete_contact(s, contact_id=contact_id, user=user),
            lambda _r: self.refresh(),
            changes=("contacts",),
        )

    # --- shifts ----------------------------------------------------------------------------

    def _shift_fields(self) -> list[Any]:
        return shift_fields(self.choices.kinds, self.choices.people)

    def _shift_saved(self, shift: Any) -> None:
        self.load_month(keep=getattr(shift, "id", None))

    def new_shift(self) -> None:
        user = self.ctx.user
        row = self.roster.current()
        day = row.day if isinstance(row, DayRow) else dt.date(self.year, self.month, 1)
        kinds = self.choices.kinds
        self.form(
            name="shiftNew",
            title=tr("添加班次"),
            fields=self._shift_fields(),
            values={"day": day, "shift_kind_id": kinds[0][0] if kinds else None},
            save=lambda s, values: roster.create_shift(s, user=user, **values),
            changes=("duty",),
            saved=self._shift_saved,
        )

    def edit_shift(self) -> None:
        shift = self.current_shift()
        if shift is None:
            self.need_selection(tr("一个班次"))
            return
        shift_id = shift.id
        self.op(
            lambda s: duty_read.shift_values(s, shift_id),
            lambda v: self._edit_shift(shift_id, v),
        )

    def _edit_shift(self, shift_id: int, values: dict[str, Any]) -> None:
        version, user = values.pop("row_version"), self.ctx.user
        day = values["day"]
        self.form(
            name="shiftEdit",
            title=tr("编辑 {day} 的班次").format(day=f"{day.month}月{day.day}日"),
            fields=self._shift_fields(),
            values=values,
            save=lambda s, changed: roster.update_shift(
                s, shift_id=shift_id, expected_version=version, user=user, **changed
            ),
            changes=("duty",),
            saved=self._shift_saved,
            record=("shift", shift_id),
        )

    def delete_shift(self) -> None:
        shift = self.current_shift()
        if shift is None:
            self.need_selection(tr("一个班次"))
            return
        if not self.confirm_delete(tr("所选班次")):
            return
        user, shift_id = self.ctx.user, shift.id
        self.op(
            lambda s: roster.delete_shift(s, shift_id=shift_id, user=user),
            lambda _r: self.load_month(),
            changes=("duty",),
        )

    def open_kinds(self) -> None:
        from drillplan.ui.areas.duty.kinds import open_shift_kinds

        def changed() -> None:
            self.op(_choices, self._got_choices)
            self.load_month()

        self.kinds_dialog = open_shift_kinds(self, changed)

    # --- files -----------------------------------------------------------------------------

    def open_import(self, kind: str) -> None:
        from drillplan.ui.areas.interchange.import_dialog import ImportDialog

        dialog = ImportDialog(self, self.ctx)
        dialog.set_kind(kind)
        dialog.finished.connect(lambda _r: self.refresh())
        dialog.finished.connect(dialog.deleteLater)
        self.import_dialog = dialog
        dialog.open()

    def export(self, kind: str, dest: str | None = None) -> None:
        year, month = self.year, self.month
        if dest is None:
            name = f"值班表{year}年{month}月.xlsx" if kind == "duty" else "通讯录.xlsx"
            dest, _f = QFileDialog.getSaveFileName(
                self, tr("导出"), name, tr("Excel 工作簿 (*.xlsx);;CSV (*.csv)")
            )
            if not dest:
                return
        path = dest

        def work(session: Session) -> int:  # openpyxl: imported when a file is written
            from drillplan.interchange.duty_month import export_month
            from drillplan.interchange.exporter import export_file

            if kind == "duty":
                return export_month(session, year, month, path)
            return export_file(session, kind, path).rows

        self.op(work, lambda n: self._exported(n, path))

    def _exported(self, rows: int, path: str) -> None:
        self.last_file = path
        messages.inform(self, tr("已导出"), tr("已导出 {n} 行到 {path}").format(n=rows, path=path))

    def print_month(self, dest: str | None = None) -> None:
        year, month = self.year, self.month
        if dest is None:
            dest, _f = QFileDialog.getSaveFileName(
                self, tr("打印本月值班表"), f"值班表{year}年{month}月.pdf", "PDF (*.pdf)"
            )
            if not dest:
                return
        path, as_of, lang = dest, self.ctx.as_of(), current_language()

        def work(session: Session) -> Any:
            from drillplan.reports.registry import build_report

            return build_report(session, "duty-roster", path, as_of=as_of, lang=lang,  # type: ignore[arg-type]
                                month=f"{year:04d}-{month:02d}")  # fmt: skip

        self.op(work, lambda _r: self._exported_pdf(path))

    def _exported_pdf(self, path: str) -> None:
        self.last_file = path
        messages.inform(self, tr("已生成"), tr("值班表已保存到 {path}").format(path=path))

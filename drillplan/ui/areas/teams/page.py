"""救援队伍: teams, their members and members' certificates (codes and phones checked inline)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from sqlalchemy.orm import Session

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSplitter, QVBoxLayout, QWidget

from drillplan.kernel.values import validate_credit_code, validate_phone
from drillplan.kernel.vocab import Readiness, TeamKind, Tier
from drillplan.org import read as org_read
from drillplan.org import teams
from drillplan.org.listing import TEAMS
from drillplan.stock import read as stock_read
from drillplan.stock.expiry import status_label

from drillplan.ui import prefs as prefs_module
from drillplan.ui.area import AreaPage
from drillplan.ui.areas.teams.members import MemberActions
from drillplan.ui.context import UiContext
from drillplan.ui.forms import FieldSpec, vocab
from drillplan.ui.i18n import current_language, tr
from drillplan.ui.listing_view import ListingPanel
from drillplan.ui.rows_model import Col, RowsView
from drillplan.ui.widgets import tool_button


def team_fields(units: list[tuple[int, str]]) -> list[FieldSpec]:
    return [
        FieldSpec("code", tr("队伍编号"), required=True, max_length=32),
        FieldSpec("name", tr("队伍名称"), required=True, max_length=120),
        FieldSpec("kind", tr("队伍类型"), "choice", required=True, choices=vocab(TeamKind)),
        FieldSpec("specialties", tr("专业方向"), "list", hint=tr("如：防汛抢险、水上救援")),
        FieldSpec(
            "owner_unit_id", tr("所属单位"), "choice", required=True, choices=units, searchable=True
        ),
        FieldSpec("tier", tr("层级"), "choice", required=True, choices=vocab(Tier)),
        FieldSpec("base", tr("驻地"), max_length=200),
        FieldSpec(
            "duty_phone",
            tr("值班电话"),
            check=lambda v: validate_phone(v, field="duty_phone"),
            placeholder="021-59720000 / 13800000000",
        ),
        FieldSpec("response_minutes", tr("响应时间（分钟）"), "int"),
        FieldSpec("readiness", tr("战备状态"), "choice", choices=vocab(Readiness)),
        FieldSpec("headcount", tr("编制人数"), "int"),
        FieldSpec(
            "credit_code",
            tr("统一社会信用代码"),
            max_length=18,
            check=lambda v: validate_credit_code(v, allow_bad_check=True),
            hint=tr("社会应急力量必填；18 位，含校验位"),
        ),
        FieldSpec("credit_code_override", tr("代码已核实：校验位或类别不符仍保存"), "bool"),
        FieldSpec("agreement_no", tr("合作协议编号"), max_length=40),
        FieldSpec("agreement_expires_on", tr("协议到期日"), "date"),
    ]


class TeamsPage(AreaPage):
    """Teams above; the selected team's members and a member's certificates below."""

    areas = ("teams", "units")

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.member_actions = acts = MemberActions(self)
        self.panel = ListingPanel(
            TEAMS, ctx.session, as_of=ctx.fixed_date, loader=ctx.load_in_background, parent=self
        )
        self.panels = [self.panel]
        tools = self.panel.tools
        tools.addWidget(tool_button(tr("新建队伍"), self, self.new_item, "Ctrl+N"))
        tools.addWidget(tool_button(tr("编辑"), self, self.edit_item, "Enter"))
        tools.addWidget(tool_button(tr("删除"), self, self.delete_item, "Del"))
        self.panel.add_choice_filter("kind", tr("类型"), vocab(TeamKind))
        self.panel.add_choice_filter("tier", tr("层级"), vocab(Tier))
        self.panel.activated.connect(lambda _id: self.edit_item())
        self.panel.current_changed.connect(lambda _id: self.load_members())

        self.members = RowsView(
            [
                Col(tr("姓名"), lambda m: m.name),
                Col(tr("职务"), lambda m: m.role),
                Col(tr("电话"), lambda m: m.phone),
                Col(tr("保险至"), lambda m: m.insured_until),
                Col(tr("在册"), lambda m: m.active),
                Col(tr("证书"), lambda m: m.certificates, right=True),
            ],
            "membersTable",
            self,
        )
        self.members.selectionModel().currentRowChanged.connect(
            lambda *_a: self.load_certificates()
        )
        self.members.doubleClicked.connect(lambda _i: acts.edit_member())
        self.certificates = RowsView(
            [
                Col(tr("证书类型"), lambda c: c.cert_type),
                Col(tr("编号"), lambda c: c.number),
                Col(tr("发证日期"), lambda c: c.issued_on),
                Col(tr("有效期至"), lambda c: c.expires_on, tone=self._cert_tone),
                Col(tr("状态"), self._cert_status, tone=self._cert_tone),
            ],
            "certificatesTable",
            self,
        )
        self.certificates.doubleClicked.connect(lambda _i: acts.edit_certificate())

        member_box = self._box(
            tr("队员"),
            self.members,
            [
                (tr("添加队员"), acts.add_member),
                (tr("编辑"), acts.edit_member),
                (tr("删除"), acts.delete_member),
            ],
        )
        cert_box = self._box(
            tr("证书"),
            self.certificates,
            [
                (tr("添加证书"), acts.add_certificate),
                (tr("编辑"), acts.edit_certificate),
                (tr("删除"), acts.delete_certificate),
            ],
        )
        lower = QSplitter(Qt.Orientation.Horizontal, self)
        lower.setObjectName("teamsLowerSplitter")
        lower.addWidget(member_box)
        lower.addWidget(cert_box)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setObjectName("teamsSplitter")
        self.splitter.addWidget(self.panel)
        self.splitter.addWidget(lower)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        for splitter in (lower, self.splitter):
            prefs_module.current().restore_splitter(splitter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        self._units: list[tuple[int, str]] = []
        self.op(org_read.unit_choices, self._got_units)
        self.load_members()

    def _box(self, title: str, view: RowsView, buttons: list[tuple[str, Any]]) -> QWidget:
        box = QWidget(self)
        bar = QHBoxLayout()
        caption = QLabel(title, box)
        caption.setObjectName("sectionTitle")
        bar.addWidget(caption)
        bar.addStretch(1)
        for text, slot in buttons:
            bar.addWidget(tool_button(text, box, slot))
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(view)
        return box

    def _got_units(self, units: list[tuple[int, str]]) -> None:
        self._units = units

    def _cert_status(self, cert: org_read.CertificateRow) -> str:
        return status_label(cert.status, current_language())

    def _cert_tone(self, cert: org_read.CertificateRow) -> str | None:
        return {"expired": "bad", "ok": None}.get(cert.status, "warn")

    # --- loading ---------------------------------------------------------------------------

    def refresh(self) -> None:
        self.panel.reload()
        self.op(org_read.unit_choices, self._got_units)
        self.load_members()

    def focus_search(self) -> None:
        self.panel.focus_search()

    def load_members(self, keep: int | None = None) -> None:
        team_id = self.panel.current_id()
        if team_id is None:
            self.members.set_rows([])
            self.certificates.set_rows([])
            return
        current = self.members.current()
        keep = keep if keep is not None else (current.member_id if current else None)

        def got(rows: list[org_read.MemberRow]) -> None:
            self.members.set_rows(rows)
            ids = [r.member_id for r in rows]
            self.members.choose_row(ids.index(keep) if keep in ids else 0)
            self.load_certificates()

        self.op(lambda s: org_read.team_members(s, team_id), got)

    def load_certificates(self) -> None:
        member = self.members.current()
        if member is None:
            self.certificates.set_rows([])
            return
        member_id, as_of = member.member_id, self.ctx.as_of()

        def load(session: Session) -> list[org_read.CertificateRow]:
            rows = org_read.member_certificates(session, member_id)
            statuses = stock_read.expiry_statuses(
                session, [r.expires_on for r in rows], as_of=as_of
            )
            return [replace(r, status=st) for r, st in zip(rows, statuses, strict=True)]

        self.op(load, self.certificates.set_rows)

    # --- what the member actions ask of the page (MembersHost) ------------------------------

    def current_team(self) -> int | None:
        return self.panel.current_id()

    def current_team_name(self) -> str:
        return self.panel.current_text("name")

    def current_member(self) -> org_read.MemberRow | None:
        return self.members.current()

    def current_certificate(self) -> org_read.CertificateRow | None:
        return self.certificates.current()

    def members_changed(self, keep: int | None = None) -> None:
        self.panel.reload()
        self.load_members(keep)

    # --- teams -----------------------------------------------------------------------------

    def _team_saved(self, team: Any) -> None:
        self.panel.reload(keep=getattr(team, "id", None))
        self.load_members()

    def new_item(self) -> None:
        user = self.ctx.user

        def save(session: Session, values: dict[str, Any]) -> Any:
            override = bool(values.pop("credit_code_override", False))
            return teams.create_team(session, user=user, credit_code_override=override, **values)

        self.form(
            name="teamNew",
            title=tr("新建队伍"),
            fields=team_fields(self._units),
            values={"tier": "district", "readiness": "ready"},
            save=save,
            changes=("teams",),
            saved=self._team_saved,
        )

    def edit_item(self) -> None:
        team_id = self.panel.current_id()
        if team_id is None:
            self.need_selection(tr("一支队伍"))
            return
        self.op(lambda s: org_read.team_record(s, team_id), lambda v: self._edit(team_id, v))

    def _edit(self, team_id: int, values: dict[str, Any]) -> None:
        version, user = values.pop("row_version"), self.ctx.user

        def save(session: Session, changed: dict[str, Any]) -> Any:
            override = bool(changed.pop("credit_code_override", False))
            return org_read.team_edit_checked(
                session,
                team_id,
                expected_version=version,
                attempted=changed,
                save=lambda: teams.update_team(
                    session,
                    team_id=team_id,
                    expected_version=version,
                    user=user,
                    credit_code_override=override,
                    **changed,
                ),
            )

        self.form(
            name="teamEdit",
            title=tr("编辑队伍 {code}").format(code=values["code"]),
            fields=team_fields(self._units),
            values=values,
            save=save,
            changes=("teams",),
            saved=self._team_saved,
            record=team_id,
        )

    def delete_item(self) -> None:
        team_id = self.panel.current_id()
        if team_id is None:
            self.need_selection(tr("一支队伍"))
            return
        if not self.confirm_delete(tr("所选队伍及其队员")):
            return
        user = self.ctx.user
        self.op(
            lambda s: teams.delete_team(s, team_id=team_id, user=user),
            lambda _r: self.refresh(),
            changes=("teams",),
        )

    def as_of(self) -> dt.date:
        return self.ctx.as_of()

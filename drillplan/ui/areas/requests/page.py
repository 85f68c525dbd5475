"""调拨申请: allocation requests between holders, with a state filter, the new-request form,
the approve / refuse / dispatch / receive / cancel steps and the printed dispatch note.

Each action calls the step of :mod:`drillplan.requests.steps` the command line calls; the
lines of the selected request are shown below the list."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from drillplan.kernel.vocab import AllocationPurpose, RequestState
from drillplan.reports.registry import build_report
from drillplan.requests import read, steps
from drillplan.requests.listing import REQUESTS
from drillplan.stock import read as stock_read

from drillplan.ui import messages
from drillplan.ui.area import AreaPage
from drillplan.ui.areas.reports.page import reports_dir
from drillplan.ui.context import UiContext
from drillplan.ui.forms import FieldSpec, vocab
from drillplan.ui.i18n import current_language, tr
from drillplan.ui.listing_view import ListingPanel
from drillplan.ui.opener import open_path
from drillplan.ui.widgets import tool_button

CHANGES = ("requests", "stock")


def request_fields(
    holders: list[tuple[int, str]], materials: list[tuple[int, str]]
) -> list[FieldSpec]:
    return [
        FieldSpec(
            "requester_holder_id",
            tr("申请方"),
            "choice",
            required=True,
            choices=holders,
            searchable=True,
            aliases=("requester",),
        ),
        FieldSpec(
            "holder_id",
            tr("被申请方"),
            "choice",
            required=True,
            choices=holders,
            searchable=True,
            aliases=("holder",),
        ),
        FieldSpec("purpose", tr("用途"), "choice", required=True, choices=vocab(AllocationPurpose)),
        FieldSpec("needed_by", tr("需用日期"), "date", required=True),
        FieldSpec(
            "material_id",
            tr("物资"),
            "choice",
            required=True,
            choices=materials,
            searchable=True,
            aliases=("material",),
        ),
        FieldSpec("quantity", tr("申请数量"), "decimal", required=True),
        FieldSpec("note", tr("说明"), "multiline"),
    ]


def _line_fields(record: dict[str, Any], caption: str, alias: str) -> list[FieldSpec]:
    return [
        FieldSpec(
            f"line_{line['material_code']}",
            caption.format(material=line["material"], uom=line["uom"]),
            "decimal",
            required=True,
            aliases=(alias,) if i == 0 else (),
        )
        for i, line in enumerate(record["lines"])
    ]


def _by_material(session: Session, values: dict[str, Any]) -> dict[int, Any]:
    from drillplan.stock.holders import material_by_code

    return {
        material_by_code(session, key.removeprefix("line_")).id: value
        for key, value in values.items()
        if key.startswith("line_")
    }


class RequestsPage(AreaPage):
    areas = ("requests", "stock")

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.panel = ListingPanel(
            REQUESTS, ctx.session, as_of=ctx.fixed_date, loader=ctx.load_in_background, parent=self
        )
        self.panels = [self.panel]
        tools = self.panel.tools
        tools.addWidget(tool_button(tr("新建申请"), self, self.new_item, "Ctrl+N"))
        tools.addWidget(tool_button(tr("批准"), self, self.approve))
        tools.addWidget(tool_button(tr("拒绝"), self, self.refuse))
        tools.addWidget(tool_button(tr("发运"), self, self.dispatch))
        tools.addWidget(tool_button(tr("确认接收"), self, self.receive))
        tools.addWidget(tool_button(tr("撤销"), self, self.cancel))
        tools.addWidget(tool_button(tr("打印调拨单"), self, self.print_note))
        self.state_filter = self.panel.add_choice_filter("state", tr("状态"), vocab(RequestState))
        self.detail = QLabel(self)
        self.detail.setObjectName("dataLabel")  # the request as entered: data, not chrome
        self.detail.setWordWrap(True)
        self.panel.current_changed.connect(self._load_detail)
        self.panel.activated.connect(lambda _id: self.edit_item())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.panel, 1)
        layout.addWidget(self.detail)
        self.record: dict[str, Any] | None = None
        self.printed: list[str] = []  # the dispatch notes this page opened (tests use it)
        self._holders: list[tuple[int, str]] = []
        self._materials: list[tuple[int, str]] = []
        self.op(lambda s: (stock_read.holder_choices(s), stock_read.material_choices(s)),
                self._got_choices)  # fmt: skip
        self._load_detail(self.panel.current_id())  # the row made current while building

    # --- loading ---------------------------------------------------------------------------

    def _got_choices(self, choices: tuple[list[tuple[int, str]], list[tuple[int, str]]]) -> None:
        self._holders, self._materials = choices

    def _load_detail(self, request_id: int | None) -> None:
        self.record = None
        self.detail.setText("")
        if request_id is None:
            return
        lang = current_language()

        self.op(lambda s: read.request_detail(s, request_id, lang=lang), self._got_detail)

    def _got_detail(self, record: dict[str, Any]) -> None:
        if record["id"] != self.panel.current_id():
            return
        self.record = record
        lines = "；".join(
            tr(
                "{material} 申请 {requested}{uom}，批准 {approved}，发运 {dispatched}，"
                "实收 {received}"
            ).format(**{k: (v if v is not None else "—") for k, v in line.items()})
            for line in record["lines"]
        )
        text = tr("{number}（{state}）：{lines}").format(
            number=record["number"], state=record["state_label"], lines=lines
        )
        if record["refusal_reason"]:
            text += tr("　拒绝原因：{reason}").format(reason=record["refusal_reason"])
        self.detail.setText(text)

    def refresh(self) -> None:
        self.panel.reload()
        self._load_detail(self.panel.current_id())

    def focus_search(self) -> None:
        self.panel.focus_search()

    def show_tab(self, name: str) -> None:
        """The dashboard's click-through: every request again (no restriction)."""
        self.panel.restrict(None)

    def _saved(self, result: Any) -> None:
        request_id = getattr(result, "id", None) or self.panel.current_id()
        self.panel.reload(keep=request_id)
        self._load_detail(self.panel.current_id())

    def _selected(self) -> dict[str, Any] | None:
        if self.record is None or self.record["id"] != self.panel.current_id():
            self.need_selection(tr("一条调拨申请"))
            return None
        return self.record

    # --- the steps -------------------------------------------------------------------------

    def new_item(self) -> None:
        ctx = self.ctx

        def save(session: Session, values: dict[str, Any]) -> Any:
            return steps.create_request(
                session,
                requester_holder_id=values["requester_holder_id"],
                holder_id=values["holder_id"],
                purpose=values["purpose"],
                needed_by=values["needed_by"],
                lines=[{"material_id": values["material_id"], "quantity": values["quantity"]}],
                note=values.get("note"),
                user=ctx.user,
                today=ctx.today(),
            )

        self.form(
            name="requestNew",
            title=tr("新建调拨申请"),
            fields=request_fields(self._holders, self._materials),
            values={"purpose": AllocationPurpose.DRILL.value, "needed_by": ctx.today()},
            save=save,
            changes=CHANGES,
            saved=self._saved,
        )

    def edit_item(self) -> None:
        """Enter: the next step the selected request is waiting for."""
        record = self.record
        if record is None:
            return
        state = record["state"]
        if state == RequestState.REQUESTED:
            self.approve()
        elif state in (RequestState.APPROVED, RequestState.PARTLY_APPROVED):
            self.dispatch()
        elif state == RequestState.DISPATCHED:
            self.receive()

    def approve(self) -> None:
        record = self._selected()
        if record is None:
            return
        ctx, request_id, version = self.ctx, record["id"], record["row_version"]

        def save(session: Session, values: dict[str, Any]) -> Any:
            return steps.approve(
                session,
                request_id=request_id,
                approved=_by_material(session, values),
                expected_version=version,
                user=ctx.user,
                today=ctx.today(),
            )

        self.form(
            name="requestApprove",
            title=tr("批准调拨申请 {number}").format(number=record["number"]),
            intro=tr("批准数量可少于申请数量（部分批准）；批准后按先到期先出预留批次。"),
            fields=_line_fields(record, tr("{material} 批准数量（{uom}）"), "approved_quantity"),
            values={f"line_{x['material_code']}": x["requested"] for x in record["lines"]},
            save=save,
            changes=CHANGES,
            saved=self._saved,
            record=("approve", request_id),
        )

    def refuse(self) -> None:
        record = self._selected()
        if record is None:
            return
        ctx, request_id, version = self.ctx, record["id"], record["row_version"]

        def save(session: Session, values: dict[str, Any]) -> Any:
            return steps.refuse(
                session,
                request_id=request_id,
                reason=values.get("reason"),
                expected_version=version,
                user=ctx.user,
                today=ctx.today(),
            )

        self.form(
            name="requestRefuse",
            title=tr("拒绝调拨申请 {number}").format(number=record["number"]),
            fields=[FieldSpec("reason", tr("拒绝原因"), "multiline", required=True)],
            save=save,
            changes=CHANGES,
            saved=self._saved,
            record=("refuse", request_id),
        )

    def dispatch(self) -> None:
        record = self._selected()
        if record is None:
            return
        ctx, request_id, version = self.ctx, record["id"], record["row_version"]

        def save(session: Session, values: dict[str, Any]) -> Any:
            return steps.dispatch(
                session,
                request_id=request_id,
                dispatch_note_no=values.get("dispatch_note_no"),
                on=values.get("date"),
                expected_version=version,
                user=ctx.user,
                today=ctx.today(),
            )

        self.form(
            name="requestDispatch",
            title=tr("发运调拨申请 {number}").format(number=record["number"]),
            intro=tr("按预留的批次登记调出，并释放预留。"),
            fields=[
                FieldSpec(
                    "dispatch_note_no", tr("调拨单号"), max_length=40, placeholder=record["number"]
                ),
                FieldSpec("date", tr("发运日期"), "date", required=True),
            ],
            values={"date": ctx.today()},
            save=save,
            changes=CHANGES,
            saved=self._saved,
            record=("dispatch", request_id),
        )

    def receive(self) -> None:
        record = self._selected()
        if record is None:
            return
        ctx, request_id, version = self.ctx, record["id"], record["row_version"]

        def save(session: Session, values: dict[str, Any]) -> Any:
            return steps.receive(
                session,
                request_id=request_id,
                received=_by_material(session, values),
                note=values.get("note"),
                on=values.get("date"),
                expected_version=version,
                user=ctx.user,
                today=ctx.today(),
            )

        fields = _line_fields(record, tr("{material} 实收数量（{uom}）"),
                              "received_quantity")  # fmt: skip
        fields += [
            FieldSpec("note", tr("差异说明"), "multiline", aliases=("receipt_note",),
                      hint=tr("实收少于发运时必填")),
            FieldSpec("date", tr("接收日期"), "date", required=True),
        ]  # fmt: skip
        self.form(
            name="requestReceive",
            title=tr("确认接收 {number}").format(number=record["number"]),
            fields=fields,
            values={
                "date": ctx.today(),
                **{f"line_{x['material_code']}": x["dispatched"] for x in record["lines"]},
            },
            save=save,
            changes=CHANGES,
            saved=self._saved,
            record=("receive", request_id),
        )

    def cancel(self) -> None:
        record = self._selected()
        if record is None:
            return
        question = tr("确定撤销调拨申请 {number} 吗？已预留的批次将释放。").format(
            number=record["number"]
        )
        if not messages.confirm(self, tr("撤销调拨申请"), question, danger=True):
            return
        ctx, request_id, version = self.ctx, record["id"], record["row_version"]
        self.op(
            lambda s: steps.cancel(
                s, request_id=request_id, expected_version=version, user=ctx.user,
                today=ctx.today(),
            ),
            self._saved,
            changes=CHANGES,
        ).failure(lambda exc: messages.show_error(self, exc))  # fmt: skip

    def print_note(self) -> None:
        record = self._selected()
        if record is None:
            return
        number, lang = record["number"], current_language()
        path = reports_dir() / f"调拨单-{number}.pdf"
        as_of = self.ctx.as_of()

        def build(session: Session) -> Path:
            path.parent.mkdir(parents=True, exist_ok=True)
            result = build_report(
                session, "dispatch-note", path, as_of=as_of, lang=lang, request=number
            )
            return result.path

        def done(made: Path) -> None:
            self.printed.append(str(made))
            open_path(self, made)

        self.op(build, done).failure(lambda exc: messages.show_error(self, exc))

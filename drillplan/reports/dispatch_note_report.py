"""调拨单 (dispatch note) of one allocation request, with a QR code of its number.

Printed once the request is approved (the reserved lots, as a pick list) and after dispatch
(the lots the transfer-out took, the quantities received once confirmed). The QR code holds
the dispatch note number, so the receiver can scan it to find the request.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle
from sqlalchemy import select
from sqlalchemy.orm import Session

from drillplan.db.models import AllocationRequest, Lot, Movement
from drillplan.kernel.errors import NotFound, ValidationError
from drillplan.kernel.vocab import MovementKind, RequestState, label
from drillplan.reports.cells import Col
from drillplan.reports.frame import Heading, Para, current_fonts, open_document, signoff
from drillplan.reports.result import ReportResult
from drillplan.reports.tables import data_table, key_value_table
from drillplan.requests.read import by_number
from drillplan.requests.steps import shown
from drillplan.stock.holders import describe

PRINTABLE = (
    RequestState.APPROVED,
    RequestState.PARTLY_APPROVED,
    RequestState.DISPATCHED,
    RequestState.RECEIVED,
)
QR_SIZE = 30 * mm


def qr_code(text: str, size: float = QR_SIZE) -> Drawing:
    """A QR code of ``text`` as a drawing ``size`` points square."""
    widget = QrCodeWidget(text)
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.initialFontName = current_fonts().table  # no unembedded Helvetica behind it
    drawing.add(widget)
    return drawing


def _lots(session: Session, request: AllocationRequest) -> dict[int, list[tuple[Lot, Decimal]]]:
    """Per line: the lots it takes (after dispatch: the transfer-out; before: the reserved)."""
    out: dict[int, list[tuple[Lot, Decimal]]] = {}
    for line in request.lines:
        if line.transfer_ref:
            moves = session.scalars(
                select(Movement)
                .where(
                    Movement.transfer_ref == line.transfer_ref,
                    Movement.kind == MovementKind.TRANSFER_OUT,
                )
                .order_by(Movement.id)
            )
            out[line.id] = [(session.get_one(Lot, m.lot_id), -Decimal(m.quantity)) for m in moves]
        else:
            out[line.id] = [(r.lot, Decimal(r.quantity)) for r in line.reservations if r.active]
    return out


def _load(session: Session, number: str | None) -> AllocationRequest | None:
    """The request ``number`` (refused unless approved or later), or without a number the
    latest one approved or dispatched (None when there is none)."""
    if not number:
        return session.scalars(
            select(AllocationRequest)
            .where(AllocationRequest.state.in_(PRINTABLE))
            .order_by(AllocationRequest.id.desc())
        ).first()
    try:
        r = by_number(session, number)
    except NotFound as exc:
        raise ValidationError("request", str(exc)) from exc
    if r.state not in PRINTABLE:
        raise ValidationError(
            "request",
            f"调拨申请 {r.number} 为“{label(r.state)}”，批准后才能打印调拨单",
            message_en=f"request {r.number} is {r.state.value}: print it once approved",
        )
    return r


def build(
    session: Session,
    path: Path,
    *,
    as_of: dt.date,
    request: str | None = None,
    lang: str = "zh",
    generated_at: dt.datetime | None = None,
) -> ReportResult:
    r = _load(session, request)
    if r is None:
        doc = open_document(
            session,
            title=("物资调拨单", "Dispatch Note"),
            subject=("应急物资调拨单", "Emergency materials dispatch note"),
            as_of=as_of,
            lang=lang,
            generated_at=generated_at,
            date_kind="compiled",
        )
        doc.story.append(
            Para(
                doc.tx.t(
                    "还没有已批准的调拨申请，没有可打印的调拨单。",
                    "No allocation request has been approved: there is no dispatch note.",
                ),
                doc.st["base"],
            )
        )
        return doc.finish(path, {"request": None})
    note_no = r.dispatch_note_no or r.number
    doc = open_document(
        session,
        title=("物资调拨单", "Dispatch Note"),
        subject=("应急物资调拨单", "Emergency materials dispatch note"),
        as_of=as_of,
        lang=lang,
        generated_at=generated_at,
        date_kind="compiled",
        date=r.dispatched_on or r.decided_on,
        subtitle=f"{note_no}",
    )
    tx, st, width, story = doc.tx, doc.st, doc.width, doc.story
    source, target = describe(session, r.holder_id), describe(session, r.requester_holder_id)
    pairs = [
        (tx.t("调拨单号", "Dispatch note"), note_no),
        (tx.t("申请编号", "Request"), r.number),
        (tx.t("状态", "State"), label(r.state, lang)),
        (tx.t("调出方", "From"), source.name + tx.t(f"（{source.code}）", f" ({source.code})")),
        (tx.t("调入方", "To"), target.name + tx.t(f"（{target.code}）", f" ({target.code})")),
        (tx.t("用途", "Purpose"), label(r.purpose, lang)),
        (tx.t("需用日期", "Needed by"), r.needed_by.isoformat()),
        (tx.t("申请人", "Requested by"), f"{r.requested_by}　{r.requested_on.isoformat()}"),
        (
            tx.t("审批人", "Approved by"),
            f"{r.approver or '—'}　{r.decided_on.isoformat() if r.decided_on else ''}",
        ),
        (
            tx.t("发运", "Dispatched"),
            f"{r.dispatched_by}　{r.dispatched_on.isoformat()}" if r.dispatched_on else "—",
        ),
    ]
    if r.received_on is not None:
        pairs.append((tx.t("接收", "Received"), f"{r.received_by}　{r.received_on.isoformat()}"))
    info = key_value_table(pairs, width=width - QR_SIZE - 6 * mm, numbers=False)
    head = Table([[info, qr_code(note_no)]], colWidths=[width - QR_SIZE - 6 * mm, QR_SIZE + 6 * mm])
    head.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), st["base"].fontName, st["base"].fontSize),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    story.append(head)
    story.append(Spacer(1, 4 * mm))
    story.append(Heading(tx.t("调拨物资明细", "Materials"), st["h1"]))
    columns = [
        Col(tx.t("序号", "No."), 1, "RIGHT"),
        Col(tx.t("物资编码", "Code"), 2),
        Col(tx.t("物资名称", "Material"), 3),
        Col(tx.t("单位", "Unit"), 1),
        Col(tx.t("批次号", "Batch"), 3),
        Col(tx.t("有效期至", "Expires"), 2),
        Col(tx.t("申请", "Asked"), 1, "RIGHT"),
        Col(tx.t("批准", "Approved"), 1, "RIGHT"),
        Col(tx.t("发运", "Sent"), 1, "RIGHT"),
        Col(tx.t("实收", "Received"), 1, "RIGHT"),
    ]
    rows: list[list[object]] = []
    lots = _lots(session, r)
    for n, line in enumerate(r.lines, start=1):
        m = line.material
        taken = lots.get(line.id) or [(None, None)]
        for i, (lot, qty) in enumerate(taken):
            first = i == 0
            rows.append(
                [
                    n if first else "",
                    m.code if first else "",
                    m.name if first else "",
                    m.uom if first else "",
                    f"{lot.batch_no} ({shown(qty)})" if lot is not None else "—",
                    lot.expiry_date.isoformat() if lot is not None and lot.expiry_date else "—",
                    shown(line.requested_qty) if first else "",
                    shown(line.approved_qty) if first and line.approved_qty is not None else "",
                    shown(line.dispatched_qty) if first and line.dispatched_qty is not None else "",
                    shown(line.received_qty) if first and line.received_qty is not None else "",
                ]
            )
    story += data_table(columns, rows, width=width, lang=lang, font_size=8.5, empty=True)
    notes = [text for text in (r.note, r.receipt_note) if text]
    if notes:
        story.append(Spacer(1, 3 * mm))
        story.append(Para(tx.t("备注：", "Notes: ") + "；".join(notes), st["base"]))
    story.append(
        signoff(
            [("发货人", "Dispatched by"), ("承运人", "Carrier"), ("收货人", "Received by")],
            tx,
            width,
        )
    )
    figures: dict[str, object] = {
        "request": r.number,
        "dispatch_note_no": note_no,
        "state": r.state.value,
        "lines": len(r.lines),
    }
    return doc.finish(path, figures)

"""到期审计: lots, certificates and agreements expired or expiring within a chosen horizon,
each with its status in colour and in words (colour is never the only signal)."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from drillplan import settings
from drillplan.stock.expiry import (
    ACTIONS,
    agreement_expiry,
    certificate_expiry,
    lot_expiry,
    status_label,
)

from drillplan.ui.context import UiContext
from drillplan.ui.i18n import current_language, pick, tr
from drillplan.ui.ops import Op
from drillplan.ui.rows_model import Col, RowsView

KINDS = ("lots", "certificates", "agreements")


def _tone(row: Any) -> str | None:
    if row.status == "expired":
        return "bad"
    return None if row.status == "ok" else "warn"


def _action(text: str) -> str:
    """The core's suggested action (given in Chinese) in the current language."""
    for zh, en in ACTIONS.values():
        if text == zh:
            return pick(zh, en)
    return text


def _status(row: Any) -> str:
    return status_label(row.status, current_language())


def columns(kind: str) -> list[Col]:
    status = [
        Col(tr("剩余天数"), lambda r: r.days_left, right=True, tone=_tone),
        Col(tr("状态"), _status, tone=_tone),
    ]
    if kind == "lots":
        return [
            Col(tr("物资"), lambda r: f"{r.material_code} {r.material_name}"),
            Col(tr("存放单位"), lambda r: r.holder_name),
            Col(tr("批次号"), lambda r: r.batch_no),
            Col(tr("数量"), lambda r: f"{r.quantity.normalize():f} {r.uom}", right=True),
            Col(tr("有效期至"), lambda r: r.expiry_date, tone=_tone),
            *status,
            Col(tr("建议"), lambda r: _action(r.action)),
        ]
    if kind == "certificates":
        return [
            Col(tr("队伍"), lambda r: r.team_name),
            Col(tr("姓名"), lambda r: r.member_name),
            Col(tr("证书类型"), lambda r: r.cert_type),
            Col(tr("证书编号"), lambda r: r.number),
            Col(tr("有效期至"), lambda r: r.expires_on, tone=_tone),
            *status,
        ]
    return [
        Col(tr("队伍"), lambda r: f"{r.team_code} {r.team_name}"),
        Col(tr("协议编号"), lambda r: r.agreement_no),
        Col(tr("到期日"), lambda r: r.expires_on, tone=_tone),
        *status,
    ]


class ExpiryAuditView(QWidget):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.kind = QComboBox(self)
        self.kind.setObjectName("expiryKind")
        for key, caption in zip(
            KINDS, (tr("物资批次"), tr("队员证书"), tr("合作协议")), strict=True
        ):
            self.kind.addItem(caption, key)
        self.horizon = QComboBox(self)
        self.horizon.setObjectName("expiryHorizon")
        self.summary = QLabel(self)
        self.summary.setObjectName("rowCount")
        self.only: tuple[int, ...] | None = None
        self.views: dict[str, RowsView] = {
            k: RowsView(columns(k), f"expiry_{k}", self) for k in KINDS
        }
        bar = QHBoxLayout()
        bar.addWidget(QLabel(tr("审计对象"), self))
        bar.addWidget(self.kind)
        bar.addSpacing(12)
        bar.addWidget(QLabel(tr("预警期限"), self))
        bar.addWidget(self.horizon)
        bar.addStretch(1)
        bar.addWidget(self.summary)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addLayout(bar)
        for view in self.views.values():
            layout.addWidget(view, 1)
        self.kind.currentIndexChanged.connect(lambda _i: self.reload())
        self.horizon.currentIndexChanged.connect(lambda _i: self.reload())
        self._horizons_loaded = False
        Op(lambda s: settings.get(s, "expiry_horizons"), parent=self).success(
            self._got_horizons
        ).run(ctx.runner)

    def _got_horizons(self, horizons: list[int]) -> None:
        self.horizon.blockSignals(True)
        self.horizon.clear()
        for days in sorted(horizons):
            self.horizon.addItem(tr("{days} 天内").format(days=days), days)
        self.horizon.setCurrentIndex(min(1, self.horizon.count() - 1))
        self.horizon.blockSignals(False)
        self._horizons_loaded = True
        self.reload()

    def show_kind(
        self, kind: str, ids: tuple[int, ...] | None = None, horizon: int | None = None
    ) -> None:
        """Show one kind, optionally only some rows (a dashboard figure's list)."""
        self.only = ids
        if horizon is not None:
            index = self.horizon.findData(horizon)
            if index >= 0:
                self.horizon.blockSignals(True)
                self.horizon.setCurrentIndex(index)
                self.horizon.blockSignals(False)
        self.kind.blockSignals(True)
        self.kind.setCurrentIndex(KINDS.index(kind))
        self.kind.blockSignals(False)
        self.reload()

    def current_kind(self) -> str:
        return str(self.kind.currentData())

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.reload()

    _stale = True

    def reload(self) -> None:
        """Read the audit again (only while shown: on a city's data it reads many rows)."""
        if not self._horizons_loaded or not self.isVisible():
            self._stale = True
            return
        self._stale = False
        kind = self.current_kind()
        for key, view in self.views.items():
            view.setVisible(key == kind)
        horizon = int(self.horizon.currentData() or 90)
        as_of = self.ctx.as_of()
        fn = {
            "lots": lot_expiry,
            "certificates": certificate_expiry,
            "agreements": agreement_expiry,
        }[kind]
        Op(lambda s: fn(s, as_of=as_of, horizons=[horizon]), parent=self).success(
            lambda rows: self._show(kind, rows)
        ).run(self.ctx.runner)

    def _show(self, kind: str, rows: list[Any]) -> None:
        if self.only is not None:
            key = {"lots": "lot_id", "certificates": "certificate_id", "agreements": "team_id"}[
                kind
            ]
            rows = [r for r in rows if getattr(r, key) in set(self.only)]
        self.views[kind].set_rows(rows)
        expired = sum(1 for r in rows if r.status == "expired")
        self.summary.setText(
            tr("共 {n} 项，其中已过期 {expired} 项").format(n=len(rows), expired=expired)
        )

    def rows(self) -> list[Any]:
        return list(self.views[self.current_kind()].rows_model.rows)

"""Depots, the material catalogue and quotas on the 物资储备 page (a mixin): their fields
and the new / edit / delete actions of the current tab."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from drillplan.auth.conflicts import save_or_conflict
from drillplan.db.models import Depot
from drillplan.kernel.values import validate_phone
from drillplan.kernel.vocab import DepotTier
from drillplan.stock import catalogue as depots
from drillplan.ui_queries import choices, records

from drillplan.ui.forms import FieldSpec, vocab
from drillplan.ui.i18n import tr

if TYPE_CHECKING:
    from drillplan.ui.stock_view import StockPage

    _Base = StockPage
else:
    _Base = object

TABS = ("lots", "depots", "materials", "quotas", "ledger", "expiry")


def depot_fields(units: list[tuple[int, str]]) -> list[FieldSpec]:
    return [
        FieldSpec("code", tr("库点编号"), required=True, max_length=32),
        FieldSpec("name", tr("库点名称"), required=True, max_length=120),
        FieldSpec("tier", tr("层级"), "choice", required=True, choices=vocab(DepotTier)),
        FieldSpec("owner_unit_id", tr("所属单位"), "choice", required=True, choices=units),
        FieldSpec("address", tr("地址"), max_length=200),
        FieldSpec("keeper", tr("保管员"), max_length=60),
        FieldSpec(
            "keeper_phone", tr("联系电话"), check=lambda v: validate_phone(v, field="keeper_phone")
        ),
        FieldSpec("capacity_m3", tr("库容（立方米）"), "decimal"),
    ]


def material_fields() -> list[FieldSpec]:
    return [
        FieldSpec("code", tr("物资编码"), required=True, max_length=7, placeholder="2010101"),
        FieldSpec("name", tr("物资名称"), required=True, max_length=120),
        FieldSpec("uom", tr("计量单位"), required=True, max_length=12),
        FieldSpec("spec", tr("规格型号"), max_length=120),
        FieldSpec("shelf_life_days", tr("保质期（天）"), "int"),
        FieldSpec("needs_rotation", tr("需定期轮换"), "bool"),
        FieldSpec("flood_control", tr("防汛物资"), "bool"),
        FieldSpec("reference_price", tr("参考单价（元）"), "decimal"),
    ]


class CatalogueActions(_Base):
    # --- depots and materials ------------------------------------------------------------

    def new_item(self) -> None:
        user = self.ctx.user
        if self.current_tab() == "materials":
            self.form(
                name="materialNew",
                title=tr("新建物资"),
                fields=material_fields(),
                save=lambda s, v: depots.create_material(s, user=user, **v),
                changes=("stock",),
                saved=self._after_change,
            )
            return
        if self.current_tab() == "lots":
            self.receive()
            return
        self.tabs.setCurrentIndex(TABS.index("depots"))
        self.form(
            name="depotNew",
            title=tr("新建储备库"),
            fields=depot_fields(self._units),
            values={"tier": "district"},
            save=lambda s, v: depots.create_depot(s, user=user, **v),
            changes=("stock",),
            saved=self._after_change,
        )

    def edit_item(self) -> None:
        user = self.ctx.user
        if self.current_tab() == "materials":
            material_id = self.materials.current_id()
            if material_id is None:
                self.need_selection(tr("一种物资"))
                return
            self.op(
                lambda s: records.material(s, material_id),
                lambda v: self.form(
                    name="materialEdit",
                    title=tr("编辑物资"),
                    fields=material_fields(),
                    values=v,
                    save=lambda s, c: depots.update_material(
                        s, material_id=material_id, user=user, **c
                    ),
                    changes=("stock",),
                    saved=self._after_change,
                ),
            )
            return
        depot_id = self.depots.current_id()
        if depot_id is None or self.current_tab() != "depots":
            self.need_selection(tr("储备库（在“储备库”页）"))
            return

        def opened(values: dict[str, Any]) -> None:
            version = values.pop("row_version")

            def save(session: Session, changed: dict[str, Any]) -> Any:
                return save_or_conflict(
                    session,
                    Depot,
                    depot_id,
                    expected_version=version,
                    attempted=changed,
                    save=lambda: depots.update_depot(
                        session, depot_id=depot_id, expected_version=version, user=user, **changed
                    ),
                )

            self.form(
                name="depotEdit",
                title=tr("编辑储备库"),
                fields=depot_fields(self._units),
                values=values,
                save=save,
                changes=("stock",),
                saved=self._after_change,
            )

        self.op(lambda s: records.depot(s, depot_id), opened)

    def delete_item(self) -> None:
        user = self.ctx.user
        if self.current_tab() == "materials":
            material_id = self.materials.current_id()
            if material_id is None:
                self.need_selection(tr("一种物资"))
                return
            if self.confirm_delete(tr("所选物资")):
                self.op(
                    lambda s: depots.delete_material(s, material_id=material_id, user=user),
                    self._after_change,
                    changes=("stock",),
                )
            return
        depot_id = self.depots.current_id()
        if depot_id is None or self.current_tab() != "depots":
            self.need_selection(tr("储备库（在“储备库”页）"))
            return
        if self.confirm_delete(tr("所选储备库")):
            self.op(
                lambda s: depots.delete_depot(s, depot_id=depot_id, user=user),
                self._after_change,
                changes=("stock",),
            )

    def set_quota(self) -> None:
        kind, depot_id, _holder = self.selection()
        if kind != "depot":
            self.need_selection(tr("储备库（左侧）"))
            return
        row = self.quotas.current()
        user = self.ctx.user

        def opened(materials: list[tuple[int, str]]) -> None:
            self.form(
                name="quota",
                title=tr("设置储备定额"),
                fields=[
                    FieldSpec(
                        "material_id", tr("物资"), "choice", required=True, choices=materials
                    ),
                    FieldSpec(
                        "required_qty",
                        tr("定额数量"),
                        "decimal",
                        hint=tr("留空则删除本库定额，按层级默认定额"),
                    ),
                ],
                values={
                    "material_id": row.material_id if row else None,
                    "required_qty": row.required if row and row.source == "depot" else None,
                },
                save=lambda s, v: depots.set_quota(s, depot_id=depot_id, user=user, **v),
                changes=("stock",),
                saved=lambda _q: self._load_quotas(),
            )

        self.op(choices.materials, opened)

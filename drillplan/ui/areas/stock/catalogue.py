"""Depots, the material catalogue and quotas on the 物资储备 page: their fields and the
new / edit / delete actions. The page owns one :class:`CatalogueActions` and decides, by
its current tab, which of them Ctrl+N, Enter and Del mean."""

from __future__ import annotations

from typing import Any, Protocol

from sqlalchemy.orm import Session

from drillplan.kernel.values import validate_phone
from drillplan.kernel.vocab import Criticality, DepotTier
from drillplan.stock import catalogue as depots
from drillplan.stock import read as stock_read

from drillplan.ui.area import PageHost
from drillplan.ui.forms import FieldSpec, vocab
from drillplan.ui.i18n import tr


def depot_fields(units: list[tuple[int, str]]) -> list[FieldSpec]:
    return [
        FieldSpec("code", tr("库点编号"), required=True, max_length=32),
        FieldSpec("name", tr("库点名称"), required=True, max_length=120),
        FieldSpec("tier", tr("层级"), "choice", required=True, choices=vocab(DepotTier)),
        FieldSpec(
            "owner_unit_id", tr("所属单位"), "choice", required=True, choices=units, searchable=True
        ),
        FieldSpec("address", tr("地址"), max_length=200),
        FieldSpec("keeper", tr("保管员"), max_length=60),
        FieldSpec(
            "keeper_phone", tr("联系电话"), check=lambda v: validate_phone(v, field="keeper_phone")
        ),
        FieldSpec("capacity_m3", tr("库容（立方米）"), "decimal"),
        FieldSpec(
            "agreement_supplier",
            tr("协议供应商"),
            max_length=120,
            hint=tr("协议储备：承储的供应商（资源目录显示）"),
        ),
        FieldSpec("agreement_contact", tr("协议联系人"), max_length=60),
        FieldSpec(
            "agreement_phone",
            tr("协议联系电话"),
            check=lambda v: validate_phone(v, field="agreement_phone"),
        ),
    ]


def material_fields() -> list[FieldSpec]:
    return [
        FieldSpec("code", tr("物资编码"), required=True, max_length=7, placeholder="2010101"),
        FieldSpec("name", tr("物资名称"), required=True, max_length=120),
        FieldSpec("uom", tr("计量单位"), required=True, max_length=12),
        FieldSpec("spec", tr("规格型号"), max_length=120),
        FieldSpec("shelf_life_days", tr("保质期（天）"), "int"),
        FieldSpec("needs_rotation", tr("需定期轮换"), "bool"),
        FieldSpec(
            "criticality",
            tr("重要程度"),
            "choice",
            choices=[("", tr("按物资类别默认")), *vocab(Criticality)],
        ),
        FieldSpec("flood_control", tr("防汛物资"), "bool"),
        FieldSpec("reference_price", tr("参考单价（元）"), "decimal"),
        FieldSpec(
            "synonyms",
            tr("别名"),
            "list",
            hint=tr("其他叫法，以、分隔（如 冲锋艇、抢险舟）；资源目录按别名也能找到"),
        ),
    ]


class CatalogueHost(PageHost, Protocol):
    """What the catalogue actions need of their page."""

    def unit_choices(self) -> list[tuple[int, str]]: ...

    def selection(self) -> tuple[str, Any, Any]:
        """(kind, key, holder id) of the depot tree's current node."""
        ...

    def current_quota(self) -> stock_read.QuotaRow | None: ...

    def load_quotas(self) -> None: ...

    def refresh(self) -> None: ...


class CatalogueActions:
    def __init__(self, page: CatalogueHost) -> None:
        self.page = page

    def _saved(self, _result: Any = None) -> None:
        self.page.refresh()

    # --- materials -----------------------------------------------------------------------

    def new_material(self) -> None:
        user = self.page.ctx.user
        self.page.form(
            name="materialNew",
            title=tr("新建物资"),
            fields=material_fields(),
            save=lambda s, v: depots.create_material(s, user=user, **v),
            changes=("stock",),
            saved=self._saved,
        )

    def edit_material(self, material_id: int) -> None:
        user = self.page.ctx.user
        self.page.op(
            lambda s: stock_read.material_record(s, material_id),
            lambda v: self.page.form(
                name="materialEdit",
                title=tr("编辑物资"),
                fields=material_fields(),
                values=v,
                save=lambda s, c: depots.update_material(
                    s, material_id=material_id, user=user, **c
                ),
                changes=("stock",),
                saved=self._saved,
                record=material_id,
            ),
        )

    def delete_material(self, material_id: int) -> None:
        user = self.page.ctx.user
        if self.page.confirm_delete(tr("所选物资")):
            self.page.op(
                lambda s: depots.delete_material(s, material_id=material_id, user=user),
                self._saved,
                changes=("stock",),
            )

    # --- depots --------------------------------------------------------------------------

    def new_depot(self) -> None:
        user = self.page.ctx.user
        kind, key, _holder = self.page.selection()
        self.page.form(
            name="depotNew",
            title=tr("新建储备库"),
            fields=depot_fields(self.page.unit_choices()),
            values={"tier": key if kind == "tier" else "district"},  # the tier chosen in the tree
            save=lambda s, v: depots.create_depot(s, user=user, **v),
            changes=("stock",),
            saved=self._saved,
        )

    def edit_depot(self, depot_id: int) -> None:
        user = self.page.ctx.user

        def opened(values: dict[str, Any]) -> None:
            version = values.pop("row_version")

            def save(session: Session, changed: dict[str, Any]) -> Any:
                return stock_read.depot_edit_checked(
                    session,
                    depot_id,
                    expected_version=version,
                    attempted=changed,
                    save=lambda: depots.update_depot(
                        session, depot_id=depot_id, expected_version=version, user=user, **changed
                    ),
                )

            self.page.form(
                name="depotEdit",
                title=tr("编辑储备库"),
                fields=depot_fields(self.page.unit_choices()),
                values=values,
                save=save,
                changes=("stock",),
                saved=self._saved,
                record=depot_id,
            )

        self.page.op(lambda s: stock_read.depot_record(s, depot_id), opened)

    def delete_depot(self, depot_id: int) -> None:
        user = self.page.ctx.user
        if self.page.confirm_delete(tr("所选储备库")):
            self.page.op(
                lambda s: depots.delete_depot(s, depot_id=depot_id, user=user),
                self._saved,
                changes=("stock",),
            )

    # --- quotas --------------------------------------------------------------------------

    def set_quota(self) -> None:
        kind, depot_id, _holder = self.page.selection()
        if kind != "depot":
            self.page.need_selection(tr("储备库（左侧）"))
            return
        row = self.page.current_quota()
        user = self.page.ctx.user

        def opened(materials: list[tuple[int, str]]) -> None:
            self.page.form(
                name="quota",
                title=tr("设置储备定额"),
                fields=[
                    FieldSpec(
                        "material_id",
                        tr("物资"),
                        "choice",
                        required=True,
                        choices=materials,
                        searchable=True,
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
                saved=lambda _q: self.page.load_quotas(),
            )

        self.page.op(stock_read.material_choices, opened)

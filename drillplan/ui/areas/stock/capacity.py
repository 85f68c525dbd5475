"""Capacity reserves (产能储备) on the 物资储备 page: the form's fields and the new / edit /
delete actions, through :mod:`drillplan.reserves.capacity` (the command line's and an
import's functions)."""

from __future__ import annotations

from typing import Any

from drillplan.kernel.values import validate_phone
from drillplan.reserves import capacity
from drillplan.reserves import read as capacity_read

from drillplan.ui.area import PageHost
from drillplan.ui.forms import FieldSpec
from drillplan.ui.i18n import tr


def capacity_fields(
    materials: list[tuple[int, str]], units: list[tuple[int, str]]
) -> list[FieldSpec]:
    return [
        FieldSpec("code", tr("储备编号"), required=True, max_length=32, placeholder="CN-2026-01"),
        FieldSpec("supplier", tr("供应商"), max_length=120, hint=tr("不填时用供应商单位的名称")),
        FieldSpec(
            "supplier_unit_id",
            tr("供应商单位"),
            "choice",
            choices=units,
            searchable=True,
            empty_choice=True,
        ),
        FieldSpec("contact", tr("联系人"), max_length=60),
        FieldSpec("phone", tr("联系电话"), check=lambda v: validate_phone(v, field="phone")),
        FieldSpec(
            "material_id", tr("物资"), "choice", required=True, choices=materials, searchable=True
        ),
        FieldSpec(
            "promised_qty",
            tr("承诺数量"),
            "decimal",
            required=True,
            hint=tr("按物资的计量单位；不计入可用库存"),
        ),
        FieldSpec(
            "lead_time_hours",
            tr("响应时限"),
            required=True,
            placeholder=tr("48、48小时、2天"),
            hint=tr("接到通知后多久能交付：小时数或天数"),
        ),
        FieldSpec("agreement_no", tr("协议编号"), max_length=40),
        FieldSpec("valid_from", tr("生效日期"), "date"),
        FieldSpec("valid_until", tr("有效期至"), "date"),
        FieldSpec("notes", tr("备注"), "multiline"),
    ]


class CapacityActions:
    def __init__(self, page: PageHost, reload: Any) -> None:
        self.page = page
        self._reload = reload

    def _saved(self, _result: Any = None) -> None:
        self._reload()

    def new(self) -> None:
        user = self.page.ctx.user

        def opened(choices: tuple[list[tuple[int, str]], list[tuple[int, str]]]) -> None:
            self.page.form(
                name="capacityNew",
                title=tr("新建产能储备"),
                fields=capacity_fields(*choices),
                save=lambda s, v: capacity.create_capacity_reserve(s, user=user, **v),
                changes=("stock",),
                saved=self._saved,
            )

        self.page.op(capacity_read.form_choices, opened)

    def edit(self, reserve_id: int) -> None:
        user = self.page.ctx.user

        def opened(result: tuple[dict[str, Any], Any]) -> None:
            values, choices = result
            version = values.pop("row_version")
            self.page.form(
                name="capacityEdit",
                title=tr("编辑产能储备"),
                fields=capacity_fields(*choices),
                values=values,
                save=lambda s, c: capacity.update_capacity_reserve(
                    s, reserve_id=reserve_id, expected_version=version, user=user, **c
                ),
                changes=("stock",),
                saved=self._saved,
                record=reserve_id,
            )

        self.page.op(
            lambda s: (
                capacity_read.capacity_record(s, reserve_id),
                capacity_read.form_choices(s),
            ),
            opened,
        )

    def delete(self, reserve_id: int) -> None:
        user = self.page.ctx.user
        if self.page.confirm_delete(tr("所选产能储备")):
            self.page.op(
                lambda s: capacity.delete_capacity_reserve(s, reserve_id=reserve_id, user=user),
                self._saved,
                changes=("stock",),
            )

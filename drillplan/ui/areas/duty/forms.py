"""The contact and shift forms of the 通讯录与值班 page (field specs, the person editor)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QWidget

from drillplan.contacts.register import parse_email, parse_mobile
from drillplan.duty.roster import Person
from drillplan.kernel.values import validate_phone

from drillplan.ui.forms import FieldSpec
from drillplan.ui.i18n import tr

Choice = tuple[int, str]


class PersonEdit(QComboBox):
    """A person: pick a contact from the list (type to find it) or type any name."""

    def __init__(self, choices: list[Choice], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.addItem("", None)
        for contact_id, shown in choices:
            self.addItem(shown, contact_id)
        self.lineEdit().setPlaceholderText(tr("从通讯录选择，或直接输入姓名"))
        self.setCurrentIndex(0)

    def value(self) -> int | str | None:
        text = self.currentText().strip()
        if not text:
            return None
        index = self.findText(text)
        if index > 0:
            return int(self.itemData(index))
        return text

    def set_value(self, value: Any) -> None:
        if isinstance(value, Person):
            index = self.findData(value.contact_id) if value.contact_id is not None else -1
            if index > 0:
                self.setCurrentIndex(index)
            else:
                self.setEditText(value.name)
        elif isinstance(value, int):
            self.setCurrentIndex(max(self.findData(value), 0))
        else:
            self.setEditText("" if value is None else str(value))


def contact_fields(
    units: list[Choice], depots: list[Choice], teams: list[Choice]
) -> list[FieldSpec]:
    return [
        FieldSpec("name", tr("姓名"), required=True, max_length=60),
        FieldSpec("role", tr("职务/岗位"), max_length=60),
        FieldSpec("unit_id", tr("所属单位"), "choice", choices=units, searchable=True,
                  empty_choice=True, hint=tr("单位、储备库、队伍、协议供应商四项只填一项")),
        FieldSpec("depot_id", tr("所属储备库"), "choice", choices=depots, searchable=True,
                  empty_choice=True),
        FieldSpec("team_id", tr("所属队伍"), "choice", choices=teams, searchable=True,
                  empty_choice=True),
        FieldSpec("supplier", tr("协议供应商"), max_length=120,
                  hint=tr("协议储备企业的名称")),
        FieldSpec("scope_unit_id", tr("主管单位（仅供应商）"), "choice", choices=units,
                  searchable=True, empty_choice=True),
        FieldSpec("mobile", tr("手机号"), check=lambda v: parse_mobile(v, field="mobile"),
                  placeholder="13800000000"),
        FieldSpec("office_phone", tr("办公电话"),
                  check=lambda v: validate_phone(v, field="office_phone"),
                  placeholder="021-59720000"),
        FieldSpec("email", tr("电子邮箱"), check=lambda v: parse_email(v, field="email"),
                  max_length=120),
        FieldSpec("notes", tr("备注"), "multiline"),
    ]  # fmt: skip


def shift_fields(kinds: list[Choice], people: list[Choice]) -> list[FieldSpec]:
    return [
        FieldSpec("day", tr("日期"), "date", required=True),
        FieldSpec("shift_kind_id", tr("班次"), "choice", required=True, choices=kinds),
        FieldSpec("leader", tr("带班领导"), "custom", factory=lambda p: PersonEdit(people, p)),
        FieldSpec("officers", tr("值班员"), "list",
                  hint=tr("多人用顿号“、”分隔；与通讯录中同名的联系人自动关联")),
        FieldSpec("phone", tr("值班电话"), check=lambda v: validate_phone(v, field="phone"),
                  placeholder="021-59720000"),
        FieldSpec("notes", tr("备注"), "multiline"),
    ]  # fmt: skip

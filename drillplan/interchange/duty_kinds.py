"""The column specs of the contacts (通讯录) and the monthly duty roster (值班表), in the
office's usual layout: 日期 | 星期 | 班次 | 带班领导 | 值班员 | 联系电话."""

from __future__ import annotations

from drillplan.interchange.spec import Column, Kind, T

C = Column

CONTACTS = Kind(
    "contacts", "通讯录", "Contacts", order=9, key=("unit", "depot", "team", "supplier", "name"),
    notes="每行一人：所属单位、储备库、队伍、协议供应商四项只填一项。手机号与办公电话至少填一项；"
    "重复导入按“所属 + 姓名”匹配并更新。",
    columns=(
        C("name", "姓名", "Name", synonyms=("联系人", "人员姓名"), required=True, example="王建国",
          max_len=60),
        C("role", "职务", "Role", synonyms=("岗位", "职务/岗位", "职位"), example="科长",
          max_len=60),
        C("unit", "所属单位", "Unit", T.REF, ("单位", "单位编码", "单位名称", "unit"),
          ref="unit", example="310118-YJJ", field="unit_id", width=20,
          help="单位的编码或名称"),
        C("depot", "储备库", "Depot", T.REF, ("储备库编码", "储备库名称", "库点"), ref="depot",
          field="depot_id", width=16, help="储备库的编码或名称"),
        C("team", "队伍", "Team", T.REF, ("队伍编码", "队伍名称", "所属队伍"), ref="team",
          field="team_id", width=16, help="救援队伍的编码或名称"),
        C("supplier", "协议供应商", "Supplier", synonyms=("供应商", "协议单位", "协议企业"),
          max_len=120, width=24, help="协议储备企业的名称（文字）"),
        C("scope_unit", "主管单位", "Unit in charge", T.REF, ("负责单位",), ref="unit",
          field="scope_unit_id", width=16,
          help="只用于协议供应商的联系人：负责该协议的单位（其编辑人员可修改此联系人）"),
        C("mobile", "手机号", "Mobile", synonyms=("手机", "移动电话", "手机号码"),
          example="13912345678", max_len=40,
          help="11 位手机号，可带 +86；固定电话请填写在办公电话"),
        C("office_phone", "办公电话", "Office phone",
          synonyms=("座机", "固定电话", "办公室电话", "电话", "联系电话"),
          example="021-59721234", max_len=40, help="上海固定电话 021-xxxxxxxx 或手机号"),
        C("email", "电子邮箱", "Email", synonyms=("邮箱", "email", "e-mail"), max_len=120,
          width=22),
        C("notes", "备注", "Notes", synonyms=("说明",), max_len=2000, width=24),
    ),
)  # fmt: skip

DUTY = Kind(
    "duty", "值班表", "Duty roster", order=10, key=("day", "shift"),
    notes="每行一个班次（同一天可有白班、夜班等多行）。日期可写 2026-12-01、2026/12/1、"
    "2026年12月1日 或 Excel 日期；只写“12月1日”时按工作表名称中的年份（如“2026年12月值班表”），"
    "否则按文件中其他日期的年份，再否则按今年。值班员多人用、分隔。"
    "带班领导、值班员与通讯录中唯一同名的联系人自动关联。重复导入按“日期 + 班次”匹配并更新。",
    columns=(
        C("day", "日期", "Date", T.DATE, ("值班日期", "date", "day"), required=True,
          example="2026-12-01", width=12),
        C("weekday", "星期", "Weekday", synonyms=("周", "星期几"), info=True, width=8,
          help="导出时填写，导入时不检查"),
        C("shift", "班次", "Shift", synonyms=("班别", "值班班次", "shift"), required=True,
          example="白班", max_len=20, width=8, field="shift_kind_id",
          help="班次名称或代码（白班、夜班、全天，见 drillplan duty kinds）"),
        C("leader", "带班领导", "Leader", synonyms=("带班", "值班领导", "带班人", "领导"),
          example="王建国", max_len=60, width=12),
        C("officers", "值班员", "Duty officers", T.LIST,
          ("值班人员", "值班人", "值班干部", "值班员姓名"), example="李娜、张伟", max_len=60,
          width=20, help="多人用、分隔"),
        C("phone", "联系电话", "Phone", synonyms=("值班电话", "电话", "联系方式"),
          example="021-59721110", max_len=40, width=14),
        C("notes", "备注", "Notes", synonyms=("说明",), max_len=2000, width=20),
    ),
)  # fmt: skip

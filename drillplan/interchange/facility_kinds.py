"""The column specs of the facility registers: facility classes and facilities (issue 14)."""

from __future__ import annotations

from decimal import Decimal

from drillplan.interchange.spec import Column, Kind, T, version_column
from drillplan.kernel.vocab import EmergencyUse, FacilityKind, FacilityStatus, StayType

ZERO = Decimal(0)
C = Column

FACILITY_CLASSES = Kind(
    "facility-classes", "避难场所分类", "Facility classes", order=20, key=("code",),
    notes="分类名称与容量门槛暂定（GB/T 44012-2024 按等级和避难时长分类），请按本区规划修改。",
    columns=(
        C("code", "分类编号", "Code", synonyms=("编号", "分类代码"), required=True, example="II",
          max_len=32),
        C("name", "分类名称", "Name", synonyms=("名称", "分类"), required=True,
          example="Ⅱ类应急避难场所", max_len=60, width=22),
        C("kind", "类型", "Kind", T.ENUM, ("场所类型",), required=True, enum=FacilityKind,
          example="应急避难场所"),
        C("level", "等级", "Level", synonyms=("级别",), max_len=20, example="Ⅱ类"),
        C("stay_type", "避难时长", "Stay", T.ENUM, ("避难类型", "时长类型"), enum=StayType,
          example="短期"),
        C("min_capacity", "最小容量（人）", "Min capacity", T.INT, ("最小容量",),
          min_value=ZERO, example="1000"),
        C("max_capacity", "最大容量（人）", "Max capacity", T.INT, ("最大容量",),
          min_value=ZERO, example="4999"),
        C("notes", "备注", "Notes", synonyms=("说明",), max_len=2000, width=30),
        version_column(),
    ),
)  # fmt: skip

FACILITIES = Kind(
    "facilities", "避难场所", "Facilities", order=21, key=("code",),
    notes="设施可填 供水、供电、厕所、医疗点、标识、应急广播，用、分隔；"
    "巡查周期不填则用设置中的默认周期。",
    columns=(
        C("code", "场所编号", "Code", synonyms=("编号", "场所代码"), required=True,
          example="QP-BN-001", max_len=32),
        C("name", "场所名称", "Name", synonyms=("名称", "场所"), required=True,
          example="青浦区体育馆", max_len=120, width=24),
        C("facility_class", "分类", "Class", synonyms=("分类编号", "场所分类", "类别"),
          required=True, example="II", max_len=60, field="class_id"),
        C("address", "地址", "Address", synonyms=("详细地址", "场所地址"), max_len=200, width=30),
        C("street_unit", "所在街镇", "Street/town", T.REF, ("街镇", "街道/镇", "所属街镇"),
          ref="unit", required=True, example="310118001", field="street_unit_id", width=16),
        C("unit_in_charge", "责任单位", "Unit in charge", T.REF, ("管理单位", "负责单位"),
          ref="unit", required=True, example="310118-YJJ", field="unit_in_charge_id", width=20),
        C("capacity_people", "可容纳人数", "Capacity (people)", T.INT, ("容纳人数", "容量"),
          min_value=ZERO, example="3000"),
        C("area_m2", "面积（平方米）", "Area (m²)", T.DECIMAL, ("面积", "有效面积"),
          min_value=ZERO, decimals=1, example="12000"),
        C("normal_use", "平时用途", "Normal use", synonyms=("平时",), max_len=60,
          example="体育场馆"),
        C("emergency_use", "急时用途", "Emergency use", T.ENUM, ("急时",), enum=EmergencyUse,
          example="避难安置"),
        C("conversion_hours", "转换时间（小时）", "Conversion (hours)", T.INT, ("转换时间",),
          min_value=ZERO, example="12"),
        C("amenities", "设施", "Facilities", T.LIST, ("配套设施", "设施配置"), max_len=20,
          example="供水、供电、厕所", width=24),
        C("contact", "联系人", "Contact", synonyms=("负责人",), max_len=60),
        C("phone", "联系电话", "Phone", T.PHONE, ("电话", "联系方式", "手机"),
          example="021-59721234"),
        C("last_inspected_on", "最近巡查日期", "Last inspected", T.DATE, ("最近巡查", "巡查日期"),
          example="2026-10-15"),
        C("inspection_days", "巡查周期（天）", "Inspection interval (days)", T.INT, ("巡查周期",),
          min_value=ZERO, example="90"),
        C("status", "状态", "Status", T.ENUM, ("使用状态",), enum=FacilityStatus, example="可用"),
        C("notes", "备注", "Notes", synonyms=("说明",), max_len=2000, width=30),
        version_column(),
    ),
)  # fmt: skip

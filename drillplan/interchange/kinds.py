"""The registers that can be imported, exported and templated, column by column."""

from __future__ import annotations

from decimal import Decimal

from drillplan.interchange import duty_kinds
from drillplan.interchange.spec import Column, Kind, T, version_column
from drillplan.kernel.vocab import (
    Criticality,
    DepotTier,
    DrillForm,
    DrillPurpose,
    DrillScope,
    DrillStatus,
    EmergencyCategory,
    HolderClass,
    HseepType,
    PlanKind,
    PlanStatus,
    Readiness,
    TeamKind,
    Tier,
    TrainingKind,
    UnitKind,
)

ZERO = Decimal(0)
C = Column
VERSION = version_column()
_UNIT_REF = ("单位编码", "单位名称", "单位", "owner unit", "unit")

UNITS = Kind(
    "units", "单位", "Units", order=0, key=("code",),
    columns=(
        C("code", "单位编码", "Code", synonyms=("编码", "代码", "单位代码"), required=True,
          example="310118-YJJ", max_len=32, help="单位的唯一编码，重复导入按此匹配"),
        C("name", "单位名称", "Name", synonyms=("名称", "单位"), required=True,
          example="青浦区应急管理局", max_len=120, width=28),
        C("kind", "单位类型", "Kind", T.ENUM, ("类型",), required=True, enum=UnitKind,
          example="部门"),
        C("tier", "层级", "Tier", T.ENUM, ("级别",), required=True, enum=Tier, example="区级"),
        C("parent", "上级单位", "Parent unit", T.REF, ("上级", "parent"), ref="unit",
          example="310118", help="上级单位的编码或名称（可以是本表中的单位）", field="parent_id"),
        C("credit_code", "统一社会信用代码", "Credit code", T.CREDIT_CODE, ("信用代码",),
          example="11310118MB2F38571U", width=22),
        C("credit_code_override", "信用代码已核实", "Credit code verified", T.BOOL,
          ("校验位不符仍保存",), help="填“是”：代码经核实无误，校验位或类别不符仍保存",
          help_en="yes: the code is verified; save it although its check character or class"
          " does not match"),
        C("address", "地址", "Address", synonyms=("办公地址", "详细地址", "单位地址"), width=30),
        C("contact", "联系人", "Contact", synonyms=("负责人", "联络人"), max_len=60),
        C("phone", "联系电话", "Phone", T.PHONE,
          ("电话", "联系方式", "办公电话", "值班电话", "手机", "手机号"), example="021-59721234"),
        C("population", "常住人口", "Population", T.INT, ("人口", "常住人口（人）"),
          min_value=ZERO, example="120000", help="街镇的常住人口（人），用于避难场所容量核算"),
        VERSION,
    ),
)  # fmt: skip

MATERIALS = Kind(
    "materials", "物资品类", "Materials", order=1, key=("code",),
    notes="保质期可按天、月或年填写（730、24个月、2年），保存为天数；批次只填生产日期时据此推算有效期。",
    columns=(
        C("code", "物资编码", "Code", synonyms=("编码", "物资代码", "分类编码"), required=True,
          example="2010101", max_len=7, help="GB/T 38565-2020 七位分类编码"),
        C("name", "物资名称", "Name", synonyms=("名称", "品名", "物资"), required=True,
          example="救生衣", max_len=120, width=20),
        C("uom", "计量单位", "Unit of measure", synonyms=("单位", "uom"), required=True,
          example="件", max_len=12, width=10),
        C("spec", "规格型号", "Specification", synonyms=("规格", "型号", "规格/型号"),
          max_len=120, width=20),
        C("shelf_life_days", "保质期（天）", "Shelf life (days)", T.DURATION,
          ("保质期", "保质期天数", "保质期（月）", "保质期（月数）", "保质期（年）", "保质期限",
           "储存期限", "shelf life", "shelf life (months)"),
          example="1825", positive=True,
          help="不填表示不过期；可写 730、730天、24个月、2年"
          "（1 个月按 365/12 天计，24个月 = 730 天）；"
          "列名为“保质期（月）”时只写数字按月计，“保质期（年）”按年计，其余按天计"),
        C("needs_rotation", "需要轮换", "Needs rotation", T.BOOL, ("轮换", "是否轮换"),
          example="否"),
        C("flood_control", "防汛物资", "Flood control", T.BOOL, ("是否防汛物资",), example="是"),
        C("reference_price", "参考单价（元）", "Reference price", T.DECIMAL, ("参考单价", "单价"),
          min_value=ZERO, decimals=2, example="85.00"),
        C("criticality", "重要程度", "Criticality", T.ENUM, ("关键程度", "物资重要程度"),
          enum=Criticality, example="关键",
          help="关键/重要/一般（就绪度权重 3/2/1）；不填按分类编码：2 类关键，1 类重要，其余一般"),
        C("synonyms", "别名", "Synonyms", T.LIST, ("俗称", "其他名称", "又名"), max_len=40,
          example="冲锋艇、抢险舟", width=20, help="资源目录按别名也能找到该物资，以、分隔"),
        version_column(fingerprint=True),
    ),
)  # fmt: skip

DEPOTS = Kind(
    "depots", "储备库", "Depots", order=2, key=("code",),
    columns=(
        C("code", "储备库编码", "Code", synonyms=("编码", "库点编码", "仓库编码"), required=True,
          example="QP-D01", max_len=32),
        C("name", "储备库名称", "Name", synonyms=("名称", "库点名称", "仓库名称", "储备库"),
          required=True, example="青浦区防汛物资仓库", max_len=120, width=28),
        C("tier", "层级", "Tier", T.ENUM, ("级别", "储备层级"), required=True, enum=DepotTier,
          example="区级"),
        C("owner_unit", "管理单位", "Owner unit", T.REF, ("所属单位", *_UNIT_REF), ref="unit",
          required=True, example="310118-YJJ", field="owner_unit_id", width=20),
        C("address", "地址", "Address", synonyms=("库址", "详细地址", "储备库地址"), width=30),
        C("keeper", "保管员", "Keeper",
          synonyms=("负责人", "联系人", "管理员", "库管员", "保管人", "仓库负责人"), max_len=60),
        C("keeper_phone", "保管员电话", "Keeper phone", T.PHONE,
          ("联系电话", "值班电话", "负责人电话", "联系人电话", "联系方式", "电话", "手机",
           "手机号")),
        C("capacity_m3", "库容（立方米）", "Capacity (m³)", T.DECIMAL,
          ("库容", "库容（m³）", "库容(m3)", "仓容"), min_value=ZERO),
        C("agreement_supplier", "协议供应商", "Agreement supplier",
          synonyms=("协议单位", "代储单位", "供应商"), max_len=120, width=24,
          help="协议储备：承储的供应商"),
        C("agreement_contact", "协议联系人", "Agreement contact", synonyms=("供应商联系人",),
          max_len=60),
        C("agreement_phone", "协议联系电话", "Agreement phone", T.PHONE,
          ("供应商电话", "协议电话"), example="021-59721234"),
        VERSION,
    ),
)  # fmt: skip

TEAMS = Kind(
    "teams", "救援队伍", "Teams", order=3, key=("code",),
    columns=(
        C("code", "队伍编码", "Code", synonyms=("编码", "队伍代码"), required=True,
          example="QP-T01", max_len=32),
        C("name", "队伍名称", "Name", synonyms=("名称", "队伍"), required=True,
          example="青浦区防汛抢险队", max_len=120, width=28),
        C("kind", "队伍类型", "Kind", T.ENUM, ("类型",), required=True, enum=TeamKind,
          example="专业队伍"),
        C("specialties", "专业方向", "Specialties", T.LIST, ("专业", "特长"), max_len=40,
          example="防汛抢险、水上救援", width=24),
        C("owner_unit", "所属单位", "Owner unit", T.REF, ("管理单位", *_UNIT_REF), ref="unit",
          required=True, example="310118-YJJ", field="owner_unit_id", width=20),
        C("tier", "层级", "Tier", T.ENUM, ("级别",), required=True, enum=Tier, example="区级"),
        C("base", "驻地", "Base", synonyms=("驻扎地", "驻点", "队伍驻地", "地址"), width=24),
        C("duty_phone", "值班电话", "Duty phone", T.PHONE,
          ("联系电话", "电话", "联系方式", "24小时值班电话"), example="13812345678"),
        C("response_minutes", "响应时间（分钟）", "Response (min)", T.INT, ("响应时间",),
          min_value=ZERO, example="30"),
        C("readiness", "战备状态", "Readiness", T.ENUM, ("状态",), enum=Readiness,
          example="待命"),
        C("headcount", "人数", "Headcount", T.INT, ("队员人数", "队员数", "总人数"),
          min_value=ZERO),
        C("credit_code", "统一社会信用代码", "Credit code", T.CREDIT_CODE, ("信用代码",),
          width=22),
        C("credit_code_override", "信用代码已核实", "Credit code verified", T.BOOL,
          ("校验位不符仍保存",), help="填“是”：代码经核实无误，校验位或类别不符仍保存",
          help_en="yes: the code is verified; save it although its check character or class"
          " does not match"),
        C("agreement_no", "协议编号", "Agreement no.", max_len=40),
        C("agreement_expires_on", "协议到期日", "Agreement expires", T.DATE,
          ("协议有效期至", "协议到期"), example="2026-12-31"),
        VERSION,
    ),
)  # fmt: skip

MEMBERS = Kind(
    "members", "队员", "Members", order=4, key=("team", "name"),
    columns=(
        C("team", "队伍编码", "Team", T.REF, ("队伍", "队伍名称", "所属队伍"), ref="team",
          required=True, example="QP-T01", field="team_id"),
        C("name", "姓名", "Name", synonyms=("队员", "队员姓名"), required=True, example="张伟",
          max_len=60),
        C("role", "职务", "Role", synonyms=("岗位", "角色"), example="队员", max_len=40),
        C("phone", "手机号", "Phone", T.PHONE, ("电话", "联系电话", "手机", "联系方式"),
          example="13812345678"),
        C("insured_until", "保险到期日", "Insured until", T.DATE, ("保险有效期至",)),
        C("active", "在队", "Active", T.BOOL, ("在岗", "有效"), example="是"),
    ),
)  # fmt: skip

CERTIFICATES = Kind(
    "certificates", "队员证书", "Certificates", order=5, key=("cert_type", "number"),
    columns=(
        C("team", "队伍编码", "Team", T.REF, ("队伍", "队伍名称", "所属队伍"), ref="team",
          required=True, example="QP-T01"),
        C("member", "姓名", "Member", synonyms=("队员", "队员姓名", "持证人"), required=True,
          example="张伟", max_len=60, field="member_id"),
        C("cert_type", "证书类型", "Certificate type", synonyms=("证书名称", "类型"),
          required=True, example="水上救援员", max_len=60, width=18),
        C("number", "证书编号", "Number", synonyms=("编号", "证号"), required=True, max_len=60,
          width=18),
        C("issued_on", "发证日期", "Issued", T.DATE, ("取证日期",), required=True),
        C("expires_on", "有效期至", "Expires", T.DATE, ("到期日期", "有效期")),
    ),
)  # fmt: skip

LOTS = Kind(
    "lots", "物资批次", "Lots", order=6, key=("holder", "material", "batch_no"),
    notes=(
        "数量为 0 的新批次会被拒绝（zero_quantity）：只登记批次、不记入库时，在“仅登记”列填“是”"
        "并把数量填 0。只填生产日期时，有效期按物资的保质期推算，"
        "试运行（--dry-run）会逐行列出推算结果。"
        "填写物资名称或储备库/队伍名称时，须与编码一致。"
    ),
    columns=(
        C("holder", "储备库/队伍编码", "Depot or team", T.REF,
          ("储备库编码", "储备库", "仓库", "库点", "队伍编码", "队伍", "存放单位", "holder",
           "depot"), ref="holder", required=True, example="QP-D01", width=16,
          help="储备库或队伍（队伍装备）的编码或名称", field="holder_id"),
        C("holder_name", "储备库/队伍名称", "Depot or team name",
          synonyms=("储备库名称", "库点名称", "仓库名称", "队伍名称"), info=True, width=24,
          help="如填写，须与编码对应的储备库或队伍名称一致"),
        C("material", "物资编码", "Material", T.REF,
          ("物资代码", "编码", "物资", "物资名称", "品名", "名称", "material code",
           "material name"), ref="material", required=True, example="2010101",
          help="物资的编码或名称", field="material_id"),
        C("material_name", "物资名称", "Material name", synonyms=("品名", "名称"), info=True,
          width=18,
          help="如填写，须与物资编码对应的物资名称一致（忽略全角/半角和空格）"),
        C("batch_no", "批次号", "Batch", synonyms=("批号", "批次"), required=True,
          example="2024-06-A", max_len=60),
        C("quantity", "数量", "Quantity", T.DECIMAL,
          ("库存数量", "结存数量", "入库数量", "现存数量", "qty"), required=True,
          min_value=ZERO, example="1,200", decimals=3,
          help="期初数量，导入时记一笔入库；新批次数量为 0 会被拒绝，"
          "只登记批次请在“仅登记”列填“是”"),
        C("register_only", "仅登记", "Register only", T.BOOL, ("只登记", "仅登记批次"),
          example="否", help="填“是”：只登记批次、不记入库，数量须为 0；不填或“否”：数量须大于 0"),
        C("uom", "计量单位", "Unit of measure", synonyms=("单位", "uom"), max_len=12,
          example="件", width=10, help="如填写，须与物资的计量单位一致"),
        C("production_date", "生产日期", "Production date", T.DATE, ("生产日",),
          example="2024-03-15"),
        C("expiry_date", "有效期至", "Expiry date", T.DATE, ("失效日期", "到期日期", "有效期"),
          example="2029年3月14日", help="不填则按生产日期加保质期计算"),
        C("received_on", "入库日期", "Received on", T.DATE, ("入库时间",),
          example="2024/6/4", help="期初入库的日期，不填为今天"),
        C("unit_cost", "单价（元）", "Unit cost", T.DECIMAL, ("单价",), min_value=ZERO,
          decimals=2),
        C("supplier", "供应商", "Supplier", synonyms=("生产厂家", "厂家", "生产厂商", "供货单位"),
          max_len=120, width=24),
        C("source", "来源", "Source", synonyms=("资金来源", "采购方式"), max_len=60),
        C("location", "存放位置", "Location", synonyms=("库位", "货位"), max_len=60),
        C("last_inspected_on", "最近检查日期", "Last inspected", T.DATE,
          ("检查日期", "上次检查日期")),
        C("document_no", "入库单号", "Document no.", synonyms=("单据号",), max_len=60),
    ),
)  # fmt: skip

PLANS = Kind(
    "plans", "应急预案", "Plans", order=7, key=("code",),
    columns=(
        C("code", "预案编号", "Code", synonyms=("编号", "文号"), required=True,
          example="QP-ZX-001", max_len=40),
        C("title", "预案名称", "Title", synonyms=("名称", "预案"), required=True,
          example="青浦区防汛防台专项应急预案", width=36),
        C("kind", "预案类别", "Kind", T.ENUM, ("类别", "预案类型"), required=True,
          enum=PlanKind, example="专项预案"),
        C("category", "事件类别", "Category", T.ENUM, ("突发事件类别",), required=True,
          enum=EmergencyCategory, example="自然灾害"),
        C("hazards", "风险类型", "Hazards", T.LIST, ("灾种", "风险"), max_len=40,
          example="台风、暴雨、洪涝", width=24),
        C("owner_unit", "编制单位", "Owner unit", T.REF, ("牵头单位", *_UNIT_REF), ref="unit",
          required=True, example="310118-YJJ", field="owner_unit_id", width=20),
        C("holder_class", "持有单位类型", "Holder class", T.ENUM, (), enum=HolderClass,
          help="决定默认演练周期"),
        C("status", "状态", "Status", T.ENUM, ("预案状态",), enum=PlanStatus, example="已发布",
          help="已有预案的状态请用状态变更功能修改"),
        C("version", "版本", "Version", synonyms=("版本号",), max_len=20, example="1.0"),
        C("response_levels", "响应级别", "Response levels", T.LIST, (), max_len=20,
          example="一级、二级、三级、四级"),
        C("approved_on", "批准日期", "Approved", T.DATE, ("批准印发日期",)),
        C("published_on", "发布日期", "Published", T.DATE, ("印发日期",)),
        C("filed_on", "备案日期", "Filed", T.DATE, ()),
        C("filed_with", "备案机关", "Filed with", max_len=120, width=20),
        C("evaluation_interval_months", "评估周期（月）", "Evaluation interval (months)", T.INT,
          ("评估周期",), positive=True, example="36"),
        C("drill_interval_months", "演练周期（月）", "Drill interval (months)", T.INT,
          ("演练周期",), positive=True, help="不填按预案类别的默认周期"),
        C("flood_related", "防汛相关", "Flood related", T.BOOL, (), example="是"),
        C("notes", "备注", "Notes", max_len=10_000, width=30),
        VERSION,
    ),
)  # fmt: skip

DRILLS = Kind(
    "drills", "应急演练", "Drills", order=8, key=("code",),
    columns=(
        C("code", "演练编号", "Code", synonyms=("编号",), required=True, example="QP-DR-2025-001",
          max_len=32, width=18),
        C("title", "演练名称", "Title", synonyms=("名称", "演练"), required=True, width=32),
        C("form", "演练形式", "Form", T.ENUM, ("形式",), required=True, enum=DrillForm,
          example="实战演练"),
        C("scope", "演练内容", "Scope", T.ENUM, ("内容", "单项/综合"), required=True,
          enum=DrillScope, example="综合"),
        C("purpose", "演练目的", "Purpose", T.ENUM, ("目的",), enum=DrillPurpose),
        C("hseep_type", "HSEEP 类型", "HSEEP type", T.ENUM, ("hseep",), enum=HseepType),
        C("organiser", "组织单位", "Organiser", T.REF, ("主办单位", *_UNIT_REF), ref="unit",
          required=True, example="310118-YJJ", field="organiser_unit_id", width=20),
        C("starts_at", "开始时间", "Starts", T.DATETIME, ("开始",), required=True,
          example="2025-05-20 09:00", width=17),
        C("ends_at", "结束时间", "Ends", T.DATETIME, ("结束",), required=True,
          example="2025-05-20 11:30", width=17),
        C("venue", "地点", "Venue", synonyms=("演练地点",), width=24),
        C("status", "状态", "Status", T.ENUM, ("演练状态",), enum=DrillStatus, example="计划"),
        C("plans", "检验预案", "Plans", T.REFS, ("关联预案", "预案编号"), ref="plan",
          max_len=40, example="QP-ZX-001", width=20, field="plan_ids"),
        C("teams", "参演队伍", "Teams", T.LIST, ("队伍",), max_len=80,
          example="QP-T01、QP-T02（保障）", help="队伍编码，括号内写角色（默认参演）",
          field="participants", width=24),
        C("units", "参演单位", "Units", T.LIST, ("单位",), max_len=80,
          example="310118-YJJ（主办）", help="单位编码，括号内写角色（默认参演）",
          field="participants", width=24),
        C("scenario", "情景", "Scenario", synonyms=("演练情景", "想定"), max_len=10_000, width=30),
        C("rrule", "重复规则", "Recurrence", synonyms=("rrule",), max_len=300,
          help="RFC 5545 RRULE，如 FREQ=YEARLY;COUNT=3"),
        C("exdates", "例外日期", "Exception dates", T.LIST, (), max_len=40),
        C("required_certificates", "要求证书", "Required certificates", T.LIST, (), max_len=60),
        C("weekend_allowed", "允许周末", "Weekend allowed", T.BOOL, (), example="否"),
        C("flood_related", "防汛相关", "Flood related", T.BOOL, (), example="否"),
        VERSION,
    ),
)  # fmt: skip

TRAININGS = Kind(
    "trainings", "培训与宣教", "Trainings", order=12, key=("code",),
    notes="活动编号不填时自动编号（QP-PX-年份-序号）；活动名称不填时以主题为名称。"
    "培训与宣教活动不计入预案演练。"
    "领用物资请在程序或 drillplan trainings issue 中登记（经台账出库）。",
    columns=(
        C("code", "活动编号", "Code", synonyms=("编号",), example="QP-PX-2026-001", max_len=32,
          width=16, help="不填则自动编号；重复导入按此匹配"),
        C("title", "活动名称", "Title", synonyms=("名称", "活动"), max_len=200, width=30,
          help="不填则以主题为名称"),
        C("starts_at", "日期", "Date", T.DATETIME, ("开始时间", "活动日期", "时间", "开始"),
          required=True, example="2026-05-12 09:00", width=17, field="starts_at"),
        C("ends_at", "结束时间", "Ends", T.DATETIME, ("结束",), example="2026-05-12 11:30",
          width=17, help="不填为开始时间"),
        C("kind", "类型", "Kind", T.ENUM, ("活动类型", "形式"), required=True, enum=TrainingKind,
          example="科普宣传"),
        C("topics", "主题", "Topics", T.LIST, ("活动主题", "内容"), max_len=60,
          example="防汛防台、家庭应急包", width=24),
        C("organiser", "组织单位", "Organiser", T.REF, ("主办单位", *_UNIT_REF), ref="unit",
          required=True, example="310118-YJJ", field="organiser_unit_id", width=20),
        C("street", "街镇", "Street/town", T.REF, ("街道/镇", "所属街镇", "街道", "镇"),
          ref="unit", example="朱家角镇", field="street_unit_id", width=14),
        C("venue", "地点", "Venue", synonyms=("活动地点", "场地"), max_len=200, width=24),
        C("audience", "对象", "Audience", synonyms=("参加对象", "受众", "对象人群"), max_len=200,
          example="社区居民", width=16),
        C("headcount", "人数", "Headcount", T.INT, ("参加人数", "人次", "参与人数"),
          min_value=ZERO, example="120"),
        C("plans", "关联预案", "Plans", T.REFS, ("预案", "预案编号"), ref="plan", max_len=40,
          example="QP-ZX-001", width=20, field="plan_ids"),
        C("teams", "参与队伍", "Teams", T.REFS, ("队伍", "队伍编码"), ref="team", max_len=40,
          example="QP-T01", width=20, field="team_ids"),
        C("notes", "备注", "Notes", max_len=10_000, width=30),
        VERSION,
    ),
)  # fmt: skip

CAPACITY_RESERVES = Kind(
    "capacity-reserves", "产能储备", "Capacity reserves", order=13, key=("code",),
    notes="产能储备是供应商在响应时限内供应或生产的承诺，不是库存批次，不计入可用数量。",
    columns=(
        C("code", "储备编号", "Code", synonyms=("编号", "产能储备编号"), required=True,
          example="CN-2026-01", max_len=32),
        C("supplier", "供应商", "Supplier", synonyms=("供应单位", "生产企业", "厂家"),
          example="上海青浦练塘塑料编织厂", max_len=120, width=28,
          help="供应商名称；不填时用“供应商单位”的名称"),
        C("supplier_unit", "供应商单位", "Supplier unit", T.REF, ("供应商单位编码",),
          ref="unit", field="supplier_unit_id", width=16, help="已登记为单位的供应商：编码或名称"),
        C("contact", "联系人", "Contact", synonyms=("负责人",), max_len=60),
        C("phone", "联系电话", "Phone", T.PHONE, ("电话", "手机", "联系方式"),
          example="13917625408"),
        C("material", "物资编码", "Material", T.REF, ("物资", "物资名称", "品名"), ref="material",
          required=True, example="3010101", field="material_id", help="物资的编码或名称"),
        C("promised_qty", "承诺数量", "Promised quantity", T.DECIMAL, ("数量", "产能"),
          required=True, min_value=ZERO, decimals=3, example="100000",
          help="按物资的计量单位"),
        C("lead_time_hours", "响应时限", "Lead time", synonyms=("响应时间", "交付时限", "时限"),
          required=True, example="72小时", help="小时数或天数：48、48小时、2天"),
        C("agreement_no", "协议编号", "Agreement no.", synonyms=("协议号",), max_len=40),
        C("valid_from", "生效日期", "Valid from", T.DATE, ("协议生效日期",)),
        C("valid_until", "有效期至", "Valid until", T.DATE, ("协议到期日", "到期日期")),
        C("notes", "备注", "Notes", max_len=2000, width=30),
        VERSION,
    ),
)  # fmt: skip

KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        UNITS, MATERIALS, DEPOTS, TEAMS, MEMBERS, CERTIFICATES, LOTS, PLANS, DRILLS, TRAININGS,
    )
}  # fmt: skip
KINDS |= {k.name: k for k in (duty_kinds.CONTACTS, duty_kinds.DUTY)}
KINDS[CAPACITY_RESERVES.name] = CAPACITY_RESERVES  # issue 14 item 5


def get_kind(name: str) -> Kind:
    """The kind named (English key, Chinese name, or a sheet name)."""
    text = name.strip().lower()
    for kind in KINDS.values():
        if text in (kind.name, kind.zh, kind.en.lower(), kind.name.rstrip("s")):
            return kind
    raise KeyError(name)


# shelters and dual-use facilities (issue 14): their kinds live beside their handlers
from drillplan.interchange.facility_kinds import FACILITIES, FACILITY_CLASSES  # noqa: E402

KINDS.update({k.name: k for k in (FACILITY_CLASSES, FACILITIES)})

# the warning-level response matrix (issue 15 item 2): its kind lives beside its handler
from drillplan.interchange.hazard_matrix_kind import HAZARD_MATRIX  # noqa: E402

KINDS[HAZARD_MATRIX.name] = HAZARD_MATRIX

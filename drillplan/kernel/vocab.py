"""Controlled vocabularies of the domain (stored as English keys) with Chinese/English labels."""

from __future__ import annotations

from enum import StrEnum


class Tier(StrEnum):
    CITY = "city"
    DISTRICT = "district"
    STREET = "street"


class DepotTier(StrEnum):
    CITY = "city"
    DISTRICT = "district"
    STREET = "street"
    ENTERPRISE = "enterprise"  # 企业代储
    AGREEMENT = "agreement"  # 协议储备


class UnitKind(StrEnum):
    GOVERNMENT = "government"
    DEPARTMENT = "department"
    STREET_TOWN = "street_town"
    ENTERPRISE = "enterprise"
    SOCIAL_ORG = "social_org"


class PlanKind(StrEnum):
    OVERALL = "overall"  # 总体
    SPECIAL = "special"  # 专项
    DEPARTMENTAL = "departmental"  # 部门
    GRASSROOTS = "grassroots"  # 基层单位
    ENTERPRISE = "enterprise"  # 企事业单位
    MAJOR_EVENT = "major_event"  # 重大活动
    CATASTROPHE = "catastrophe"  # 巨灾
    JOINT = "joint"  # 联合
    ONSITE = "onsite"  # 现场处置方案


class EmergencyCategory(StrEnum):
    NATURAL = "natural"  # 自然灾害
    ACCIDENT = "accident"  # 事故灾难
    PUBLIC_HEALTH = "public_health"  # 公共卫生事件
    SOCIAL_SECURITY = "social_security"  # 社会安全事件


class PlanStatus(StrEnum):
    DRAFTING = "drafting"  # 编制中
    REVIEWING = "reviewing"  # 审核中
    APPROVED = "approved"  # 已批准
    PUBLISHED = "published"  # 已发布
    REVISING = "revising"  # 修订中
    ABOLISHED = "abolished"  # 已废止


class HolderClass(StrEnum):
    """Who holds a plan, which decides the default drill interval (DOMAIN.md)."""

    GOVERNMENT = "government"  # 专项/部门: 3 years
    TOWN_PRODUCTION_SAFETY = "town_production_safety"  # 2 years
    SHANGHAI_LIST = "shanghai_list"  # schools, hospitals, malls ...: 1 year
    HIGH_RISK = "high_risk"  # hazardous goods, rail, mines ...: 6 months


class TeamKind(StrEnum):
    PROFESSIONAL = "professional"  # 专业
    SOCIAL = "social"  # 社会应急力量
    STREET = "street"  # 街镇
    ENTERPRISE = "enterprise"  # 企业专职
    VOLUNTEER = "volunteer"  # 志愿者


class Readiness(StrEnum):
    READY = "ready"  # 待命
    LIMITED = "limited"  # 部分可用
    UNAVAILABLE = "unavailable"  # 不可用


class HolderKind(StrEnum):
    DEPOT = "depot"
    TEAM = "team"


class MovementKind(StrEnum):
    RECEIPT = "receipt"  # 入库
    ISSUE = "issue"  # 领用/发料
    TRANSFER_OUT = "transfer_out"  # 调出
    TRANSFER_IN = "transfer_in"  # 调入
    WRITE_OFF = "write_off"  # 报损
    ROTATION_OUT = "rotation_out"  # 轮换出库
    ROTATION_IN = "rotation_in"  # 轮换入库
    ADJUSTMENT = "adjustment"  # 盘点调整
    REVERSAL = "reversal"  # 冲正


class DrillForm(StrEnum):
    TABLETOP = "tabletop"  # 桌面演练
    LIVE = "live"  # 实战演练


class DrillScope(StrEnum):
    SINGLE = "single"  # 单项
    COMPREHENSIVE = "comprehensive"  # 综合


class DrillPurpose(StrEnum):
    TESTING = "testing"  # 检验性
    DEMONSTRATION = "demonstration"  # 示范性
    RESEARCH = "research"  # 研究性


class HseepType(StrEnum):
    SEMINAR = "seminar"
    WORKSHOP = "workshop"
    TABLETOP = "tabletop"
    GAME = "game"
    DRILL = "drill"
    FUNCTIONAL = "functional"
    FULL_SCALE = "full_scale"


class DrillStatus(StrEnum):
    PLANNED = "planned"  # 计划
    PREPARING = "preparing"  # 筹备
    CONDUCTED = "conducted"  # 已实施
    EVALUATED = "evaluated"  # 已评估
    CANCELLED = "cancelled"  # 取消


class ActionStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    CLOSED = "closed"


class Severity(StrEnum):
    MINOR = "minor"
    MAJOR = "major"
    CRITICAL = "critical"


class EventKind(StrEnum):
    INDIVIDUAL = "individual"
    TEAM = "team"


class Scoring(StrEnum):
    POINTS = "points"  # higher is better
    TIME = "time"  # lower is better


class Role(StrEnum):
    VIEWER = "viewer"
    EDITOR = "editor"
    ADMIN = "admin"


class Criticality(StrEnum):
    """How much a material's quota line weighs in readiness coverage (关键/重要/一般)."""

    CRITICAL = "critical"  # 关键
    IMPORTANT = "important"  # 重要
    GENERAL = "general"  # 一般


class TrainingKind(StrEnum):
    """培训与宣教 events (never a drill of a plan)."""

    TRAINING = "training"  # 培训
    PUBLICITY = "publicity"  # 科普宣传
    LECTURE = "lecture"  # 讲座
    COMMUNITY = "community"  # 进社区
    SCHOOL = "school"  # 进学校
    WORKPLACE = "workplace"  # 进企业


LABELS: dict[str, tuple[str, str]] = {
    # tiers
    "city": ("市级", "City"),
    "district": ("区级", "District"),
    "street": ("街镇级", "Street/town"),
    "enterprise": ("企业", "Enterprise"),
    "agreement": ("协议储备", "Agreement reserve"),
    # unit kinds
    "government": ("政府", "Government"),
    "department": ("部门", "Department"),
    "street_town": ("街道/镇", "Street/town"),
    "social_org": ("社会组织", "Social organisation"),
    # plan kinds
    "overall": ("总体预案", "Overall"),
    "special": ("专项预案", "Special"),
    "departmental": ("部门预案", "Departmental"),
    "grassroots": ("基层单位预案", "Grassroots"),
    "major_event": ("重大活动预案", "Major event"),
    "catastrophe": ("巨灾预案", "Catastrophe"),
    "joint": ("联合预案", "Joint"),
    "onsite": ("现场处置方案", "On-site procedure"),
    # categories
    "natural": ("自然灾害", "Natural disaster"),
    "accident": ("事故灾难", "Accident"),
    "public_health": ("公共卫生事件", "Public health"),
    "social_security": ("社会安全事件", "Social security"),
    # plan status
    "drafting": ("编制中", "Drafting"),
    "reviewing": ("审核中", "Under review"),
    "approved": ("已批准", "Approved"),
    "published": ("已发布", "Published"),
    "revising": ("修订中", "Under revision"),
    "abolished": ("已废止", "Abolished"),
    # team kinds
    "professional": ("专业队伍", "Professional"),
    "social": ("社会应急力量", "Social rescue organisation"),
    "volunteer": ("志愿者队伍", "Volunteers"),
    # readiness
    "ready": ("待命", "Ready"),
    "limited": ("部分可用", "Limited"),
    "unavailable": ("不可用", "Unavailable"),
    # drills
    "tabletop": ("桌面演练", "Tabletop"),
    "live": ("实战演练", "Live"),
    "single": ("单项", "Single-function"),
    "comprehensive": ("综合", "Comprehensive"),
    "planned": ("计划", "Planned"),
    "preparing": ("筹备", "Preparing"),
    "conducted": ("已实施", "Conducted"),
    "evaluated": ("已评估", "Evaluated"),
    "cancelled": ("取消", "Cancelled"),
    # actions
    "open": ("未整改", "Open"),
    "in_progress": ("整改中", "In progress"),
    "closed": ("已完成", "Closed"),
    # movements
    "receipt": ("入库", "Receipt"),
    "issue": ("领用", "Issue"),
    "transfer_out": ("调出", "Transfer out"),
    "transfer_in": ("调入", "Transfer in"),
    "write_off": ("报损", "Write-off"),
    "rotation_out": ("轮换出库", "Rotation out"),
    "rotation_in": ("轮换入库", "Rotation in"),
    "adjustment": ("盘点调整", "Count adjustment"),
    "reversal": ("冲正", "Reversal"),
    # competition
    "individual": ("个人项目", "Individual"),
    "team": ("团体项目", "Team"),
    "points": ("计分", "Points"),
    "time": ("计时", "Time"),
}


# Labels of one vocabulary's member where the label its key shares with other vocabularies
# does not fit, or where the key has none ("HseepType.tabletop" is 桌面推演, a drill's form
# "tabletop" 桌面演练).
MEMBER_LABELS: dict[str, tuple[str, str]] = {
    "HolderClass.government": ("政府及部门", "Government and departments"),
    "HolderClass.town_production_safety": ("乡镇（街道）安全生产", "Town/street production safety"),
    "HolderClass.shanghai_list": ("人员密集场所", "Crowded places (Shanghai list)"),
    "HolderClass.high_risk": ("高危行业企业", "High-risk industries"),
    "DrillPurpose.testing": ("检验性", "Testing"),
    "DrillPurpose.demonstration": ("示范性", "Demonstration"),
    "DrillPurpose.research": ("研究性", "Research"),
    "HseepType.seminar": ("研讨会", "Seminar"),
    "HseepType.workshop": ("专题研讨", "Workshop"),
    "HseepType.tabletop": ("桌面推演", "Tabletop exercise"),
    "HseepType.game": ("推演游戏", "Game"),
    "HseepType.drill": ("单项操练", "Drill"),
    "HseepType.functional": ("功能演练", "Functional exercise"),
    "HseepType.full_scale": ("全面演练", "Full-scale exercise"),
    "Severity.minor": ("一般", "Minor"),
    "Severity.major": ("较重", "Major"),
    "Severity.critical": ("严重", "Critical"),
    "HolderKind.depot": ("储备库", "Depot"),
    "HolderKind.team": ("队伍", "Team"),
    "Criticality.critical": ("关键", "Critical"),
    "Criticality.important": ("重要", "Important"),
    "Criticality.general": ("一般", "General"),
    "TrainingKind.training": ("培训", "Training"),
    "TrainingKind.publicity": ("科普宣传", "Public education"),
    "TrainingKind.lecture": ("讲座", "Lecture"),
    "TrainingKind.community": ("进社区", "In the community"),
    "TrainingKind.school": ("进学校", "In schools"),
    "TrainingKind.workplace": ("进企业", "In enterprises"),
}

# Other names people write for a member: accepted wherever the vocabulary is entered, never
# shown (the regulation's and the office's own words for the same thing).
ALIASES: dict[str, tuple[str, ...]] = {
    "DrillForm.tabletop": ("桌面推演", "桌面"),
    "DrillForm.live": ("实战", "实战演习"),
    "TeamKind.professional": ("专业", "专业救援队伍"),
    "TeamKind.social": ("社会力量", "社会救援力量"),
    "TeamKind.street": ("街镇", "街镇队伍"),
    "TeamKind.enterprise": ("企业专职", "企业专职队伍"),
    "TeamKind.volunteer": ("志愿者",),
    "DepotTier.enterprise": ("企业代储",),
    "PlanKind.overall": ("总体",),
    "PlanKind.special": ("专项",),
    "PlanKind.departmental": ("部门",),
    "PlanKind.grassroots": ("基层单位",),
    "PlanKind.enterprise": ("企事业单位", "企事业单位预案"),
    "PlanKind.major_event": ("重大活动",),
    "PlanKind.catastrophe": ("巨灾",),
    "PlanKind.joint": ("联合",),
    "UnitKind.street_town": ("街道", "镇", "街镇"),
    "Criticality.critical": ("关键物资",),
    "Criticality.important": ("重要物资",),
    "Criticality.general": ("一般物资",),
    "TrainingKind.publicity": ("科普", "宣传", "宣教"),
}


def _member_key(member: StrEnum) -> str:
    return f"{type(member).__name__}.{member.value}"


def label(key: str | StrEnum | None, lang: str = "zh") -> str:
    """Human label of a vocabulary key in the given language ("zh" or "en").

    A member (not a bare key) gets its vocabulary's own label where it has one
    (:data:`MEMBER_LABELS`), else the label of its key."""
    if key is None:
        return ""
    pair = MEMBER_LABELS.get(_member_key(key)) if isinstance(key, StrEnum) else None
    pair = pair or LABELS.get(str(key))
    if pair is None:
        return str(key)
    return pair[0] if lang == "zh" else pair[1]


def input_names(member: StrEnum) -> tuple[str, ...]:
    """Every name a member is entered by: its code, its Chinese and English label, the labels
    its key has in other vocabularies (older files were written with them) and its aliases."""
    names = [member.value, label(member, "zh"), label(member, "en")]
    names += LABELS.get(member.value, ())
    names += ALIASES.get(_member_key(member), ())
    return tuple(dict.fromkeys(names))


# ----------------------------------------------------------------- allocation requests (调拨申请)


class AllocationPurpose(StrEnum):
    """Why a holder asks another for materials (调拨用途)."""

    DRILL = "drill"  # 演练
    RESPONSE = "response"  # 应急响应
    ROTATION = "rotation"  # 轮换
    REPLENISHMENT = "replenishment"  # 补充


class RequestState(StrEnum):
    """requested -> approved / partly_approved / refused -> dispatched -> received; cancelled."""

    REQUESTED = "requested"
    APPROVED = "approved"
    PARTLY_APPROVED = "partly_approved"
    REFUSED = "refused"
    DISPATCHED = "dispatched"
    RECEIVED = "received"
    CANCELLED = "cancelled"


# ------------------------------------------------- shelters and dual-use facilities (issue 14)


class FacilityKind(StrEnum):
    SHELTER = "shelter"  # 应急避难场所
    SHELTER_POINT = "shelter_point"  # 应急避难点
    DUAL_USE = "dual_use"  # 平急两用设施


class StayType(StrEnum):
    """How long people stay (GB/T 44012-2024): 紧急 / 短期 / 长期."""

    IMMEDIATE = "immediate"  # 紧急
    SHORT_TERM = "short_term"  # 短期
    LONG_TERM = "long_term"  # 长期


class EmergencyUse(StrEnum):
    """What a facility becomes in an emergency (急时用途)."""

    SHELTERING = "sheltering"  # 避难安置
    MEDICAL = "medical"  # 医疗救治
    MATERIALS = "materials"  # 物资中转
    QUARANTINE = "quarantine"  # 隔离
    COMMAND = "command"  # 指挥调度


class FacilityStatus(StrEnum):
    IN_SERVICE = "in_service"  # 可用
    LIMITED = "limited"  # 部分可用
    OUT_OF_SERVICE = "out_of_service"  # 停用
    BUILDING = "building"  # 在建


class InspectionResult(StrEnum):
    PASSED = "passed"  # 合格
    DEFECTS = "defects"  # 有问题待整改
    FAILED = "failed"  # 不合格


MEMBER_LABELS.update(
    {
        "AllocationPurpose.drill": ("演练", "Drill"),
        "AllocationPurpose.response": ("应急响应", "Emergency response"),
        "AllocationPurpose.rotation": ("轮换", "Rotation"),
        "AllocationPurpose.replenishment": ("补充", "Replenishment"),
        "RequestState.requested": ("已申请", "Requested"),
        "RequestState.approved": ("已批准", "Approved"),
        "RequestState.partly_approved": ("部分批准", "Partly approved"),
        "RequestState.refused": ("已拒绝", "Refused"),
        "RequestState.dispatched": ("已发运", "Dispatched"),
        "RequestState.received": ("已接收", "Received"),
        "RequestState.cancelled": ("已撤销", "Cancelled"),
        "FacilityKind.shelter": ("应急避难场所", "Emergency shelter"),
        "FacilityKind.shelter_point": ("应急避难点", "Shelter point"),
        "FacilityKind.dual_use": ("平急两用设施", "Dual-use facility"),
        "StayType.immediate": ("紧急", "Immediate"),
        "StayType.short_term": ("短期", "Short-term"),
        "StayType.long_term": ("长期", "Long-term"),
        "EmergencyUse.sheltering": ("避难安置", "Sheltering"),
        "EmergencyUse.medical": ("医疗救治", "Medical care"),
        "EmergencyUse.materials": ("物资中转", "Materials transfer"),
        "EmergencyUse.quarantine": ("隔离", "Quarantine"),
        "EmergencyUse.command": ("指挥调度", "Command post"),
        "FacilityStatus.in_service": ("可用", "In service"),
        "FacilityStatus.limited": ("部分可用", "Limited"),
        "FacilityStatus.out_of_service": ("停用", "Out of service"),
        "FacilityStatus.building": ("在建", "Being built"),
        "InspectionResult.passed": ("合格", "Passed"),
        "InspectionResult.defects": ("有问题待整改", "Defects to fix"),
        "InspectionResult.failed": ("不合格", "Failed"),
    }
)
ALIASES.update(
    {
        "AllocationPurpose.response": ("应急", "响应"),
        "AllocationPurpose.replenishment": ("补库", "补充储备"),
        "FacilityKind.shelter": ("避难场所", "应急避难所"),
        "FacilityKind.shelter_point": ("避难点",),
        "FacilityKind.dual_use": ("平急两用",),
        "StayType.immediate": ("紧急避难", "紧急避难场所"),
        "StayType.short_term": ("短期避难", "短期避难场所"),
        "StayType.long_term": ("长期避难", "长期避难场所"),
        "EmergencyUse.sheltering": ("安置", "避难"),
        "EmergencyUse.medical": ("医疗",),
        "EmergencyUse.materials": ("物资",),
        "EmergencyUse.quarantine": ("隔离观察",),
        "InspectionResult.defects": ("有问题", "待整改"),
    }
)

#: the facilities a shelter can have present (a set of flags): key -> (中文, English)
FACILITY_AMENITIES: dict[str, tuple[str, str]] = {
    "water": ("供水", "Water"),
    "power": ("供电", "Power"),
    "toilets": ("厕所", "Toilets"),
    "medical": ("医疗点", "Medical post"),
    "signage": ("标识", "Signage"),
    "broadcast": ("应急广播", "Broadcast"),
}

"""What each table is called in the audit log, the guard's messages and the audit view."""

from __future__ import annotations

from drillplan.kernel import stale

__all__ = ["TABLE_LABELS", "table_label"]

TABLE_LABELS: dict[str, tuple[str, str]] = {
    "unit": ("单位", "unit"),
    "app_user": ("用户", "user"),
    "audit_log": ("审计日志", "audit log"),
    "setting": ("设置", "setting"),
    "holiday": ("节假日", "holiday"),
    "plan": ("预案", "plan"),
    "plan_revision": ("预案修订", "plan revision"),
    "plan_status_change": ("预案状态变更", "plan status change"),
    "plan_evaluation": ("预案评估", "plan evaluation"),
    "plan_document": ("预案附件", "plan document"),
    "team": ("救援队伍", "team"),
    "member": ("队员", "member"),
    "certificate": ("证书", "certificate"),
    "depot": ("储备库", "depot"),
    "holder": ("物资持有方", "stock holder"),
    "material": ("物资品类", "material"),
    "quota": ("储备定额", "quota"),
    "tier_quota": ("层级定额", "tier quota"),
    "lot": ("批次", "lot"),
    "movement": ("出入库台账", "ledger movement"),
    "drill": ("演练", "drill"),
    "drill_participant": ("参演单位/队伍", "drill participant"),
    "drill_occurrence_move": ("演练场次调整", "drill occurrence move"),
    "finding": ("演练问题", "finding"),
    "corrective_action": ("整改措施", "corrective action"),
    "competition": ("技能大比武", "competition"),
    "competition_event": ("比武科目", "competition event"),
    "competition_entry": ("比武成绩", "competition entry"),
    "contact": ("联系人", "contact"),
    "shift_kind": ("值班班次", "shift kind"),
    "duty_shift": ("值班安排", "duty shift"),
    "duty_officer": ("值班员", "duty officer"),
    "facility_class": ("避难场所分类", "facility class"),
    "facility": ("避难场所/平急两用设施", "facility"),
    "facility_inspection": ("避难场所巡查", "facility inspection"),
    "training_event": ("培训与宣教", "training event"),
    "capacity_reserve": ("产能储备", "capacity reserve"),
    "hazard": ("灾种与预警级别", "hazard"),
    "hazard_plan": ("灾种预案启动级别", "hazard plan activation"),
    "hazard_team_line": ("预警响应待命队伍", "hazard standby team"),
    "hazard_material_line": ("预警响应前置物资", "hazard pre-positioned material"),
}


def table_label(table: str, lang: str = "zh") -> str:
    zh, en = TABLE_LABELS.get(table, (table, table))
    return zh if lang == "zh" else en


stale.name_tables(table_label)  # conflict messages call tables what the audit log calls them

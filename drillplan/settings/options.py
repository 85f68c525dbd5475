"""The office settings, each declared once: key, type, default, labels, validation, parsing.

Settings are kept with the data (shared by every client) so that reports, checks and the
dashboard agree on every PC; per-PC preferences (language, window layout, database location)
are declared in :mod:`drillplan.ui.prefs`. Every consumer reads a value through
:func:`drillplan.settings.get`; no module keeps a copy of a default. The settings page, the
command line (``drillplan settings set KEY VALUE``) and restore validate through
:meth:`Option.validate` and parse typed text through :meth:`Option.parse`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from drillplan.kernel.errors import ValidationError

__all__ = ["OPTIONS", "Option", "option"]

_LIST_SPLIT = re.compile(r"[、,，;；\s]+")


def _no(option: Option, value: Any, rule_zh: str, rule_en: str) -> ValidationError:
    return ValidationError(
        option.key,
        f"“{option.zh}”的值无效：{value!r}（{rule_zh}）",
        message_en=f"invalid {option.en}: {value!r} ({rule_en})",
    )


def _text(option: Option, value: Any) -> Any:
    if not isinstance(value, str) or not value.strip():
        raise _no(option, value, "不能为空", "must not be empty")
    return value.strip()


def _optional_text(option: Option, value: Any) -> Any:
    """Text that may be left empty (an empty value means "not set")."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _no(option, value, "应为文字", "must be text")
    text = value.strip()
    if len(text) > 2000:
        raise _no(option, f"{text[:20]}…", "不能超过 2000 个字", "at most 2000 characters")
    return text


def _days(option: Option, value: Any) -> Any:
    if isinstance(value, str):
        value = [p for p in _LIST_SPLIT.split(value.strip()) if p]
    if not isinstance(value, list | tuple) or not value:
        raise _no(
            option, value, "至少一个天数，如 30,90,180", "at least one day count, e.g. 30,90,180"
        )
    out: set[int] = set()
    for item in value:
        try:
            number = int(str(item).strip()) if not isinstance(item, bool) else -1
        except ValueError:
            number = -1
        if number <= 0 or number > 3660 or str(item).strip() != str(number):
            raise _no(option, item, "天数应为 1 至 3660 的整数", "days are whole numbers 1-3660")
        out.add(number)
    return sorted(out)


def _month_day(option: Option, value: Any) -> Any:
    text = str(value).strip() if isinstance(value, str) else ""
    m = re.fullmatch(r"(\d{1,2})-(\d{1,2})", text)
    if m:
        month, day = int(m.group(1)), int(m.group(2))
        longest = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
        if 1 <= month <= 12 and 1 <= day <= longest[month - 1]:
            return f"{month:02d}-{day:02d}"
    raise _no(option, value, "格式为 月-日，如 06-01", "format MM-DD, e.g. 06-01")


def _positive_int(option: Option, value: Any) -> Any:
    try:
        number = int(str(value).strip()) if not isinstance(value, bool | float) else 0
    except ValueError:
        number = 0
    if number < 1 or number > 36500:
        raise _no(option, value, "应为正整数", "must be a positive whole number")
    return number


def _lead_days(option: Option, value: Any) -> Any:
    try:
        number = int(str(value).strip()) if not isinstance(value, bool | float) else -1
    except ValueError:
        number = -1
    if number < 0 or number > 180:
        raise _no(option, value, "应为 0 至 180 的整数", "a whole number 0-180")
    return number


def _bool(option: Option, value: Any) -> Any:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on", "是", "开"):
        return True
    if text in ("0", "false", "no", "off", "否", "关"):
        return False
    raise _no(option, value, "应为 是/否", "must be true or false")


def _ratio(option: Option, value: Any) -> Any:
    try:
        number = float(str(value).strip()) if not isinstance(value, bool) else -1.0
    except ValueError:
        number = -1.0
    if not 0 < number <= 10:
        raise _no(
            option, value, "应为大于 0、不超过 10 的数，如 0.1", "a number above 0, at most 10"
        )
    return number


def _weights(option: Option, value: Any) -> Any:
    if isinstance(value, str):
        pairs = [p for p in _LIST_SPLIT.split(value.strip()) if p]
        parsed: dict[str, Any] = {}
        for pair in pairs:
            key, sep, number = pair.partition("=")
            if not sep:
                raise _no(option, value, "格式为 名称=权重,...", "format name=weight,...")
            parsed[key.strip()] = number.strip()
        value = parsed
    if not isinstance(value, dict) or not value:
        raise _no(option, value, "格式为 名称=权重,...", "format name=weight,...")
    allowed = set(option.default)
    out: dict[str, float | int] = {}
    for key, raw in value.items():
        if key not in allowed:
            raise _no(option, key, f"可用的名称：{', '.join(option.default)}", "unknown component")
        try:
            number = float(raw) if not isinstance(raw, bool) else -1.0
        except (TypeError, ValueError):
            number = -1.0
        if not 0 <= number <= 1000:
            raise _no(option, raw, "权重应为 0 至 1000 的数", "weights are numbers 0-1000")
        out[key] = int(number) if number == int(number) else number
    if sum(out.values()) <= 0:
        raise _no(option, value, "权重之和应大于 0", "weights must not all be zero")
    return {key: out.get(key, 0) for key in option.default}


_SCHEDULE_PREAMBLE = (
    "根据《中华人民共和国突发事件应对法》《突发事件应急预案管理办法》和《生产安全事故应急条例》"
    "关于应急预案演练的规定，结合本区应急预案的演练周期和汛期、重大活动安排，制定{year}年度"
    "应急演练计划。各组织单位应按计划做好演练准备，演练结束后及时评估总结，"
    "对发现的问题落实整改措施。"
)


def _format_default(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ",".join(str(v) for v in value)
    if isinstance(value, dict):
        return ",".join(f"{k}={v}" for k, v in value.items())
    return str(value)


@dataclass(frozen=True)
class Option:
    """One office setting: its key, default, labels and the rule its values obey."""

    key: str
    default: Any
    zh: str
    en: str
    rule: Callable[[Option, Any], Any]
    help_zh: str = ""

    def validate(self, value: Any) -> Any:
        """The value normalised, or ``ValidationError(key, ...)`` naming the rule."""
        return self.rule(self, value)

    def parse(self, text: str) -> Any:
        """A value typed as text (the command line, a text field) parsed and validated."""
        return self.validate(text)

    def check(self, value: Any) -> bool:
        try:
            self.validate(value)
        except ValidationError:
            return False
        return True

    def format(self, value: Any) -> str:
        """The value as one would type it (``30,90,180``)."""
        return _format_default(value)


OPTIONS: dict[str, Option] = {
    o.key: o
    for o in (
        Option("unit_name", "青浦区应急管理局", "报表单位名称", "Unit name on reports", _text),
        Option("issuing_unit", "", "发文（编制）单位", "Issuing unit on documents",
               _optional_text, "印发文件的单位；留空则用报表单位名称"),
        Option("document_number", "", "文号", "Document number (文号)", _optional_text,
               "如 青应急〔{year}〕12号；{year} 换成报表年份；留空则不印文号"),
        Option("schedule_preamble", _SCHEDULE_PREAMBLE, "年度演练计划前言",
               "Drill schedule preamble", _optional_text,
               "印在年度应急演练计划正文之前；{year} 换成计划年份"),
        Option("report_font_path", "", "公文字体文件夹", "Official font folder",
               _optional_text,
               "含 simfang.ttf（仿宋）、simhei.ttf（黑体）、simsun.ttc（宋体）的文件夹；"
               "留空则用 Windows 字体文件夹，找不到时用内置字体"),
        Option("expiry_horizons", [30, 90, 180], "到期预警天数", "Expiry horizons (days)", _days,
               "到期预警；居中的一档是列表和总览的“即将到期”"),
        Option("flood_season_start", "06-01", "汛期开始（月-日）", "Flood season starts (MM-DD)",
               _month_day),
        Option("flood_season_end", "09-30", "汛期结束（月-日）", "Flood season ends (MM-DD)",
               _month_day),
        Option("preseason_lead_days", 30, "汛前检查提前天数",
               "Pre-season check opens (days before)",
               _lead_days, "汛期开始前这么多天起，总览显示汛前检查（0 至 180）"),
        Option("preseason_inspection_days", 365, "汛前检查：泵与发电机检查有效期（天）",
               "Pre-season: pump/generator inspection valid (days)", _positive_int,
               "水泵、发电机最近一次检查早于汛期开始前这么多天的，汛前检查列为缺项"),
        Option("daily_backup", True, "每天首次启动时自动备份", "Back up daily on first start",
               _bool),
        Option("backup_keep", 14, "自动备份保留天数", "Keep automatic backups (days)",
               _positive_int,
               "每天首次启动及每次导入、恢复前自动备份；更早的自动删除（最新一份总保留）"),
        Option("action_due_days", 90, "整改期限（天）", "Corrective action due (days)",
               _positive_int),
        Option("allow_predated_movements", False, "允许登记未来日期的出入库",
               "Allow pre-dated stock movements", _bool,
               "关闭时（默认）出入库日期不能晚于今天"),
        Option(
            "readiness_weights",
            {
                "coverage": 30,
                "expiry": 15,
                "certificates": 15,
                "headcount": 10,
                "plans": 20,
                "actions": 10,
                "facilities": 10,
            },
            "战备评分权重",
            "Readiness weights",
            _weights,
        ),
        Option("facility_inspection_days", 90, "避难场所巡查周期（天）",
               "Facility inspection interval (days)", _positive_int,
               "避难场所、平急两用设施未单独填写巡查周期时使用"),
        Option("shelter_capacity_ratio", 0.1, "避难容量目标（人数/常住人口）",
               "Shelter capacity target (people per resident)", _ratio,
               "街镇避难场所可容纳人数应达到常住人口的这一比例；"
               "0.1 即 10%（暂定，请按本区规划调整）"),
    )
}  # fmt: skip
OPTIONS["loan_return_days"] = Option(
    "loan_return_days",
    30,
    "演练借用物资归还期限（天）",
    "Drill loans returned within (days)",
    _positive_int,
    "用途为演练的调拨在接收后超过此天数仍未通过归还申请调回的，在总览中提示",
)


def option(key: str) -> Option:
    """The declared option ``key``, or ``ValidationError("key", ...)``."""
    found = OPTIONS.get(key)
    if found is None:
        raise ValidationError(
            "key",
            f"没有设置项 {key}（可用：{', '.join(OPTIONS)}）",
            message_en=f"unknown setting {key}",
        )
    return found

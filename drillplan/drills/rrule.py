"""Building and reading the RRULE of a recurring drill from plain choices (the rule editor).

Only what a drill needs: frequency, interval, weekdays (weekly), and an end by count or by
date (every drill series must end, see :mod:`drillplan.drills.recurrence`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from drillplan.drills.recurrence import normalize_rrule
from drillplan.kernel.errors import ValidationError

FREQUENCIES: dict[str, tuple[str, str, str]] = {
    # key: (zh unit, en unit, RRULE FREQ)
    "daily": ("天", "day", "DAILY"),
    "weekly": ("周", "week", "WEEKLY"),
    "monthly": ("月", "month", "MONTHLY"),
    "yearly": ("年", "year", "YEARLY"),
}
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
WEEKDAY_ZH = "一二三四五六日"
WEEKDAY_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class RuleParts:
    frequency: str | None = None  # None: does not repeat
    interval: int = 1
    weekdays: tuple[str, ...] = field(default_factory=tuple)
    count: int | None = None
    until: dt.date | None = None


def build_rrule(parts: RuleParts) -> str | None:
    """The RRULE value for ``parts`` (None: the drill does not repeat)."""
    if parts.frequency is None:
        return None
    if parts.frequency not in FREQUENCIES:
        raise ValidationError("rrule", "请选择重复频率", message_en="choose a frequency")
    if parts.interval < 1:
        raise ValidationError("rrule", "间隔至少为 1", message_en="the interval is at least 1")
    if parts.count is None and parts.until is None:
        raise ValidationError(
            "rrule", "请填写重复次数或截止日期", message_en="give a count or an end date"
        )
    if parts.count is not None and parts.count < 1:
        raise ValidationError("rrule", "重复次数至少为 1", message_en="count is at least 1")
    items = [f"FREQ={FREQUENCIES[parts.frequency][2]}"]
    if parts.interval != 1:
        items.append(f"INTERVAL={parts.interval}")
    if parts.frequency == "weekly" and parts.weekdays:
        ordered = [d for d in WEEKDAYS if d in parts.weekdays]
        items.append("BYDAY=" + ",".join(ordered))
    if parts.count is not None:
        items.append(f"COUNT={parts.count}")
    else:
        assert parts.until is not None
        items.append(f"UNTIL={parts.until:%Y%m%d}T235959")
    return ";".join(items)


def parse_parts(text: str | None) -> RuleParts:
    """The choices behind an RRULE; rules the editor cannot show raise ValidationError."""
    value = normalize_rrule(text)
    if value is None:
        return RuleParts()
    items = dict(item.partition("=")[::2] for item in value.split(";"))
    by_freq = {v[2]: k for k, v in FREQUENCIES.items()}
    freq = by_freq.get(items.pop("FREQ", ""))
    if freq is None:
        raise ValidationError("rrule", f"不支持的重复规则：{value}", message_en="unsupported rule")
    interval = int(items.pop("INTERVAL", "1"))
    weekdays = tuple(d for d in items.pop("BYDAY", "").split(",") if d)
    count = int(items.pop("COUNT")) if "COUNT" in items else None
    until = None
    if "UNTIL" in items:
        until = dt.datetime.strptime(items.pop("UNTIL")[:8], "%Y%m%d").date()
    items.pop("WKST", None)
    if items or any(d not in WEEKDAYS for d in weekdays):
        raise ValidationError(
            "rrule", f"该重复规则无法在编辑器中显示：{value}", message_en="rule too complex"
        )
    return RuleParts(freq, interval, weekdays, count, until)


def describe(text: str | None, lang: str = "zh") -> str:
    """The rule in words: 每 2 周（周一、周三），共 10 次 / every 2 weeks (Mon, Wed), 10 times."""
    try:
        parts = parse_parts(text)
    except ValidationError:
        return normalize_rrule(text) or ""
    if parts.frequency is None:
        return "不重复" if lang == "zh" else "does not repeat"
    zh_unit, en_unit, _ = FREQUENCIES[parts.frequency]
    idx = [WEEKDAYS.index(d) for d in parts.weekdays]
    if lang == "zh":
        many = "个月" if parts.frequency == "monthly" else zh_unit
        out = f"每 {parts.interval} {many}" if parts.interval > 1 else f"每{zh_unit}"
        if idx:
            out += "（" + "、".join("周" + WEEKDAY_ZH[i] for i in idx) + "）"
        if parts.count is not None:
            return out + f"，共 {parts.count} 次"
        return out + f"，至 {parts.until:%Y-%m-%d}"
    out = f"every {parts.interval} {en_unit}s" if parts.interval > 1 else f"every {en_unit}"
    if idx:
        out += " (" + ", ".join(WEEKDAY_EN[i] for i in idx) + ")"
    if parts.count is not None:
        return out + f", {parts.count} times"
    return out + f", until {parts.until:%Y-%m-%d}"

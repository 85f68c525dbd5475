"""Settings kept with the data (shared by every client), each declared once with its default.

Per-PC preferences (window geometry, language, database location) live in the UI's QSettings;
the rules the office works by live here, so reports and checks agree on every PC.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from drillplan.db.models import Setting
from drillplan.kernel.errors import ValidationError


@dataclass(frozen=True)
class Option:
    key: str
    default: Any
    zh: str
    en: str
    check: Callable[[Any], bool] = lambda _v: True


def _positive_ints(v: Any) -> bool:
    return isinstance(v, list) and bool(v) and all(isinstance(x, int) and x > 0 for x in v)


def _month_day(v: Any) -> bool:
    if not isinstance(v, str) or len(v) != 5 or v[2] != "-":
        return False
    try:
        month, day = int(v[:2]), int(v[3:])
    except ValueError:
        return False
    return 1 <= month <= 12 and 1 <= day <= 31


def _weights(v: Any) -> bool:
    return (
        isinstance(v, dict)
        and bool(v)
        and all(isinstance(x, int | float) and x >= 0 for x in v.values())
        and sum(v.values()) > 0
    )


OPTIONS: dict[str, Option] = {
    o.key: o
    for o in (
        Option("unit_name", "青浦区应急管理局", "报表单位名称", "Unit name on reports",
               lambda v: isinstance(v, str) and bool(v.strip())),
        Option("expiry_horizons", [30, 90, 180], "到期预警天数", "Expiry horizons (days)",
               _positive_ints),
        Option("flood_season_start", "06-01", "汛期开始（月-日）", "Flood season starts (MM-DD)",
               _month_day),
        Option("flood_season_end", "09-30", "汛期结束（月-日）", "Flood season ends (MM-DD)",
               _month_day),
        Option("daily_backup", True, "每天首次启动时自动备份", "Back up daily on first start",
               lambda v: isinstance(v, bool)),
        Option("backup_keep", 14, "保留的自动备份个数", "Automatic backups kept",
               lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 1),
        Option("action_due_days", 90, "整改期限（天）", "Corrective action due (days)",
               lambda v: isinstance(v, int) and v > 0),
        Option(
            "readiness_weights",
            {
                "coverage": 30,
                "expiry": 15,
                "certificates": 15,
                "headcount": 10,
                "plans": 20,
                "actions": 10,
            },
            "战备评分权重",
            "Readiness weights",
            _weights,
        ),
    )
}  # fmt: skip


def get(session: Session, key: str) -> Any:
    option = OPTIONS[key]
    row = session.get(Setting, key)
    return option.default if row is None else row.value


def set_value(session: Session, key: str, value: Any) -> None:
    option = OPTIONS.get(key)
    if option is None:
        raise ValidationError("key", f"没有设置项 {key}", message_en=f"unknown setting {key}")
    if not option.check(value):
        raise ValidationError(
            key, f"“{option.zh}”的值无效：{value!r}", message_en=f"invalid {option.en}: {value!r}"
        )
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value
    session.flush()


def all_values(session: Session) -> dict[str, Any]:
    return {key: get(session, key) for key in OPTIONS}

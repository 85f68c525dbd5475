"""The evaluation's own record beside its scores: who evaluated, how, and what they wrote.

One rule for every door (the evaluation form, ``drillplan drills evaluate``): the values are
checked here with the kernel's text parser (lengths), raising ``ValidationError(field, ...)``.
Objectives are text, one a line; a line may end with a verdict "：达成" / "：基本达成" /
"：未达成" (a half-width colon is accepted too), which :func:`objectives` reads back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from drillplan.kernel.errors import ValidationError
from drillplan.kernel.values import parse_text

# field -> (what, in Chinese, for messages; the longest text accepted)
LIMITS: dict[str, tuple[str, int]] = {
    "evaluation_lead": ("评估组长", 60),
    "evaluators": ("评估人员", 500),
    "evaluation_method": ("评估方法", 2000),
    "objectives": ("演练目标", 4000),
    "course": ("演练经过", 8000),
    "strengths": ("亮点", 4000),
    "plan_suggestions": ("预案修订建议", 4000),
}
COMMENT_MAX = 1000
VERDICTS: dict[str, tuple[str, str]] = {
    "达成": ("met", "met"),
    "基本达成": ("partly_met", "largely met"),
    "未达成": ("not_met", "not met"),
}
_VERDICT_RE = re.compile(r"^(.*?)\s*[：:]\s*(" + "|".join(sorted(VERDICTS, key=len)[::-1]) + r")$")


@dataclass(frozen=True)
class Objective:
    text: str
    verdict: str | None  # "met" / "partly_met" / "not_met", None when not judged
    verdict_zh: str | None
    verdict_en: str | None


def parse_record(values: dict[str, Any]) -> dict[str, str | None]:
    """The text fields of :data:`LIMITS` from ``values`` (absent or blank: None)."""
    out: dict[str, str | None] = {}
    for field, (what, limit) in LIMITS.items():
        out[field] = parse_text(values.get(field), field=field, what=what, max_len=limit)
    return out


def parse_comments(value: Any, indicators: dict[str, tuple[str, str]]) -> dict[str, str] | None:
    """A written comment per indicator key (field ``indicator_comments.<key>``)."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ValidationError(
            "indicator_comments", "应为各指标的评语", message_en="comments must be a mapping"
        )
    out: dict[str, str] = {}
    for key, text in value.items():
        field = f"indicator_comments.{key}"
        if key not in indicators:
            raise ValidationError(
                field,
                f"没有评估指标“{key}”（可选：{'、'.join(indicators)}）",
                message_en=f"unknown indicator {key!r}",
            )
        what = f"“{indicators[key][0]}”的评语"
        parsed = parse_text(text, field=field, what=what, max_len=COMMENT_MAX)
        if parsed is not None:
            out[key] = parsed
    return out or None


def objectives(text: str | None) -> list[Objective]:
    """The stored objectives, one per non-blank line, with the verdict a line ends with."""
    out: list[Objective] = []
    for raw in (text or "").splitlines():
        line = raw.strip()
        if not line:
            continue
        m = _VERDICT_RE.match(line)
        if m and m[1]:
            code, en = VERDICTS[m[2]]
            out.append(Objective(m[1], code, m[2], en))
        else:
            out.append(Objective(line, None, None, None))
    return out

"""English for the generated Chinese sentences the core hands the reports (readiness problems
and items, expiry suggestions), so that an English report is English throughout. Data stays as
entered: only the generated words around it are translated; a sentence no pattern knows is
printed unchanged (Chinese is better than a wrong translation)."""

from __future__ import annotations

import re
from collections.abc import Callable

from drillplan.stock.expiry import ACTIONS

_CRITICALITY = {"关键": "critical", "重要": "important", "一般": "general"}
_DUE_KINDS = {"演练": "drill", "评估": "evaluation", "备案": "filing", "公布": "publication"}


def _crit(m: re.Match[str]) -> str:
    return (
        f"short {m[1]} {m[2]} (quota {m[3]}, usable {m[4]}, coverage {m[5]}%,"
        f" {_CRITICALITY.get(m[6], m[6])} ×{m[7]})"
    )


_PROBLEMS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (
        re.compile(r"缺口 (.+?) (\S+)（定额 (.+?)，可用 (.+?)，保障率 ([\d.]+)%，(.+?)×(\d+)）"),
        _crit,
    ),
    (re.compile(r"已于 (\S+) 过期"), lambda m: f"expired on {m[1]}"),
    (re.compile(r"(-?\d+) 天后到期（(\S+)）"), lambda m: f"expires in {m[1]} days ({m[2]})"),
    (re.compile(r"协议已于 (\S+) 到期"), lambda m: f"agreement expired on {m[1]}"),
    (re.compile(r"证书已于 (\S+) 过期"), lambda m: f"certificate expired on {m[1]}"),
    (re.compile(r"在岗 (\d+) 人，编制 (\d+) 人"), lambda m: f"{m[1]} on duty of {m[2]} required"),
    (
        re.compile(r"(演练|评估|备案|公布)已逾期 (\d+) 天（应于 (\S+) 前）"),
        lambda m: f"{_DUE_KINDS[m[1]]} overdue by {m[2]} days (due by {m[3]})",
    ),
    (
        re.compile(r"整改逾期 (\d+) 天（应于 (\S+) 前）"),
        lambda m: f"corrective action overdue by {m[1]} days (due by {m[2]})",
    ),
    (re.compile(r"从未巡查"), lambda m: "never inspected"),
    (
        re.compile(r"巡查已逾期 (\d+) 天（应于 (\S+) 前）"),
        lambda m: f"inspection overdue by {m[1]} days (due by {m[2]})",
    ),
    (
        re.compile(r"避难容量 (\d+) 人，目标 (\d+) 人（常住人口 (\d+) 人）"),
        lambda m: f"shelter capacity {m[1]}, target {m[2]} (population {m[3]})",
    ),
)

_ITEMS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r" 批次 "), " batch "),
    (re.compile(r" 合作协议\b"), " agreement"),
    (re.compile(r" 在岗人数$"), " headcount"),
    (re.compile(r" 演练$"), " (drill)"),
    (re.compile(r" 评估$"), " (evaluation)"),
    (re.compile(r" 备案$"), " (filing)"),
    (re.compile(r" 公布$"), " (publication)"),
    (re.compile(r" 巡查$"), " (inspection)"),
    (re.compile(r" 避难容量$"), " shelter capacity"),
)


def problem(text: str, lang: str) -> str:
    """A readiness problem sentence in the report's language."""
    if lang == "zh":
        return text
    for pattern, render in _PROBLEMS:
        m = pattern.fullmatch(text.strip())
        if m:
            return render(m)
    return text


def item(text: str, lang: str) -> str:
    """A readiness item ("救生衣 批次 B1 @ 区级仓库"): the generated words in English."""
    if lang == "zh":
        return text
    for pattern, english in _ITEMS:
        text = pattern.sub(english, text)
    return text


_ACTIONS_EN = {zh: en for zh, en in ACTIONS.values() if zh}


def expiry_action(text: str, lang: str) -> str:
    return text if lang == "zh" else _ACTIONS_EN.get(text, text)

"""The judgements an evaluation report prints that are derived from the stored scores and
findings (Qt-free, no ReportLab): grades, the five purposes met or not, strengths, and
suggestions for revising the plans. Each is labelled in the report as derived, so a reader
knows which sentences the evaluators wrote and which the tool worked out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from drillplan.kernel.vocab import Severity, label

# score bands (GB/T 46792 annex D turns scores into verdicts; the bands are ours)
GRADES: tuple[tuple[float, str, str], ...] = (
    (90, "优秀", "excellent"),
    (80, "良好", "good"),
    (60, "合格", "adequate"),
    (0, "不合格", "inadequate"),
)
MET, PARTLY = 80.0, 60.0

# the five purposes of a drill (演练指南) and the indicators that show each
PURPOSES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("检验预案", "Test the plan", ("plan",)),
    ("完善准备", "Improve preparedness", ("organisation", "equipment")),
    ("锻炼队伍", "Train the teams", ("teams",)),
    ("磨合机制", "Exercise the mechanisms", ("command",)),
    ("科普宣教", "Public education", ()),
)


def grade(score: float | None, lang: str = "zh") -> str:
    if score is None:
        return "—"
    for floor, zh, en in GRADES:
        if score >= floor:
            return zh if lang == "zh" else en
    return GRADES[-1][1] if lang == "zh" else GRADES[-1][2]


def severity_text(severity: str | Severity, lang: str = "zh") -> str:
    """The severity in words (never the code ``minor``/``major``)."""
    try:
        member = Severity(severity)
    except ValueError:
        return str(severity)
    return label(member, lang)


@dataclass(frozen=True)
class Purpose:
    name: str
    indicators: tuple[str, ...]
    score: float | None  # mean of its indicators' scores, None when none was scored
    verdict: str


def purposes(scores: Mapping[str, float] | None, lang: str = "zh") -> list[Purpose]:
    """Whether each of the five purposes was met, judged from its indicators' scores."""
    out: list[Purpose] = []
    for zh, en, keys in PURPOSES:
        given = [float(scores[k]) for k in keys if scores and scores.get(k) is not None]
        mean = sum(given) / len(given) if given else None
        if mean is None:
            verdict = "未评估" if lang == "zh" else "not assessed"
        elif mean >= MET:
            verdict = "达成" if lang == "zh" else "met"
        elif mean >= PARTLY:
            verdict = "基本达成" if lang == "zh" else "partly met"
        else:
            verdict = "未达成" if lang == "zh" else "not met"
        out.append(Purpose(zh if lang == "zh" else en, keys, mean, verdict))
    return out


def strengths(names_scores: Sequence[tuple[str, float | None]], lang: str = "zh") -> list[str]:
    """Indicators scored 90 or more, as sentences."""
    return [
        (f"{name}得分 {score:g}，表现优秀。" if lang == "zh" else f"{name}: {score:g}, excellent.")
        for name, score in names_scores
        if score is not None and score >= GRADES[0][0]
    ]


def plan_suggestions(
    plans: Sequence[tuple[str, str]],
    findings: Sequence[tuple[int, str, str]],
    lang: str = "zh",
) -> list[str]:
    """Suggestions for revising the exercised plans: a drill that exposes a problem is one of
    the revision triggers (突发事件应急预案管理办法); a 较重 or 严重 finding asks for a revision
    to be considered, lesser ones for the plan's procedures to be checked."""
    if not plans:
        return []
    if lang == "zh":
        names = "、".join(f"{code}《{title}》" for code, title in plans)
    else:
        names = "; ".join(f"{code} {title}" for code, title in plans)
    serious = [seq for seq, _text, sev in findings if sev in (Severity.MAJOR, Severity.CRITICAL)]
    if serious:
        nums = ("、" if lang == "zh" else ", ").join(str(s) for s in serious)
        return [
            f"演练暴露的第 {nums} 项问题属于预案修订的情形（演练中发现问题），建议编制单位对"
            f"{names}开展评估，必要时启动修订，并在修订后再次演练检验。"
            if lang == "zh"
            else f"Finding(s) {nums} are a revision trigger (problems found in a drill): the"
            f" plan owner should review {names}, revise where needed and drill it again."
        ]
    if findings:
        return [
            f"发现的问题较轻，建议在{names}的下次评估时核对相关处置程序和职责分工。"
            if lang == "zh"
            else f"The findings are minor: check the procedures and duties of {names} at the"
            " plan's next evaluation."
        ]
    return [
        f"本次演练未发现需要修订{names}的问题。"
        if lang == "zh"
        else f"The drill exposed nothing that asks for {names} to be revised."
    ]

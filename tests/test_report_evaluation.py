"""The drill evaluation report (AQ/T 9009, GB/T 46792): every part of the outline, scores as
stored (未逐项评分 rather than blanks), severity in words, the evaluation's date and method,
the signature block; a drill that has not been evaluated is refused with exit 2."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from drillplan.cli.main import main
from drillplan.db.database import Database, open_db
from drillplan.db.models import Drill
from drillplan.demo import load_demo
from drillplan.drills.evaluation import INDICATORS, add_finding, evaluate
from drillplan.kernel.errors import ValidationError
from drillplan.kernel.vocab import DrillStatus, Severity
from drillplan.reports import evaluation_text as ev
from drillplan.reports.registry import build_report

AS_OF = dt.date(2026, 11, 24)
PARTS = (
    "一、演练概况", "二、演练目标及达成情况", "三、演练情景", "四、组织与参演情况",
    "五、演练实施过程", "六、评估指标与得分", "七、做得好的方面", "八、发现的问题",
    "九、整改措施", "十、对预案修订的建议", "十一、评估结论", "十二、评估人员、方法和日期",
)  # fmt: skip


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Database:
    database = open_db(tmp_path_factory.mktemp("eval") / "demo.sqlite3")
    with database.session() as session:
        load_demo(session, as_of=AS_OF)
        conducted = session.scalars(
            select(Drill).where(Drill.status == DrillStatus.CONDUCTED).order_by(Drill.code)
        ).first()
        assert conducted is not None
        evaluate(
            session,
            drill_id=conducted.id,
            indicator_scores={"organisation": 95, "plan": 72, "command": 55, "teams": 88,
                              "equipment": 91},
            summary="总体达到预期，指挥协调需加强。",
            evaluated_on=conducted.starts_at.date() + dt.timedelta(days=3),
            user="许彬鹏",
        )  # fmt: skip
        add_finding(session, drill_id=conducted.id, description="现场指挥部与各队伍通信不畅",
                    severity=Severity.MAJOR)  # fmt: skip
    return database


def _flat(path: Path) -> str:
    return "".join("".join(p.extract_text().split()) for p in PdfReader(str(path)).pages)


def _scored(database: Database) -> Drill:
    with database.sessions() as session:
        drill = session.scalars(
            select(Drill).where(Drill.evaluation_summary == "总体达到预期，指挥协调需加强。")
        ).one()
        session.expunge(drill)
    return drill


def test_every_part_of_the_outline_is_printed(demo: Database, tmp_path: Path) -> None:
    drill = _scored(demo)
    with demo.sessions() as session:
        result = build_report(session, "drill-evaluation", tmp_path / "e.pdf", as_of=AS_OF,
                              drill=drill.code)  # fmt: skip
    flat = _flat(result.path)
    positions = [flat.find(part) for part in PARTS]
    assert all(p >= 0 for p in positions), [
        p for p, at in zip(PARTS, positions, strict=True) if at < 0
    ]
    assert positions == sorted(positions)  # in the outline's order
    assert f"评估日期：{drill.evaluated_on}" in flat
    for zh, _en in INDICATORS.values():  # each indicator with its score
        assert zh in flat
    assert "95" in flat and "55" in flat and "优秀" in flat and "不合格" in flat
    assert "检验预案预案适用性72.0基本达成" in flat  # purpose, indicator, score, verdict
    assert "磨合机制指挥与协调55.0未达成" in flat
    assert "组织与保障得分95，表现优秀" in flat  # a strength from the scores
    assert "现场指挥部与各队伍通信不畅较重" in flat  # severity in words
    assert "minor" not in flat.lower().replace("minor:", "") and "major" not in flat.lower()
    assert "属于预案修订的情形" in flat  # a 较重 finding asks for a revision
    assert "评估录入人许彬鹏" in flat and "评估方法" in flat
    assert "评估组长：" in flat and "评估人员：" in flat


def test_an_overall_score_without_indicator_scores_says_so(demo: Database, tmp_path: Path) -> None:
    with demo.sessions() as session:
        drill = session.scalars(
            select(Drill).where(
                Drill.status == DrillStatus.EVALUATED, Drill.indicator_scores.is_(None)
            )
        ).first()
        assert drill is not None and drill.score is not None
        result = build_report(session, "drill-evaluation", tmp_path / "n.pdf", as_of=AS_OF,
                              drill=drill.code)  # fmt: skip
    flat = _flat(result.path)
    assert "未逐项评分" in flat and f"综合得分：{float(drill.score):g}" in flat


@pytest.mark.parametrize("status", ["planned", "preparing", "cancelled", "conducted"])
def test_a_drill_that_was_not_evaluated_is_refused(
    demo: Database, status: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with demo.sessions() as session:
        drill = session.scalars(select(Drill).where(Drill.status == status)).first()
        assert drill is not None, status
        with pytest.raises(ValidationError):
            build_report(session, "drill-evaluation", tmp_path / "x.pdf", as_of=AS_OF,
                         drill=drill.code)  # fmt: skip
        code = drill.code
    out = tmp_path / "refused.pdf"
    assert main(["--db", demo.url, "report", "drill-evaluation", "-o", str(out),
                 "--drill", code]) == 2  # fmt: skip
    err = capsys.readouterr().err
    assert code in err and ("尚未评估" in err or "已取消" in err)
    assert not out.exists()


def test_english_evaluation_is_english(demo: Database, tmp_path: Path) -> None:
    drill = _scored(demo)
    with demo.sessions() as session:
        result = build_report(session, "drill-evaluation", tmp_path / "en.pdf", as_of=AS_OF,
                              drill=drill.code, lang="en")  # fmt: skip
    text = " ".join(p.extract_text() for p in PdfReader(str(result.path)).pages)
    assert "Problems found" in text and "Major" in text and "Lead evaluator" in text
    generated = re.sub(r"[^\u4e00-\u9fff]", "", text)
    stored = {drill.title, drill.scenario, drill.evaluation_summary, "现场指挥部与各队伍通信不畅"}
    for word in ("评估", "权重", "参演", "未逐项", "较重", "建议", "严重程度"):
        assert word not in generated or any(word in (s or "") for s in stored), word


def test_purposes_and_grades() -> None:
    found = {p.name: p.verdict for p in ev.purposes({"plan": 85, "command": 61}, "zh")}
    assert found["检验预案"] == "达成" and found["磨合机制"] == "基本达成"
    assert found["科普宣教"] == "未评估" and found["锻炼队伍"] == "未评估"
    assert [ev.grade(s) for s in (95, 85, 65, 10, None)] == ["优秀", "良好", "合格", "不合格", "—"]
    assert (
        ev.severity_text("minor", "zh") == "一般"
        and ev.severity_text("critical", "en") == "Critical"
    )


RECORD = {
    "evaluation_lead": "王建国",
    "evaluators": "李明、陈静、赵磊",
    "evaluation_method": "分组现场观察，查阅指挥部记录，演练后访谈参演人员",
    "objectives": "检验防汛防台预案的响应程序：达成\n磨合区街两级联动机制：基本达成\n"
    "检验备用通信保障：未达成\n普及群众转移安置知识",
    "course": "09:00 发布暴雨橙色预警，启动IV级响应。\n09:25 抢险队伍到达崧华路210号集结。",
    "strengths": "抢险队伍 25 分钟内集结到位。\n物资调运清单准确。",
    "plan_suggestions": "在预案第五章补充卫星电话等备用通信方式。",
}


@pytest.fixture(scope="module")
def recorded(demo: Database) -> str:
    """A second conducted drill evaluated with its whole record filled in."""
    with demo.session() as session:
        drill = session.scalars(
            select(Drill).where(Drill.status == DrillStatus.CONDUCTED).order_by(Drill.code)
        ).first()
        assert drill is not None
        evaluate(
            session,
            drill_id=drill.id,
            indicator_scores={k: 85 for k in INDICATORS},
            indicator_comments={"command": "指挥部与现场信息传递及时", "teams": "队伍着装规范"},
            summary="演练达到预期目的。",
            evaluated_on=drill.starts_at.date() + dt.timedelta(days=2),
            **RECORD,
        )
        return drill.code


def test_the_stored_record_is_printed_instead_of_the_derived_text(
    demo: Database, recorded: str, tmp_path: Path
) -> None:
    with demo.sessions() as session:
        result = build_report(session, "drill-evaluation", tmp_path / "r.pdf", as_of=AS_OF,
                              drill=recorded)  # fmt: skip
    flat = _flat(result.path)
    positions = [flat.find(part) for part in PARTS]
    assert all(p >= 0 for p in positions) and positions == sorted(positions)
    assert "1检验防汛防台预案的响应程序达成" in flat  # No., objective, verdict
    assert "2磨合区街两级联动机制基本达成" in flat and "3检验备用通信保障未达成" in flat
    assert "4普及群众转移安置知识未评定" in flat
    assert "五项目的" not in flat  # the derived purposes table is not printed
    assert "09:25抢险队伍到达崧华路210号集结。" in flat and "分阶段记录" not in flat
    assert "指挥与协调85指挥部与现场信息传递及时" in flat  # indicator, score, its comment
    assert "组织与保障85良好" in flat  # no comment written: the score's band
    assert "未填写评语的指标" in flat
    assert "抢险队伍25分钟内集结到位。" in flat and "系统未记录此项" not in flat
    assert "在预案第五章补充卫星电话等备用通信方式。" in flat and "属于预案修订的情形" not in flat
    assert "评估方法分组现场观察" in flat
    assert "评估组长王建国" in flat and "评估人员李明、陈静、赵磊" in flat
    assert "评估组长：王建国" in flat and "评估人员：李明、陈静、赵磊" in flat  # signature block


def test_the_stored_record_in_an_english_report(
    demo: Database, recorded: str, tmp_path: Path
) -> None:
    with demo.sessions() as session:
        result = build_report(session, "drill-evaluation", tmp_path / "r-en.pdf", as_of=AS_OF,
                              drill=recorded, lang="en")  # fmt: skip
    text = " ".join(p.extract_text() for p in PdfReader(str(result.path)).pages)
    flat = "".join(text.split())
    assert "检验防汛防台预案的响应程序met" in flat and "普及群众转移安置知识notjudged" in flat
    assert "Leadevaluator:王建国" in flat and "Comment" in text
    assert "No objectives recorded" not in text

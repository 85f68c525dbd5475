"""English reports are English throughout: every Chinese run left in an English PDF is part of
the data as entered (names, titles, units of measure), none is generated text. And the expiry
and readiness reports end with a legend and a conclusion."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import String, Text, select

from drillplan.db.base import Base
from drillplan.db.database import Database, open_db
from drillplan.demo import load_demo
from drillplan.readiness.score import readiness
from drillplan.reports import english
from drillplan.reports.registry import KINDS, build_report
from drillplan.stock import expiry

AS_OF = dt.date(2026, 11, 24)
CJK = re.compile(r"[\u4e00-\u9fff][\u4e00-\u9fff（）《》、，：；。“”\d\-/]*")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Database:
    database = open_db(tmp_path_factory.mktemp("en") / "demo.sqlite3")
    with database.session() as session:
        load_demo(session, as_of=AS_OF)
    return database


def _stored_text(database: Database) -> str:
    """Every text value in the database, one per line (the data "as entered")."""
    values: list[str] = []
    with database.sessions() as session:
        for table in Base.metadata.sorted_tables:
            cols = [c for c in table.columns if isinstance(c.type, String | Text)]
            if not cols:
                continue
            for row in session.execute(select(*cols)):
                values += [str(v) for v in row if v]
    return "\n".join(values)


def _cjk_runs(path: Path) -> set[str]:
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    return {m.group(0).rstrip("（，、：；。“") for m in CJK.finditer(out)}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_english_reports_carry_no_generated_chinese(
    demo: Database, kind: str, tmp_path: Path
) -> None:
    stored = _stored_text(demo)
    with demo.sessions() as session:
        result = build_report(session, kind, tmp_path / f"{kind}.pdf", as_of=AS_OF, lang="en",
                              year=AS_OF.year)  # fmt: skip
    generated = sorted(
        run
        for run in _cjk_runs(result.path)
        if not any(piece in stored for piece in re.split(r"[（）《》、，：；。“”]", run) if piece)
    )
    assert not generated, generated[:20]


def test_the_translations_of_generated_sentences() -> None:
    assert english.problem("已于 2026-01-02 过期", "en") == "expired on 2026-01-02"
    assert english.problem("演练已逾期 12 天（应于 2026-10-01 前）", "en") == (
        "drill overdue by 12 days (due by 2026-10-01)"
    )
    assert english.problem("在岗 8 人，编制 12 人", "en") == "8 on duty of 12 required"
    assert english.problem("没有模式的句子", "en") == "没有模式的句子"  # unknown: unchanged
    assert english.item("救生衣 批次 B1 @ 区级仓库", "en") == "救生衣 batch B1 @ 区级仓库"
    assert english.expiry_action("列入轮换计划", "en") == "schedule rotation"
    assert english.problem("已于 2026-01-02 过期", "zh") == "已于 2026-01-02 过期"


def _flat(path: Path) -> str:
    return "".join("".join(p.extract_text().split()) for p in PdfReader(str(path)).pages)


def test_expiry_report_has_a_legend_and_a_conclusion(demo: Database, tmp_path: Path) -> None:
    with demo.sessions() as session:
        result = build_report(session, "expiry", tmp_path / "x.pdf", as_of=AS_OF)
        lots = expiry.lot_expiry(session, as_of=AS_OF)
    flat = _flat(result.path)
    assert "图例：■已过期：有效期已过" in flat
    expired = sum(1 for x in lots if x.status == "expired")
    assert "五、结论与建议" in flat and f"已过期批次{expired}个" in flat


def test_readiness_report_has_a_legend_and_a_conclusion(demo: Database, tmp_path: Path) -> None:
    with demo.sessions() as session:
        result = build_report(session, "readiness", tmp_path / "r.pdf", as_of=AS_OF)
        core = readiness(session, as_of=AS_OF)
    flat = _flat(result.path)
    assert "评价：○正常：90分及以上；▲注意：75至90分；■严重：75分以下" in flat
    assert "八、结论" in flat
    assert f"全区应急准备能力综合得分{core.district.score:.1f}分，评价为" in flat
    assert f"共有{len(core.fixes)}项待整改事项" in flat

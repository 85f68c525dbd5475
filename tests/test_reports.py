"""Printed reports: built from the demo data and from an empty database, read back as text."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from drillplan.db.database import Database, open_db
from drillplan.demo import load_demo
from drillplan.reports.registry import KINDS, build_report
from drillplan.stock import expiry

AS_OF = dt.date(2026, 11, 24)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Database:
    database = open_db(tmp_path_factory.mktemp("reports") / "demo.sqlite3")
    with database.session() as session:
        load_demo(session, as_of=AS_OF)
    return database


def _text(path: Path) -> tuple[str, int]:
    reader = PdfReader(str(path))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


def _check_pages(text: str, pages: int, lang: str = "zh") -> None:
    if lang == "zh":
        found = re.findall(r"第 (\d+) 页 共 (\d+) 页", text)
    else:
        found = re.findall(r"Page (\d+) of (\d+)", text)
    assert [int(n) for n, _ in found] == list(range(1, pages + 1))
    assert {int(t) for _, t in found} == {pages}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_report_builds_from_demo_data(demo_db: Database, kind: str, tmp_path: Path) -> None:
    with demo_db.sessions() as session:
        result = build_report(session, kind, tmp_path / f"{kind}.pdf", as_of=AS_OF)
    text, pages = _text(result.path)
    _check_pages(text, pages)
    assert KINDS[kind].zh[:4] in text.replace("\n", "")
    meta = PdfReader(str(result.path)).metadata
    assert meta is not None and meta.title and meta.author == "青浦区应急管理局"


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_report_builds_from_an_empty_database(kind: str, tmp_path: Path) -> None:
    database = open_db(tmp_path / "empty.sqlite3")
    with database.sessions() as session:
        result = build_report(session, kind, tmp_path / f"{kind}.pdf", as_of=AS_OF)
    text, pages = _text(result.path)
    _check_pages(text, pages)
    assert "没有" in text  # says there is nothing to report
    database.close()


def test_expiry_report_numbers_equal_the_core(demo_db: Database, tmp_path: Path) -> None:
    with demo_db.sessions() as session:
        result = build_report(session, "expiry", tmp_path / "expiry.pdf", as_of=AS_OF)
        lots = expiry.lot_expiry(session, as_of=AS_OF)
        certs = expiry.certificate_expiry(session, as_of=AS_OF)
    text, _ = _text(result.path)
    flat = re.sub(r"\s+", "", text)
    assert "应急物资到期审计报告" in flat
    for heading in ("一、总体情况", "二、物资批次明细", "三、人员证书", "四、合作协议"):
        assert heading in flat
    assert result.figures["lots"] == len(lots)
    assert f"共有{len(lots):,}个批次" in flat
    assert f"人员证书{len(certs):,}本" in flat
    expired = [x for x in lots if x.status == "expired"]
    assert result.figures["lots_expired"] == len(expired)
    for lot in lots[:20]:  # every listed lot's batch appears with its expiry date
        assert lot.batch_no in flat
        assert lot.expiry_date.isoformat() in flat


def test_english_report_footer(demo_db: Database, tmp_path: Path) -> None:
    with demo_db.sessions() as session:
        result = build_report(session, "expiry", tmp_path / "en.pdf", as_of=AS_OF, lang="en")
    text, pages = _text(result.path)
    _check_pages(text, pages, "en")
    assert "Emergency Material Expiry Audit" in text


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="needs poppler-utils (pdffonts)")
def test_cjk_font_is_embedded_as_a_subset(demo_db: Database, tmp_path: Path) -> None:
    with demo_db.sessions() as session:
        result = build_report(session, "expiry", tmp_path / "fonts.pdf", as_of=AS_OF)
    out = subprocess.run(
        ["pdffonts", str(result.path)], capture_output=True, text=True, check=True
    ).stdout
    line = next(x for x in out.splitlines() if "WenQuanYi" in x)
    name, *_, emb, sub, uni, _obj, _gen = line.split()
    assert re.match(r"[A-Z]{6}\+WenQuanYiMicroHei", name)
    assert (emb, sub, uni) == ("yes", "yes", "yes")


def test_unknown_kind_is_rejected(demo_db: Database, tmp_path: Path) -> None:
    from drillplan.kernel.errors import ValidationError

    with demo_db.sessions() as session, pytest.raises(ValidationError) as err:
        build_report(session, "nonsense", tmp_path / "x.pdf", as_of=AS_OF)
    assert err.value.field == "kind"


def test_readiness_report_numbers_equal_the_core(demo_db: Database, tmp_path: Path) -> None:
    from drillplan.readiness.score import readiness

    with demo_db.sessions() as session:
        result = build_report(session, "readiness", tmp_path / "r.pdf", as_of=AS_OF)
        core = readiness(session, as_of=AS_OF)
    flat = re.sub(r"\s+", "", _text(result.path)[0])
    assert core.district.score is not None
    assert f"综合得分{core.district.score:.1f}分" in flat
    assert result.figures["district_score"] == core.district.score
    for fix in core.fixes[:5]:  # the top fixes are printed with their points (3 digits)
        assert fix.points_text in flat
    for depot in core.depots:
        assert depot.key in flat


def test_plans_report_numbers_equal_the_core(demo_db: Database, tmp_path: Path) -> None:
    from drillplan.plans.due import plan_due

    with demo_db.sessions() as session:
        result = build_report(session, "plans", tmp_path / "p.pdf", as_of=AS_OF)
        dues = plan_due(session, as_of=AS_OF)
    flat = re.sub(r"\s+", "", _text(result.path)[0])
    overdue = [d for d in dues if d.overdue]
    assert f"在册预案{len(dues)}件" in flat and f"其中{len(overdue)}件有逾期事项" in flat
    for d in dues:
        assert d.code in flat
    assert "二、逾期事项说明" in flat


def test_competition_report_numbers_equal_the_core(demo_db: Database, tmp_path: Path) -> None:
    from drillplan.competitions import find_competition, results

    with demo_db.sessions() as session:
        result = build_report(
            session, "competition", tmp_path / "c.pdf", as_of=AS_OF, year=AS_OF.year
        )
        res = results(session, find_competition(session, year=AS_OF.year).id)
    text = _text(result.path)[0]
    assert f"共 {len(res.events)} 个科目" in text.replace("\n", "")
    first = res.overall[0]
    assert result.figures["winner"] == first.team_name
    from drillplan.cli.output import fmt_number

    flat = re.sub(r"\s+", "", text)
    for row in res.overall[:5]:  # each team's total printed right after its kind
        assert f"{row.team_name}" in flat
        assert fmt_number(row.total) in flat


def test_drill_schedule_report_numbers_equal_the_core(demo_db: Database, tmp_path: Path) -> None:
    from drillplan.drills.conflicts import find_conflicts
    from drillplan.drills.recurrence import occurrences_in_year

    with demo_db.sessions() as session:
        result = build_report(
            session, "drill-schedule", tmp_path / "s.pdf", as_of=AS_OF, year=AS_OF.year
        )
        occs = occurrences_in_year(session, AS_OF.year)
        conflicts = find_conflicts(session, year=AS_OF.year)
    reader = PdfReader(str(result.path))
    assert reader.pages[0].mediabox.width > reader.pages[0].mediabox.height  # landscape
    flat = re.sub(r"\s+", "", _text(result.path)[0])
    shown = [c for c in conflicts if c.drill_ids]  # "due, no drill yet" has its own section
    assert f"共安排演练{len(occs)}场次" in flat and f"发现冲突{len(shown)}处" in flat
    for month in range(1, 13):
        assert f"{AS_OF.year}年{month}月" in flat  # the month calendar
    for o in occs:
        assert o.start.date().isoformat() in flat


def test_drill_evaluation_report_numbers_equal_the_core(demo_db: Database, tmp_path: Path) -> None:
    from sqlalchemy import select

    from drillplan.db.models import Drill
    from drillplan.drills.evaluation import actions, indicator_rows
    from drillplan.kernel.vocab import DrillStatus

    with demo_db.sessions() as session:
        drill = session.scalars(
            select(Drill).where(Drill.status == DrillStatus.EVALUATED).order_by(Drill.code)
        ).first()
        assert drill is not None
        result = build_report(
            session, "drill-evaluation", tmp_path / "v.pdf", as_of=AS_OF, drill=drill.code
        )
        rows = actions(session, as_of=AS_OF, drill_id=drill.id)
        indicators = indicator_rows(drill)
    flat = re.sub(r"\s+", "", _text(result.path)[0])
    for heading in ("一、演练概况", "六、评估指标与得分", "八、发现的问题", "九、整改措施"):
        assert heading in flat
    assert drill.code in flat and result.figures["actions"] == len(rows)
    for ind in indicators:
        assert ind["name_zh"] in flat
    for row in rows:
        assert row.due_on.isoformat() in flat


def test_a_report_can_be_cancelled_mid_build(demo_db: Database, tmp_path: Path) -> None:
    from drillplan.kernel.progress import Cancelled, Progress

    class StopAfterTwoPages(Progress):
        pages = 0

        def update(self, *args: object, **kwargs: object) -> None:
            self.pages += 1
            if self.pages == 2:
                self.cancel()
            super().update(*args, **kwargs)  # type: ignore[arg-type]

    progress = StopAfterTwoPages()
    out = tmp_path / "cancelled.pdf"
    with demo_db.sessions() as session, pytest.raises(Cancelled):
        build_report(session, "expiry", out, as_of=AS_OF, progress=progress)
    assert progress.pages == 2 and not out.exists()  # stopped at once, nothing written
    with demo_db.sessions() as session:  # and a later build is unaffected
        assert build_report(session, "expiry", out, as_of=AS_OF).path.exists()

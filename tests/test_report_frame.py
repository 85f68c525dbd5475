"""The one document frame: fonts (official or shipped, always embedded), the date line each
document needs, issuing unit and 文号 from the settings, headings kept with what follows,
continued tables captioned 续表 with their header repeated."""

from __future__ import annotations

import datetime as dt
import gc
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from drillplan import settings
from drillplan.db.database import Database, open_db
from drillplan.demo import load_demo
from drillplan.kernel.resources import font_path
from drillplan.reports import fonts
from drillplan.reports.cells import Col
from drillplan.reports.frame import Heading, Para, ReportMeta, build_pdf, styles
from drillplan.reports.registry import KINDS, build_report
from drillplan.reports.tables import data_table

AS_OF = dt.date(2026, 11, 24)
needs_pdffonts = pytest.mark.skipif(shutil.which("pdffonts") is None, reason="needs poppler")


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Database:
    database = open_db(tmp_path_factory.mktemp("frame") / "demo.sqlite3")
    with database.session() as session:
        load_demo(session, as_of=AS_OF)
    return database


def _pdffonts(path: Path) -> list[tuple[str, str, str]]:
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    rows = []
    for line in out.stdout.splitlines()[2:]:
        name, *_, emb, sub, _uni, _obj, _gen = line.split()
        rows.append((name, emb, sub))
    return rows


def _flat(path: Path) -> str:
    return "".join("".join(p.extract_text().split()) for p in PdfReader(str(path)).pages)


@needs_pdffonts
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_font_in_every_report_is_embedded(
    demo_db: Database, kind: str, lang: str, tmp_path: Path
) -> None:
    with demo_db.sessions() as session:
        result = build_report(session, kind, tmp_path / f"{kind}.pdf", as_of=AS_OF, lang=lang)
    found = _pdffonts(result.path)
    assert found, "no fonts at all?"
    for name, emb, sub in found:
        assert (emb, sub) == ("yes", "yes"), (kind, name)
        assert "Helvetica" not in name


def test_the_collector_is_paused_only_while_a_report_is_built(
    demo_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from drillplan.reports import expiry_report

    seen: list[bool] = []
    real = expiry_report.build

    def watched(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(expiry_report, "build", watched)
    with demo_db.sessions() as session:
        result = build_report(session, "expiry", tmp_path / "e.pdf", as_of=AS_OF)
    assert result.path.stat().st_size > 0
    assert seen == [False]  # paused while the report was built
    assert gc.isenabled()  # and running again afterwards


@pytest.mark.parametrize(
    ("kind", "label"),
    [("expiry", "统计截止日期"), ("readiness", "统计截止日期"), ("plans", "编制日期"),
     ("drill-schedule", "编制日期"), ("drill-evaluation", "评估日期"), ("competition", "比赛日期")],
)  # fmt: skip
def test_the_date_line_fits_the_document(
    demo_db: Database, kind: str, label: str, tmp_path: Path
) -> None:
    with demo_db.sessions() as session:
        result = build_report(session, kind, tmp_path / "r.pdf", as_of=AS_OF, year=AS_OF.year)
    first = "".join(PdfReader(str(result.path)).pages[0].extract_text().split())
    assert f"{label}：" in first
    others = {"统计截止日期", "编制日期", "评估日期", "比赛日期"} - {label}
    assert not any(f"{o}：" in first for o in others)


def test_issuing_unit_and_document_number_come_from_the_settings(
    tmp_path: Path,
) -> None:
    database = open_db(tmp_path / "s.sqlite3")
    with database.session() as session:
        settings.set_value(session, "issuing_unit", "青浦区应急管理局（区应急委办公室）")
        settings.set_value(session, "document_number", "青应急〔{year}〕12号")
    with database.sessions() as session:
        result = build_report(session, "plans", tmp_path / "p.pdf", as_of=AS_OF)
    first = "".join(PdfReader(str(result.path)).pages[0].extract_text().split())
    assert "青浦区应急管理局（区应急委办公室）" in first
    assert "青应急〔2026〕12号" in first
    database.close()


def test_official_fonts_are_used_when_the_folder_has_them(tmp_path: Path) -> None:
    folder = tmp_path / "Fonts"
    folder.mkdir()
    for name in ("simfang.ttf", "simhei.ttf"):  # stand-ins: the shipped TrueType outlines
        shutil.copy(font_path(), folder / name)
    found = fonts.resolve(str(folder))
    assert found.body == "Official-simfang" and found.heading == "Official-simhei"
    assert found.table == "Official-simfang"  # no simsun.ttc: the next official choice
    assert fonts.resolve(str(tmp_path / "nowhere")) == fonts.FontSet()  # the shipped font
    database = open_db(tmp_path / "f.sqlite3")
    with database.session() as session:
        settings.set_value(session, "report_font_path", str(folder))
    with database.sessions() as session:
        result = build_report(session, "plans", tmp_path / "p.pdf", as_of=AS_OF)
    assert "应急预案登记册" in _flat(result.path)
    database.close()


def test_windows_font_folder_is_looked_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "Fonts").mkdir()
    shutil.copy(font_path(), tmp_path / "Fonts" / "simhei.ttf")
    monkeypatch.setenv("WINDIR", str(tmp_path))
    found = fonts.resolve("")
    assert found.heading == "Official-simhei" and found.body == fonts.SHIPPED


def _meta() -> ReportMeta:
    return ReportMeta(title="测试", unit_name="青浦区应急管理局", as_of=AS_OF)


def test_a_heading_never_ends_a_page(tmp_path: Path) -> None:
    st = styles()
    filler = [Para("填充文字" * 10, st["base"]) for _ in range(47)]
    story = [*filler, Heading("二、末尾的标题", st["h1"]), Para("标题后的正文", st["base"])]
    out = build_pdf(tmp_path / "h.pdf", _meta(), story)
    pages = ["".join(p.extract_text().split()) for p in PdfReader(str(out)).pages]
    heading_pages = [i for i, text in enumerate(pages) if "二、末尾的标题" in text]
    body_pages = [i for i, text in enumerate(pages) if "标题后的正文" in text]
    assert heading_pages == body_pages  # the heading went over with its text


def test_a_continued_table_repeats_its_header_and_says_so(tmp_path: Path) -> None:
    rows = [[f"QP-{i:04d}", f"第{i}号应急物资储备点" * (1 + i % 3)] for i in range(200)]
    story = data_table(
        [Col("编号", 1), Col("名称（较长的列标题也要折行）", 4)], rows, width=400, lang="zh"
    )
    out = build_pdf(tmp_path / "t.pdf", _meta(), story)
    pages = ["".join(p.extract_text().split()) for p in PdfReader(str(out)).pages]
    assert len(pages) > 2
    assert "续表" not in pages[0]
    for text in pages[1:]:
        assert "续表" in text and "编号" in text  # caption and the header again
    assert all(f"QP-{i:04d}" in "".join(pages) for i in range(200))

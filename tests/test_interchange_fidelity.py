"""Imports keep what the office's own sheets carry (issue 12): a name that contradicts its code
is refused, a shelf life in months or days becomes the material's and dates the lots, a depot's
keeper and phone are kept, a zero quantity needs 仅登记, blank optional cells are accepted, and
every vocabulary value is Chinese in templates, messages and exports.

The sheets are office-style: a title row, their own headers, extra columns."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from drillplan.cli import interchange as cli
from drillplan.db.database import Database
from drillplan.db.models import Depot, Drill, Lot, Material, Movement, Plan, Team, Unit
from drillplan.demo import fingerprint
from drillplan.interchange.exporter import export_file
from drillplan.interchange.importer import import_file
from drillplan.interchange.kinds import KINDS
from drillplan.interchange.problems import ImportReport
from drillplan.interchange.templates import HELP_SHEET, LISTS_SHEET, write_template
from drillplan.kernel.vocab import DrillPurpose, HolderClass
from tests import factories as f

OWNER = "310118-YJJ"
AS_OF = dt.date(2025, 6, 1)
CJK = re.compile(r"[\u4e00-\u9fff]")


def sheet(
    path: Path, rows: list[list[object]], title: str = "青浦区应急物资台账（2025年）"
) -> Path:
    """An office workbook: a title row above the header, then the rows."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Sheet1"
    ws.append([title])
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def run(db: Database, path: Path, kind: str, **kw: Any) -> ImportReport:
    with db.session() as session:
        return import_file(session, kind, path, today=AS_OF, operator="importer", **kw)


def state(db: Database) -> str:
    with db.sessions() as session:
        return fingerprint(session)


def cli_run(db: Database, *argv: str) -> int:
    parser = argparse.ArgumentParser(prog="drillplan")
    parser.add_argument("--db")
    cli.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["--db", db.url, *argv])
    return cli.cmd_import(args)


def refused(db: Database, report: ImportReport, before: str) -> list[tuple[int, str, str]]:
    """The report refused the file, every problem says where and why in both languages, and
    the database is as it was."""
    assert report.problems and not report.written
    for p in report.problems:
        assert p.sheet and p.row > 1 and p.column and p.letter and p.rule
        assert CJK.search(p.message) and p.message_en and not CJK.search(p.rule)
    assert state(db) == before
    return [(p.row, p.column, p.rule) for p in report.problems]


@pytest.fixture
def stocked(db: Database) -> Database:
    with db.session() as session:
        owner = f.unit(session, code=OWNER, name="青浦区应急管理局")
        f.material(session, code="2010101", name="救生衣（成人）", shelf_life_days=None)
        f.material(session, code="3010101", name="编织袋", uom="条", shelf_life_days=730)
        f.depot(session, owner, code="QP-D01", name="青浦区防汛物资仓库")
    return db


# --- 1. a name that contradicts its code -----------------------------------------------------


def test_a_lot_name_that_contradicts_its_code_is_refused_naming_both(
    stocked: Database, tmp_path: Path
) -> None:
    header = ["序号", "库点", "物资编码", "物资名称", "规格型号", "批号", "数量", "备注"]
    good = sheet(
        tmp_path / "good.xlsx",
        [header,
         [1, "QP-D01", "2010101", "救生衣 (成人)", "XL", "2025-A", 10, "x"],  # width, spaces
         [2, "QP-D01", "3010101", "编 织 袋", "", "2025-B", "1,000", ""]],
    )  # fmt: skip
    bad = sheet(
        tmp_path / "bad.xlsx",
        [header,
         [1, "QP-D01", "2010101", "救生衣（成人）", "XL", "2025-A", 10, ""],
         [2, "QP-D01", "2010101", "编织袋", "", "2025-B", 500, ""]],
    )  # fmt: skip
    before = state(stocked)
    report = run(stocked, bad, "lots")
    assert refused(stocked, report, before) == [(4, "物资名称", "name_mismatch")]
    message = report.problems[0].message
    assert "2010101" in message and "救生衣（成人）" in message and "编织袋" in message
    assert "救生衣（成人）" in report.problems[0].message_en
    report = run(stocked, good, "lots")
    assert report.problems == [] and report.created == 2
    assert report.ignored_columns == ["序号"]
    assert report.kept_columns == ["规格型号", "备注"]


def test_a_depot_name_that_contradicts_its_code_is_refused(
    stocked: Database, tmp_path: Path
) -> None:
    path = sheet(
        tmp_path / "lots.xlsx",
        [["储备库编码", "储备库名称", "物资编码", "批次号", "数量"],
         ["QP-D01", "朱家角镇储备点", "3010101", "2025-B", 5]],
    )  # fmt: skip
    before = state(stocked)
    report = run(stocked, path, "lots")
    assert refused(stocked, report, before) == [(3, "储备库名称", "name_mismatch")]
    assert "青浦区防汛物资仓库" in report.problems[0].message


# --- 2. shelf life in months or days, and the expiry it gives -------------------------------


def test_shelf_life_as_people_type_it_is_kept_and_dates_the_lots_in_the_dry_run(
    stocked: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    materials = sheet(
        tmp_path / "materials.xlsx",
        [["物资编码", "物资名称", "计量单位", "保质期（月）", "物资类别", "备注"],
         ["1010101", "方便面", "箱", 12, "食品", ""],
         ["1010102", "瓶装水", "箱", "24个月", "食品", ""],
         ["1010103", "压缩饼干", "箱", "2年", "食品", ""],
         ["1010104", "自热米饭", "箱", "730天", "食品", ""],
         ["1010105", "帐篷", "顶", "", "", ""]],
    )  # fmt: skip
    report = run(stocked, materials, "materials")
    assert report.problems == [] and report.created == 5
    with stocked.sessions() as session:
        days = dict(session.execute(select(Material.code, Material.shelf_life_days)).all())
    assert [days[f"101010{i}"] for i in range(1, 6)] == [365, 730, 730, 730, None]
    plain = sheet(  # a header without a unit counts days; a unit in the cell wins
        tmp_path / "plain.csv.xlsx",
        [["物资编码", "物资名称", "计量单位", "保质期"], ["1010105", "帐篷", "顶", "3年"],
         ["1010101", "方便面", "箱", 180]],
    )  # fmt: skip
    assert run(stocked, plain, "materials").problems == []
    with stocked.sessions() as session:
        days = dict(session.execute(select(Material.code, Material.shelf_life_days)).all())
    assert (days["1010105"], days["1010101"]) == (1095, 180)

    lots = sheet(
        tmp_path / "lots.xlsx",
        [["库点", "物资编码", "物资名称", "批号", "数量", "生产日期", "有效期至"],
         ["QP-D01", "1010102", "瓶装水", "W-1", 20, "2025-01-01", ""],
         ["QP-D01", "1010102", "瓶装水", "W-2", 20, "2025-02-01", "2025-12-31"],
         ["QP-D01", "2010101", "救生衣（成人）", "L-1", 5, "2025-01-01", ""]],
    )  # fmt: skip
    before = state(stocked)
    capsys.readouterr()
    assert cli_run(stocked, "import", "lots", str(lots), "--dry-run", "--as-of", "2025-06-01") == 0
    out = capsys.readouterr().out
    assert "有效期按保质期推算 1 行 (expiry derived from shelf life for 1 rows)" in out
    assert "第 2 行" not in out and "第 3 行 (row 3)" in out
    assert "2025-01-01 + 730 天（24 个月） = 2027-01-01" in out
    assert state(stocked) == before  # the dry run showed it, wrote nothing
    assert cli_run(stocked, "import", "lots", str(lots), "--format", "json", "--dry-run",
                   "--as-of", "2025-06-01") == 0  # fmt: skip
    notes = json.loads(capsys.readouterr().out)["notes"]
    assert [(n["row"], n["column"], n["rule"]) for n in notes] == [
        (3, "有效期至", "expiry_derived")
    ]
    assert (
        "expiry derived from the shelf life of 瓶装水: 2025-01-01 + 730 days"
        in (notes[0]["message_en"])
    )
    assert cli_run(stocked, "import", "lots", str(lots), "--as-of", "2025-06-01") == 0
    with stocked.sessions() as session:
        expiry = dict(session.execute(select(Lot.batch_no, Lot.expiry_date)).all())
    assert expiry == {
        "W-1": dt.date(2027, 1, 1), "W-2": dt.date(2025, 12, 31), "L-1": None,
    }  # fmt: skip


def test_an_unreadable_shelf_life_is_refused_with_its_column(
    stocked: Database, tmp_path: Path
) -> None:
    path = sheet(
        tmp_path / "materials.xlsx",
        [["物资编码", "物资名称", "计量单位", "保质期（月）"],
         ["1010101", "方便面", "箱", "24周"], ["1010102", "瓶装水", "箱", 0]],
    )  # fmt: skip
    before = state(stocked)
    problems = refused(stocked, run(stocked, path, "materials"), before)
    assert [(r, c) for r, c, _ in problems] == [(3, "保质期（月）"), (4, "保质期（月）")]


# --- 3. a depot's keeper and phone; other office headers with a home ------------------------


def test_a_depot_keeps_its_keeper_and_phone(stocked: Database, tmp_path: Path) -> None:
    first = sheet(
        tmp_path / "depots.xlsx",
        [["库点编码", "库点名称", "储备层级", "管理单位", "负责人", "联系电话", "库址", "备注"],
         ["QP-D02", "朱家角镇储备点", "街镇级", OWNER, "李明", "13812345678", "朱家角镇", "x"]],
    )  # fmt: skip
    report = run(stocked, first, "depots")
    assert report.problems == [] and report.kept_columns == ["备注"]
    second = sheet(
        tmp_path / "depots2.xlsx",
        [["仓库编码", "仓库名称", "层级", "所属单位", "联系人", "值班电话"],
         ["QP-D03", "练塘镇储备点", "街镇级", OWNER, "王芳", "021-59251234"]],
    )  # fmt: skip
    report = run(stocked, second, "depots")
    assert report.problems == [] and report.kept_columns == []
    with stocked.sessions() as session:
        kept = {
            d.code: (d.keeper, d.keeper_phone, d.address)
            for d in session.scalars(select(Depot).where(Depot.code != "QP-D01"))
        }
    assert kept == {
        "QP-D02": ("李明", "13812345678", "朱家角镇"),
        "QP-D03": ("王芳", "021-59251234", None),
    }
    bad = sheet(
        tmp_path / "depots3.xlsx",
        [["库点编码", "库点名称", "层级", "管理单位", "负责人", "值班电话"],
         ["QP-D04", "金泽镇储备点", "街镇级", OWNER, "赵强", "12345"]],
    )  # fmt: skip
    before = state(stocked)
    assert [c for _, c, _ in refused(stocked, run(stocked, bad, "depots"), before)] == ["值班电话"]


def test_office_headers_of_units_and_teams_find_their_fields(
    stocked: Database, tmp_path: Path
) -> None:
    units = sheet(
        tmp_path / "units.xlsx",
        [["单位编码", "单位名称", "单位类型", "层级", "负责人", "联系方式", "办公地址"],
         ["310118-102", "朱家角镇人民政府", "街道/镇", "街镇级", "陈刚", "021-59240000",
          "朱家角镇"]],
    )  # fmt: skip
    report = run(stocked, units, "units")
    assert report.problems == [] and report.kept_columns == []
    teams = sheet(
        tmp_path / "teams.xlsx",
        [["队伍编码", "队伍名称", "队伍类型", "所属单位", "层级", "联系电话", "队员数", "驻点"],
         ["QP-T01", "青浦区防汛抢险队", "专业队伍", OWNER, "区级", "13900001111", 30, "夏阳"]],
    )  # fmt: skip
    report = run(stocked, teams, "teams")
    assert report.problems == [] and report.kept_columns == []
    with stocked.sessions() as session:
        unit = session.scalar(select(Unit).where(Unit.code == "310118-102"))
        team = session.scalar(select(Team).where(Team.code == "QP-T01"))
        assert unit is not None and team is not None
        assert (unit.contact, unit.phone, unit.address) == ("陈刚", "021-59240000", "朱家角镇")
        assert (team.duty_phone, team.headcount, team.base) == ("13900001111", 30, "夏阳")


# --- 4. a zero quantity needs 仅登记 --------------------------------------------------------


def test_a_zero_quantity_is_refused_unless_the_row_only_registers_the_lot(
    stocked: Database, tmp_path: Path
) -> None:
    header = ["库点", "物资编码", "批号", "结存数量", "仅登记", "备注"]
    zero = sheet(
        tmp_path / "zero.xlsx",
        [header, ["QP-D01", "3010101", "Z-1", 0, "", ""], ["QP-D01", "3010101", "Z-2", 8, "", ""]],
    )  # fmt: skip
    before = state(stocked)
    report = run(stocked, zero, "lots")
    assert refused(stocked, report, before) == [(3, "结存数量", "zero_quantity")]
    assert "仅登记" in report.problems[0].message
    no_column = sheet(tmp_path / "z.xlsx", [header[:4], ["QP-D01", "3010101", "Z-1", "0"]])
    assert refused(stocked, run(stocked, no_column, "lots"), before) == [
        (3, "结存数量", "zero_quantity")
    ]
    both = sheet(tmp_path / "both.xlsx", [header, ["QP-D01", "3010101", "Z-1", 5, "是", ""]])
    assert refused(stocked, run(stocked, both, "lots"), before) == [
        (3, "仅登记", "register_only_quantity")
    ]
    registered = sheet(
        tmp_path / "registered.xlsx",
        [header, ["QP-D01", "3010101", "Z-1", 0, "是", ""],
         ["QP-D01", "3010101", "Z-2", 8, "否", ""]],
    )  # fmt: skip
    report = run(stocked, registered, "lots")
    assert report.problems == [] and report.created == 2
    with stocked.sessions() as session:
        on_hand = dict(session.execute(select(Lot.batch_no, Lot.on_hand)).all())
        assert session.scalar(select(func.count(Movement.id))) == 1  # Z-2's receipt only
    assert on_hand == {"Z-1": 0, "Z-2": 8}
    template = write_template("lots", tmp_path / "lots-template.xlsx")
    wb = load_workbook(template)
    help_text = "\n".join(str(c.value) for row in wb[HELP_SHEET].iter_rows() for c in row)
    assert "仅登记" in help_text and "zero_quantity" in help_text
    assert "仅登记" in [c.value for c in wb[KINDS["lots"].sheet_name][1]]


# --- 5. blank optional cells ------------------------------------------------------------------


def test_blank_optional_vocabulary_cells_are_accepted(stocked: Database, tmp_path: Path) -> None:
    plans = sheet(
        tmp_path / "plans.xlsx",
        [["预案编号", "预案名称", "预案类别", "事件类别", "编制单位", "持有单位类型", "状态",
          "演练周期（月）", "备注"],
         ["QP-ZX-001", "青浦区防汛防台专项应急预案", "专项预案", "自然灾害", OWNER, "", "", "",
          ""],
         ["QP-ZX-002", "青浦区危化品专项应急预案", "专项预案", "事故灾难", OWNER,
          "高危行业企业", "", "", ""]],
    )  # fmt: skip
    report = run(stocked, plans, "plans")
    assert report.problems == [] and report.created == 2
    teams = sheet(
        tmp_path / "teams.xlsx",
        [["队伍编码", "队伍名称", "队伍类型", "所属单位", "层级", "战备状态", "响应时间"],
         ["QP-T01", "青浦区防汛抢险队", "专业队伍", OWNER, "区级", "", ""]],
    )  # fmt: skip
    assert run(stocked, teams, "teams").problems == []
    drills = sheet(
        tmp_path / "drills.xlsx",
        [["演练编号", "演练名称", "演练形式", "演练内容", "演练目的", "HSEEP 类型", "组织单位",
          "开始时间", "结束时间", "状态"],
         ["QP-DR-001", "防汛桌面推演", "桌面演练", "单项", "", "", OWNER,
          "2025-05-20 09:00", "2025-05-20 11:00", ""]],
    )  # fmt: skip
    assert run(stocked, drills, "drills").problems == []
    with stocked.sessions() as session:
        classes = dict(session.execute(select(Plan.code, Plan.holder_class)).all())
        drill = session.scalar(select(Drill))
        assert drill is not None and drill.hseep_type is None
    assert classes == {"QP-ZX-001": HolderClass.GOVERNMENT, "QP-ZX-002": HolderClass.HIGH_RISK}
    assert run(stocked, plans, "plans").unchanged == 2  # a blank cell keeps the stored value


# --- 6. vocabularies in Chinese ---------------------------------------------------------------


def _english_keys() -> dict[str, set[str]]:
    return {
        kind.name: {m.value for c in kind.columns if c.enum is not None for m in c.enum}
        for kind in KINDS.values()
    }


def _cells(path: Path) -> list[str]:
    wb = load_workbook(path)
    return [str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value]


def test_templates_exports_and_messages_show_and_accept_chinese(
    stocked: Database, tmp_path: Path
) -> None:
    keys = _english_keys()
    for kind in KINDS.values():
        path = write_template(kind, tmp_path / f"{kind.name}-template.xlsx")
        wb = load_workbook(path)
        shown = (
            [str(c.value) for c in wb[LISTS_SHEET].iter_cols() for c in c]
            if (LISTS_SHEET in wb.sheetnames)
            else []
        )
        allowed = [str(r[6].value or "") for r in wb[HELP_SHEET].iter_rows(min_row=3)]
        for text in shown + allowed:
            assert not set(re.split(r"[、\s]", text)) & keys[kind.name], (kind.name, text)
    plans = sheet(
        tmp_path / "plans.xlsx",
        [["预案编号", "预案名称", "预案类别", "事件类别", "编制单位", "持有单位类型", "状态"],
         ["QP-ZX-001", "危化品专项应急预案", "special", "Accident", OWNER, "high_risk",
          "编制中"]],
    )  # fmt: skip
    assert run(stocked, plans, "plans").problems == []  # keys and English labels are accepted
    with stocked.session() as session:
        f.drill(session, session.scalar(select(Unit).where(Unit.code == OWNER)),
                code="QP-DR-001", purpose=DrillPurpose.TESTING)  # fmt: skip
    for name in ("plans", "drills"):
        out = tmp_path / f"{name}.xlsx"
        with stocked.sessions() as session:
            export_file(session, name, out)
        cells = _cells(out)
        assert not set(cells) & keys[name], name
        assert ("高危行业企业" if name == "plans" else "检验性") in cells
    published = sheet(
        tmp_path / "published.xlsx",
        [["预案编号", "预案名称", "预案类别", "事件类别", "编制单位", "状态"],
         ["QP-ZX-001", "危化品专项应急预案", "专项预案", "事故灾难", OWNER, "已发布"]],
    )  # fmt: skip
    before = state(stocked)
    report = run(stocked, published, "plans")
    assert refused(stocked, report, before) == [(3, "状态", "lifecycle")]
    message = report.problems[0].message
    assert "“编制中”" in message and "“已发布”" in message
    assert not set(re.findall(r"[a-z_]+", message)) & keys["plans"]


def test_a_core_message_naming_a_vocabulary_key_is_reported_in_chinese(
    stocked: Database,
) -> None:
    from drillplan.interchange.context import Context
    from drillplan.interchange.spec import match_headers

    kind = KINDS["drills"]
    with stocked.sessions() as session:
        ctx = Context(session, kind, "演练", match_headers(kind, ["演练编号"]), today=AS_OF,
                      operator="t")  # fmt: skip
        text = ctx.chinese("新建演练的状态只能是 计划、筹备 或 已实施，不能是 evaluated（QP-DR_1）")
    assert text == "新建演练的状态只能是 计划、筹备 或 已实施，不能是 已评估（QP-DR_1）"

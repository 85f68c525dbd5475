"""`drillplan import / export / template` (through the module's own parser registration)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest
from openpyxl import Workbook

from drillplan.cli import interchange as cli
from drillplan.db.database import Database
from tests import factories as f

COMMANDS = {"import": cli.cmd_import, "export": cli.cmd_export, "template": cli.cmd_template}


def run(db: Database, *argv: str) -> int:
    parser = argparse.ArgumentParser(prog="drillplan")
    parser.add_argument("--db")
    cli.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["--db", db.url, *argv])
    return COMMANDS[args.command](args)


def _sheet(path: Path, rows: list[list[object]]) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_import_export_template(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with db.session() as session:
        f.unit(session, code="310118-YJJ", name="青浦区应急管理局")
    template = tmp_path / "depots-template.xlsx"
    assert run(db, "template", "储备库", str(template)) == 0 and template.exists()
    good = _sheet(
        tmp_path / "depots.xlsx",
        [["储备库编码", "名称", "层级", "管理单位", "库容", "备注"],
         ["QP-D01", "青浦区防汛物资仓库", "区级", "青浦区应急管理局", "1,200", "x"],
         ["QP-D02", "朱家角镇储备点", "street", "310118-YJJ", "８０", ""]],
    )  # fmt: skip
    capsys.readouterr()
    assert run(db, "import", "depots", str(good), "--dry-run", "--format", "json") == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["created"], report["written"], report["kept_columns"]) == (2, False, ["备注"])
    assert run(db, "import", "depots", str(good)) == 0
    assert "新增 2 条" in capsys.readouterr().out
    assert run(db, "import", "depots", str(good), "--format", "json") == 0
    assert json.loads(capsys.readouterr().out)["unchanged"] == 2
    out = tmp_path / "export.xlsx"
    assert run(db, "export", "depots", str(out)) == 0
    assert "2" in capsys.readouterr().out and out.exists()


def test_bad_file_exits_2_and_lists_every_problem(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = _sheet(
        tmp_path / "materials.xlsx",
        [["物资编码", "物资名称", "计量单位", "保质期（天）"],
         ["2010101", "救生衣", "件", "三年"],
         ["201", "沙袋", "条", -1]],
    )  # fmt: skip
    capsys.readouterr()
    assert run(db, "import", "materials", str(bad), "--format", "json") == 2
    problems = json.loads(capsys.readouterr().out)["problems"]
    assert [(p["row"], p["column"], p["rule"]) for p in problems] == [
        (2, "保质期（天）", "not_a_number"),
        (3, "物资编码", "bad_code"),
        (3, "保质期（天）", "not_positive"),
    ]
    assert problems[0]["sheet"] and problems[0]["letter"] == "D"
    assert run(db, "import", "materials", str(bad)) == 2
    table = capsys.readouterr().out
    assert "未写入任何数据" in table and "not_positive" in table

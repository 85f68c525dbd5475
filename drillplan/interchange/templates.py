"""Empty import templates: the header row, a sheet explaining every column with an example,
and drop-down lists (data validation) on the columns that take a fixed set of values."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from drillplan.interchange.exporter import (
    HEADER_FILL,
    HEADER_FONT,
    REQUIRED_FILL,
    save_workbook,
)
from drillplan.interchange.kinds import Kind, get_kind
from drillplan.interchange.spec import TYPE_LABELS, Column, T

TEMPLATE_ROWS = 5000  # rows the drop-down lists cover
HELP_SHEET = "填写说明"
LISTS_SHEET = "选项"
HELP_HEADERS = ("列名", "英文列名", "必填", "类型", "说明", "示例", "可选值", "也可写作")


def _help_text(col: Column) -> str:
    parts = [col.help] if col.help else []
    if col.type == T.DATE:
        parts.append("日期可写作 2024-03-15、2024/3/15、2024.3.15、2024年3月15日、20240315")
    elif col.type == T.DECIMAL and col.min_value is not None:
        parts.append("不能为负数，可带千分位（1,200）")
    elif col.type == T.REF:
        parts.append("填写编码或完整名称")
    return "；".join(parts)


def _explain(wb: Workbook, kind: Kind) -> None:
    ws = wb.create_sheet(HELP_SHEET)
    keys = "、".join(kind.column(k).zh for k in kind.key)
    intro = (
        f"{kind.zh}导入模板说明：第一个工作表第 1 行是列名，从第 2 行起每行一条记录；"
        f"橙色列名为必填列。重复导入时按{keys}匹配已有记录，不会重复。"
        "下拉选项、是/否等均可直接填写中文；可选列留空即可。"
        f"{kind.notes}"
    )
    ws.append([intro])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HELP_HEADERS))
    ws.row_dimensions[1].height = 36 if not kind.notes else 72
    ws["A1"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.append(list(HELP_HEADERS))
    for cell in ws[2]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    for col in kind.data_columns:
        ws.append(
            [
                col.zh,
                col.en,
                "是" if col.required else ("仅供阅读" if col.info else "否"),
                TYPE_LABELS[col.type][0],
                _help_text(col),
                col.example,
                "、".join(col.choices()),
                "、".join(col.synonyms),
            ]
        )
    for i, width in enumerate((18, 22, 8, 14, 48, 20, 40, 30), start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A3"


def write_template(kind: Kind | str, dest: Path | str) -> Path:
    """Write the empty template of ``kind`` to ``dest`` (.xlsx)."""
    kind = get_kind(kind) if isinstance(kind, str) else kind
    dest = Path(dest)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = kind.sheet_name
    ws.append([c.zh for c in kind.data_columns])
    for i, col in enumerate(kind.data_columns, start=1):
        cell = ws.cell(row=1, column=i)
        cell.font = HEADER_FONT
        cell.fill = REQUIRED_FILL if col.required else HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = col.width
        if col.type == T.DATE:
            for row in range(2, 202):
                ws.cell(row=row, column=i).number_format = "yyyy-mm-dd"
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(kind.data_columns))}1"
    _explain(wb, kind)
    lists = None
    for i, col in enumerate(kind.data_columns, start=1):
        choices = col.choices()
        if not choices:
            continue
        if lists is None:  # the choices live on a hidden sheet: no 255-character limit
            lists = wb.create_sheet(LISTS_SHEET)
            lists.sheet_state = "hidden"
        for r, choice in enumerate(choices, start=1):
            lists.cell(row=r, column=i, value=choice)
        letter = get_column_letter(i)
        source = f"{quote_sheetname(LISTS_SHEET)}!${letter}$1:${letter}${len(choices)}"
        dv = DataValidation(type="list", formula1=source, allow_blank=not col.required)
        dv.error = f"请从下拉列表中选择：{'、'.join(choices)}"
        dv.errorTitle = col.zh
        dv.prompt = col.help or f"可选：{'、'.join(choices)}"
        dv.showErrorMessage = dv.showInputMessage = True
        dv.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
        ws.add_data_validation(dv)
    save_workbook(wb, dest)
    return dest

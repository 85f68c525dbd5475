"""``FastTable`` draws exactly what ReportLab's ``Table`` draws (the same pixels), with one text
object per run of text cells instead of one per cell."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from drillplan.reports.fast_table import FastTable
from drillplan.reports.frame import register_font

needs_poppler = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler")


def _story(cls: type[Table], font: str) -> list[Table]:
    para = Paragraph("段落单元格 wraps onto two lines here", ParagraphStyle("p", fontName=font))
    rows = [["物资", "批次", "数量", "状态", "金额"]]
    for i in range(40):
        status = "已过期" if i % 3 == 0 else "90天内"
        rows.append([f"防汛物资{i}号", f"PC{i:06d}", f"{i * 37:,}", status, f"{i * 12.5:,.2f}"])
    rows[5][0] = "两行\n文字"  # several lines: ReportLab draws it
    rows[7][1] = para  # a flowable: ReportLab draws it
    style = TableStyle(
        [
            ("FONT", (0, 0), (-1, -1), font, 8),
            ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey),
            ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.whitesmoke]),
            ("ALIGN", (2, 0), (2, -1), "RIGHT"),
            ("ALIGN", (3, 0), (3, -1), "CENTER"),
            ("ALIGN", (4, 0), (4, -1), "RIGHT"),
            ("VALIGN", (0, 0), (-1, 0), "MIDDLE"),
            ("VALIGN", (0, 10), (-1, 12), "TOP"),
            ("TEXTCOLOR", (3, 1), (3, 20), colors.red),
            ("TEXTCOLOR", (0, 30), (-1, 32), colors.blue),
            ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ("RIGHTPADDING", (0, 0), (-1, -1), 6),
        ]
    )
    heights = [14.0] + [None] * 40  # type: ignore[list-item]
    heights[11] = 24.0  # a tall row: TOP differs from BOTTOM
    table = cls(rows, colWidths=[120, 90, 60, 70, 80], rowHeights=heights, repeatRows=1)
    table.setStyle(style)
    return [table]


def _build(cls: type[Table], path: Path) -> bytes:
    font = register_font()
    SimpleDocTemplate(str(path), pagesize=A4, pageCompression=0).build(_story(cls, font))
    return path.read_bytes()


def _pixels(pdf: Path) -> bytes:
    out = pdf.with_suffix("")
    subprocess.run(["pdftoppm", "-r", "110", "-singlefile", str(pdf), str(out)], check=True)
    return out.with_suffix(".ppm").read_bytes()


@needs_poppler
def test_fast_table_paints_the_same_pixels(tmp_path: Path) -> None:
    plain = _build(Table, tmp_path / "plain.pdf")
    fast = _build(FastTable, tmp_path / "fast.pdf")
    assert _pixels(tmp_path / "fast.pdf") == _pixels(tmp_path / "plain.pdf")
    # and it did take the fast path: far fewer text objects (205 cells, 2 drawn by ReportLab)
    assert plain.count(b"BT ") > 200
    assert fast.count(b"BT ") < 20


def test_fast_table_splits_into_fast_tables() -> None:
    font = register_font()
    (table,) = _story(FastTable, font)
    table.wrap(460, 10_000)
    parts = table.split(460, 300)
    assert len(parts) == 2 and all(type(p) is FastTable for p in parts)


def _invariant_pdf(path: Path) -> bytes:
    font = register_font()
    doc = SimpleDocTemplate(str(path), pagesize=A4, pageCompression=0, invariant=1)
    doc.build(_story(FastTable, font))
    return path.read_bytes()


def test_kept_texts_write_reportlabs_own_operators(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept = _invariant_pdf(tmp_path / "kept.pdf")
    again = _invariant_pdf(tmp_path / "again.pdf")  # a second document: codes of its own
    monkeypatch.setattr(FastTable, "_put", lambda self, run, font, text: run._textOut(text))
    formatted = _invariant_pdf(tmp_path / "formatted.pdf")  # ReportLab formats every cell
    assert b"Tj" in formatted and b"/F2+0" in formatted  # the TrueType font, subset 0
    assert kept == formatted
    assert again == formatted

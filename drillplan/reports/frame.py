"""The one report frame every printed report uses (ReportLab platypus).

A4 portrait or landscape, a wider inner margin for binding, the embedded CJK TrueType font
(subset-embedded, so Chinese prints on PCs without Asian fonts), a title block, a running
header, the footer "第 X 页 共 Y 页" (English "Page X of Y"), PDF bookmarks for sections and
PDF metadata. Reports only build a list of flowables with the helpers here and in
``drillplan.reports.tables``.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
    Spacer,
)
from sqlalchemy.orm import Session

from drillplan import settings
from drillplan.kernel.atomic import atomic_write
from drillplan.kernel.progress import Progress
from drillplan.kernel.resources import font_path
from drillplan.reports.result import ReportResult

FONT = "WQYMicroHei"
INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#5f6b7a")
ACCENT = colors.HexColor("#8b1e1e")  # the red of official documents, used sparingly
RULE = colors.HexColor("#c8ced6")


def register_font() -> str:
    """Register the shipped WenQuanYi Micro Hei (TrueType outlines) once; return its name."""
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(font_path()), subfontIndex=0))
    return FONT


@dataclass(frozen=True)
class Texts:
    """The frame's own words in the report language."""

    lang: str

    def t(self, zh: str, en: str) -> str:
        return zh if self.lang == "zh" else en

    def page(self, n: int, total: int) -> str:
        return f"第 {n} 页 共 {total} 页" if self.lang == "zh" else f"Page {n} of {total}"


@functools.cache
def styles() -> dict[str, ParagraphStyle]:
    """The paragraph styles (built once; treat as read-only)."""
    register_font()
    base = ParagraphStyle("base", fontName=FONT, fontSize=9.5, leading=14, textColor=INK)
    return {
        "base": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=11, textColor=MUTED),
        "title": ParagraphStyle(
            "title", parent=base, fontSize=20, leading=28, alignment=TA_CENTER, textColor=ACCENT
        ),
        "subtitle": ParagraphStyle(
            "subtitle", parent=base, fontSize=11, leading=16, alignment=TA_CENTER
        ),
        "h1": ParagraphStyle(
            "h1", parent=base, fontSize=14, leading=20, spaceBefore=10, spaceAfter=6
        ),
        "h2": ParagraphStyle(
            "h2", parent=base, fontSize=11.5, leading=17, spaceBefore=8, spaceAfter=4
        ),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8, leading=10.5, alignment=TA_LEFT),
        "note": ParagraphStyle("note", parent=base, fontSize=8.5, leading=12, textColor=MUTED),
    }


class Heading(Paragraph):
    """A section heading that becomes a PDF bookmark (outline entry)."""

    def __init__(self, text: str, style: ParagraphStyle, level: int = 0) -> None:
        super().__init__(text, style)
        self.outline_text = text
        self.outline_level = level


@dataclass(frozen=True)
class ReportMeta:
    title: str
    unit_name: str
    as_of: dt.date
    lang: str = "zh"
    subject: str = ""
    landscape: bool = False
    generated_at: dt.datetime | None = None


class _NumberedCanvas(Canvas):
    """Defers page output until the total page count is known ("第 X 页 共 Y 页")."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._draw_footer: Callable[[Canvas, int, int], None] = kwargs.pop("draw_footer")
        super().__init__(*args, **kwargs)
        self._saved: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._saved.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._saved)
        for state in self._saved:
            self.__dict__.update(state)
            self._draw_footer(self, self._pageNumber, total)
            super().showPage()
        super().save()


# the cancel token / progress of the report being built (set by registry.build_report)
CURRENT_PROGRESS: ContextVar[Progress | None] = ContextVar("report_progress", default=None)


class _Doc(BaseDocTemplate):
    def afterPage(self) -> None:
        progress = CURRENT_PROGRESS.get()
        if progress is not None:
            progress.update(label=f"第 {self.page} 页 (page {self.page})")
            progress.check()  # raises Cancelled: the PDF is never written

    def afterFlowable(self, flowable: Flowable) -> None:
        if isinstance(flowable, Heading):
            key = f"h{id(flowable)}"
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(
                flowable.outline_text, key, level=flowable.outline_level, closed=False
            )


def page_size(meta: ReportMeta) -> tuple[float, float]:
    return landscape(A4) if meta.landscape else A4


def content_width(meta: ReportMeta) -> float:
    width, _ = page_size(meta)
    return width - MARGINS["inner"] - MARGINS["outer"]


MARGINS = {"inner": 25 * mm, "outer": 15 * mm, "top": 22 * mm, "bottom": 18 * mm}


def title_block(meta: ReportMeta) -> list[Flowable]:
    """Unit name, report title, as-of date and the time it was generated."""
    st = styles()
    tx = Texts(meta.lang)
    generated = (meta.generated_at or dt.datetime.now()).strftime("%Y-%m-%d %H:%M")
    return [
        Paragraph(meta.unit_name, st["subtitle"]),
        Spacer(1, 2 * mm),
        Paragraph(meta.title, st["title"]),
        Spacer(1, 2 * mm),
        Paragraph(
            tx.t(
                f"统计截止日期：{meta.as_of.isoformat()}　　生成时间：{generated}",
                f"As of {meta.as_of.isoformat()}    Generated {generated}",
            ),
            st["subtitle"],
        ),
        Spacer(1, 6 * mm),
    ]


def build_pdf(path: Path, meta: ReportMeta, story: Sequence[Flowable]) -> Path:
    """Lay out ``story`` in the frame and write the PDF to ``path``: whole or not at all (a
    full disk, a cancel or an error while laying out leaves no file and keeps an earlier one,
    see :mod:`drillplan.kernel.atomic`)."""
    register_font()
    path = Path(path)
    with atomic_write(path, "wb") as fh:
        _layout(fh, meta, story)
    return path


def _layout(out: BinaryIO, meta: ReportMeta, story: Sequence[Flowable]) -> None:
    size = page_size(meta)
    width, height = size
    tx = Texts(meta.lang)

    def frame_for(left: float, right: float) -> Frame:
        return Frame(
            left,
            MARGINS["bottom"],
            width - left - right,
            height - MARGINS["top"] - MARGINS["bottom"],
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )

    def header(canvas: Canvas, doc: BaseDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.setFillColor(MUTED)
        left = MARGINS["inner"]
        right = width - MARGINS["outer"]
        y = height - MARGINS["top"] + 8 * mm
        canvas.drawString(left, y, f"{meta.unit_name}　{meta.title}")
        canvas.drawRightString(right, y, tx.t(f"截至 {meta.as_of}", f"As of {meta.as_of}"))
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(left, y - 2 * mm, right, y - 2 * mm)
        canvas.restoreState()

    def footer(canvas: Canvas, number: int, total: int) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 8.5)
        canvas.setFillColor(MUTED)
        canvas.drawCentredString(
            MARGINS["inner"] + (width - MARGINS["inner"] - MARGINS["outer"]) / 2,
            MARGINS["bottom"] - 10 * mm,
            tx.page(number, total),
        )
        canvas.restoreState()

    doc = _Doc(
        out,
        pagesize=size,
        title=meta.title,
        author=meta.unit_name,
        subject=meta.subject or meta.title,
        creator="drillplan",
        leftMargin=MARGINS["inner"],
        rightMargin=MARGINS["outer"],
        topMargin=MARGINS["top"],
        bottomMargin=MARGINS["bottom"],
    )
    doc.addPageTemplates(
        [PageTemplate(id="page", frames=[frame_for(MARGINS["inner"], MARGINS["outer"])],
                      onPage=header)]
    )  # fmt: skip
    doc.build(
        list(story),
        canvasmaker=lambda *a, **k: _NumberedCanvas(*a, draw_footer=footer, **k),
    )


@dataclass
class Document:
    """One report being written: what every report starts and ends with, in one place.

    ``open_document`` fills the meta (the office's unit name from the settings), the texts and
    styles for the language, the content width and the title block; ``finish`` lays the story
    out in the frame and returns the result.
    """

    meta: ReportMeta
    tx: Texts
    st: dict[str, ParagraphStyle]
    width: float
    story: list[Flowable]

    def finish(self, path: Path, figures: dict[str, object]) -> ReportResult:
        build_pdf(path, self.meta, self.story)
        return ReportResult(path=Path(path), figures=figures)


def open_document(
    session: Session,
    *,
    title: tuple[str, str] | str,
    subject: tuple[str, str],
    as_of: dt.date,
    lang: str = "zh",
    landscape: bool = False,
    generated_at: dt.datetime | None = None,
) -> Document:
    tx = Texts(lang)
    meta = ReportMeta(
        title=title if isinstance(title, str) else tx.t(*title),
        unit_name=settings.get(session, "unit_name"),
        as_of=as_of,
        lang=lang,
        subject=tx.t(*subject),
        landscape=landscape,
        generated_at=generated_at,
    )
    return Document(meta, tx, styles(), content_width(meta), title_block(meta))

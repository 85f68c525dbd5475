"""The one report frame every printed report uses (ReportLab platypus).

A4 portrait or landscape, a wider inner margin for binding, TrueType fonts embedded as subsets
(the PC's 仿宋/黑体/宋体 where it has them, else the shipped font: :mod:`.fonts`), a title block
with the issuing unit, an optional 文号 and the date line the document needs (统计截止日期 /
编制日期 / 评估日期 / 比赛日期), a running header, the footer "第 X 页 共 Y 页" ("Page X of Y"),
headings kept with what follows them, a sign-off block, PDF bookmarks and metadata. Text is set
with :class:`Para`, which breaks lines by the rules of :mod:`.linebreak`. Reports only build a
list of flowables with the helpers here and in ``drillplan.reports.tables``.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from sqlalchemy.orm import Session

from drillplan import settings
from drillplan.kernel.atomic import atomic_write
from drillplan.kernel.progress import Progress
from drillplan.reports import fonts
from drillplan.reports.linebreak import break_lines
from drillplan.reports.result import ReportResult

FONT = fonts.SHIPPED
INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#5f6b7a")
ACCENT = colors.HexColor("#8b1e1e")  # the red of official documents, used sparingly
RULE = colors.HexColor("#c8ced6")


def register_font() -> str:
    """Register the shipped WenQuanYi Micro Hei (TrueType outlines) once; return its name."""
    return fonts.register_shipped()


# the fonts of the report being built (set by open_document from the settings and the PC)
CURRENT_FONTS: ContextVar[fonts.FontSet | None] = ContextVar("report_fonts", default=None)


def current_fonts() -> fonts.FontSet:
    return CURRENT_FONTS.get() or fonts.FontSet()


@functools.cache
def _char_widths(font: str) -> dict[str, float]:
    return {}


_TEXT_WIDTHS: dict[tuple[str, str], float] = {}


def text_width(text: str, font: str, size: float) -> float:
    """The advance width of ``text`` in points (per-character widths and texts cached)."""
    known = _TEXT_WIDTHS.get((font, text))
    if known is not None:
        return known * size
    cache = _char_widths(font)
    total = 0.0
    for ch in text:
        w = cache.get(ch)
        if w is None:
            w = cache[ch] = pdfmetrics.stringWidth(ch, font, 1000)
        total += w
    if len(_TEXT_WIDTHS) > 200_000:
        _TEXT_WIDTHS.clear()
    _TEXT_WIDTHS[(font, text)] = total / 1000
    return total * size / 1000


def measurer(font: str, size: float) -> Callable[[str], float]:
    return lambda text: text_width(text, font, size)


class Para(Paragraph):
    """A paragraph of plain text broken into lines by :func:`.linebreak.break_lines` (no line
    starts with closing punctuation; codes, numbers with units, house numbers and short names
    stay whole), then laid out by ReportLab with those explicit line ends."""

    def __init__(
        self,
        text: str | None,
        style: ParagraphStyle,
        bulletText: str | None = None,
        frags: Any = None,
        caseSensitive: int = 1,
        encoding: str = "utf8",
    ) -> None:
        plain = None if frags is not None else str(text or "")
        super().__init__(
            escape(plain) if plain is not None else text,
            style,
            bulletText=bulletText,
            frags=frags,
            caseSensitive=caseSensitive,
            encoding=encoding,
        )
        self.plain = plain
        self._broken_for: float | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if self.plain is not None and self._broken_for != availWidth:
            st = self.style
            inner = availWidth - st.leftIndent - st.rightIndent
            lines = break_lines(self.plain, inner, measurer(st.fontName, st.fontSize))
            plain, broken = self.plain, availWidth
            Paragraph.__init__(self, "<br/>".join(escape(line) for line in lines), st)
            self.plain, self._broken_for = plain, broken
        return super().wrap(availWidth, availHeight)


@dataclass(frozen=True)
class Texts:
    """The frame's own words in the report language."""

    lang: str

    def t(self, zh: str, en: str) -> str:
        return zh if self.lang == "zh" else en

    def page(self, n: int, total: int) -> str:
        return f"第 {n} 页 共 {total} 页" if self.lang == "zh" else f"Page {n} of {total}"


def styles() -> dict[str, ParagraphStyle]:
    """The paragraph styles for the current fonts (built once per font set; read-only)."""
    return _styles(current_fonts())


@functools.cache
def _styles(fs: fonts.FontSet) -> dict[str, ParagraphStyle]:
    register_font()
    # 仿宋 is lighter and narrower than a sans font: a little larger reads the same
    body = 10.5 if fs.body != FONT else 9.5
    base = ParagraphStyle("base", fontName=fs.body, fontSize=body, leading=body * 1.5,
                          textColor=INK)  # fmt: skip
    head = ParagraphStyle("head", parent=base, fontName=fs.heading)
    return {
        "base": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=11, textColor=MUTED),
        "title": ParagraphStyle(
            "title", parent=head, fontName=fs.title, fontSize=20, leading=28,
            alignment=TA_CENTER, textColor=ACCENT,
        ),
        "subtitle": ParagraphStyle(
            "subtitle", parent=base, fontSize=11, leading=16, alignment=TA_CENTER
        ),
        "docno": ParagraphStyle("docno", parent=base, fontSize=10.5, leading=15,
                                alignment=TA_CENTER),
        "h1": ParagraphStyle(
            "h1", parent=head, fontSize=14, leading=20, spaceBefore=10, spaceAfter=6
        ),
        "h2": ParagraphStyle(
            "h2", parent=head, fontSize=11.5, leading=17, spaceBefore=8, spaceAfter=4
        ),
        "h3": ParagraphStyle("h3", parent=head, fontSize=body, leading=body * 1.5,
                             spaceBefore=4, spaceAfter=2),
        "cell": ParagraphStyle("cell", parent=base, fontName=fs.table, fontSize=8, leading=10.5,
                               alignment=TA_LEFT),
        "note": ParagraphStyle("note", parent=base, fontSize=8.5, leading=12, textColor=MUTED),
    }  # fmt: skip


class Heading(Para):
    """A section heading that becomes a PDF bookmark (outline entry); it never stays alone
    at the bottom of a page (the frame puts a conditional page break before it)."""

    def __init__(self, text: str, style: ParagraphStyle, level: int = 0) -> None:
        super().__init__(text, style)
        self.outline_text = text
        self.outline_level = level
        # kept with what follows by the frame's conditional page break (_keep_headings), not
        # by ReportLab's keepWithNext, which would lay out a long table twice to measure it


# what must fit below a heading for it to stay on the page: itself and a few lines or rows
KEEP_WITH_HEADING = 100.0

# the date line of each kind of document: (中文, English)
DATE_LABELS: dict[str, tuple[str, str]] = {
    "as_of": ("统计截止日期", "As of"),
    "compiled": ("编制日期", "Compiled on"),
    "evaluated": ("评估日期", "Evaluated on"),
    "held": ("比赛日期", "Held on"),
}


@dataclass(frozen=True)
class ReportMeta:
    title: str
    unit_name: str
    as_of: dt.date
    lang: str = "zh"
    subject: str = ""
    landscape: bool = False
    generated_at: dt.datetime | None = None
    date_kind: str = "as_of"  # a key of DATE_LABELS
    date: dt.date | None = None  # the date on the date line (as_of when None)
    doc_number: str = ""  # 文号, printed under the issuing unit when the office sets one
    subtitle: str = ""  # e.g. the drill's title under the report title
    fonts: fonts.FontSet = field(default_factory=fonts.FontSet)

    @property
    def date_line(self) -> tuple[str, dt.date]:
        zh, en = DATE_LABELS[self.date_kind]
        return (zh if self.lang == "zh" else en), (self.date or self.as_of)


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
    """Issuing unit, 文号 (when set), report title, the document's date line and the time it
    was generated."""
    st = styles()
    tx = Texts(meta.lang)
    generated = (meta.generated_at or dt.datetime.now()).strftime("%Y-%m-%d %H:%M")
    label, when = meta.date_line
    block: list[Flowable] = [Para(meta.unit_name, st["subtitle"])]
    if meta.doc_number:
        block.append(Para(meta.doc_number, st["docno"]))
    block += [Spacer(1, 2 * mm), Para(meta.title, st["title"])]
    if meta.subtitle:
        block.append(Para(meta.subtitle, st["subtitle"]))
    block += [
        Spacer(1, 2 * mm),
        Para(
            tx.t(
                f"{label}：{when.isoformat()}　　生成时间：{generated}",
                f"{label} {when.isoformat()}    Generated {generated}",
            ),
            st["subtitle"],
        ),
        Spacer(1, 6 * mm),
    ]
    return block


def signoff(
    roles: Sequence[tuple[str, str]],
    tx: Texts,
    width: float,
    names: Sequence[str | None] | None = None,
) -> Flowable:
    """The sign-off block (编制/审核/批准, 评估组长/评估人员 ...): a line to sign and a date
    for each role, kept together on one page. ``names``: a name printed on a role's line
    (above the signature), one per role, None where none is recorded; long lists wrap."""
    st = styles()
    label_w = max(text_width(tx.t(*r), st["base"].fontName, st["base"].fontSize) for r in roles)
    date_label = tx.t("日期", "Date")
    date_w = text_width(date_label, st["base"].fontName, st["base"].fontSize)
    sign_w = (width - label_w - date_w - 24) * 0.6
    printed = list(names or [None] * len(roles))
    rows = [
        [
            tx.t(*r) + tx.t("：", ":"),
            Para(n, st["base"]) if n else "",
            date_label + tx.t("：", ":"),
            "",
        ]
        for r, n in zip(roles, printed, strict=True)
    ]
    table = Table(
        rows,
        colWidths=[label_w + 12, sign_w, date_w + 12, width - label_w - date_w - 24 - sign_w],
        rowHeights=None if any(printed) else [26] * len(rows),
    )
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), st["base"].fontName, st["base"].fontSize),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LINEBELOW", (1, 0), (1, -1), 0.6, INK),
                ("LINEBELOW", (3, 0), (3, -1), 0.6, INK),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 14 if any(printed) else 3),
            ]
        )
    )
    return KeepTogether([Spacer(1, 8 * mm), table])


def fit_text(text: str, font: str, size: float, width: float) -> str:
    """``text`` cut with … so that it fits ``width`` (a running header, a calendar cell)."""
    if text_width(text, font, size) <= width:
        return text
    while text and text_width(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def _keep_headings(story: Sequence[Flowable]) -> list[Flowable]:
    """A conditional page break before each heading: a heading never ends a page."""
    out: list[Flowable] = []
    for flowable in story:
        if isinstance(flowable, Heading):
            out.append(CondPageBreak(KEEP_WITH_HEADING + flowable.style.leading))
        out.append(flowable)
    return out


def build_pdf(path: Path, meta: ReportMeta, story: Sequence[Flowable]) -> Path:
    """Lay out ``story`` in the frame and write the PDF to ``path``: whole or not at all (a
    full disk, a cancel or an error while laying out leaves no file and keeps an earlier one,
    see :mod:`drillplan.kernel.atomic`)."""
    register_font()
    path = Path(path)
    token = CURRENT_FONTS.set(meta.fonts)
    try:
        with atomic_write(path, "wb") as fh:
            _layout(fh, meta, _keep_headings(story))
    finally:
        CURRENT_FONTS.reset(token)
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

    font = meta.fonts.table

    def header(canvas: Canvas, doc: BaseDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.setFillColor(MUTED)
        left = MARGINS["inner"]
        right = width - MARGINS["outer"]
        y = height - MARGINS["top"] + 8 * mm
        label, when = meta.date_line
        dated = f"{label} {when}"
        room = right - left - text_width(dated, font, 8) - 12
        canvas.drawString(left, y, fit_text(f"{meta.unit_name}　{meta.title}", font, 8, room))
        canvas.drawRightString(right, y, dated)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(left, y - 2 * mm, right, y - 2 * mm)
        canvas.restoreState()

    def footer(canvas: Canvas, number: int, total: int) -> None:
        canvas.saveState()
        canvas.setFont(font, 8.5)
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
        initialFontName=font,  # the canvas starts in our font: no unembedded Helvetica
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


def issuing_unit(session: Session) -> str:
    """The unit that issues the office's documents (the report unit when none is set)."""
    return str(settings.get(session, "issuing_unit") or settings.get(session, "unit_name"))


def doc_number(session: Session, year: int) -> str:
    """The 文号 from the settings, ``{year}`` replaced (empty when the office sets none)."""
    template = str(settings.get(session, "document_number") or "")
    return template.replace("{year}", str(year)).replace("{年}", str(year))


def open_document(
    session: Session,
    *,
    title: tuple[str, str] | str,
    subject: tuple[str, str],
    as_of: dt.date,
    lang: str = "zh",
    landscape: bool = False,
    generated_at: dt.datetime | None = None,
    date_kind: str = "as_of",
    date: dt.date | None = None,
    subtitle: str = "",
) -> Document:
    tx = Texts(lang)
    fs = fonts.resolve(settings.get(session, "report_font_path"))
    CURRENT_FONTS.set(fs)  # the styles and tables of this report use these fonts
    meta = ReportMeta(
        title=title if isinstance(title, str) else tx.t(*title),
        unit_name=issuing_unit(session),
        as_of=as_of,
        lang=lang,
        subject=tx.t(*subject),
        landscape=landscape,
        generated_at=generated_at,
        date_kind=date_kind,
        date=date,
        doc_number=doc_number(session, (date or as_of).year),
        subtitle=subtitle,
        fonts=fs,
    )
    return Document(meta, tx, styles(), content_width(meta), title_block(meta))

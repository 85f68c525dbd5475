"""A platypus ``Table`` that writes its one-line text cells into one PDF text object.

ReportLab's ``Table`` draws each text cell with ``canvas.drawString`` (or its right / centred
forms): a new text object per cell, the string measured again for every aligned cell. On a
20,000-lot expiry report that is 160,000 text objects, most of the draw time. ``FastTable``
draws the same cells at the same positions (ReportLab's own formulas for padding, alignment
and vertical alignment), in the same font and colour, as runs of one text object: one
``BT ... ET`` per stretch of text cells, each cell placed with ``Tm``. Backgrounds, lines and
every other kind of cell (paragraphs, several lines, links, decimal alignment) are drawn by
ReportLab as before; a text run is closed before any of them is drawn, so the painting order
is the same.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.platypus import Table

_ALIGNS = {"LEFT": 0.0, "CENTRE": 0.5, "CENTER": 0.5, "RIGHT": 1.0}


class FastTable(Table):
    """A ``Table`` whose plain one-line text cells share one text object (see the module)."""

    def draw(self) -> None:
        self._run: Any = None  # the open text object
        self._run_style: tuple[Any, ...] | None = None
        self._widths: dict[tuple[str, str, float], float] = {}
        super().draw()
        self._close_run()

    def _close_run(self) -> None:
        if getattr(self, "_run", None) is not None:
            self.canv.drawText(self._run)
            self._run = None
            self._run_style = None
            self._curcellstyle = None  # the text object changed colour and font: set again

    def _drawCell(self, cellval: Any, cellstyle: Any, pos: Any, size: Any) -> None:
        just = _ALIGNS.get(cellstyle.alignment)
        if (
            type(cellval) is not str
            or just is None
            or "\n" in cellval
            or cellstyle.href
            or cellstyle.destination
            or cellstyle.direction
            or cellstyle.shaping
        ):
            self._close_run()
            super()._drawCell(cellval, cellstyle, pos, size)
            return
        colpos, rowpos = pos
        colwidth, rowheight = size
        font, fontsize, leading = cellstyle.fontname, cellstyle.fontsize, cellstyle.leading
        valign = cellstyle.valign
        if valign == "BOTTOM":
            y = rowpos + cellstyle.bottomPadding + leading - fontsize
        elif valign == "TOP":
            y = rowpos + rowheight - cellstyle.topPadding - fontsize
        elif valign == "MIDDLE":
            y = rowpos + (cellstyle.bottomPadding + rowheight - cellstyle.topPadding + leading) / 2
            y -= fontsize
        else:
            self._close_run()
            super()._drawCell(cellval, cellstyle, pos, size)  # ReportLab says what is wrong
            return
        if just == 0.0:
            x = colpos + cellstyle.leftPadding
        else:
            key = (cellval, font, fontsize)
            width = self._widths.get(key)
            if width is None:
                width = self._widths[key] = self.canv.stringWidth(cellval, font, fontsize)
            if just == 1.0:
                x = colpos + colwidth - cellstyle.rightPadding - width
            else:
                x = colpos + (colwidth + cellstyle.leftPadding - cellstyle.rightPadding) * 0.5
                x -= 0.5 * width
        run = self._run
        if run is None:
            run = self._run = self.canv.beginText()
        style = (font, fontsize, leading, cellstyle.color)
        if style != self._run_style:
            run.setFont(font, fontsize, leading)
            run.setFillColor(cellstyle.color)
            self._run_style = style
        run.setTextOrigin(x, y)
        self._put(run, font, cellval)

    def _put(self, run: Any, font: str, text: str) -> None:
        """``run._textOut(text)``, with what a TrueType font makes of ``text`` (its subset
        codes, escaped) kept for the document: a long table repeats its dates, units and
        names on every page. The operators written are ReportLab's own, byte for byte."""
        face = getFont(font)
        if not face._dynamicFont:
            run._textOut(text)
            return
        canv = self.canv
        cache: dict[tuple[str, str], tuple[tuple[int, str], ...]] = canv.__dict__.setdefault(
            "_fast_table_texts", {}
        )  # on the canvas: subset codes belong to one document
        chunks = cache.get((font, text))
        if chunks is None:
            split = face.splitString(text, canv._doc)
            chunks = cache[(font, text)] = tuple((n, f"({canv._escape(t)}) Tj") for n, t in split)
        ops: list[str] = []
        for subset, op in chunks:
            if subset != run._curSubset:
                tf = f"{fp_str(run._fontsize)} Tf {fp_str(run._leading)} TL"
                ops.append(f"{face.getSubsetInternalName(subset, canv._doc)} {tf}")
                run._curSubset = subset
            ops.append(op)
        run._code.append(" ".join(ops))

    def _drawLines(self) -> None:
        self._close_run()
        super()._drawLines()

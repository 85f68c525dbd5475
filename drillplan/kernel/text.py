"""Text as users type and paste it: full-width forms folded, surrounding space stripped."""

from __future__ import annotations

__all__ = ["normalize_text"]

_FULLWIDTH_TABLE: dict[int, int] = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FULLWIDTH_TABLE[0x3000] = 0x20  # ideographic space
_FULLWIDTH_TABLE[0x00A0] = 0x20  # no-break space (common in pasted spreadsheet text)


def normalize_text(s: str) -> str:
    """Map full-width ASCII (U+FF01..U+FF5E) to half-width, ideographic space to space,
    and strip surrounding whitespace. Plain ASCII has nothing to map (and keeps its object:
    an import folds every code of 100,000 rows)."""
    if s.isascii():
        return s.strip()
    return s.translate(_FULLWIDTH_TABLE).strip()

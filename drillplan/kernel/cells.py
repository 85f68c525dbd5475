"""Text cells a spreadsheet would run: neutralised on the way out to CSV, restored on the way in.

A CSV file has no cell types: Excel, WPS and LibreOffice read a field that starts with ``=``,
``+``, ``-`` or ``@`` (and, after a tab or carriage return, any of them) as a formula, which can
run commands or leak data (OWASP "CSV Injection"). Every CSV the tool writes passes its cells
through :func:`csv_text`: a text cell that starts with one of :data:`TRIGGERS` gets a single
quote ``'`` in front, which the spreadsheet shows as text. Numbers stay numbers: only values
that are numbers in the data (int, float, Decimal; not a text such as a phone "-5") are written
as they are, so a quantity of -5 or -1.5 is not touched.

:func:`restore` undoes exactly what :func:`neutralise` did, so an export imported again gives
back the original text. To keep that exact, a text that already starts with quotes followed
by a trigger (``'=x``) gets one more quote too: :func:`neutralise` adds one quote to every
text matching ``'*[=+\\-@\\t\\r]``, :func:`restore` removes one from every text matching
``'+[=+\\-@\\t\\r]``.

xlsx files have typed cells: there a text stays a text cell (the exporter writes a text
starting with ``=`` as a string, not a formula) and is never quoted.
"""

from __future__ import annotations

import re
from decimal import Decimal

__all__ = ["TRIGGERS", "csv_text", "is_number", "neutralise", "restore"]

#: first characters that make a spreadsheet read a CSV field as a formula
TRIGGERS = "=+-@\t\r"
QUOTE = "'"
_NEEDS_QUOTE = re.compile(r"'*[=+\-@\t\r]")
_ADDED_QUOTE = re.compile(r"'+[=+\-@\t\r]")


def is_number(value: object) -> bool:
    """A number in the data (not a bool, not a text that looks like one)."""
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def neutralise(text: str) -> str:
    """``text`` as a CSV cell a spreadsheet shows as text: ``'`` added where it would run."""
    return QUOTE + text if _NEEDS_QUOTE.match(text) else text


def restore(text: str) -> str:
    """The text :func:`neutralise` was given (a CSV cell read back)."""
    return text[1:] if text[:1] == QUOTE and _ADDED_QUOTE.match(text) else text


def csv_text(value: object, text: str | None = None) -> str:
    """One CSV cell for ``value``, shown as ``text`` (default ``str(value)``): as it is when
    ``value`` is a number in the data, else neutralised; empty for None."""
    if value is None:
        return ""
    shown = str(value) if text is None else text
    return shown if is_number(value) else neutralise(shown)

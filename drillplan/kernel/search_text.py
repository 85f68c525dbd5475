"""Type-to-find for pickers: a query matches a label by its text, its code or the pinyin of
its Chinese characters (initials "cfz" or full "chongfeng" find 冲锋舟).

Qt-free, so the desktop picker and anything else that filters a list of choices agree. A
polyphonic character matches by any of its readings (重固镇: "cgz" and "zgz" both find it),
since office staff type the reading they know. Full-width letters and digits are folded and
case is ignored.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

from drillplan.kernel.text import normalize_text

__all__ = ["SearchKey", "filter_choices", "matches", "search_key"]

T = TypeVar("T")


def _is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


@lru_cache(maxsize=8192)
def _readings(ch: str) -> tuple[str, ...]:
    """Every pinyin reading of one Chinese character, without tones ("重": zhong, chong)."""
    from pypinyin import Style, pinyin  # imported on first use: its dictionaries load in ~0.2 s

    found = pinyin(ch, style=Style.NORMAL, heteronym=True, errors="ignore")
    readings = tuple(dict.fromkeys(r.lower() for r in (found[0] if found else ()) if r))
    return readings or (ch,)


@dataclass(frozen=True)
class SearchKey:
    """What a label can be found by: its folded text and, per character, its readings."""

    text: str  # lower-case, full-width folded
    readings: tuple[tuple[str, ...], ...]  # one tuple per character of ``text``


@lru_cache(maxsize=16384)
def search_key(label: str) -> SearchKey:
    text = normalize_text(label).lower()
    return SearchKey(
        text=text, readings=tuple(_readings(ch) if _is_han(ch) else (ch,) for ch in text)
    )


def _fold_query(query: str) -> str:
    return "".join(normalize_text(query).lower().split())


def _initials_match(query: str, readings: Sequence[tuple[str, ...]]) -> bool:
    """``query`` is a run of consecutive characters' initials (spaces in labels skipped)."""
    letters = [frozenset(r[0] for r in reading) for reading in readings if reading != (" ",)]
    n = len(query)
    return any(
        all(query[j] in letters[i + j] for j in range(n)) for i in range(len(letters) - n + 1)
    )


def _spelled_match(query: str, readings: Sequence[tuple[str, ...]]) -> bool:
    """``query`` spells consecutive characters' readings, the last one possibly unfinished
    ("chongf", "fengzhou")."""
    chars = [reading for reading in readings if reading != (" ",)]

    def from_position(i: int, rest: str) -> bool:
        if not rest:
            return True
        if i >= len(chars):
            return False
        for reading in chars[i]:
            if reading.startswith(rest):
                return True
            if rest.startswith(reading) and from_position(i + 1, rest[len(reading) :]):
                return True
        return False

    return any(from_position(i, query) for i in range(len(chars)))


def matches(query: str, label: str) -> bool:
    """True if ``label`` is found by ``query`` (an empty query finds everything)."""
    folded = _fold_query(query)
    if not folded:
        return True
    key = search_key(label)
    if folded in key.text.replace(" ", "") or normalize_text(query).lower() in key.text:
        return True
    if not folded.isascii() or not folded.isalnum():
        return False
    return _initials_match(folded, key.readings) or _spelled_match(folded, key.readings)


def _rank(query: str, label: str) -> int:
    """0: the label (or one of its words, e.g. the name after a code) starts with the query;
    1: found anywhere else."""
    folded = _fold_query(query)
    words = search_key(label).text.split()
    return 0 if any(word.startswith(folded) for word in words) else 1


def filter_choices(query: str, choices: Iterable[tuple[T, str]]) -> list[tuple[T, str]]:
    """The choices ``query`` finds, those whose code or name starts with it first, otherwise
    in their given order."""
    found = [choice for choice in choices if matches(query, choice[1])]
    if not _fold_query(query):
        return found
    return sorted(found, key=lambda choice: _rank(query, choice[1]))

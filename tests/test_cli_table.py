"""The command line's text table lines its columns up on the screen: a Chinese character takes
two columns of a terminal, an ASCII one one."""

from __future__ import annotations

import unicodedata

from drillplan.cli import output


def _screen(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def test_columns_line_up_with_chinese_and_ascii_cells() -> None:
    rows = [
        {"key": "CK00001", "name": "市级应急物资储备库0001", "score": 32.1},
        {"key": "district", "name": "全区", "score": 51.0},
        {"key": "队伍T1", "name": "Rescue team", "score": None},
    ]
    lines = output.render(rows, ["key", "name", "score"], "table").splitlines()
    assert lines[0].split() == ["key", "name", "score"]
    assert lines[3].split() == ["district", "全区", "51.0"]
    assert lines[4].rstrip().endswith("Rescue team")  # an empty last cell leaves no spaces
    # every "name" cell starts at the same screen column, and so does every "score" cell
    for header in ("name", "score"):
        starts = set()
        for line, row in zip(lines[2:], rows, strict=True):
            cell = str(row[header]) if row[header] is not None else None
            if cell is None:
                continue
            starts.add(_screen(line[: line.index(cell)]))
        starts.add(_screen(lines[0][: lines[0].index(header)]))
        assert len(starts) == 1, (header, starts)
    dashes = lines[1].split("  ")
    assert [len(d) for d in dashes] == [8, _screen("市级应急物资储备库0001"), 5]

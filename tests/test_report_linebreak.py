"""Chinese line-breaking for reports (Qt-free, no PDF): the rules of drillplan.reports.linebreak."""

from __future__ import annotations

import pytest

from drillplan.reports.linebreak import CLOSING, OPENING, break_lines, runs


def cjk_width(text: str) -> float:
    """A monospace measure: a Chinese character 2, anything else 1 (like a CJK font)."""
    return float(sum(2 if ord(ch) > 0x2E80 else 1 for ch in text))


SENTENCE = (
    "演练地点位于青浦区崧华路210/1号，联系人：许彬鹏、王芳（值班电话 021-59730000），"
    "参演人员 120 人，检验预案 QP-YA-2024-001、QP-YA-2024-017；历时 3.5 小时。"
    "（注：外青松公路7号为备用集结点。）"
)


def test_runs_give_the_text_back() -> None:
    assert "".join(runs(SENTENCE)) == SENTENCE


@pytest.mark.parametrize(
    "whole",
    ["崧华路210/1号", "许彬鹏", "王芳", "QP-YA-2024-001", "QP-YA-2024-017", "120 人", "3.5 小时",
     "021-59730000", "松公路7号"],
)  # fmt: skip
def test_codes_numbers_house_numbers_and_short_names_stay_whole(whole: str) -> None:
    for width in range(18, 80):  # wide enough for the longest run (崧华路210/1号，)
        lines = break_lines(SENTENCE, width, cjk_width)
        assert any(whole in line for line in lines), (width, whole, lines)


@pytest.mark.parametrize("width", range(6, 90))
def test_no_line_starts_with_closing_or_ends_with_opening_punctuation(width: int) -> None:
    lines = break_lines(SENTENCE, width, cjk_width)
    assert "".join(lines).replace(" ", "") == SENTENCE.replace(" ", "")
    for line in lines[1:]:
        assert line[0] not in CLOSING, (width, lines)
    for line in lines[:-1]:
        assert line[-1] not in OPENING, (width, lines)
    for line in lines:
        assert cjk_width(line) <= width, (width, line)  # nothing sticks out


def test_a_long_chinese_run_breaks_between_characters() -> None:
    text = "青浦区应急管理局防汛抢险物资储备仓库"
    lines = break_lines(text, 10, cjk_width)
    assert lines == ["青浦区应急", "管理局防汛", "抢险物资储", "备仓库"]


def test_a_run_wider_than_the_line_is_cut_but_no_piece_starts_with_closing() -> None:
    text = "X" * 30 + "。"
    lines = break_lines(text, 10, cjk_width)
    assert all(cjk_width(line) <= 10 for line in lines)
    assert lines[-1][0] not in CLOSING and "".join(lines) == text


def test_english_breaks_at_spaces() -> None:
    lines = break_lines("Good of total per component weight", 12, cjk_width)
    assert lines == ["Good of", "total per", "component", "weight"]


def test_explicit_newlines_are_kept() -> None:
    assert break_lines("一\n二", 100, cjk_width) == ["一", "二"]

"""Type-to-find in pickers: code, name, pinyin initials and spelled pinyin (core, no Qt)."""

from __future__ import annotations

from drillplan.kernel.search_text import filter_choices, matches

MATERIALS = [
    (1, "M001 冲锋舟（艘）"),
    (2, "M002 救生衣（件）"),
    (3, "M003 编织袋（只）"),
    (4, "M004 帐篷（顶）"),
    (5, "M010 发电机（台）"),
]


def test_initials_find_the_chinese_name() -> None:
    assert [c[0] for c in filter_choices("cfz", MATERIALS)] == [1]
    assert [c[0] for c in filter_choices("jsy", MATERIALS)] == [2]
    assert [c[0] for c in filter_choices("CFZ", MATERIALS)] == [1]


def test_code_and_name_find_by_substring() -> None:
    assert [c[0] for c in filter_choices("m00", MATERIALS)] == [1, 2, 3, 4]
    assert [c[0] for c in filter_choices("M010", MATERIALS)] == [5]
    assert [c[0] for c in filter_choices("帐篷", MATERIALS)] == [4]
    assert [c[0] for c in filter_choices("生衣", MATERIALS)] == [2]


def test_full_width_and_spaces_are_folded() -> None:
    assert matches("ｍ００１", "M001 冲锋舟（艘）")
    assert matches(" cfz ", "M001 冲锋舟（艘）")


def test_spelled_pinyin_even_unfinished() -> None:
    assert matches("chongfeng", "M001 冲锋舟（艘）")
    assert matches("fengzh", "M001 冲锋舟（艘）")
    assert not matches("fengzhu", "M001 冲锋舟（艘）")


def test_polyphonic_character_matches_by_any_reading() -> None:
    assert matches("cgz", "重固镇")
    assert matches("zgz", "重固镇")


def test_no_false_hits() -> None:
    assert not matches("xyz", "M001 冲锋舟（艘）")
    assert not matches("冲舟", "M001 冲锋舟（艘）")
    assert not matches("fc", "冲锋舟")  # initials must be in order and consecutive


def test_empty_query_keeps_everything_in_order() -> None:
    assert filter_choices("", MATERIALS) == MATERIALS


def test_starting_matches_come_first() -> None:
    units = [(1, "区应急管理局"), (2, "练塘镇"), (3, "青浦区练塘镇人民政府")]
    # "lt" starts the name of 练塘镇 but sits inside the third
    assert [c[0] for c in filter_choices("lt", units)] == [2, 3]
    assert [c[0] for c in filter_choices("qp", units)] == [3]

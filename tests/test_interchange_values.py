"""Cell values as people type them, and header rows as offices write them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from drillplan.interchange.importer import find_header
from drillplan.interchange.kinds import KINDS
from drillplan.interchange.spec import Column, T, match_headers
from drillplan.interchange.values import BadValue
from drillplan.kernel.vocab import DepotTier

QTY = Column("quantity", "数量", "Quantity", T.DECIMAL, min_value=Decimal(0))
COUNT = Column("n", "人数", "Headcount", T.INT)
WHEN = Column("starts_at", "开始时间", "Starts", T.DATETIME)
TIER = Column("tier", "层级", "Tier", T.ENUM, enum=DepotTier)
FLAG = Column("flag", "防汛物资", "Flood", T.BOOL)
CODE = Column("code", "编码", "Code")


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("1,200", Decimal(1200)), ("１２００", Decimal(1200)), ("1，234.5", Decimal("1234.5")),
        (" 12.50 ", Decimal("12.50")), (1200.0, Decimal("1200.0")), (3, Decimal(3)),
        ("1 000", Decimal(1000)), (0.1, Decimal("0.1")),
    ],
)  # fmt: skip
def test_numbers_as_typed(raw: object, expected: Decimal) -> None:
    assert QTY.convert(raw) == expected


@pytest.mark.parametrize(
    "raw,rule",
    [("十", "not_a_number"), ("1,2,3", "not_a_number"), ("12,5", "not_a_number"),
     ("-1", "negative"), (True, "not_a_number"), ("1e5", "not_a_number")],
)  # fmt: skip
def test_bad_numbers(raw: object, rule: str) -> None:
    with pytest.raises(BadValue) as info:
        QTY.convert(raw)
    assert info.value.rule == rule


def test_whole_numbers() -> None:
    assert COUNT.convert("１,２００") == 1200
    assert COUNT.convert(30.0) == 30
    with pytest.raises(BadValue, match="整数"):
        COUNT.convert("2.5")


@pytest.mark.parametrize(
    "raw",
    ["2025-05-20 09:30", "2025/5/20 9:30", "2025年5月20日 9时30分", "2025-05-20T09:30:00",
     dt.datetime(2025, 5, 20, 9, 30, 41), 45797 + 9.5 / 24],
)  # fmt: skip
def test_date_times(raw: object) -> None:
    assert WHEN.convert(raw) == dt.datetime(2025, 5, 20, 9, 30)


def test_vocabulary_yes_no_and_codes() -> None:
    assert TIER.convert("区级") == DepotTier.DISTRICT
    assert TIER.convert("District") == DepotTier.DISTRICT
    assert TIER.convert("enterprise") == DepotTier.ENTERPRISE
    with pytest.raises(BadValue) as info:
        TIER.convert("省级")
    assert info.value.rule == "not_in_list" and "区级" in info.value.message
    assert [FLAG.convert(v) for v in ("是", "否", "Y", "✓", 1, 0, "FALSE")] == [
        True, False, True, True, True, False, False,
    ]  # fmt: skip
    assert CODE.convert(2010101.0) == "2010101"
    assert CODE.convert("ＱＰ－Ｄ０１") == "QP-D01"


def test_headers_matched_by_any_name() -> None:
    lots = KINDS["lots"]
    match = match_headers(lots, ["Depot", "物资名称", "批号", "数 量", "Expiry Date", "备注"])
    assert set(match.columns) == {"holder", "material", "batch_no", "quantity", "expiry_date"}
    assert match.extras == ["备注"] and not match.missing
    both = match_headers(lots, ["仓库", "物资编码", "物资名称", "批次号", "数量"])
    assert both.columns["material"] == 1 and both.columns["material_name"] == 2


def test_a_title_above_the_header_is_allowed() -> None:
    rows: list[list[object]] = [
        ["青浦区应急物资储备台账（2025年）", "", ""],
        ["", "", ""],
        ["物资编码", "物资名称", "计量单位"],
        ["2010101", "救生衣", "件"],
    ]
    found = find_header(KINDS["materials"], rows)
    assert found is not None and found[0] == 2

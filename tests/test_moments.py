"""Dates with a time of day as people type them (the kernel's one date parser, issue 18)."""

from __future__ import annotations

import datetime as dt

import pytest

from drillplan.kernel.errors import ValidationError
from drillplan.kernel.values import parse_moment, parse_optional_moment

KEEP = dt.time(14, 30)
NEW_YEAR = dt.datetime(2027, 1, 1, 14, 30)


@pytest.mark.parametrize(
    "typed",
    [
        "2027-01-01",
        "2027/1/1",
        "2027.1.1",
        "2027年1月1日",
        "20270101",
        "２０２７－０１－０１",
        " 2027-1-1 ",
    ],
)
def test_every_date_form_keeps_the_year_typed_and_the_time_held(typed: str) -> None:
    assert parse_moment(typed, default_time=KEEP) == NEW_YEAR


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2027-01-01 09:05", dt.datetime(2027, 1, 1, 9, 5)),
        ("2027-01-01T08:00:00", dt.datetime(2027, 1, 1, 8, 0)),
        ("2027/1/1 9:30", dt.datetime(2027, 1, 1, 9, 30)),
        ("2027年1月1日14:00", dt.datetime(2027, 1, 1, 14, 0)),
        ("2027年1月1日 9点30", dt.datetime(2027, 1, 1, 9, 30)),
        ("2027.1.1 9时30分", dt.datetime(2027, 1, 1, 9, 30)),
        ("20270101 8点", dt.datetime(2027, 1, 1, 8, 0)),
        ("２０２７年１月１日　１０：１５", dt.datetime(2027, 1, 1, 10, 15)),
    ],
)
def test_a_time_typed_after_the_date_is_used(typed: str, expected: dt.datetime) -> None:
    assert parse_moment(typed, default_time=KEEP) == expected


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("2027-13-01", "月份"),
        ("2027-02-30", "没有30日"),
        ("2027-01-01 25:00", "时间部分无效"),
        ("2027-01-01 9:75", "时间部分无效"),
        ("明天", "无法识别"),
        ("9999-01-01", "超出可用范围"),
    ],
)
def test_a_wrong_date_or_time_is_refused_with_a_reason(typed: str, says: str) -> None:
    with pytest.raises(ValidationError) as err:
        parse_moment(typed, field="starts_at")
    assert err.value.field == "starts_at" and says in err.value.message


def test_values_and_blanks() -> None:
    assert parse_optional_moment("  ") is None and parse_optional_moment(None) is None
    assert parse_moment(dt.date(2027, 1, 1), default_time=KEEP) == NEW_YEAR
    assert parse_moment(NEW_YEAR) == NEW_YEAR

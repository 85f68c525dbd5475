from __future__ import annotations

import datetime as dt
import pickle
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drillplan.kernel import records
from drillplan.kernel.errors import (
    Conflict,
    DrillplanError,
    EditConflict,
    FieldDifference,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from drillplan.kernel.values import (
    Checks,
    credit_code_check_char,
    date_to_excel_serial,
    excel_serial_to_date,
    is_enterprise_code,
    is_social_organisation_code,
    normalize_text,
    parse_code,
    parse_date,
    parse_optional_credit_code,
    parse_optional_date,
    parse_optional_decimal,
    parse_optional_int,
    parse_optional_phone,
    parse_strings,
    parse_text,
    validate_credit_code,
    validate_phone,
)

# Restated from GB 32100-2015 independently of the implementation.
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def weighted_sum_mod31(code: str) -> int:
    """(sum of value x weight over positions 1-17 + value of check char) mod 31.

    A code is valid iff this is 0, since check = (31 - sum mod 31) mod 31.
    """
    total = sum(ALPHABET.index(c) * w for c, w in zip(code[:17], WEIGHTS, strict=True))
    return (total + ALPHABET.index(code[17])) % 31


def reference_check_char(first17: str) -> str:
    total = sum(ALPHABET.index(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


# ---------------------------------------------------------------------------
# errors
# ---------------------------------------------------------------------------


def test_error_hierarchy() -> None:
    for cls in (ValidationError, NotFound, Conflict, PermissionDenied):
        assert issubclass(cls, DrillplanError)
    assert issubclass(DrillplanError, Exception)


def test_validation_error_attributes_and_str() -> None:
    err = ValidationError("phone", "电话号码不能为空", message_en="Phone must not be empty")
    assert err.field == "phone"
    assert err.message == "电话号码不能为空"
    assert err.message_en == "Phone must not be empty"
    assert err.row is None
    assert str(err) == "phone: 电话号码不能为空"

    with_row = ValidationError("phone", "电话号码不能为空", row=7)
    assert with_row.message_en is None
    assert str(with_row) == "第7行 phone: 电话号码不能为空"
    assert str(err.with_row(3)) == "第3行 phone: 电话号码不能为空"
    assert err.with_row(3).message_en == "Phone must not be empty"


def test_validation_error_pickles() -> None:
    err = ValidationError("date", "日期不能为空", message_en="Date must not be empty", row=2)
    copy = pickle.loads(pickle.dumps(err))
    assert (copy.field, copy.message, copy.message_en, copy.row) == (
        "date",
        "日期不能为空",
        "Date must not be empty",
        2,
    )


# ---------------------------------------------------------------------------
# normalize_text
# ---------------------------------------------------------------------------


def test_normalize_text() -> None:
    assert normalize_text("　ＡＢＣ１２３－／．（）　") == "ABC123-/.()"
    assert normalize_text("  abc\u3000def  ") == "abc def"
    assert normalize_text("２０２４年３月１５日") == "2024年3月15日"
    assert normalize_text("中文不变") == "中文不变"
    assert normalize_text("") == ""


# ---------------------------------------------------------------------------
# credit codes
# ---------------------------------------------------------------------------

GOOD_CODES = [
    "91350100M000100Y43",  # real-world-style example: check char 3 is correct
    "91310000MA1FL6WB0C",  # the "…0X" lookalike with its correct check char
    "52310118MJ0000000" + reference_check_char("52310118MJ0000000"),
    "51310000500000000" + reference_check_char("51310000500000000"),
    "12310118000000000" + reference_check_char("12310118000000000"),
]


@pytest.mark.parametrize("code", GOOD_CODES)
def test_good_credit_codes(code: str) -> None:
    assert weighted_sum_mod31(code) == 0
    assert validate_credit_code(code) == code


def test_check_char_helper_matches_reference() -> None:
    assert credit_code_check_char("91350100M000100Y4") == "3"
    assert credit_code_check_char("91310000MA1FL6WB0") == "C"
    assert credit_code_check_char("９１３５０１００ｍ０００１００ｙ４") == "3"
    with pytest.raises(ValidationError):
        credit_code_check_char("9135")
    with pytest.raises(ValidationError):
        credit_code_check_char("91350100I000100Y4")


def test_credit_code_normalisation() -> None:
    assert validate_credit_code("  91350100m000100y43 ") == "91350100M000100Y43"
    assert validate_credit_code("９１３５０１００Ｍ０００１００Ｙ４３") == "91350100M000100Y43"
    assert validate_credit_code("\u300091350100M000100Y43\u3000") == "91350100M000100Y43"


def test_credit_code_wrong_check_char() -> None:
    with pytest.raises(ValidationError) as info:
        validate_credit_code("91310000MA1FL6WB0X")
    err = info.value
    assert err.field == "credit_code"
    assert "校验位" in err.message
    assert "“C”" in err.message
    assert err.message_en is not None
    assert "check character" in err.message_en
    assert "'C'" in err.message_en


def test_credit_code_allow_bad_check() -> None:
    assert validate_credit_code("91310000MA1FL6WB0X", allow_bad_check=True) == (
        "91310000MA1FL6WB0X"
    )
    # The override only skips the check character, not length or alphabet.
    with pytest.raises(ValidationError):
        validate_credit_code("91310000MA1FL6WB0", allow_bad_check=True)
    with pytest.raises(ValidationError):
        validate_credit_code("91310000MA1FL6WBOX", allow_bad_check=True)


@pytest.mark.parametrize(
    ("code", "length"),
    [("91350100M000100Y4", 17), ("91350100M000100Y433", 19), ("913", 3)],
)
def test_credit_code_wrong_length(code: str, length: int) -> None:
    with pytest.raises(ValidationError) as info:
        validate_credit_code(code, field="uscc")
    assert info.value.field == "uscc"
    assert "18位" in info.value.message
    assert f"{length}位" in info.value.message
    assert info.value.message_en is not None
    assert "18" in info.value.message_en


def test_credit_code_empty() -> None:
    with pytest.raises(ValidationError) as info:
        validate_credit_code("  ")
    assert "不能为空" in info.value.message


@pytest.mark.parametrize("letter", list("IOZSV"))
def test_credit_code_forbidden_letters(letter: str) -> None:
    code = "91350100" + letter + "000100Y43"
    with pytest.raises(ValidationError) as info:
        validate_credit_code(code)
    err = info.value
    assert f"第9位字符“{letter}”" in err.message
    assert "I、O、Z、S、V" in err.message
    assert err.message_en is not None
    assert "position 9" in err.message_en
    # lowercase is upper-cased first, so it is reported the same way
    with pytest.raises(ValidationError) as info_lower:
        validate_credit_code(code.lower())
    assert f"“{letter}”" in info_lower.value.message


def test_credit_code_other_illegal_character() -> None:
    with pytest.raises(ValidationError) as info:
        validate_credit_code("9135010#M000100Y43")
    assert "第8位字符“#”" in info.value.message
    assert "I、O、Z、S、V" not in info.value.message
    with pytest.raises(ValidationError) as info_cn:
        validate_credit_code("91350100M000100Y4中")
    assert "第18位" in info_cn.value.message


def test_credit_code_prefix_helpers() -> None:
    assert is_enterprise_code("91350100M000100Y43")
    assert is_enterprise_code("92xxxx")
    assert is_enterprise_code("93")
    assert not is_enterprise_code("52310118MJ0000000X")
    for prefix in ("51", "52", "53", "59"):
        assert is_social_organisation_code(prefix + "310118MJ00000000")
        assert not is_enterprise_code(prefix + "310118MJ00000000")
    assert not is_social_organisation_code("91350100M000100Y43")
    assert not is_social_organisation_code("12310118000000000X")
    assert is_social_organisation_code("５２310118MJ00000000")


def test_credit_code_rejects_non_string() -> None:
    with pytest.raises(ValidationError):
        validate_credit_code(None)  # type: ignore[arg-type]


body17 = st.text(alphabet=ALPHABET, min_size=17, max_size=17)


@given(body17)
def test_generated_valid_code_validates(body: str) -> None:
    code = body + reference_check_char(body)
    assert credit_code_check_char(body) == code[17]
    assert weighted_sum_mod31(code) == 0
    assert validate_credit_code(code) == code
    assert validate_credit_code(code.lower()) == code


@given(
    body17,
    st.integers(min_value=0, max_value=17),
    st.sampled_from(ALPHABET),
)
def test_single_character_change(body: str, position: int, replacement: str) -> None:
    code = body + reference_check_char(body)
    if code[position] == replacement:
        replacement = ALPHABET[(ALPHABET.index(replacement) + 1) % 31]
    mutated = code[:position] + replacement + code[position + 1 :]
    assert mutated != code
    # Validation fails iff the weighted sum mod 31 changes.  (With 31 prime and every
    # weight non-zero mod 31 it always does, so any single substitution is detected.)
    sum_changed = weighted_sum_mod31(mutated) != weighted_sum_mod31(code)
    try:
        validate_credit_code(mutated)
    except ValidationError:
        failed = True
    else:
        failed = False
    assert failed == sum_changed
    assert failed
    assert validate_credit_code(mutated, allow_bad_check=True) == mutated


# ---------------------------------------------------------------------------
# phones
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13812345678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("+8613812345678", "13812345678"),
        ("0086-13812345678", "13812345678"),
        ("86 13812345678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("  19912345678 ", "19912345678"),
        ("１３８１２３４５６７８", "13812345678"),
        ("＋８６　１３８　１２３４　５６７８", "13812345678"),
        (13812345678, "13812345678"),
        ("021-62345678", "021-62345678"),
        ("02162345678", "021-62345678"),
        ("(021)62345678", "021-62345678"),
        ("（０２１）６２３４５６７８", "021-62345678"),
        ("021 62345678", "021-62345678"),
        ("０２１－６２３４５６７８", "021-62345678"),
    ],
)
def test_good_phones(raw: str | int, expected: str) -> None:
    assert validate_phone(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "12812345678",  # second digit must be 3-9
        "10812345678",
        "1381234567",  # 10 digits
        "138123456789",  # 12 digits
        "021-1234567",  # 7-digit local number
        "021-123456789",
        "62345678",  # no area code
        "+1 13812345678",
        "138 1234 567a",
        "phone",
        "010-12345678",  # Beijing
    ],
)
def test_bad_phones(raw: str) -> None:
    with pytest.raises(ValidationError) as info:
        validate_phone(raw, field="contact_phone")
    err = info.value
    assert err.field == "contact_phone"
    assert err.message
    assert err.message_en


def test_phone_messages() -> None:
    with pytest.raises(ValidationError) as info:
        validate_phone("010-12345678")
    assert "021" in info.value.message
    assert "010" in info.value.message
    with pytest.raises(ValidationError) as info_bad:
        validate_phone("12812345678")
    assert "12812345678" in info_bad.value.message
    assert info_bad.value.message_en is not None
    assert "12812345678" in info_bad.value.message_en
    with pytest.raises(ValidationError) as info_empty:
        validate_phone("  ")
    assert "不能为空" in info_empty.value.message
    with pytest.raises(ValidationError):
        validate_phone(None)  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        validate_phone(True)


# ---------------------------------------------------------------------------
# dates
# ---------------------------------------------------------------------------

MARCH_15 = dt.date(2024, 3, 15)


@pytest.mark.parametrize(
    "raw",
    [
        "2024-03-15",
        "2024-3-15",
        "2024/3/15",
        "2024/03/15",
        "2024.3.15",
        "2024.03.15",
        "2024年3月15日",
        "2024年03月15日",
        "2024 年 3 月 15 日",
        "20240315",
        "２０２４－０３－１５",
        "２０２４年３月１５日",
        "２０２４／３／１５",
        "２０２４０３１５",
        "  2024-03-15\t",
        "\u30002024-03-15\u3000",
        "2024-03-15 00:00:00",
        "2024-03-15 13:45",
        "2024-03-15T08:30:00",
        "45366",
        "45366.0",
        "45366.75",
        dt.date(2024, 3, 15),
        dt.datetime(2024, 3, 15, 23, 59),
        45366,
        45366.5,
    ],
)
def test_parse_date_forms(raw: object) -> None:
    assert parse_date(raw) == MARCH_15


def test_parse_date_returns_plain_date() -> None:
    result = parse_date(dt.datetime(2024, 3, 15, 10, 0))
    assert type(result) is dt.date


@pytest.mark.parametrize(
    ("serial", "expected"),
    [
        (1, dt.date(1900, 1, 1)),
        (31, dt.date(1900, 1, 31)),
        (59, dt.date(1900, 2, 28)),
        (61, dt.date(1900, 3, 1)),
        (45366, dt.date(2024, 3, 15)),
        (2958465, dt.date(9999, 12, 31)),
    ],
)
def test_excel_serials(serial: int, expected: dt.date) -> None:
    assert excel_serial_to_date(serial) == expected
    assert date_to_excel_serial(expected) == serial
    if expected.year >= 2200:  # a serial Excel knows, a date no field holds: parse_date refuses
        with pytest.raises(ValidationError) as info:
            parse_date(serial)
        assert info.value.rule == "date_out_of_range"
        return
    assert parse_date(serial) == expected
    assert parse_date(float(serial)) == expected
    assert parse_date(str(serial)) == expected


@pytest.mark.parametrize("serial", [0, -1, 0.5, 2958466, 60, 60.5, float("nan"), float("inf")])
def test_bad_excel_serials(serial: float) -> None:
    with pytest.raises(ValidationError) as info:
        parse_date(serial, field="drill_date")
    assert info.value.field == "drill_date"
    assert info.value.message_en


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("2024-02-30", "2024-02-30"),
        ("2023-02-29", "2023-02-29"),
        ("2024/13/01", "2024/13/01"),
        ("2024年4月31日", "2024年4月31日"),
        ("20240230", "20240230"),
        ("２０２４－０２－３０", "２０２４－０２－３０"),
        ("2024-00-10", "2024-00-10"),
        ("2024-01-00", "2024-01-00"),
        ("0000-01-01", "0000-01-01"),
    ],
)
def test_invalid_calendar_dates(raw: str, fragment: str) -> None:
    with pytest.raises(ValidationError) as info:
        parse_date(raw)
    assert fragment in info.value.message
    assert info.value.message_en is not None
    assert fragment in info.value.message_en


@pytest.mark.parametrize(
    "raw",
    [
        "3/15",
        "15/3/2024",
        "24-03-15",
        "2024-03/15",  # mixed separators
        "2024年3月15号",  # only 日 is accepted
        "2024年3月15",
        "2024-03-15 25:00",
        "2024-03-15 10:61",
        "March 15, 2024",
        "2024-03-15x",
        "yesterday",
    ],
)
def test_unrecognised_dates(raw: str) -> None:
    with pytest.raises(ValidationError) as info:
        parse_date(raw)
    assert info.value.message
    assert info.value.message_en


def test_empty_date() -> None:
    for raw in ("", "   ", "\u3000", None):
        with pytest.raises(ValidationError) as info:
            parse_date(raw)
        assert info.value.message == "日期不能为空"
        assert info.value.message_en


def test_unsupported_date_types() -> None:
    for raw in (True, [2024, 3, 15], object()):
        with pytest.raises(ValidationError):
            parse_date(raw)


def test_parse_optional_date() -> None:
    assert parse_optional_date(None) is None
    assert parse_optional_date("") is None
    assert parse_optional_date("  ") is None
    assert parse_optional_date("2024-03-15") == MARCH_15
    with pytest.raises(ValidationError) as info:
        parse_optional_date("2024-02-30", field="end_date")
    assert info.value.field == "end_date"


FULLWIDTH = str.maketrans("0123456789-/.", "０１２３４５６７８９－／．")


def string_forms(d: dt.date) -> list[str]:
    y, m, day = d.year, d.month, d.day
    forms = [
        f"{y:04d}-{m:02d}-{day:02d}",
        f"{y}-{m}-{day}",
        f"{y}/{m}/{day}",
        f"{y:04d}/{m:02d}/{day:02d}",
        f"{y}.{m}.{day}",
        f"{y:04d}.{m:02d}.{day:02d}",
        f"{y}年{m}月{day}日",
        f"{y}年{m:02d}月{day:02d}日",
        f"{y:04d}{m:02d}{day:02d}",
        f"{y:04d}-{m:02d}-{day:02d} 00:00:00",
        str(date_to_excel_serial(d)),
    ]
    return forms + [f.translate(FULLWIDTH) for f in forms]


@given(st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 12, 31)))
def test_parse_date_round_trip(d: dt.date) -> None:
    for form in string_forms(d):
        assert parse_date(form) == d, form
        assert parse_date(f"  {form}\u3000") == d, form
    serial = (d - dt.date(1899, 12, 30)).days
    assert parse_date(serial) == d
    assert parse_date(serial + 0.25) == d
    assert parse_date(dt.datetime.combine(d, dt.time(12, 0))) == d


# ---------------------------------------------------------------------------
# optimistic locking
# ---------------------------------------------------------------------------


def test_edit_conflict_is_a_conflict_and_pickles() -> None:
    assert issubclass(EditConflict, Conflict)
    bare = EditConflict("预案 P1 已被他人修改", expected_version=2)
    assert not bare.has_versions and bare.current_version is None and bare.differences() == []
    full = EditConflict(
        "预案 #1 已被他人修改",
        table="plan",
        row_id=1,
        expected_version=2,
        current={"row_version": 3, "title": "他人修改"},
        attempted={"title": "我的修改"},
    )
    copy = pickle.loads(pickle.dumps(full))
    assert (copy.table, copy.row_id, copy.current_version, str(copy)) == (
        "plan",
        1,
        3,
        "预案 #1 已被他人修改",
    )
    assert copy.differences() == [FieldDifference("title", "他人修改", "我的修改")]


def test_check_version_raises_edit_conflict() -> None:
    class Row:
        row_version = 3

    records.check_version(Row(), 3, "预案 P1 ")
    records.check_version(Row(), None, "预案 P1 ")
    with pytest.raises(EditConflict, match="已被他人修改") as info:
        records.check_version(Row(), 2, "预案 P1 ")
    assert info.value.expected_version == 2


# ---------------------------------------------------------------------------
# text, codes, numbers, lists (the one value-parsing kernel)
# ---------------------------------------------------------------------------


def test_text_keeps_what_was_typed_and_codes_are_folded() -> None:
    assert parse_text(" 青浦区（东片） ", field="name", max_len=20) == "青浦区（东片）"
    assert parse_text("ＳＳ-001", field="number", max_len=20, fold=True) == "SS-001"
    assert parse_text(" \u3000", field="name", max_len=20) is None
    with pytest.raises(ValidationError) as info:
        parse_text("", field="name", what="队伍名称", max_len=20, required=True)
    assert (info.value.message, info.value.rule) == ("队伍名称不能为空", "required")
    with pytest.raises(ValidationError) as info:
        parse_text("x" * 21, field="name", max_len=20)
    assert info.value.rule == "too_long"
    assert parse_code("ＱＰ-Ｔ01") == "QP-T01"
    with pytest.raises(ValidationError) as info:
        parse_code("QP T01", what="队伍编号")
    assert info.value.rule == "bad_code" and "队伍编号" in info.value.message


@pytest.mark.parametrize(
    ("raw", "minimum", "rule"),
    [("三年", 0, "not_a_number"), ("2.5", 0, "not_an_integer"), (True, 0, "not_a_number"),
     ("-1", 0, "negative"), ("0", 1, "not_positive"), ("4", 5, "too_small")],
)  # fmt: skip
def test_bad_whole_numbers_name_their_rule(raw: object, minimum: int, rule: str) -> None:
    with pytest.raises(ValidationError) as info:
        parse_optional_int(raw, field="n", what="保质期", minimum=minimum)
    assert (info.value.field, info.value.rule) == ("n", rule)
    assert info.value.message.startswith("保质期")


def test_numbers_and_lists() -> None:
    assert parse_optional_int("１８２５", field="n", what="保质期") == 1825
    assert parse_optional_int(30.0, field="n", what="响应时间") == 30
    assert parse_optional_int("", field="n", what="x") is None
    assert parse_optional_decimal("1,200.5", field="q", what="库容") == Decimal("1200.5")
    with pytest.raises(ValidationError, match="不能为负数"):
        parse_optional_decimal("-1", field="q", what="库容")
    assert parse_strings("防汛抢险、水上救援，防汛抢险 ") == ["防汛抢险", "水上救援"]
    assert parse_strings(["A", " ", "B"]) == ["A", "B"]
    with pytest.raises(ValidationError):
        parse_strings(5, field="specialties")


def test_phone_and_credit_code_name_their_rule() -> None:
    assert parse_optional_phone(" ", field="duty_phone") is None
    with pytest.raises(ValidationError) as info:
        parse_optional_phone("123", field="duty_phone")
    assert (info.value.field, info.value.rule) == ("duty_phone", "bad_phone")
    assert parse_optional_credit_code("") is None
    with pytest.raises(ValidationError) as info:
        parse_optional_credit_code("91310000MA1FL6WB0X")
    assert info.value.rule == "bad_credit_code"
    assert parse_optional_credit_code("91310000MA1FL6WB0X", override=True) == "91310000MA1FL6WB0X"


def test_checks_keep_every_error_of_an_input() -> None:
    check = Checks()
    name = check(parse_text, "", field="name", what="姓名", max_len=60, required=True)
    phone = check(parse_optional_phone, "123", field="phone")
    count = check(parse_optional_int, "5", field="n", what="人数")
    assert (name, phone, count) == (None, None, 5)
    with pytest.raises(ValidationError) as info:
        check.done()
    assert [e.field for e in info.value.every()] == ["name", "phone"]
    copy = pickle.loads(pickle.dumps(info.value))
    assert [(e.field, e.rule) for e in copy.every()] == [
        ("name", "required"),
        ("phone", "bad_phone"),
    ]
    Checks().done()  # nothing wrong: nothing raised

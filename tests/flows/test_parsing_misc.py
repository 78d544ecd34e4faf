"""Counts, e-mail addresses, business registration numbers, resident numbers, error codes."""

import ast
import re
from pathlib import Path

import pytest

import flows.parsing
from flows.parsing import (
    ERROR_CODES,
    ParseError,
    contains_rrn,
    mask_rrn,
    parse_brn,
    parse_email,
    parse_number,
)


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("3", 3),
        ("1,200", 1200),
        ("3건", 3),
        ("5회", 5),
        ("12개", 12),
        ("7 orders", 7),
        ("1 time", 1),
        ("2.0", 2),
        ("３", 3),
        ("세 건", 3),
        ("열두 번", 12),
        ("스무 명", 20),
    ],
)
def test_number_accepts_digits_counters_and_native_korean(text: str, number: int) -> None:
    assert parse_number(text) == number


@pytest.mark.parametrize(
    ("text", "number"), [("2.5", 2.5), ("1,200.25", 1200.25), ("-0.5", -0.5), ("3", 3.0)]
)
def test_number_accepts_fractions_when_not_integer(text: str, number: float) -> None:
    value = parse_number(text, integer=False)
    assert value == number
    assert isinstance(value, float)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "number.empty"),
        ("abc", "number.invalid"),
        ("건", "number.invalid"),
        ("1,20", "number.invalid"),
        ("3만", "number.invalid"),
        ("2.5", "number.not_integer"),
        ("2.5건", "number.not_integer"),
    ],
)
def test_number_rejects_with_a_stable_code(text: str, code: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_number(text)
    assert caught.value.code == code


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("kim@kakao.com", "kim@kakao.com"),
        ("  Kim.Minsu@Kakao.COM ", "Kim.Minsu@kakao.com"),
        ("user+damage@daum.net", "user+damage@daum.net"),
    ],
)
def test_email_returns_the_normalized_address(text: str, address: str) -> None:
    assert parse_email(text) == address


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "email.empty"),
        ("kim", "email.invalid"),
        ("kim@", "email.invalid"),
        ("kim@kakao", "email.invalid"),
        ("kim @kakao.com", "email.invalid"),
    ],
)
def test_email_rejects_with_a_stable_code(text: str, code: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_email(text)
    assert caught.value.code == code


@pytest.mark.parametrize(
    ("text", "formatted"),
    [
        ("124-81-00998", "124-81-00998"),
        ("1248100998", "124-81-00998"),
        ("120 81 47521", "120-81-47521"),
        ("１２０-８１-４７５２１", "120-81-47521"),
    ],
)
def test_brn_accepts_a_valid_number_and_formats_it(text: str, formatted: str) -> None:
    assert parse_brn(text) == formatted


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "brn.empty"),
        ("124-81-0099", "brn.length"),
        ("124-81-009981", "brn.length"),
        ("124-81-0099a", "brn.invalid"),
        ("000-00-00000", "brn.invalid"),
        ("124-81-00997", "brn.checksum"),
        ("120-81-47522", "brn.checksum"),
    ],
)
def test_brn_rejects_with_a_stable_code(text: str, code: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_brn(text)
    assert caught.value.code == code


@pytest.mark.parametrize(
    "text",
    [
        "900101-1234567",
        "주민번호는 9001011234567 입니다",
        "900101 1234567",
        "900101 - 2234568",
        "외국인등록번호 050505-5123456",
        "２０１０１０－３１２３４５６",
        "971013-1019901",  # a valid checksum
        "201231-4999999",  # no valid checksum, as issued since October 2020
    ],
)
def test_rrn_is_found_in_free_text(text: str) -> None:
    assert contains_rrn(text)


@pytest.mark.parametrize(
    "text",
    [
        "전화 010-1234-5678 로 연락 주세요",
        "사업자번호 124-81-00998",
        "901301-1234567",  # month 13
        "990230-1234567",  # 30 February
        "900101-9234567",  # born in the 1800s
        "900101-0234567",
        "주문번호 12345678901234",
        "900101-12345678",
        "피해액 3만원",
    ],
)
def test_rrn_ignores_numbers_that_are_not_one(text: str) -> None:
    assert not contains_rrn(text)


def test_rrn_mask_hides_each_number_and_keeps_the_rest() -> None:
    text = "본인 900101-1234567, 배우자 9202022234567, 전화 010-1234-5678"
    assert mask_rrn(text) == "본인 ******-*******, 배우자 ******-*******, 전화 010-1234-5678"


def test_error_codes_are_unique_dotted_and_known_to_parse_error() -> None:
    assert len(set(ERROR_CODES)) == len(ERROR_CODES)
    assert all(re.fullmatch(r"[a-z]+\.[a-z_]+", code) for code in ERROR_CODES)
    with pytest.raises(KeyError):
        ParseError("money.unheard_of")


def test_parse_error_is_a_value_error_carrying_code_and_params() -> None:
    error = ParseError("money.too_large", {"max": 10})
    assert isinstance(error, ValueError)
    assert (error.code, error.params, str(error)) == (
        "money.too_large",
        {"max": 10},
        "money.too_large",
    )
    assert ParseError("money.empty").params == {}


def test_parsing_imports_no_storage_channel_or_database_module() -> None:
    forbidden = {"telegram", "sqlalchemy", "sqlmodel", "storage", "bot"}
    for source in Path(flows.parsing.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert not {name.split(".")[0] for name in names} & forbidden, source.name


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("10건 정도요", 10),
        ("약 12건", 12),
        ("한 12건쯤", 12),
        ("한 건", 1),
        ("세 건이요", 3),
        ("20번 정도 됩니다", 20),
        ("about 7 orders", 7),
    ],
)
def test_number_accepts_hedges_and_polite_endings_around_a_count(text: str, count: int) -> None:
    assert parse_number(text) == count


@pytest.mark.parametrize("text", ["정도", "약", "about", "요"])
def test_number_refuses_a_hedge_without_a_number(text: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_number(text)
    assert caught.value.code == "number.invalid"

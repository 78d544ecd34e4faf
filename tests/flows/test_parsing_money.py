"""Amounts of won as claimants type them, and the codes for what cannot be an amount."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flows.parsing import MAX_KRW, KrwAmount, ParseError, parse_krw, read_krw


@pytest.mark.parametrize(
    ("text", "won"),
    [
        ("30000", 30_000),
        ("30,000", 30_000),
        ("30,000원", 30_000),
        ("30000 원", 30_000),
        ("  30000  ", 30_000),
        ("0원", 0),
        ("３００００원", 30_000),
    ],
)
def test_money_accepts_plain_digits_with_commas_and_won(text: str, won: int) -> None:
    assert parse_krw(text) == won


@pytest.mark.parametrize(
    ("text", "won"),
    [
        ("3만원", 30_000),
        ("3만 원", 30_000),
        ("3만 5천원", 35_000),
        ("3만5천", 35_000),
        ("1억 2천만원", 120_000_000),
        ("1억2000만원", 120_000_000),
        ("120만원", 1_200_000),
        ("3.5만원", 35_000),
        ("5천원", 5_000),
        ("만원", 10_000),
        ("천오백만원", 15_000_000),
    ],
)
def test_money_accepts_korean_units(text: str, won: int) -> None:
    assert parse_krw(text) == won


@pytest.mark.parametrize(
    ("text", "won"),
    [
        ("백만원", 1_000_000),
        ("삼만원", 30_000),
        ("오천원", 5_000),
        ("이천오백원", 2_500),
        ("일억이천삼백사십오만육천칠백팔십구원", 123_456_789),
    ],
)
def test_money_accepts_korean_numerals(text: str, won: int) -> None:
    assert parse_krw(text) == won


@pytest.mark.parametrize(
    ("text", "won"),
    [
        ("35,000₩", 35_000),
        ("₩12,000", 12_000),
        ("￦12,000", 12_000),
        ("\\12,000", 12_000),
        ("12000 won", 12_000),
        ("12,000 KRW", 12_000),
        ("KRW 12000", 12_000),
    ],
)
def test_money_accepts_won_sign_and_currency_code_either_side(text: str, won: int) -> None:
    assert parse_krw(text) == won


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "money.empty"),
        ("   ", "money.empty"),
        ("-5000", "money.negative"),
        ("-5,000원", "money.negative"),
        ("마이너스 3만원", "money.negative"),
        ("많이", "money.invalid"),
        ("abc", "money.invalid"),
        ("원", "money.invalid"),
        ("3,0000원", "money.invalid"),
        ("3 5원", "money.invalid"),
        ("5천 3천원", "money.invalid"),
        ("3만원 5천원", "money.invalid"),
        ("1000.5원", "money.fraction"),
        ("3.55555만원", "money.fraction"),
        ("10000000000001", "money.too_large"),
        ("9" * 5000, "money.too_large"),
    ],
)
def test_money_rejects_with_a_stable_code(text: str, code: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_krw(text)
    assert caught.value.code == code


def test_money_too_large_names_the_ceiling() -> None:
    with pytest.raises(ParseError) as caught:
        parse_krw("100조원")
    assert caught.value.params == {"max": MAX_KRW}


def test_money_accepts_the_ceiling_itself() -> None:
    assert parse_krw("10조원") == 10**13 == MAX_KRW


@given(st.integers(min_value=0, max_value=10**12))
def test_money_reads_back_any_amount_written_with_commas_and_won(won: int) -> None:
    assert parse_krw(f"{won:,}원") == won


@given(st.integers(min_value=0, max_value=10**12))
def test_money_reads_back_any_amount_written_as_plain_digits(won: int) -> None:
    assert parse_krw(str(won)) == won


@pytest.mark.parametrize(
    ("text", "won"),
    [
        ("약 50만원", 500_000),
        ("약50만원", 500_000),
        ("대략 3만 5천원", 35_000),
        ("한 50만원", 500_000),
        ("50만원 정도", 500_000),
        ("30000원가량", 30_000),
        ("5만원쯤", 50_000),
        ("10만원 내외", 100_000),
        ("20만원 남짓", 200_000),
        ("5만여 원", 50_000),
        ("50만원쯤이요", 500_000),
        ("50만원 정도 돼요", 500_000),
        ("대략 3만 5천원 정도입니다", 35_000),
        ("40만원인 것 같아요", 400_000),
        ("5만원 정도 되는 것 같아요", 50_000),
        ("5만원이었던 것 같아요", 50_000),
        ("5만원 좀 넘어요", 50_000),
        ("5만원 조금 안 돼요", 50_000),
        ("5만원 정도 될 거예요", 50_000),
        ("~5만원", 50_000),
        ("about 50,000 won", 50_000),
        ("roughly 30k", 30_000),
        ("around ₩30,000", 30_000),
        ("approximately 1.5 million won", 1_500_000),
        ("30k or so", 30_000),
    ],
)
def test_money_accepts_hedged_amounts_and_flags_them_as_estimates(text: str, won: int) -> None:
    assert read_krw(text) == KrwAmount(won, estimate=True)
    assert parse_krw(text) == won


@pytest.mark.parametrize(
    ("text", "won"),
    [
        ("10만원이요", 100_000),
        ("3만이요", 30_000),
        ("이만원이요", 20_000),
        ("5천원입니다", 5_000),
        ("삼만원이에요", 30_000),
        ("만원요", 10_000),
        ("1억이요", 100_000_000),
        ("12,000원이었어요", 12_000),
        ("30k", 30_000),
        ("2 thousand won", 2_000),
    ],
)
def test_money_accepts_polite_endings_without_calling_them_estimates(text: str, won: int) -> None:
    assert read_krw(text) == KrwAmount(won, estimate=False)


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("3~5만원", "30,000", "50,000"),
        ("3만~5만원", "30,000", "50,000"),
        ("3만에서 5만원 사이", "30,000", "50,000"),
        ("3만원부터 5만원까지", "30,000", "50,000"),
        ("3-5천만원", "30,000,000", "50,000,000"),
        ("30,000-50,000원", "30,000", "50,000"),
        ("30k-50k", "30,000", "50,000"),
        ("30-50k", "30,000", "50,000"),
        ("between 30k and 50k", "30,000", "50,000"),
        ("30000 to 50000 won", "30,000", "50,000"),
        ("5만~3만원", "30,000", "50,000"),
    ],
)
def test_money_range_is_not_one_amount_but_asks_which(text: str, low: str, high: str) -> None:
    with pytest.raises(ParseError) as caught:
        read_krw(text)
    assert caught.value.code == "money.range"
    assert caught.value.params == {"low": low, "high": high}


@pytest.mark.parametrize(
    "text", ["약", "정도", "about", "3만원 5천원 사이", "~", "30k-", "hello 30k"]
)
def test_money_hedges_alone_or_unknown_words_are_not_amounts(text: str) -> None:
    with pytest.raises(ParseError) as caught:
        read_krw(text)
    assert caught.value.code == "money.invalid"

"""Phone numbers, Korean and international, normalized to E.164."""

import pytest

from flows.parsing import ParseError, parse_phone


@pytest.mark.parametrize(
    ("text", "e164"),
    [
        ("010-1234-5678", "+821012345678"),
        ("01012345678", "+821012345678"),
        ("010 1234 5678", "+821012345678"),
        (" 010.1234.5678 ", "+821012345678"),
        ("０１０-１２３４-５６７８", "+821012345678"),
        ("+82 10-1234-5678", "+821012345678"),
        ("+82-10-1234-5678", "+821012345678"),
        ("+82 (0)10 1234 5678", "+821012345678"),
        ("02-123-4567", "+8221234567"),
        ("031-123-4567", "+82311234567"),
        ("1588-1234", "+8215881234"),
        ("+1 650 253 0000", "+16502530000"),
    ],
)
def test_phone_accepts_korean_and_international_forms(text: str, e164: str) -> None:
    assert parse_phone(text) == e164


def test_phone_reads_numbers_without_country_code_in_the_given_region() -> None:
    assert parse_phone("(650) 253-0000", region="US") == "+16502530000"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "phone.empty"),
        ("   ", "phone.empty"),
        ("010-123", "phone.invalid"),
        ("hello", "phone.invalid"),
        ("12345", "phone.invalid"),
        ("전화번호 없음", "phone.invalid"),
        ("+82 10-1234-56789", "phone.invalid"),
    ],
)
def test_phone_rejects_with_a_stable_code(text: str, code: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_phone(text)
    assert caught.value.code == code

"""The declared retention periods and the consent text must agree, in every language."""

from __future__ import annotations

import datetime as dt

import pytest

from flows import DEFINITIONS, FlowError, load_flows, parse_flow
from flows.retention import Span, span, stated_periods

KAKAO = (DEFINITIONS / "kakao_outage_2022.yaml").read_text(encoding="utf-8")


def line_of(source: str, needle: str) -> int:
    for number, line in enumerate(source.splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def problems(source: str) -> list[str]:
    with pytest.raises(FlowError) as caught:
        parse_flow(source, "kakao.yaml")
    return [str(p) for p in caught.value.problems]


def test_both_shipped_flows_declare_retention_matching_their_consent() -> None:
    for loaded in load_flows().values():
        assert loaded.flow.retention is not None
        assert span(loaded.flow.retention.after_closing) == Span(12, 0)
        assert span(loaded.flow.retention.abandoned_interviews) == Span(0, 30)


def test_periods_compare_across_units_and_add_to_dates() -> None:
    assert span("P1Y") == span("P12M") and span("P2W") == span("P14D")
    filed = dt.datetime(2024, 2, 29, 12, tzinfo=dt.UTC)
    assert span("P1Y").after(filed) == dt.datetime(2025, 2, 28, 12, tzinfo=dt.UTC)
    assert span("P30D").before(filed) == dt.datetime(2024, 1, 30, 12, tzinfo=dt.UTC)


def test_stated_periods_are_read_only_from_the_retention_line() -> None:
    text = "2022년 10월 15일 장애\n■ 보유·이용 기간: 끝난 날부터 1년간 보관"
    assert stated_periods(text, "ko") == [("1년", Span(12, 0))]
    assert stated_periods("Retention: kept for two years", "en") == [("two years", Span(24, 0))]
    assert stated_periods("anything", "fr") is None


def test_an_english_consent_stating_another_period_fails_at_load_with_its_line() -> None:
    source = KAKAO.replace("kept for 1 year after", "kept for 2 years after", 1)
    (found,) = problems(source)
    assert found.startswith(f"kakao.yaml:{line_of(source, '      en: |-')}:")
    assert "states '2 years'" in found and "after_closing declares P1Y" in found


def test_a_consent_stating_an_undeclared_second_period_fails() -> None:
    source = KAKAO.replace("kept for 1 year after", "kept for 1 year (or 5 years) after", 1)
    (found,) = problems(source)
    assert "states '5 years', which is neither retention.after_closing (P1Y)" in found


def test_a_korean_consent_disagreeing_with_the_declaration_fails_at_load() -> None:
    source = KAKAO.replace("after_closing: P1Y", "after_closing: P2Y", 1).replace(
        "kept for 1 year", "kept for 2 years", 1
    )
    (found,) = problems(source)
    assert f"kakao.yaml:{line_of(source, '      ko: |-')}:" in found
    assert "consent text (ko) states '1년'" in found and "P2Y" in found


def test_a_consent_without_any_period_fails_when_retention_is_declared() -> None:
    source = KAKAO.replace("1년간 보관한 뒤", "보관한 뒤", 1)
    (found,) = problems(source)
    assert "(ko) states no period" in found


def test_a_longest_keeping_shorter_than_after_closing_is_refused() -> None:
    source = KAKAO.replace("longest_after_filing: P3Y", "longest_after_filing: P6M", 1)
    (found,) = problems(source)
    assert f"kakao.yaml:{line_of(source, 'longest_after_filing')}:" in found
    assert "shorter than after_closing" in found


def test_a_period_that_is_not_iso_8601_is_refused_with_its_line() -> None:
    source = KAKAO.replace("abandoned_interviews: P30D", "abandoned_interviews: 30 days", 1)
    (found,) = problems(source)
    assert f"kakao.yaml:{line_of(source, 'abandoned_interviews: 30')}:" in found

"""Dates and moments in Korean and English, read against a fixed reference day."""

import dataclasses
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from flows.parsing import ParsedMoment, ParseError, parse_date, parse_datetime

SEOUL = ZoneInfo("Asia/Seoul")
REFERENCE_DAY = date(2022, 10, 20)  # five days after the Pangyo data-center fire
REFERENCE = datetime(2022, 10, 20, 9, 0, tzinfo=SEOUL)
FIRE_DAY = date(2022, 10, 15)


def at(hour: int, minute: int = 0, day: date = FIRE_DAY) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SEOUL)


@pytest.mark.parametrize(
    "text",
    [
        "2022-10-15",
        "2022.10.15",
        "2022/10/15",
        "2022. 10. 15.",
        "22-10-15",
        "2022년 10월 15일",
        "10월 15일",
        "10월15일",
        "10월 15일(토)",
        "10/15",
        "10.15",
        "15 Oct 2022",
        "Oct 15, 2022",
        "October 15",
        "Saturday, 15 October 2022",
        "the 15th of October",
    ],
)
def test_date_accepts_korean_numeric_and_english_forms(text: str) -> None:
    assert parse_date(text, reference=REFERENCE_DAY) == FIRE_DAY


@pytest.mark.parametrize(
    ("text", "days_before"),
    [("오늘", 0), ("today", 0), ("어제", 1), ("yesterday", 1), ("그제", 2), ("그저께", 2)],
)
def test_date_counts_relative_words_from_the_reference(text: str, days_before: int) -> None:
    assert parse_date(text, reference=REFERENCE_DAY) == REFERENCE_DAY - timedelta(days_before)


def test_date_takes_the_reference_year_when_none_is_given() -> None:
    assert parse_date("3월 1일", reference=date(2023, 6, 1)) == date(2023, 3, 1)


def test_date_drops_the_time_of_day() -> None:
    assert parse_date("10월 15일 오후 3시 30분", reference=REFERENCE_DAY) == FIRE_DAY


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "date.empty"),
        ("  ", "date.empty"),
        ("asdf", "date.invalid"),
        ("카카오 먹통", "date.invalid"),
        ("2022-13-45", "date.invalid"),
        ("2월 30일", "date.invalid"),
        ("Oct 2022", "date.invalid"),
        ("15", "date.invalid"),
        ("10/15/2022", "date.invalid"),
        ("오늘 10월 15일", "date.invalid"),
        ("오후 3시", "date.missing"),
    ],
)
def test_date_rejects_with_a_stable_code(text: str, code: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_date(text, reference=REFERENCE_DAY)
    assert caught.value.code == code


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10월 15일 오후 3시", at(15)),
        ("10월 15일 오후 3시 30분", at(15, 30)),
        ("10월15일오후3시30분", at(15, 30)),
        ("2022년 10월 15일 15시 30분", at(15, 30)),
        ("10월 15일 15:30", at(15, 30)),
        ("10월 15일 15시반", at(15, 30)),
        ("10월 15일 오후 3시쯤", at(15)),
        ("2022-10-15 오후 3:30", at(15, 30)),
        ("10월 15일 새벽 3시", at(3)),
        ("10월 15일 아침 8시", at(8)),
        ("10월 15일 오전 12시 30분", at(0, 30)),
        ("10월 15일 오후 12시", at(12)),
        ("10월 15일 정오", at(12)),
        ("10월 15일 자정", at(0)),
        ("오늘 오후 2시", at(14, day=REFERENCE_DAY)),
        ("어제 저녁 8시", at(20, day=date(2022, 10, 19))),
    ],
)
def test_datetime_accepts_korean_times_of_day(text: str, expected: datetime) -> None:
    assert parse_datetime(text, reference=REFERENCE) == ParsedMoment(expected, has_time=True)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10월 15일 밤 10시", at(22)),
        ("10월 15일 밤 12시", at(0, day=date(2022, 10, 16))),
        ("10월 15일 밤 2시", at(2, day=date(2022, 10, 16))),
    ],
)
def test_datetime_reads_night_hours_as_the_night_after_that_day(
    text: str, expected: datetime
) -> None:
    assert parse_datetime(text, reference=REFERENCE).value == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2022-10-15 15:30", at(15, 30)),
        ("2022-10-15T15:30", at(15, 30)),
        ("2022-10-15T15:30:00+09:00", at(15, 30)),
        ("2022-10-15T06:30:00Z", at(15, 30)),
        ("2022-10-14T23:30:00-07:00", at(15, 30)),
        ("15 Oct 2022 3pm", at(15)),
        ("Oct 15 2022 3:30 PM", at(15, 30)),
        ("Oct 15 at 3 p.m.", at(15)),
        ("10/15 3:30 am", at(3, 30)),
        ("noon today", at(12, day=REFERENCE_DAY)),
    ],
)
def test_datetime_accepts_iso_and_english_forms(text: str, expected: datetime) -> None:
    assert parse_datetime(text, reference=REFERENCE) == ParsedMoment(expected, has_time=True)


def test_datetime_without_a_time_is_midnight_and_says_so() -> None:
    moment = parse_datetime("10월 15일", reference=REFERENCE)
    assert moment == ParsedMoment(at(0), has_time=False)
    assert moment.value.tzinfo == SEOUL


def test_datetime_places_the_moment_in_the_requested_time_zone() -> None:
    moment = parse_datetime("2022-10-15T15:30:00+09:00", reference=REFERENCE, tz="UTC")
    assert moment.value == datetime(2022, 10, 15, 6, 30, tzinfo=UTC)
    assert moment.value.utcoffset() == timedelta(0)


def test_datetime_takes_today_from_the_reference_in_the_time_zone() -> None:
    late_utc_evening = datetime(2022, 10, 19, 20, 0, tzinfo=UTC)  # 10-20 05:00 in Seoul
    moment = parse_datetime("오늘", reference=late_utc_evening)
    assert moment.value.date() == date(2022, 10, 20)


def test_parsed_moment_is_frozen() -> None:
    moment = parse_datetime("오늘", reference=REFERENCE)
    with pytest.raises(dataclasses.FrozenInstanceError):
        moment.has_time = True  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "date.empty"),
        ("오후 13시", "time.invalid"),
        ("10월 15일 오후 13시", "time.invalid"),
        ("25:00", "time.invalid"),
        ("10월 15일 25:00", "time.invalid"),
        ("10월 15일 15:61", "time.invalid"),
        ("2022-10-15T25:00", "time.invalid"),
        ("10월 15일 30분", "time.invalid"),
        ("2022-13-15T10:00", "date.invalid"),
        ("10월 15일 3시 4시", "date.invalid"),
        ("오후 3시", "date.missing"),
        ("15:30", "date.missing"),
    ],
)
def test_datetime_rejects_with_a_stable_code(text: str, code: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_datetime(text, reference=REFERENCE)
    assert caught.value.code == code

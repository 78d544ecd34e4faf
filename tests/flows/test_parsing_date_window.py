"""Dates that leave out the month, the year or the day, completed from the question's window."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from flows import Text, load_flows
from flows.answers import Accepted, Rejected, read_answer
from flows.parsing import DateWindow, ParsedMoment, ParseError, parse_date, parse_datetime

SEOUL = ZoneInfo("Asia/Seoul")
OUTAGE = DateWindow(datetime(2022, 10, 15, 15, 0), datetime(2022, 10, 21, 0, 0))
REFERENCE = datetime(2022, 10, 15, 15, 0, tzinfo=SEOUL)
FIRE = {"화재": datetime(2022, 10, 15, 15, 19), "fire": datetime(2022, 10, 15, 15, 19)}


def at(day: int, hour: int = 0, minute: int = 0, month: int = 10) -> datetime:
    return datetime(2022, month, day, hour, minute, tzinfo=SEOUL)


def read(text: str, window: DateWindow = OUTAGE) -> ParsedMoment:
    return parse_datetime(text, reference=REFERENCE, window=window, anchors=FIRE)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("16일 새벽 2시", at(16, 2)),
        ("15일 오후 4시", at(15, 16)),
        ("20일 밤 10시", at(20, 22)),
        ("17일 14:30", at(17, 14, 30)),
        ("the 18th at 3pm", at(18, 15)),
    ],
)
def test_a_day_without_its_month_takes_the_one_month_of_the_window(
    text: str, expected: datetime
) -> None:
    assert read(text) == ParsedMoment(expected, has_time=True)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("16일 새벽 2시쯤이요", at(16, 2)),
        ("15일 오후 4시입니다", at(15, 16)),
        ("16일 새벽 2시 무렵이요", at(16, 2)),
        ("16일 새벽 두시", at(16, 2)),
        ("16일 오후 세시 반", at(16, 15, 30)),
        ("10월 16일 오후 네 시요", at(16, 16)),
    ],
)
def test_polite_endings_and_spoken_hours_are_read(text: str, expected: datetime) -> None:
    assert read(text) == ParsedMoment(expected, has_time=True)


@pytest.mark.parametrize(
    ("text", "day"), [("토요일 저녁이었어요", 15), ("화재 다음날 아침이에요", 16), ("16일이요", 16)]
)
def test_polite_endings_after_a_day_are_read(text: str, day: int) -> None:
    assert read(text).value == at(day)


def test_a_day_without_its_month_asks_again_when_two_months_fit() -> None:
    two_months = DateWindow(datetime(2022, 10, 1), datetime(2022, 11, 30))
    with pytest.raises(ParseError) as caught:
        read("16일 새벽 2시", two_months)
    assert caught.value.code == "date.ambiguous"
    assert caught.value.params == {"choices": "2022-10-16, 2022-11-16"}


def test_a_date_without_its_year_asks_again_when_the_window_spans_two_years() -> None:
    two_years = DateWindow(datetime(2021, 10, 1), datetime(2022, 12, 31))
    with pytest.raises(ParseError) as caught:
        read("10월 16일", two_years)
    assert caught.value.params == {"choices": "2021-10-16, 2022-10-16"}
    assert read("3월 2일", two_years).value == at(2, month=3)


def test_without_a_window_a_missing_month_is_still_refused() -> None:
    with pytest.raises(ParseError) as caught:
        parse_datetime("16일 새벽 2시", reference=REFERENCE)
    assert caught.value.code == "date.invalid"


def test_a_weekday_names_the_one_such_day_in_the_window() -> None:
    evening = read("토요일 저녁")
    assert evening.value == at(15) and not evening.has_time
    assert evening.span() == (at(15, 17), at(15, 21, 59).replace(second=59, microsecond=999999))
    assert read("일요일 오후 3시") == ParsedMoment(at(16, 15), has_time=True)
    assert read("saturday evening").value == at(15)
    assert read("16일(일)").value == at(16)


def test_a_weekday_asks_again_when_the_window_holds_two() -> None:
    october = DateWindow(datetime(2022, 10, 1), datetime(2022, 10, 31))
    with pytest.raises(ParseError) as caught:
        read("토요일 저녁", october)
    assert caught.value.code == "date.ambiguous"
    assert caught.value.params["choices"].startswith("2022-10-01, 2022-10-08")


def test_a_weekday_that_contradicts_the_day_is_refused() -> None:
    with pytest.raises(ParseError) as caught:
        read("16일(월)")
    assert caught.value.code == "date.invalid"


@pytest.mark.parametrize(
    ("text", "day", "hour"),
    [
        ("화재 다음날 아침", 16, None),
        ("화재 다음 날 오전 10시", 16, 10),
        ("화재가 난 다음날 새벽 2시", 16, 2),
        ("화재 당일 저녁 8시", 15, 20),
        ("화재 이틀 후", 17, None),
        ("화재 3일 뒤 오후 2시", 18, 14),
        ("the day after the fire", 16, None),
        ("the morning after the fire", 16, None),
        ("two days after the fire, 3pm", 17, 15),
        ("the evening of the fire", 15, None),
    ],
)
def test_a_day_counted_from_the_flows_anchor_event(text: str, day: int, hour: int | None) -> None:
    moment = read(text)
    assert moment.value == (at(day) if hour is None else at(day, hour))
    assert moment.has_time is (hour is not None)


def test_a_day_counted_from_an_unnamed_event_is_refused() -> None:
    with pytest.raises(ParseError) as caught:
        parse_datetime("다음날 아침", reference=REFERENCE, window=OUTAGE)
    assert caught.value.code == "date.no_anchor"


def test_date_steps_infer_from_their_window_too() -> None:
    day = parse_date(
        "16일", reference=date(2022, 10, 15), earliest=date(2022, 10, 15), latest=date(2022, 10, 20)
    )
    assert day == date(2022, 10, 16)


def shipped_started_at():  # the Kakao flow's datetime question, with its window and anchor
    flow = load_flows()["kakao-outage-2022"].flow
    return flow.steps["started_at"]


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("16일 새벽 2시", "2022-10-16T02:00+09:00"),
        ("15일 오후 4시", "2022-10-15T16:00+09:00"),
        ("토요일 저녁", "2022-10-15"),
        ("화재 다음날 아침", "2022-10-16"),
        ("the day after the fire", "2022-10-16"),
        ("불난 다음날 새벽 두시쯤이요", "2022-10-16T02:00+09:00"),
    ],
)
def test_the_kakao_question_takes_dates_as_people_say_them(text: str, stored: str) -> None:
    assert read_answer(shipped_started_at(), Text(text), []) == Accepted(stored)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("토요일 아침", "date.too_early"),
        ("15일 오전 4시", "date.too_early"),
        ("금요일 저녁", "date.too_late"),
    ],
)
def test_the_kakao_question_still_refuses_times_outside_the_outage(text: str, code: str) -> None:
    reading = read_answer(shipped_started_at(), Text(text), [])
    assert isinstance(reading, Rejected) and reading.code == code


def test_today_and_yesterday_are_the_claimants_days_not_the_windows() -> None:
    """A live intake's window is open at its end: '오늘 오후 3시' is today, not its first day."""
    from datetime import timedelta

    from flows.kinds.date import DateStep
    from flows.kinds.datetime import DateTimeStep

    today = datetime.now(SEOUL).date()
    if datetime.now(SEOUL) + timedelta(seconds=5) > datetime.combine(
        today + timedelta(days=1), datetime.min.time(), SEOUL
    ):  # about to be midnight in Seoul: let the day turn, so 'today' stays one day
        import time

        time.sleep(6)
        today = datetime.now(SEOUL).date()
    opened = today - timedelta(days=5)
    live = DateTimeStep.model_validate(
        {
            "kind": "datetime",
            "field": "at",
            "text": {"ko": "언제?"},
            "earliest": datetime(opened.year, opened.month, opened.day),
        }
    )
    reading = read_answer(live, Text("오늘 오후 3시"), [], timezone="Asia/Seoul")
    assert reading == Accepted(f"{today.isoformat()}T15:00+09:00")
    day = DateStep.model_validate(
        {"kind": "date", "field": "d", "text": {"en": "When?"}, "earliest": opened.isoformat()}
    )
    yesterday = (today - timedelta(days=1)).isoformat()
    assert read_answer(day, Text("yesterday"), [], timezone="Asia/Seoul") == Accepted(yesterday)
    # A closed window in the past: 'yesterday' is after it, and the claimant is told so.
    past = shipped_started_at()
    refused = read_answer(past, Text("어제 저녁"), [])
    assert isinstance(refused, Rejected) and refused.code == "date.too_late"

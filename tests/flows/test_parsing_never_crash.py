"""Whatever is typed, the hedge-, range- and window-aware parsers answer or raise ParseError."""

from datetime import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from flows.parsing import DateWindow, ParseError, parse_datetime, read_krw

SEOUL_OUTAGE = DateWindow(datetime(2022, 10, 15, 15), datetime(2022, 11, 21))
FIRE = {"화재": datetime(2022, 10, 15, 15, 19), "fire": datetime(2022, 10, 15, 15, 19)}
PIECES = st.sampled_from(
    [
        "3", "16", "2022", "10", "만", "천", "억", "원", "약", "정도", "이요", "요", "~", "-", "에서", "두",
        "사이", "k", "about", "to", "일", "월", "시", "오후", "저녁", "토요일", "(일)", "화재",
        "다음날", "이틀", "후", "전", "the", "day", "after", "fire", "sat", ":", "/", ".", " ",
    ]
)  # fmt: skip
TYPED = st.lists(PIECES, max_size=8).map("".join) | st.text(max_size=30)


@settings(max_examples=400, deadline=None)
@given(TYPED)
def test_money_reads_or_refuses_anything(text: str) -> None:
    try:
        amount = read_krw(text)
    except ParseError:
        return
    assert amount.won >= 0


@settings(max_examples=400, deadline=None)
@given(TYPED)
def test_dates_read_or_refuse_anything(text: str) -> None:
    reference = datetime(2022, 10, 15, 15)
    try:
        moment = parse_datetime(text, reference=reference, window=SEOUL_OUTAGE, anchors=FIRE)
    except ParseError:
        return
    first, last = moment.span()
    assert first <= last

"""What the interview makes of hedged amounts and ranges at a money step."""

from flows import Text, message
from flows.answers import Accepted, Rejected, read_answer
from flows.schema import MoneyStep

STEP = MoneyStep(kind="money", field="lost", text={"ko": "얼마?", "en": "How much?"}, max=10**6)


def test_a_hedged_amount_is_accepted_with_its_estimate_flag() -> None:
    assert read_answer(STEP, Text("약 50만원이요"), []) == Accepted(500_000, estimate=True)
    assert read_answer(STEP, Text("50만원이요"), []) == Accepted(500_000, estimate=False)


def test_a_hedged_amount_still_meets_the_steps_bounds() -> None:
    assert read_answer(STEP, Text("약 200만원"), []) == Rejected(
        "money.above_max", {"max": "1,000,000"}
    )


def test_a_range_asks_for_one_amount_naming_both_ends() -> None:
    reading = read_answer(STEP, Text("3~5만원"), [])
    assert reading == Rejected("money.range", {"low": "30,000", "high": "50,000"})
    assert isinstance(reading, Rejected)
    ko = message(reading.code, "ko", **reading.params)
    en = message(reading.code, "en", **reading.params)
    assert "30,000원에서 50,000원 사이" in ko and "약 30,000원" in ko
    assert "between 30,000 and 50,000 won" in en

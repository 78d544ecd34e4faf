"""Property: random walks through every shipped flow always end, and never raise."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flows import (
    Back,
    Cancel,
    Choose,
    Done,
    Edit,
    Interview,
    Outcome,
    Prompt,
    Skip,
    Submit,
    Summary,
    Text,
    Toggle,
    Upload,
    UserInput,
    load_flows,
)

INTERVIEWS = {fid: Interview(loaded) for fid, loaded in load_flows().items()}
HANGUL = re.compile(r"[가-힣]")

GARBAGE = st.one_of(
    st.sampled_from(
        ["", "???", "asdf", "-5", "10월 45일", "오후 13시", "12345", "🙂", "x" * 5000, "0x1F"]
    ),
    st.sampled_from(  # edges of the calendar and of integers, where parsers overflow
        [
            "9999년 12월 31일 밤 12시",
            "9999-12-31T23:59-01:00",
            "0001-01-01T00:00+09:00",
            "99999999999999999999년 1월 1일",
            "9" * 60,
            "1e309",
            "-0",
        ]
    ),
    st.text(max_size=40),
    st.from_regex(r"[0-9년월일시분오전후 :.\-/,원만천억]{1,20}", fullmatch=True),
)


def valid_input(interview: Interview, prompt: Prompt, draw: st.DrawFn) -> UserInput:
    """An input the step accepts."""
    step = interview.flow.steps[prompt.step]
    kind = prompt.kind
    if kind == "choice":
        return Choose(draw(st.sampled_from([o.value for o in prompt.options])))
    if kind == "multi_choice":
        values = [o.value for o in prompt.options]
        most = prompt.max_selected or len(values)
        least = max(prompt.min_selected, 1)
        chosen = draw(st.lists(st.sampled_from(values), min_size=least, max_size=most, unique=True))
        return Text(",".join(str(values.index(v) + 1) for v in chosen))
    if kind == "text":
        return Text("가" * max(step.min_length, 12))
    if kind == "number":
        low = int(step.min) if step.min is not None else 0
        high = int(step.max) if step.max is not None else low + 1000
        return Text(str(draw(st.integers(low, high))))
    if kind == "money":
        high = step.max if step.max is not None else 10**9
        amount = draw(st.integers(step.min, high))
        return Text(draw(st.sampled_from([f"{amount:,}원", f"KRW {amount}", str(amount)])))
    if kind in {"date", "datetime"}:
        return Text(_moment_inside(step, draw))
    if kind == "phone":
        return Text(draw(st.sampled_from(["010-1234-5678", "+82 10 9876 5432", "02-123-4567"])))
    if kind == "email":
        return Text("claimant@example.com")
    if kind == "business_number":
        return Text(draw(st.sampled_from(["124-81-00998", "1208147521"])))
    if kind == "file":
        if prompt.uploads == 0 or (draw(st.booleans()) and prompt.uploads < prompt.max_files):
            return Upload(f"file-{prompt.turn}", "photo", size=1234)
        return Done()
    if kind == "info":
        return Done()
    if kind == "confirm":
        return Submit()
    raise AssertionError(f"unexpected kind {kind}")


def _moment_inside(step: object, draw: st.DrawFn) -> str:
    earliest = getattr(step, "earliest", None)
    latest = getattr(step, "latest", None)
    if isinstance(earliest, dt.datetime) and isinstance(latest, dt.datetime):
        span = int((latest - earliest).total_seconds() // 60)
        moment = earliest + dt.timedelta(minutes=draw(st.integers(0, span)))
        return moment.strftime("%Y-%m-%d %H:%M")
    if isinstance(earliest, dt.date) and isinstance(latest, dt.date):
        return (
            earliest + dt.timedelta(days=draw(st.integers(0, (latest - earliest).days)))
        ).isoformat()
    return "2022-10-16"


def any_input(interview: Interview, prompt: Prompt, draw: st.DrawFn) -> UserInput:
    """Valid, invalid or navigational: whatever a claimant might do."""
    pick = draw(st.integers(0, 9))
    if pick <= 4:
        return valid_input(interview, prompt, draw)
    if pick <= 6:
        return Text(draw(GARBAGE))
    if pick == 7:
        return draw(st.sampled_from([Back(), Skip(), Done(), Submit(), Toggle("nope")]))
    if pick == 8 and isinstance(prompt, Summary) and prompt.summary:
        return Edit(draw(st.sampled_from([line.field for line in prompt.summary])))
    return Choose("not-an-option")


def check_error_language(outcome: Outcome) -> None:
    assert outcome.error, "a refused input must say why"
    if outcome.state.language == "ko":
        assert HANGUL.search(outcome.error), outcome.error
    else:
        assert not HANGUL.search(outcome.error), outcome.error


@pytest.mark.parametrize("flow_id", sorted(INTERVIEWS))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), language=st.sampled_from(["ko", "en"]))
def test_random_walks_end_at_an_end_step(flow_id: str, data: st.DataObject, language: str) -> None:
    interview = INTERVIEWS[flow_id]
    outcome = interview.start(language)
    wander = data.draw(st.integers(0, 40), label="random steps before going straight")
    for n in range(400):
        if outcome.state.status != "active":
            break
        if data.draw(st.integers(0, 300), label="cancel?") == 0:
            outcome = interview.answer(outcome.state, Cancel())
            outcome = interview.answer(outcome.state, Choose("yes"))
            break
        chooser = any_input if n < wander else valid_input
        given_input = chooser(interview, outcome.prompt, data.draw)
        before = outcome.state.to_json()
        outcome = interview.answer(outcome.state, given_input)
        if outcome.result == "retry":
            check_error_language(outcome)
            assert outcome.state.answers == type(outcome.state).from_json(before).answers
    assert outcome.state.status in {"finished", "cancelled"}, outcome.state.step
    assert outcome.prompt.is_end
    if outcome.state.status == "finished":
        assert interview.flow.steps[outcome.state.step].kind == "end"

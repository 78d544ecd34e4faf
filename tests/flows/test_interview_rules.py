"""The interview rules every channel gets from the engine: turns, quick taps, typed words,
cancel with a confirmation, and the language switch."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows import Back, Button, Cancel, Choose, Interview, SwitchLanguage, Text, Toggle, load_flow
from flows.messages import MESSAGES
from flows.opening import without_conversation
from flows.turns import QUICK_TAPS
from flows.typed import navigation, words

MINI = Path(__file__).parent / "data" / "mini.yaml"
DEFAULT = Path(__file__).parents[2] / "flows" / "definitions" / "kakao_outage_2022.yaml"


@pytest.fixture(scope="module")
def mini() -> Interview:
    return Interview(load_flow(MINI))


def at_services(mini: Interview):
    return mini.answer(mini.start("ko").state, Choose("agree"))


def test_a_press_of_the_current_turn_applies(mini: Interview) -> None:
    start = mini.start("ko")
    outcome = mini.answer(start.state, Button("choose", start.prompt.turn, index=0))
    assert outcome.result == "next" and outcome.state.answers == {"consent": "agree"}


def test_a_stale_press_changes_nothing(mini: Interview) -> None:
    start = mini.start("ko")
    now = at_services(mini)
    press = Button("choose", start.prompt.turn, index=1)  # "refuse" on the consent question
    outcome = mini.answer(now.state, press)
    assert outcome.result == "stale" and not outcome.changed
    assert outcome.state == now.state and outcome.prompt.step == "services"


def test_a_press_from_the_future_or_out_of_range_is_stale(mini: Interview) -> None:
    now = at_services(mini)
    ahead = mini.answer(now.state, Button("toggle", now.prompt.turn + 1, index=0, step="services"))
    assert ahead.result == "stale"
    beyond = mini.answer(now.state, Button("toggle", now.prompt.turn, index=9, step="services"))
    assert beyond.result == "stale"


def test_a_quick_double_tap_on_a_redrawn_question_still_counts(mini: Interview) -> None:
    now = at_services(mini)
    drawn = now.prompt.turn  # both taps come from the message drawn for this turn
    first = mini.answer(now.state, Button("toggle", drawn, index=0, step="services"))
    second = mini.answer(first.state, Button("toggle", drawn, index=1, step="services"))
    assert second.result == "updated" and second.state.pending == ["talk", "pay"]
    done = mini.answer(second.state, Button("done", drawn, step="services"))
    assert done.result == "next" and done.state.answers["services"] == ["talk", "pay"]


def test_a_quick_tap_is_not_lenient_for_other_buttons_or_far_turns(mini: Interview) -> None:
    now = at_services(mini)
    drawn = now.prompt.turn
    toggled = mini.answer(now.state, Toggle("talk"))
    back = mini.answer(toggled.state, Button("back", drawn))
    assert back.result == "stale", "only toggles and Done are redrawn in place"
    state = toggled.state.model_copy(update={"turn": drawn + QUICK_TAPS + 1})
    far = mini.answer(state, Button("toggle", drawn, index=1, step="services"))
    assert far.result == "stale"
    other_step = mini.answer(toggled.state, Button("toggle", drawn, index=1, step="harm"))
    assert other_step.result == "stale"


def test_cancel_asks_and_no_goes_back_to_the_same_question(mini: Interview) -> None:
    now = mini.answer(at_services(mini).state, Toggle("talk"))
    asked = mini.answer(now.state, Cancel())
    assert asked.state.status == "active" and asked.state.cancelling
    assert asked.prompt.widget == "confirm"
    assert [o.value for o in asked.prompt.options] == ["yes", "no"]
    assert asked.prompt.text == MESSAGES["cancel.ask"]["ko"]
    kept = mini.answer(asked.state, Choose("no"))
    assert kept.result == "next" and not kept.state.cancelling
    assert kept.prompt.step == "services" and kept.state.pending == ["talk"]
    assert kept.state.answers == {"consent": "agree"}


@pytest.mark.parametrize(
    "confirm", [Choose("yes"), Text("네"), Text("yes"), Text("1"), Text("네, 그만둡니다")]
)
def test_cancel_confirmed_forgets_every_answer(mini: Interview, confirm: object) -> None:
    asked = mini.answer(at_services(mini).state, Cancel())
    stopped = mini.answer(asked.state, confirm)  # type: ignore[arg-type]
    assert stopped.result == "cancelled" and stopped.state.status == "cancelled"
    assert stopped.state.answers == {} and stopped.prompt.is_end


def test_cancel_by_button_asks_then_the_yes_button_stops(mini: Interview) -> None:
    now = at_services(mini)
    asked = mini.answer(now.state, Button("cancel", now.prompt.turn))
    assert asked.state.cancelling
    stopped = mini.answer(asked.state, Button("choose", asked.prompt.turn, index=0))
    assert stopped.state.status == "cancelled"


@pytest.mark.parametrize("answer", [Text("아니요"), Text("no"), Text("2"), Back()])
def test_no_in_any_form_keeps_the_interview(mini: Interview, answer: object) -> None:
    asked = mini.answer(at_services(mini).state, Cancel())
    kept = mini.answer(asked.state, answer)  # type: ignore[arg-type]
    assert kept.state.status == "active" and not kept.state.cancelling
    assert kept.prompt.step == "services"


def test_anything_else_at_the_cancel_question_asks_again(mini: Interview) -> None:
    asked = mini.answer(at_services(mini).state, Cancel())
    again = mini.answer(asked.state, Text("톡"))
    assert again.result == "retry" and again.state.cancelling
    assert again.error == MESSAGES["cancel.expected"]["ko"]
    assert again.state.pending == [], "the text was not taken as an answer"


@pytest.mark.parametrize("language", ["ko", "en"])
@pytest.mark.parametrize("word", ["back", "skip", "cancel", "done"])
def test_typed_navigation_words_come_from_the_catalogue(language: str, word: str) -> None:
    label = MESSAGES[f"nav.{word}"][language]
    assert navigation(label) is not None, label
    for spelling in MESSAGES[f"typed.{word}"][language].split("|"):
        assert type(navigation(spelling)).__name__.casefold() == word, spelling
        assert spelling.casefold() in words(word)


def test_typed_words_work_the_same_in_the_engine(mini: Interview) -> None:
    now = mini.answer(at_services(mini).state, Toggle("talk"))
    done = mini.answer(now.state, Text("완료"))
    assert done.state.answers["services"] == ["talk"]
    back = mini.answer(done.state, Text("◀ Back"))
    assert back.prompt.step == "services"
    asked = mini.answer(back.state, Text("그만하기"))
    assert asked.state.cancelling


def test_typed_edit_number_on_the_summary(mini: Interview) -> None:
    state = mini.start("en").state
    for given in [
        Choose("agree"),
        Toggle("talk"),
        Text("done"),
        Choose("time"),
        Text("2022-10-16 10:00"),
        Text("skip"),
    ]:
        state = mini.answer(state, given).state
    assert state.step == "confirm"
    edit = mini.answer(state, Text("edit 2"))
    assert edit.prompt.step == "harm" and edit.state.editing
    wrong = mini.answer(state, Text("edit 9"))
    assert wrong.result == "retry"


def test_switching_language_at_the_language_question_answers_it() -> None:
    interview = Interview(load_flow(DEFAULT))
    start = interview.start("ko")
    assert start.prompt.step == "language"
    outcome = interview.answer(start.state, SwitchLanguage("en"))
    assert outcome.result == "next" and outcome.state.language == "en"
    assert outcome.state.answers["language"] == "en" and outcome.prompt.step == "consent"
    later = interview.answer(outcome.state, SwitchLanguage("ko"))
    assert later.result == "updated" and later.prompt.step == "consent"
    assert later.state.language == "ko" and later.state.answers["language"] == "ko"


def test_what_an_input_means_with_nothing_open() -> None:
    assert without_conversation(Cancel()) == "nothing_to_cancel"
    assert without_conversation(Button("choose", 3, index=0)) == "stale"
    assert without_conversation(Text("hello")) == "start"
    assert without_conversation(SwitchLanguage("en")) == "start"

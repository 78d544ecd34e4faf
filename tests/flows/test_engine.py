"""The engine: answers, navigation (back, skip, edit, cancel), ways on, state round trips."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from flows import (
    Back,
    Cancel,
    Choose,
    Conversation,
    Done,
    Edit,
    Interview,
    Outcome,
    Skip,
    Submit,
    Text,
    Toggle,
    Upload,
    load_flow,
)
from flows.messages import MESSAGES, instruction, message
from flows.parsing import ERROR_CODES

MINI = Path(__file__).parent / "data" / "mini.yaml"


@pytest.fixture(scope="module")
def mini() -> Interview:
    return Interview(load_flow(MINI))


def walk(interview: Interview, *inputs: object, language: str = "ko") -> Outcome:
    outcome = interview.start(language)
    for given in inputs:
        outcome = interview.answer(outcome.state, given)  # type: ignore[arg-type]
    return outcome


TO_CONFIRM = (
    Choose("agree"),
    Toggle("talk"),
    Toggle("pay"),
    Done(),
    Choose("money"),
    Text("3만 5천원"),
    Text("10월 15일 오후 3시"),
    Text("010-1234-5678"),
)


def test_a_full_interview_files_normalized_answers(mini: Interview) -> None:
    outcome = walk(mini, *TO_CONFIRM, Submit())
    assert outcome.result == "finished"
    state = outcome.state
    assert state.status == "finished" and state.submit
    assert state.answers == {
        "consent": "agree",
        "services": ["talk", "pay"],
        "harm": "money",
        "amount": 35000,
        "when": "2022-10-15T15:00+09:00",
        "phone": "+821012345678",
    }
    assert outcome.prompt.is_end and outcome.prompt.submits


def test_refusing_consent_ends_without_a_case(mini: Interview) -> None:
    outcome = walk(mini, Choose("refuse"))
    assert outcome.result == "finished"
    assert not outcome.state.submit
    assert outcome.prompt.text == "접수하지 않았습니다"


def test_choice_accepts_number_label_or_value_typed(mini: Interview) -> None:
    for typed in ("1", "동의", "agree", "Agree"):
        assert walk(mini, Text(typed)).state.answers["consent"] == "agree"


def test_multi_choice_toggles_are_kept_until_done(mini: Interview) -> None:
    outcome = walk(mini, Choose("agree"), Toggle("pay"), Toggle("talk"), Toggle("pay"))
    assert outcome.result == "updated"
    assert [o.value for o in outcome.prompt.options if o.selected] == ["talk"]
    outcome = mini.answer(outcome.state, Done())
    assert outcome.state.answers["services"] == ["talk"]


def test_multi_choice_done_with_nothing_is_refused(mini: Interview) -> None:
    outcome = walk(mini, Choose("agree"), Done())
    assert outcome.result == "retry"
    assert outcome.error == "1개 이상 골라 주세요."


def test_ask_if_asks_only_when_its_condition_holds(mini: Interview) -> None:
    asked = walk(mini, Choose("agree"), Text("1, 3"))
    assert asked.state.step == "service_other"
    passed = walk(mini, Choose("agree"), Text("1"))
    assert passed.state.step == "harm"
    no_amount = walk(mini, Choose("agree"), Text("1"), Choose("time"))
    assert no_amount.state.step == "when"


def test_invalid_money_gets_a_localized_message_and_the_same_question(mini: Interview) -> None:
    before = walk(mini, Choose("agree"), Text("1"), Choose("money"))
    ko = mini.answer(before.state, Text("많이"))
    assert ko.result == "retry" and ko.state.step == "amount"
    assert ko.error is not None and "금액" in ko.error
    english = walk(mini, Choose("agree"), Text("1"), Choose("money"), language="en")
    en = mini.answer(english.state, Text("a lot"))
    assert en.error is not None and en.error.startswith("We could not read that amount")


def test_date_outside_the_window_is_refused(mini: Interview) -> None:
    before = walk(mini, Choose("agree"), Text("1"), Choose("time"))
    outcome = mini.answer(before.state, Text("2022-11-01 10:00"))
    assert outcome.result == "retry"
    assert outcome.error == "2022-10-21 00:00 이전이어야 합니다."
    day_only = mini.answer(before.state, Text("2022-10-20"))
    assert day_only.result == "next"
    assert day_only.state.answers["when"] == "2022-10-20"


def test_back_returns_to_the_previous_question_and_drops_the_left_answer(
    mini: Interview,
) -> None:
    outcome = walk(mini, Choose("agree"), Text("1"), Choose("money"), Back())
    assert outcome.state.step == "harm"
    assert "harm" in outcome.state.answers  # the question we returned to keeps its answer
    outcome = mini.answer(outcome.state, Back())
    assert outcome.state.step == "services"
    assert "harm" not in outcome.state.answers
    assert [o.value for o in outcome.prompt.options if o.selected] == ["talk"]


def test_back_at_the_first_question_is_a_gentle_retry(mini: Interview) -> None:
    outcome = mini.answer(mini.start("en").state, Back())
    assert outcome.result == "retry"
    assert outcome.error == "There is no earlier question."


def test_skip_only_for_optional_questions(mini: Interview) -> None:
    at_phone = walk(mini, *TO_CONFIRM[:-1])
    assert at_phone.prompt.can_skip
    skipped = mini.answer(at_phone.state, Skip())
    assert skipped.state.step == "confirm" and "phone" not in skipped.state.answers
    at_harm = walk(mini, Choose("agree"), Text("1"))
    assert not at_harm.prompt.can_skip
    refused = mini.answer(at_harm.state, Skip())
    assert refused.result == "retry" and refused.state.step == "harm"


def test_summary_lists_answers_and_edit_returns_to_it(mini: Interview) -> None:
    at_confirm = walk(mini, *TO_CONFIRM)
    summary = {line.field: line.value for line in at_confirm.prompt.summary}
    assert summary == {
        "services": "톡, 페이",
        "harm": "금전",
        "amount": "35,000원",
        "when": "2022-10-15 15:00",
        "phone": "010-1234-5678",
    }
    editing = mini.answer(at_confirm.state, Edit("amount"))
    assert editing.state.step == "amount"
    back_at_confirm = mini.answer(editing.state, Text("5만원"))
    assert back_at_confirm.state.step == "confirm"
    assert back_at_confirm.state.answers["amount"] == 50000
    assert back_at_confirm.echo == "50,000원"


def test_edit_that_changes_a_branch_asks_the_new_branch(mini: Interview) -> None:
    at_confirm = walk(mini, *TO_CONFIRM)
    outcome = mini.answer(at_confirm.state, Edit("services"))
    outcome = mini.answer(outcome.state, Toggle("other"))
    outcome = mini.answer(outcome.state, Done())
    assert outcome.state.step == "service_other"  # newly relevant: asked
    outcome = mini.answer(outcome.state, Text("멜론"))
    assert outcome.state.step == "confirm"  # the rest was answered already


def test_edit_that_leaves_a_branch_drops_its_answers(mini: Interview) -> None:
    at_confirm = walk(mini, *TO_CONFIRM)
    outcome = mini.answer(at_confirm.state, Edit("harm"))
    outcome = mini.answer(outcome.state, Choose("time"))
    assert outcome.state.step == "confirm"
    assert "amount" not in outcome.state.answers
    assert "amount" not in {line.field for line in outcome.prompt.summary}


def test_cancel_ends_the_interview_without_a_case(mini: Interview) -> None:
    outcome = walk(mini, Choose("agree"), Cancel(), Choose("yes"))
    assert outcome.result == "cancelled"
    assert outcome.state.status == "cancelled" and not outcome.state.submit
    assert outcome.prompt.is_end and "제출되지 않았습니다" in outcome.prompt.text
    again = mini.answer(outcome.state, Text("hello"))
    assert again.result == "ignored" and not again.changed


def test_three_failures_at_a_required_step_offer_a_note(mini: Interview) -> None:
    outcome = walk(mini, Choose("agree"), Text("1"), Choose("money"))
    for _ in range(3):
        outcome = mini.answer(outcome.state, Text("모르겠어요"))
    assert outcome.prompt.way_on == "note"
    assert outcome.error is not None and "담당자" in outcome.error
    outcome = mini.answer(outcome.state, Text("영수증을 잃어버려서 정확히 모릅니다"))
    assert outcome.result == "next" and outcome.state.step == "when"
    assert outcome.state.notes == {"amount": "영수증을 잃어버려서 정확히 모릅니다"}
    assert "amount" not in outcome.state.answers


def test_three_failures_at_an_optional_step_offer_skip(mini: Interview) -> None:
    outcome = walk(mini, *TO_CONFIRM[:-1])
    for _ in range(3):
        outcome = mini.answer(outcome.state, Text("전화 없음"))
    assert outcome.prompt.way_on == "skip" and outcome.prompt.can_skip
    assert outcome.error is not None and "건너뛰" in outcome.error


def test_free_text_with_a_resident_registration_number_is_refused(mini: Interview) -> None:
    outcome = walk(mini, Choose("agree"), Text("1, 3"))
    refused = mini.answer(outcome.state, Text("제 주민번호는 900101-1234568 입니다"))
    assert refused.result == "retry"
    assert refused.error is not None and "주민등록번호" in refused.error
    assert "service_other" not in refused.state.answers


def test_uploads_collect_until_done() -> None:
    interview = Interview(load_flow(Path("flows/definitions/kakao_outage_2022.yaml")))
    flow = interview.flow
    state = interview.start("en").state
    state.step = next(sid for sid, s in flow.steps.items() if s.kind == "file")
    one = interview.answer(state, Upload("AgAD1", "photo", size=1000))
    two = interview.answer(one.state, Upload("BQAD2", "document", size=2000, name="r.pdf"))
    assert two.result == "updated" and two.prompt.uploads == 2
    done = interview.answer(two.state, Done())
    field = flow.steps[state.step].field
    assert [f["file_id"] for f in done.state.answers[field]] == ["AgAD1", "BQAD2"]


def test_state_round_trips_through_json(mini: Interview) -> None:
    state = walk(mini, *TO_CONFIRM[:4]).state
    restored = Conversation.from_json(state.to_json())
    assert restored == state
    assert mini.answer(restored, Choose("money")).state.step == "amount"


def test_answering_never_mutates_the_given_state(mini: Interview) -> None:
    state = walk(mini, Choose("agree")).state
    frozen = state.to_json()
    mini.answer(state, Toggle("talk"))
    mini.answer(state, Text("1"))
    assert state.to_json() == frozen


def test_language_step_switches_the_conversation_language() -> None:
    interview = Interview(load_flow(Path("flows/definitions/kakao_outage_2022.yaml")))
    start = interview.start("ko")
    language_step = interview.flow.steps[start.state.step]
    assert getattr(language_step, "sets_language", False)
    outcome = interview.answer(start.state, Choose("en"))
    assert outcome.state.language == "en"
    assert outcome.prompt.language == "en"
    assert outcome.prompt.text == interview.flow.steps[outcome.state.step].text["en"]


@pytest.mark.parametrize(
    "typed",
    ["9999년 12월 31일 밤 12시", "0001-01-01T00:00+09:00", "99999999999999999999년 1월 1일"],
)
def test_calendar_overflow_is_a_friendly_retry_not_a_crash(mini: Interview, typed: str) -> None:
    before = walk(mini, Choose("agree"), Text("1"), Choose("time"))
    outcome = mini.answer(before.state, Text(typed))
    assert outcome.result == "retry"
    assert outcome.error is not None and "날짜" in outcome.error


def test_a_required_question_never_offers_skip_even_when_stuck(mini: Interview) -> None:
    outcome = walk(mini, Choose("agree"), Text("1"), Choose("money"))
    for _ in range(3):
        outcome = mini.answer(outcome.state, Text("모르겠어요"))
    assert not outcome.prompt.can_skip and outcome.prompt.way_on == "note"
    skipped = mini.answer(outcome.state, Skip())
    assert skipped.result == "retry" and skipped.state.step == "amount"


def test_every_parser_error_code_has_a_sentence_in_both_languages() -> None:
    for code in ERROR_CODES:
        assert code in MESSAGES, code
        assert {"ko", "en"} <= set(MESSAGES[code]), code


def test_consent_can_never_be_skipped_or_noted_around(mini: Interview) -> None:
    outcome = mini.start("ko")
    for _ in range(4):
        outcome = mini.answer(outcome.state, Text("글쎄요"))
    assert outcome.prompt.way_on is None and not outcome.prompt.can_skip
    skipped = mini.answer(outcome.state, Skip())
    noted = mini.answer(outcome.state, Text("잘 모르겠어요"))
    assert skipped.state.step == noted.state.step == "consent"
    assert noted.state.notes == {}


def test_back_from_an_edit_returns_to_the_summary_keeping_the_answer(mini: Interview) -> None:
    at_confirm = walk(mini, *TO_CONFIRM)
    editing = mini.answer(at_confirm.state, Edit("amount"))
    back = mini.answer(editing.state, Back())
    assert back.state.step == "confirm"
    assert back.state.answers["amount"] == 35000
    assert mini.answer(back.state, Submit()).state.answers["amount"] == 35000


def test_submit_with_a_required_answer_missing_asks_it_first(mini: Interview) -> None:
    at_confirm = walk(mini, *TO_CONFIRM)
    broken = at_confirm.state.model_copy(deep=True)
    del broken.answers["amount"]
    outcome = mini.answer(broken, Submit())
    assert outcome.result == "next" and outcome.state.step == "amount"
    assert mini.answer(outcome.state, Text("1000원")).state.step == "confirm"


def test_cancel_and_a_refusal_keep_no_answers(mini: Interview) -> None:
    cancelled = walk(mini, Choose("agree"), Text("1"), Cancel(), Text("네"))
    assert cancelled.state.answers == {} and cancelled.state.history == []
    refused = walk(mini, Choose("refuse"))
    assert refused.state.answers == {}


def test_typed_multi_choice_accepts_labels_with_spaces() -> None:
    interview = Interview(load_flow(Path("flows/definitions/kakao_outage_2022.yaml")))
    state = interview.start("ko").state
    state.step = "services"
    label = interview.flow.steps["services"].options[1].label["ko"]
    outcome = interview.answer(state, Text(label))
    assert outcome.state.answers["services"] == [interview.flow.steps["services"].options[1].value]


def test_switching_language_mid_interview_keeps_the_answers(mini: Interview) -> None:
    from flows import SwitchLanguage

    outcome = walk(mini, Choose("agree"), Toggle("talk"))
    switched = mini.answer(outcome.state, SwitchLanguage("en"))
    assert switched.result == "updated" and switched.state.step == "services"
    assert switched.prompt.text == "Which services?"
    assert switched.state.pending == ["talk"] and switched.state.answers["consent"] == "agree"
    refused = mini.answer(switched.state, SwitchLanguage("fr"))
    assert refused.result == "retry" and refused.state.language == "en"


def test_the_router_reads_what_firing_the_machine_gives(mini: Interview) -> None:
    """One router for moving on and for the summary's path: it is the Machine's answer."""
    answer_sets = [{}, walk(mini, *TO_CONFIRM).state.answers, {"consent": "refuse"}]
    fired = 0
    for answers in answer_sets:
        for field in [None, "harm", "services"]:
            context = {"answers": answers, "field": field}
            for trigger in ("answer", "skip", "submit", "edit"):
                for sid in mini.flow.steps:
                    scratch = SimpleNamespace(state=sid)
                    mini.router.machine.events[trigger].trigger(scratch, context)
                    routed = mini.router.route(trigger, sid, context)
                    assert (routed or sid) == scratch.state, (trigger, sid)
                    fired += routed is not None
    assert fired > 50


def test_skip_and_edit_are_transitions_of_the_machine(mini: Interview) -> None:
    assert mini.router.can("skip", "phone") and not mini.router.can("skip", "amount")
    assert mini.router.route("edit", "confirm", {"answers": {}, "field": "harm"}) == "harm"
    assert mini.router.route("edit", "confirm", {"answers": {}, "field": "nope"}) is None
    assert mini.router.route("submit", "confirm", {"answers": {}}) == "done"


def test_instructions_are_worded_for_a_channel_with_or_without_buttons() -> None:
    kakao = Interview(load_flow(Path("flows/definitions/kakao_outage_2022.yaml")))
    for buttons, ko, en in (
        (True, "눌러 주세요", "press 'Skip'"),
        (False, "적어 주세요", "type 'skip'"),
    ):
        for language, said in (("ko", ko), ("en", en)):
            state = kakao.start(language, buttons=buttons).state
            state.step = "evidence"  # optional, its help names the skip
            prompt = kakao.prompt(state)
            assert prompt.help and said in prompt.help and "{skip}" not in prompt.help
    assert instruction("confirm.expected", "ko", buttons=False).endswith("적어 주세요.")
    assert "눌러" in instruction("confirm.expected", "ko", buttons=True)
    assert instruction("required", "en", buttons=False) == message("required", "en")


def test_a_stored_conversation_from_before_the_flag_draws_buttons() -> None:
    old = Conversation.from_json('{"flow_id":"f","flow_version":"1","language":"ko","step":"a"}')
    assert old.buttons and "buttons" not in old.to_json()


def test_a_hedged_amount_is_kept_as_an_estimate_until_answered_exactly(mini: Interview) -> None:
    hedged = walk(mini, *TO_CONFIRM[:5], Text("약 3만 5천원이요"))
    assert hedged.state.answers["amount"] == 35_000 and hedged.state.estimates == ["amount"]
    assert hedged.echo == "35,000원 (어림값)"
    confirm = walk(mini, *TO_CONFIRM[:5], Text("약 3만 5천원이요"), *TO_CONFIRM[6:])
    lines = {line.field: line.value for line in confirm.prompt.summary}  # type: ignore[attr-defined]
    assert lines["amount"] == "35,000원 (어림값)"
    exact = walk(mini, *TO_CONFIRM[:5], Text("약 3만원"), Back(), Text("35000"))
    assert exact.state.answers["amount"] == 35_000 and exact.state.estimates == []


def test_a_flow_text_read_outside_a_question_words_its_placeholders_too() -> None:
    """/privacy shows the consent text by itself: its ``{skip}`` is worded like a question's."""
    from flows import load_flows
    from flows.render import flow_text

    flow = load_flows()["kakao-outage-2022"].flow
    texts = {"ko": "필요 없으면 {skip}.", "en": "If you do not need it, {skip}."}
    assert flow_text(texts, "en", flow) == "If you do not need it, press 'Skip'."
    assert flow_text(texts, "ko", flow, buttons=False) == "필요 없으면 '건너뛰기'라고 적어 주세요."

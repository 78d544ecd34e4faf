"""Load checks between a flow and the parsers: examples pass, anchor words are new, mobile only."""

import pytest

from flows import FlowError, Text, load_flows, parse_flow
from flows.answer_checks import examples_in
from flows.answers import Accepted, Rejected, read_answer
from flows.messages import MESSAGES

FLOW = """\
id: checks
title: {ko: 점검, en: Checks}
languages: [ko, en]
default_language: ko
start: amount
steps:
  amount:
    kind: money
    field: amount
    text: {ko: 얼마?, en: How much?}
    help: {ko: "예: 3만원, 약 5만원이요", en: "For example: 30,000 won, about 50k"}
    next: when
  when:
    kind: datetime
    field: when
    earliest: '2022-10-15T15:00:00'
    latest: '2022-10-21T00:00:00'
    text: {ko: 언제?, en: When?}
    help: {ko: "예: 16일 새벽 2시, 화재 다음날 아침", en: "e.g. the day after the fire"}
    anchors:
      - at: '2022-10-15T15:19:00'
        words: [화재, fire]
    next: brn
  brn:
    kind: business_number
    field: brn
    text: {ko: 사업자등록번호?, en: Business number?}
    next: phone
  phone:
    kind: phone
    field: phone
    mobile: true
    text: {ko: 휴대전화?, en: Mobile?}
    next: done
  done:
    kind: end
    submit: true
    text: {ko: 끝, en: Done}
"""


def problems(source: str) -> list[str]:
    with pytest.raises(FlowError) as caught:
        parse_flow(source, "checks.yaml")
    return [str(problem) for problem in caught.value.problems]


def test_a_flow_whose_examples_all_parse_loads() -> None:
    assert parse_flow(FLOW, "checks.yaml").flow.id == "checks"


def test_examples_are_read_after_the_usual_markers() -> None:
    assert examples_in("예: 3만원, 3만 5천원") == ["3만원", "3만 5천원"]
    assert examples_in("For example: 010-1234-5678 or +82 10 1234 5678") == [
        "010-1234-5678",
        "+82 10 1234 5678",
    ]
    assert examples_in("That is not one, like 123-45-67891.") == ["123-45-67891"]
    assert examples_in("no examples here") == []


def test_a_help_example_its_own_question_refuses_fails_the_load_with_its_line() -> None:
    broken = FLOW.replace("예: 3만원, 약 5만원이요", "예: 3만원, 많이")
    assert problems(broken) == [
        "checks.yaml:11:12: steps.amount.help.ko: the example '많이' is refused by this very "
        "question (money.invalid): give an example it accepts (step 'amount')\n"
        '        help: {ko: "예: 3만원, 많이", en: "For example: 30,000 won, about 50k"}\n'
        "               ^"
    ]


def test_a_help_example_outside_the_window_fails_the_load() -> None:
    broken = FLOW.replace("예: 16일 새벽 2시", "예: 토요일 아침")
    (problem,) = problems(broken)
    assert problem.startswith("checks.yaml:19:12: steps.when.help.ko: the example '토요일 아침'")
    assert "(date.too_early)" in problem


def test_an_engine_example_that_fails_its_parser_fails_the_load_at_the_step(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    wrong = {
        "ko": "사업자등록번호 형식이 아닙니다. 예: 123-45-67890",
        "en": "Not one, like 123-45-67890.",
    }
    monkeypatch.setitem(MESSAGES, "brn.invalid", wrong)
    found = problems(FLOW)
    assert len(found) == 2
    assert found[0].startswith(
        "checks.yaml:25:5: steps.brn.kind: complaintbot's example '123-45-67890' for this kind "
        "of question (message 'brn.invalid', ko) fails its own parser (brn.checksum)"
    )


def test_every_example_the_shipped_flows_show_passes_their_parsers() -> None:
    assert set(load_flows()) == {"kakao-outage-2022", "generic-outage"}  # loading ran the check
    assert "123-45-67890" not in str(MESSAGES)


@pytest.mark.parametrize("word", ["오늘", "당일", "sat", "12시"])
def test_an_anchor_word_that_dates_already_use_fails_the_load(word: str) -> None:
    (problem,) = problems(FLOW.replace("words: [화재, fire]", f"words: [화재, fire, {word}]"))
    assert problem.startswith(
        f"checks.yaml:22:27: steps.when.anchors.0.words.2: anchor word '{word}'"
    )


def test_an_anchor_needs_a_word() -> None:
    (problem,) = problems(FLOW.replace("words: [화재, fire]", "words: []"))
    assert "steps.when.anchors.0.words" in problem


def mobile_step():
    return parse_flow(FLOW, "checks.yaml").flow.steps["phone"]


def test_a_mobile_question_refuses_a_landline_with_its_own_message() -> None:
    assert read_answer(mobile_step(), Text("02-312-3456"), []) == Rejected("phone.not_mobile")
    assert read_answer(mobile_step(), Text("010-1234-5678"), []) == Accepted("+821012345678")
    assert "휴대전화번호" in MESSAGES["phone.not_mobile"]["ko"]


def test_the_shipped_contact_question_wants_a_mobile_number() -> None:
    step = load_flows()["kakao-outage-2022"].flow.steps["contact_phone"]
    assert read_answer(step, Text("02-312-3456"), []) == Rejected("phone.not_mobile")


def test_a_phone_question_of_another_region_is_not_failed_for_the_engines_korean_examples() -> None:
    us_phone = FLOW.replace("    mobile: true\n", "    region: US\n")
    step = parse_flow(us_phone, "checks.yaml").flow.steps["phone"]
    assert read_answer(step, Text("(201) 555-0123"), []) == Accepted("+12015550123")

"""Choices typed in words: labels, numbers and the flow's aliases, forgivingly, in both shipped
flows; never an internal value; consent only by an explicit word; an ambiguous word asks which."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows import Interview, Outcome, Text, load_flow
from flows.errors import FlowError
from flows.option_words import match_option
from flows.steps import Option

DEFINITIONS = Path(__file__).parents[2] / "flows" / "definitions"


@pytest.fixture(scope="module")
def kakao() -> Interview:
    return Interview(load_flow(DEFINITIONS / "kakao_outage_2022.yaml"))


@pytest.fixture(scope="module")
def template() -> Interview:
    return Interview(load_flow(DEFINITIONS / "template_outage.yaml"))


def typed(interview: Interview, *lines: str) -> Outcome:
    outcome = interview.start()
    for line in lines:
        outcome = interview.answer(outcome.state, Text(line))
    return outcome


@pytest.mark.parametrize("said", ["동의", "동의합니다", "동의해요", "네", "예.", "동의 합니다!"])
def test_consent_is_given_in_ordinary_korean_words(kakao: Interview, said: str) -> None:
    outcome = typed(kakao, "한국어", said)
    assert outcome.state.answers["consent"] == "agree"
    assert outcome.state.step == "services"


@pytest.mark.parametrize("said", ["동의 안 함", "동의하지 않아요", "아니요", "거부합니다"])
def test_refusing_consent_in_words_is_a_refusal(kakao: Interview, said: str) -> None:
    outcome = typed(kakao, "한국어", said)
    assert outcome.state.step == "refused" and outcome.state.status == "finished"


@pytest.mark.parametrize("said", ["11", "1.5", "0", "동", "동의안", "ㄷ", "3"])
def test_a_typo_never_counts_as_consent(kakao: Interview, said: str) -> None:
    outcome = typed(kakao, "한국어", said)
    assert outcome.result == "retry" and "consent" not in outcome.state.answers


@pytest.mark.parametrize(
    ("said", "value"),
    [
        ("유료", "paid"),
        ("유료요", "paid"),
        ("무료입니다", "free"),
        ("둘 다", "both"),
        ("2번", "free"),
    ],
)
def test_paid_or_free_typed_as_words(kakao: Interview, said: str, value: str) -> None:
    outcome = typed(kakao, "한국어", "동의", "카카오톡", said)
    assert outcome.state.answers["paid"] == value


@pytest.mark.parametrize(
    ("said", "value"),
    [
        ("소상공인", "small_business"),
        ("소상공인입니다", "small_business"),
        ("택시 기사요", "driver"),
    ],
)
def test_claimant_typed_as_words(kakao: Interview, said: str, value: str) -> None:
    outcome = typed(kakao, "한국어", "동의", "카카오톡", "무료", said)
    assert outcome.state.answers["claimant"] == value


def test_several_services_typed_by_name(kakao: Interview) -> None:
    assert typed(kakao, "한국어", "동의", "카톡, 멜론").state.answers["services"] == [
        "kakaotalk",
        "melon",
    ]
    assert typed(kakao, "한국어", "동의", "카카오톡 카카오페이").state.answers["services"] == [
        "kakaotalk",
        "kakaopay",
    ]


def test_english_words_and_labels(kakao: Interview) -> None:
    outcome = typed(kakao, "English", "i agree", "KakaoTalk", "I used them for free", "driver")
    assert outcome.state.answers == {
        "language": "en",
        "consent": "agree",
        "services": ["kakaotalk"],
        "paid": "free",
        "claimant": "driver",
    }


def test_internal_values_are_no_interface(kakao: Interview) -> None:
    # `daum_mail` and `income_lost` are identifiers, no one's words: refused
    at_services = typed(kakao, "한국어", "동의", "daum_mail")
    assert at_services.result == "retry" and "services" not in at_services.state.answers
    at_harms = typed(kakao, "한국어", "동의", "카톡", "무료", "개인", "income_lost")
    assert at_harms.result == "retry" and "harms" not in at_harms.state.answers
    # a value that spells a label is taken as that label's words (`free` is "free")
    assert typed(kakao, "English", "agree", "Melon", "free").state.answers["paid"] == "free"


def test_an_ambiguous_word_asks_which(kakao: Interview) -> None:
    outcome = typed(kakao, "한국어", "동의", "카카오")
    assert outcome.result == "retry"
    assert outcome.error is not None and "여럿" in outcome.error and "1, 2, 3" in outcome.error


def test_the_template_flow_takes_words_too(template: Interview) -> None:
    outcome = typed(template, "동의합니다", "드라이브, 메일", "유료")
    assert outcome.state.answers["products"] == ["drive", "mail"]
    assert outcome.state.answers["plan"] == "personal_paid"


def test_matching_ignores_case_spacing_and_punctuation() -> None:
    options = [
        Option(value="a", label={"ko": "카카오 T (택시)", "en": "Kakao T"}),
        Option(value="b", label={"ko": "멜론", "en": "Melon"}, aliases={"en": ["music"]}),
    ]
    assert match_option(options, "kakao t!").found == options[0]
    assert match_option(options, "  MUSIC. ").found == options[1]
    assert match_option(options, "멜론이요").found == options[1]
    assert match_option(options, "b").found is None


def test_a_word_naming_two_options_fails_at_load(tmp_path: Path) -> None:
    text = (DEFINITIONS / "template_outage.yaml").read_text(encoding="utf-8")
    broken = text.replace('ko: ["백업"]', 'ko: ["메일"]', 1)
    assert broken != text
    path = tmp_path / "broken.yaml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(FlowError, match="names both"):
        load_flow(path)


def test_a_wrong_answer_at_consent_repeats_the_question_not_the_notice(kakao: Interview) -> None:
    wrong = typed(kakao, "한국어", "글쎄")
    assert wrong.result == "retry" and wrong.error
    assert "개인정보 수집·이용에 동의하십니까" in wrong.prompt.text
    assert "■ 수집 항목" not in wrong.prompt.text and wrong.prompt.help is None
    again = kakao.answer(wrong.state, Text("다시 보기"))
    assert "■ 수집 항목" in again.prompt.text and "consent" not in again.state.answers
    assert kakao.answer(again.state, Text("동의")).state.answers["consent"] == "agree"
    english = typed(kakao, "English", "hmm", "show again")
    assert "■ Items collected" in english.prompt.text


def test_a_sentence_that_starts_like_one_label_names_it() -> None:
    from flows.option_words import match_option
    from flows.steps import Option

    paid = Option(value="paid", label={"ko": "유료로 이용했습니다"})
    free = Option(value="free", label={"ko": "무료로 이용했습니다"})
    assert match_option([paid, free], "무료로 썼어요").found is free
    assert match_option([paid, free], "유료 아니에요").found is None  # too little: not a guess
    agree = Option(value="agree", label={"ko": "동의합니다"})
    refuse = Option(value="refuse", label={"ko": "동의하지 않습니다"})
    assert match_option([agree, refuse], "동의 못 해요").found is None  # a tie: asks which


@pytest.mark.parametrize(
    "said", ["유료로 안 썼어요", "유료로는 못 했어요", "I paid nothing", "I paid no money"]
)
def test_a_sentence_that_turns_its_label_around_names_nothing(said: str) -> None:
    paid = Option(value="paid", label={"ko": "유료로 이용했습니다", "en": "I paid"})
    free = Option(value="free", label={"ko": "무료로 이용했습니다", "en": "It was free"})
    assert match_option([paid, free], said).found is None  # asked again, not filed as paid


def test_a_language_said_against_names_nothing() -> None:
    korean = Option(value="ko", label={"ko": "한국어", "en": "Korean"})
    english = Option(value="en", label={"ko": "영어", "en": "English"})
    assert match_option([korean, english], "한국어 말고 영어로요").found is None
    assert match_option([korean, english], "한국어로 할게요").found is korean


def test_an_option_labelled_none_is_chosen_by_typing_it() -> None:
    from flows import parse_flow

    loaded = parse_flow(
        """\
id: nonepick
title: {ko: 없음, en: None}
languages: [ko, en]
default_language: ko
start: which
steps:
  which:
    kind: choice
    field: which
    required: false
    text: {ko: 어느 것?, en: Which?}
    options:
      - {value: a, label: {ko: 카카오톡, en: KakaoTalk}}
      - {value: nothing, label: {ko: 없음, en: None}}
    next: confirm
  confirm:
    kind: confirm
    text: {ko: 확인, en: Check}
    next: filed
  filed:
    kind: end
    submit: true
    text: {ko: 접수, en: Filed}
""",
        "nonepick.yaml",
    )
    interview = Interview(loaded)
    start = interview.start("ko")
    assert interview.answer(start.state, Text("없음")).state.answers == {"which": "nothing"}
    skipped = interview.answer(start.state, Text("모르겠어요"))  # not an option: a skip
    assert skipped.state.answers == {} and skipped.state.step == "confirm"

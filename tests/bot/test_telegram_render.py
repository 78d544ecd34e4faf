"""Prompts as Telegram messages: Telegram's size limits and the button payloads."""

from __future__ import annotations

import pytest

from bot.telegram.callbacks import MAX_BYTES, BadPayload, Press, decode
from bot.telegram.render import MAX_TEXT, answered, keyboard, render_prompt, split_text
from flows import (
    ChooseMany,
    Conversation,
    End,
    Info,
    Prompt,
    PromptOption,
    Summary,
    SummaryLine,
    load_flows,
)
from flows.render import render_prompt as engine_prompt

pytestmark = pytest.mark.telegram


def payloads(prompt: Prompt) -> list[str]:
    markup = keyboard(prompt)
    rows = markup.inline_keyboard if markup else ()
    return [str(button.callback_data) for row in rows for button in row]


@pytest.mark.parametrize("flow_id", sorted(load_flows()))
def test_every_button_of_every_shipped_step_fits_64_bytes_and_decodes(flow_id: str) -> None:
    loaded = load_flows()[flow_id]
    flow = loaded.flow
    for step in flow.steps:
        state = Conversation(
            flow_id=flow.id,
            flow_version=loaded.version,
            language=flow.default_language,
            step=step,
            history=[flow.start],
            turn=2_000_000_000,
        )
        prompt = engine_prompt(flow, state, 3)
        for data in payloads(prompt):
            assert len(data.encode()) <= MAX_BYTES, (step, data)
            assert decode(data).turn == 2_000_000_000


def test_the_longest_step_ids_and_many_options_still_fit() -> None:
    prompt = ChooseMany(
        step="s" * 40,
        kind="multi_choice",
        text="?",
        language="ko",
        turn=10**12,
        field="f" * 40,
        options=tuple(PromptOption(f"v{n}", f"옵션 {n}" * 20) for n in range(99)),
        can_back=True,
        can_skip=True,
    )
    data = payloads(prompt)
    assert all(len(d.encode()) <= MAX_BYTES for d in data)
    assert decode(data[98]) == Press("toggle", 10**12, 98, step="s" * 40)
    oversized = Press("toggle", 10**20, 98, step="s" * 40).encode()
    assert decode(oversized) == Press("toggle", 10**20, 98), "the step is dropped to fit"
    assert len(keyboard(prompt).inline_keyboard[0][0].text) <= 60  # type: ignore[union-attr]


def test_payloads_round_trip_and_foreign_ones_are_refused() -> None:
    for press in (
        Press("choose", 3, 1),
        Press("toggle", 4, 0, step="services"),
        Press("done", 5, step="evidence"),
        Press("edit", 9, 12),
        Press("submit", 10),
        Press("language", arg="en"),
        Press("erase", arg="yes"),
        Press("resume"),
    ):
        assert decode(press.encode()) == press
    for junk in ("", "?|1", "c|x|1", "c|1", "c|1|-2", None):
        with pytest.raises(BadPayload):
            decode(junk)


def test_summary_gets_an_edit_button_per_answer_and_submit() -> None:
    prompt = Summary(
        step="confirm",
        kind="confirm",
        text="확인해 주세요",
        language="ko",
        turn=7,
        summary=(
            SummaryLine("paid", "유료 이용 여부", "유료"),
            SummaryLine("harms", "피해 유형", "기타"),
        ),
        can_back=True,
    )
    rendered = render_prompt(prompt)
    assert "• 유료 이용 여부: 유료" in rendered.text
    labels = [b.text for row in rendered.keyboard.inline_keyboard for b in row]  # type: ignore[union-attr]
    assert labels == ["✏️ 수정: 유료 이용 여부", "✏️ 수정: 피해 유형", "제출", "◀ 이전", "그만하기"]


def test_long_texts_split_at_line_breaks_under_4096() -> None:
    paragraph = "가나다라마바사 " * 60 + "\n"
    text = paragraph * 30
    chunks = split_text(text)
    assert len(chunks) > 1 and all(len(c) <= MAX_TEXT for c in chunks)
    assert "".join(chunks).replace("\n", "").replace(" ", "") == text.replace("\n", "").replace(
        " ", ""
    )
    assert all(not c.startswith(("\n", " ")) for c in chunks)
    unbroken = "가" * 9000
    assert [len(c) for c in split_text(unbroken)] == [4096, 4096, 808]


def test_an_answered_question_stays_within_4096() -> None:
    assert answered("질문", "답") == "질문\n\n→ 답"
    assert answered("질문", None) == "질문"
    assert answered("⚠️ 숫자를 입력해 주세요.\n\n질문", "3") == "질문\n\n→ 3", "the old error goes"
    long = answered("질" * 4090, "답" * 100)
    assert len(long) <= MAX_TEXT and long.endswith("답")


def test_info_gets_continue_and_an_end_gets_no_buttons() -> None:
    info = Info(step="note", kind="info", text="안내", language="en", turn=4, can_back=True)
    labels = [b.text for row in keyboard(info).inline_keyboard for b in row]  # type: ignore[union-attr]
    assert labels == ["Continue", "◀ Back", "Cancel"]
    assert decode(keyboard(info).inline_keyboard[0][0].callback_data) == Press("continue", 4)  # type: ignore[union-attr, arg-type]
    end = End(step="done", kind="end", text="끝", language="ko", turn=9)
    rendered = render_prompt(end, reference="KKO-221016-000001")
    assert rendered.keyboard is None and rendered.text == "끝\n\n접수번호: KKO-221016-000001"

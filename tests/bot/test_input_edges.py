"""Text that is not proper Unicode is refused at every channel's edge; odd digits in 'edit N'."""

from __future__ import annotations

import io
import json
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from telegram import Update

from bot.input_text import is_readable, readable
from bot.intake import IntakeService
from bot.telegram import CHANNEL
from bot.telegram.gate import forged_strings
from bot.terminal import CHANNEL as TERMINAL
from bot.terminal import run_chat
from tests.bot.conftest import RunningBot, make_intake
from tests.bot.interviews import start_korean
from tests.bot.webhook_claimant import SECRET, WebhookClaimant, start_webhook_bot
from tests.fakes import FakeBotApi

TO_SUMMARY = [
    "2",  # English
    "1",  # agree
    "1",  # KakaoTalk
    "1",  # paid
    "1",  # individual
    "5",  # time and distress
    "15 Oct 2022 6pm",
]
LONE = "I could not reach my family \udcff during the outage."


@pytest.mark.parametrize("text", [LONE, "nul\x00here", "bell\x07", "\ud800"])
def test_lone_surrogates_and_controls_are_not_readable(text: str) -> None:
    assert not is_readable(text)
    assert is_readable(readable(text))
    readable(text).encode("utf-8")  # now storable


@pytest.mark.parametrize("text", ["한국어 😀", "tab\tand\nlines\r\n", "\u202eRTL", "①²"])
def test_proper_unicode_is_readable(text: str) -> None:
    assert is_readable(text)


def chat(intake: IntakeService, lines: list[str]) -> str:
    out = io.StringIO()
    run_chat(
        intake,
        "alice",
        language=None,
        flow_id=None,
        stdin=io.StringIO("".join(line + "\n" for line in lines)),
        stdout=out,
    )
    return out.getvalue()


def test_terminal_refuses_a_lone_surrogate_and_stores_nothing_broken(tmp_path: Path) -> None:
    intake = make_intake(f"sqlite:///{tmp_path / 'chat.db'}")
    try:
        shown = chat(intake, [*TO_SUMMARY, LONE, "quit"])
        assert "characters that cannot be read" in shown
        stored = intake.store.current(TERMINAL, "alice")
        assert stored is not None and stored.state.step == "description", "asked again"
        shown = chat(intake, ["It was fine text this time.", "quit"])
        stored = intake.store.current(TERMINAL, "alice")
        assert stored is not None and stored.state.answers["description"].startswith("It was")
    finally:
        intake.store.close()


@pytest.mark.parametrize("edit", ["edit ²", "수정 ①", "edit ٣", "edit 2"])
def test_terminal_edit_with_unusual_digits_is_no_crash(tmp_path: Path, edit: str) -> None:
    intake = make_intake(f"sqlite:///{tmp_path / 'chat.db'}")
    try:
        lines = [*TO_SUMMARY, "It stopped.", "skip", "skip", edit, "quit"]
        shown = chat(intake, lines)
        assert "Traceback" not in shown
        stored = intake.store.current(TERMINAL, "alice")
        assert stored is not None
        if edit in ("edit ²", "수정 ①", "edit 2"):
            assert stored.state.editing, f"{edit!r} opens a summary line for editing"
    finally:
        intake.store.close()


@pytest.fixture
async def hooked(
    fake: FakeBotApi, intake: IntakeService, sqlite_url: str
) -> AsyncIterator[RunningBot]:
    running = await start_webhook_bot(fake, intake, sqlite_url)
    yield running
    await running.stop()


@pytest.mark.telegram
async def test_telegram_refuses_a_crafted_lone_surrogate_with_a_friendly_note(
    hooked: RunningBot,
) -> None:
    me = WebhookClaimant(hooked.fake, 7101)
    await start_korean(me)
    before = hooked.store.current(CHANNEL, "7101")
    update = {
        "update_id": 990_001,
        "message": {
            "message_id": 500,
            "date": 0,
            "from": {"id": 7101, "is_bot": False, "first_name": "X", "language_code": "ko"},
            "chat": {"id": 7101, "type": "private", "first_name": "X"},
            "text": "카카오톡\ud800",
        },
    }
    async with httpx.AsyncClient() as client:
        response = await client.post(
            hooked.settings.webhook_url or "",
            content=json.dumps(update),  # ASCII JSON: the surrogate travels as an escape
            headers={"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"},
        )
    assert response.status_code == 200
    assert "읽을 수 없는 문자" in me.last.content
    assert hooked.store.current(CHANNEL, "7101") == before, "nothing stored"


def _press_update(**changes: object) -> dict:
    user = {"id": 7, "is_bot": False, "first_name": "김철수", "language_code": "ko"}
    button = {"text": "카카오톡", "callback_data": "c|1"}
    message = {
        "message_id": 9,
        "date": 1_700_000_000,
        "chat": {"id": 7, "type": "private", "first_name": "김"},
        "from": {"id": 1, "is_bot": True, "first_name": "bot"},
        "text": "피해를 입으신 카카오 서비스를 모두 골라 주세요.",
        "reply_markup": {"inline_keyboard": [[button, dict(button)]]},
    }
    query = {"id": "1", "chat_instance": "c", "data": "c|1", "from": user, "message": message}
    update = {"update_id": 5, "callback_query": query}
    for path, value in changes.items():
        *parents, last = path.split("__")
        node: dict = update
        for key in parents:
            node = node[key][0][0] if key == "inline_keyboard" else node[key]
        node[last] = value
    return update


@pytest.mark.parametrize(
    "where",
    [
        "callback_query__data",
        "callback_query__from__first_name",
        "callback_query__message__text",  # a press: the message's text is the bot's own
        "callback_query__message__reply_markup__inline_keyboard__text",
        "callback_query__message__unknown_field",  # kept in api_kwargs
    ],
)
def test_the_gate_finds_a_lone_surrogate_in_any_field(where: str) -> None:
    assert not forged_strings(Update.de_json(_press_update(), None))
    assert forged_strings(Update.de_json(_press_update(**{where: "카카오\ud800"}), None))


def test_the_gate_leaves_a_typed_text_to_the_text_handler() -> None:
    message = {
        "message_id": 1,
        "date": 1_700_000_000,
        "chat": {"id": 7, "type": "private"},
        "from": {"id": 7, "is_bot": False, "first_name": "김"},
        "text": "\udfff",
    }
    assert not forged_strings(Update.de_json({"update_id": 1, "message": message}, None))
    quoted = {**message, "reply_to_message": dict(message)}
    assert forged_strings(Update.de_json({"update_id": 1, "message": quoted}, None))

"""Tests of the fake Bot API server, over raw httpx and through the real python-telegram-bot."""

from __future__ import annotations

import asyncio
import datetime as dtm
import functools
import json
import threading
import time
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import httpx
import pytest
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)
from telegram.error import BadRequest, Conflict, Forbidden, InvalidToken, RetryAfter
from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from tests.fakes.telegram_server import DEFAULT_TOKEN, FakeBotApi

pytestmark = pytest.mark.telegram

USER = 42


@pytest.fixture
def fake() -> Iterator[FakeBotApi]:
    with FakeBotApi() as server:
        yield server


@pytest.fixture
async def bot(fake: FakeBotApi) -> AsyncIterator[Bot]:
    async with Bot(fake.token, base_url=fake.base_url, base_file_url=fake.base_file_url) as ptb:
        yield ptb


@functools.cache
def http() -> httpx.Client:
    """One shared client: building an httpx.Client (its SSL context) costs ~25 ms."""
    return httpx.Client(timeout=10)


def api(fake: FakeBotApi, method: str, **params: Any) -> httpx.Response:
    """Call the fake the way PTB does: form fields, complex values JSON-encoded."""
    form = {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()}
    return http().post(f"{fake.base_url}{fake.token}/{method}", data=form)


def keyboard(*buttons: tuple[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(text, callback_data=data)] for text, data in buttons]
    )


# -- lifecycle and routing -------------------------------------------------------------------


def test_serves_real_http_and_stops_quickly_during_a_long_poll() -> None:
    fake = FakeBotApi().start()
    outcome: dict[str, Any] = {}

    def poll() -> None:
        try:
            outcome["response"] = api(fake, "getUpdates", timeout=30)
        except httpx.HTTPError as exc:  # a closed connection is acceptable too
            outcome["error"] = exc

    poller = threading.Thread(target=poll)
    poller.start()
    fake.wait_for(lambda: fake.pending_polls == 1)
    started = time.monotonic()
    fake.stop()
    poller.join(timeout=5)
    assert time.monotonic() - started < 2
    assert not poller.is_alive()
    if "response" in outcome:
        assert outcome["response"].json() == {"ok": True, "result": []}
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{fake.url}/bot{fake.token}/getMe", timeout=2)


def test_restart_keeps_port_and_state(fake: FakeBotApi) -> None:
    url = fake.url
    update_id = fake.push_message(USER, "before the outage")
    fake.stop()
    fake.start()
    assert fake.url == url
    assert api(fake, "getUpdates").json()["result"][0]["update_id"] == update_id


def test_wrong_token_unknown_method_and_case_insensitive_names(fake: FakeBotApi) -> None:
    wrong = http().get(f"{fake.base_url}123:wrong/getMe")
    assert wrong.status_code == 401
    assert wrong.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}
    unknown = http().get(f"{fake.base_url}{fake.token}/sendTelepathy")
    assert unknown.status_code == 404
    assert unknown.json()["description"] == "Not Found: method not found"
    me = http().get(f"{fake.base_url}{fake.token}/GETME").json()
    assert me["ok"] is True
    assert me["result"]["is_bot"] is True
    assert [call.method for call in fake.calls] == ["getMe"]


async def test_wrong_token_raises_invalid_token_in_ptb(fake: FakeBotApi) -> None:
    with pytest.raises(InvalidToken, match="rejected by the server"):
        async with Bot("123:wrong", base_url=fake.base_url):
            pass


def test_accepts_json_bodies_and_query_strings(fake: FakeBotApi) -> None:
    fake.add_chat(USER)
    url = f"{fake.base_url}{fake.token}/sendMessage"
    by_json = http().post(url, json={"chat_id": USER, "text": "007"}).json()["result"]
    by_query = http().get(url, params={"chat_id": str(USER), "text": "008"}).json()["result"]
    assert (by_json["text"], by_query["text"]) == ("007", "008")
    assert fake.calls_of("sendMessage")[0].params == {"chat_id": USER, "text": "007"}


# -- getUpdates ------------------------------------------------------------------------------


def test_offset_confirms_only_lower_ids(fake: FakeBotApi) -> None:
    first = fake.push_message(USER, "one")
    second = fake.push_message(USER, "two")
    assert second == first + 1

    def ids(**params: Any) -> list[int]:
        return [u["update_id"] for u in api(fake, "getUpdates", **params).json()["result"]]

    assert ids() == [first, second]
    assert ids() == [first, second], "unconfirmed updates must come back"
    assert ids(offset=second) == [second]
    assert fake.pending_update_ids() == [second]
    assert ids(limit=1) == [second]
    assert ids(offset=second + 1) == []
    assert fake.pending_update_ids() == []


async def test_offset_semantics_through_ptb(fake: FakeBotApi, bot: Bot) -> None:
    first = fake.push_message(USER, "/start")
    fake.push_message(USER, "hello")
    updates = await bot.get_updates(timeout=1)
    again = await bot.get_updates(timeout=1)
    assert [u.update_id for u in again] == [u.update_id for u in updates]
    assert updates[0].message.text == "/start"
    assert updates[0].message.chat.type == "private"
    assert updates[0].message.from_user.language_code == "ko"
    rest = await bot.get_updates(offset=first + 1, timeout=1)
    assert [u.message.text for u in rest] == ["hello"]
    assert await bot.get_updates(offset=rest[-1].update_id + 1, timeout=0) == ()


def test_negative_offset_keeps_the_last_updates(fake: FakeBotApi) -> None:
    ids = [fake.push_message(USER, str(n)) for n in range(4)]
    result = api(fake, "getUpdates", offset=-2).json()["result"]
    assert [u["update_id"] for u in result] == ids[-2:]
    assert fake.pending_update_ids() == ids[-2:]


async def test_long_poll_wakes_at_once_on_push(fake: FakeBotApi, bot: Bot) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=20))
    await fake.await_for(lambda: fake.pending_polls == 1)
    started = time.monotonic()
    update_id = fake.push_message(USER, "wake up")
    updates = await asyncio.wait_for(poll, timeout=5)
    assert time.monotonic() - started < 1
    assert [u.update_id for u in updates] == [update_id]


async def test_long_poll_times_out_empty(fake: FakeBotApi, bot: Bot) -> None:
    started = time.monotonic()
    assert await bot.get_updates(timeout=1) == ()
    assert 0.9 < time.monotonic() - started < 3


async def test_second_poll_terminates_the_first_with_conflict(fake: FakeBotApi, bot: Bot) -> None:
    first = asyncio.create_task(bot.get_updates(timeout=20))
    await fake.await_for(lambda: fake.pending_polls == 1)
    async with httpx.AsyncClient() as client:
        second = await client.post(f"{fake.base_url}{fake.token}/getUpdates", data={"timeout": "0"})
    assert second.json() == {"ok": True, "result": []}
    with pytest.raises(Conflict, match="terminated by other getUpdates"):
        await asyncio.wait_for(first, timeout=5)


def test_redeliver_puts_a_confirmed_update_back(fake: FakeBotApi) -> None:
    update_id = fake.push_message(USER, "lost in a crash")
    api(fake, "getUpdates", offset=update_id + 1)
    assert fake.pending_update_ids() == []
    fake.redeliver(update_id)
    result = api(fake, "getUpdates").json()["result"]
    assert [u["message"]["text"] for u in result] == ["lost in a crash"]


def _kinds(fake: FakeBotApi, **params: Any) -> list[str]:
    result = api(fake, "getUpdates", **params).json()["result"]
    return [next(key for key in update if key != "update_id") for update in result]


def test_allowed_updates_filters_and_persists(fake: FakeBotApi) -> None:
    fake.push_message(USER, "text")
    markup = {"inline_keyboard": [[{"text": "a", "callback_data": "a"}]]}
    sent = api(fake, "sendMessage", chat_id=USER, text="q", reply_markup=markup).json()["result"]
    fake.push_callback(USER, sent["message_id"], "a")
    assert _kinds(fake, allowed_updates=["callback_query"]) == ["callback_query"]
    assert _kinds(fake) == ["callback_query"], "the setting persists across calls"
    assert _kinds(fake, allowed_updates=[]) == ["message", "callback_query"]


def test_user_profile_is_remembered_between_pushes(fake: FakeBotApi) -> None:
    fake.push_message(USER, "/start", first_name="Jane", language_code="en")
    fake.add_chat(USER)
    sent = api(fake, "sendMessage", chat_id=USER, text="Hello Jane").json()["result"]
    assert sent["chat"] == {"id": USER, "first_name": "Jane", "type": "private"}
    fake.push_callback(USER, sent["message_id"], "x")
    fake.push_message(USER, "no language", language_code="")
    fake.push_message(7, "new user")
    senders = [
        (u.get("message") or u["callback_query"])["from"]
        for u in api(fake, "getUpdates").json()["result"]
    ]
    assert [s.get("language_code") for s in senders] == ["en", "en", None, "ko"]
    assert [s["first_name"] for s in senders] == ["Jane", "Jane", "Jane", "Tester"]


def test_push_raw_assigns_ids_and_learns_the_chat(fake: FakeBotApi) -> None:
    raw = {
        "message": {
            "message_id": 7,
            "date": 1_700_000_000,
            "chat": {"id": 555, "type": "private", "first_name": "Raw"},
            "from": {"id": 555, "is_bot": False, "first_name": "Raw"},
            "text": "raw",
        }
    }
    update_id = fake.push_raw(raw)
    assert fake.update(update_id)["message"]["text"] == "raw"
    assert api(fake, "sendMessage", chat_id=555, text="hi").json()["ok"] is True
    assert fake.push_raw({"update_id": 1000, **raw}) == 1000
    assert fake.push_message(USER, "next") == 1001


def test_pushes_are_thread_safe(fake: FakeBotApi) -> None:
    def push_many(user: int) -> None:
        for n in range(50):
            fake.push_message(user, f"{user}:{n}")

    threads = [threading.Thread(target=push_many, args=(user,)) for user in range(1, 5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ids = fake.pending_update_ids()
    assert len(ids) == 200
    assert ids == sorted(set(ids))
    assert [m.message_id for m in fake.chat(3)] == list(range(1, 51))


# -- messages, keyboards, callbacks ----------------------------------------------------------


async def test_send_edit_and_answer_callback_parse_into_ptb_objects(
    fake: FakeBotApi, bot: Bot
) -> None:
    fake.push_message(USER, "/start", first_name="민지")
    sent = await bot.send_message(
        USER,
        "동의하십니까?",
        reply_markup=keyboard(("예", "consent:yes"), ("아니요", "consent:no")),
    )
    assert isinstance(sent, Message)
    assert sent.from_user.is_bot and sent.from_user.id == bot.id
    assert sent.chat.first_name == "민지"
    assert sent.message_id == 2, "message ids are per chat and shared with the user's messages"
    assert isinstance(sent.date, dtm.datetime)

    update_id = fake.push_callback(
        USER, sent.message_id, fake.last_bot_message(USER).callback_data("예")
    )
    update = (await bot.get_updates(timeout=1))[-1]
    assert update.update_id == update_id
    query = update.callback_query
    assert query.data == "consent:yes"
    assert query.message.reply_markup.inline_keyboard[0][0].text == "예"
    assert await bot.answer_callback_query(query.id, text="접수했습니다") is True
    assert fake.callback_answer(update_id) == {
        "text": "접수했습니다",
        "show_alert": False,
        "url": None,
    }
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query(query.id)

    edited = await bot.edit_message_text(
        "동의하셨습니다.", chat_id=USER, message_id=sent.message_id
    )
    assert edited.text == "동의하셨습니다."
    assert edited.edit_date is not None
    assert edited.reply_markup is None, "editMessageText without reply_markup drops the keyboard"
    view = fake.last_bot_message(USER)
    assert (view.text, view.reply_markup, view.edited) == ("동의하셨습니다.", None, True)


async def test_edit_errors_match_telegram(fake: FakeBotApi, bot: Bot) -> None:
    fake.add_chat(USER)
    markup = keyboard(("다음", "next"))
    sent = await bot.send_message(USER, "질문", reply_markup=markup)
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_text(
            "질문", chat_id=USER, message_id=sent.message_id, reply_markup=markup
        )
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("x", chat_id=USER, message_id=999)
    changed = await bot.edit_message_reply_markup(
        USER, sent.message_id, reply_markup=keyboard(("끝", "end"))
    )
    assert changed.reply_markup.inline_keyboard[0][0].callback_data == "end"
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_reply_markup(
            USER, sent.message_id, reply_markup=keyboard(("끝", "end"))
        )
    assert await bot.delete_message(USER, sent.message_id) is True
    assert fake.bot_messages(USER) == []
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await bot.delete_message(USER, sent.message_id)


async def test_text_limits(fake: FakeBotApi, bot: Bot) -> None:
    fake.add_chat(USER)
    await bot.send_message(USER, "가" * 4096)
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(USER, "가" * 4097)
    with pytest.raises(BadRequest, match="Message text is empty"):
        await bot.send_message(USER, "   ")
    assert len(fake.bot_messages(USER)) == 1


async def test_callback_data_is_limited_to_64_bytes(fake: FakeBotApi, bot: Bot) -> None:
    fake.add_chat(USER)
    await bot.send_message(USER, "ok", reply_markup=keyboard(("a", "가" * 21)))  # 63 bytes
    with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
        await bot.send_message(
            USER, "no", reply_markup=keyboard(("a", "가" * 22))
        )  # 22 chars, 66 bytes
    with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
        await bot.send_message(USER, "no", reply_markup=keyboard(("a", "x" * 65)))
    assert [m.text for m in fake.bot_messages(USER)] == ["ok"]


def test_inline_keyboard_shape_is_validated(fake: FakeBotApi) -> None:
    fake.add_chat(USER)
    cases = {
        "Text buttons are unallowed": {"inline_keyboard": [[{"text": "plain"}]]},
        "Array of Arrays": {"inline_keyboard": [{"text": "a", "callback_data": "a"}]},
        "more than one action": {
            "inline_keyboard": [[{"text": "a", "callback_data": "a", "url": "https://x.kr"}]]
        },
        "BUTTON_URL_INVALID": {"inline_keyboard": [[{"text": "a", "url": "javascript:alert(1)"}]]},
        'Field "text"': {"inline_keyboard": [[{"callback_data": "a"}]]},
    }
    for expected, markup in cases.items():
        answer = api(fake, "sendMessage", chat_id=USER, text="x", reply_markup=markup)
        assert answer.status_code == 400, expected
        assert expected in answer.json()["description"]
    assert fake.bot_messages(USER) == []


async def test_parse_modes_strip_markup_and_reject_bad_entities(fake: FakeBotApi, bot: Bot) -> None:
    fake.add_chat(USER)
    html = await bot.send_message(
        USER, '<b>접수</b> 완료 &lt;#12&gt; <a href="https://x.kr">보기</a>', parse_mode="HTML"
    )
    assert html.text == "접수 완료 <#12> 보기"
    assert [(e.type, e.offset, e.length) for e in html.entities] == [
        ("bold", 0, 2),
        ("text_link", 12, 2),
    ]
    assert html.text_html.startswith("<b>접수</b>")
    with pytest.raises(BadRequest, match=r"(?i)Unsupported start tag"):
        await bot.send_message(USER, "금액 < 100", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)Can't find end tag"):
        await bot.send_message(USER, "<b>굵게", parse_mode="HTML")
    md = await bot.send_message(USER, r"*총* 3\.5건 😀 _끝_", parse_mode="MarkdownV2")
    assert md.text == "총 3.5건 😀 끝"
    assert [(e.type, e.offset) for e in md.entities] == [("bold", 0), ("italic", 10)], (
        "UTF-16 offsets"
    )
    with pytest.raises(BadRequest, match=r"(?i)Character '\.' is reserved"):
        await bot.send_message(USER, "3.5건", parse_mode="MarkdownV2")
    with pytest.raises(BadRequest, match=r"(?i)Can't find end of Bold entity"):
        await bot.send_message(USER, r"*열림", parse_mode="MarkdownV2")


def test_command_entities_like_telegram(fake: FakeBotApi) -> None:
    fake.push_message(USER, "/start@complaint_test_bot ref_42")
    fake.push_message(USER, "/시작")
    fake.push_message(USER, "please /help me")
    messages = [u["message"] for u in api(fake, "getUpdates").json()["result"]]
    assert messages[0]["entities"] == [{"type": "bot_command", "offset": 0, "length": 25}]
    assert "entities" not in messages[1], "only latin commands are commands"
    assert messages[2]["entities"] == [{"type": "bot_command", "offset": 7, "length": 5}]


async def test_unknown_and_blocked_chats(fake: FakeBotApi, bot: Bot) -> None:
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(777, "hello?")
    fake.push_message(USER, "hi")
    fake.block_bot(USER)
    with pytest.raises(Forbidden, match="blocked by the user"):
        await bot.send_message(USER, "reminder")
    fake.block_bot(USER, blocked=False)
    assert (await bot.send_message(USER, "reminder")).text == "reminder"


async def test_reply_parameters(fake: FakeBotApi, bot: Bot) -> None:
    fake.push_message(USER, "원문")
    reply = await bot.send_message(USER, "답장", reply_to_message_id=1)
    assert reply.reply_to_message.text == "원문"
    with pytest.raises(BadRequest, match="Message to be replied not found"):
        await bot.send_message(USER, "답장", reply_to_message_id=99)


# -- files -----------------------------------------------------------------------------------


async def test_send_document_multipart_round_trip(fake: FakeBotApi, bot: Bot) -> None:
    fake.add_chat(USER)
    content = b"%PDF-1.7\r\n\x00\xff binary \r\n--not-a-boundary\r\n"
    sent = await bot.send_document(USER, content, filename='접수증 "2".pdf', caption="접수증입니다")
    assert sent.document.file_name == '접수증 "2".pdf'
    assert sent.document.mime_type == "application/pdf"
    assert sent.document.file_size == len(content)
    assert sent.caption == "접수증입니다"
    (call,) = fake.calls_of("sendDocument")
    assert call.files["document"].content == content
    assert call.params == {"chat_id": USER, "caption": "접수증입니다"}
    view = fake.last_bot_message(USER)
    assert view.document is not None and view.document.content == content
    assert view.caption == "접수증입니다"
    downloaded = await (await bot.get_file(sent.document.file_id)).download_as_bytearray()
    assert bytes(downloaded) == content
    resent = await bot.send_document(USER, sent.document.file_id)
    assert resent.document.file_unique_id == sent.document.file_unique_id


async def test_user_uploads_can_be_downloaded(fake: FakeBotApi, bot: Bot) -> None:
    fake.push_document(USER, file_name="영수증.pdf", content=b"%PDF receipt")
    fake.push_photo(USER, caption="파손 사진")
    fake.push_document(
        USER, file_name="huge.zip", mime_type="application/zip", file_size=30 * 1024 * 1024
    )
    document_update, photo_update, huge_update = await bot.get_updates(timeout=1)
    document = document_update.message.document
    assert (document.file_name, document.mime_type, document.file_size) == (
        "영수증.pdf",
        "application/pdf",
        12,
    )
    data = await (await bot.get_file(document.file_id)).download_as_bytearray()
    assert bytes(data) == b"%PDF receipt"
    photo = photo_update.message.photo
    assert [p.file_size for p in photo] == sorted(p.file_size for p in photo)
    assert photo[-1].file_size == 12345
    assert photo_update.message.caption == "파손 사진"
    assert len(await (await bot.get_file(photo[-1].file_id)).download_as_bytearray()) == 12345
    with pytest.raises(BadRequest, match="File is too big"):
        await bot.get_file(huge_update.message.document.file_id)
    assert len(fake.downloads) == 2
    with pytest.raises(BadRequest, match="Invalid file_id"):
        await bot.get_file("nope")


async def test_send_photo(fake: FakeBotApi, bot: Bot) -> None:
    fake.add_chat(USER)
    sent = await bot.send_photo(USER, b"\x89PNG fake", filename="chart.png", caption="통계")
    assert len(sent.photo) >= 2
    assert fake.last_bot_message(USER).photo.content == b"\x89PNG fake"
    assert await bot.send_chat_action(USER, "upload_photo") is True


def test_unsupported_content_parses_in_ptb(fake: FakeBotApi) -> None:
    fake.push_sticker(USER)
    fake.push_voice(USER)
    fake.push_location(USER)
    updates = [Update.de_json(u, None) for u in api(fake, "getUpdates").json()["result"]]
    assert updates[0].message.sticker.emoji == "👍"
    assert updates[1].message.voice.mime_type == "audio/ogg"
    assert updates[2].message.location.latitude == pytest.approx(37.5665)
    assert all(u.message.text is None for u in updates)


# -- commands, webhook, faults ---------------------------------------------------------------


async def test_set_my_commands_per_language(fake: FakeBotApi, bot: Bot) -> None:
    await bot.set_my_commands([("start", "시작하기"), ("status", "진행 상황")], language_code="ko")
    await bot.set_my_commands([("start", "Start")])
    korean = await bot.get_my_commands(language_code="ko")
    default = await bot.get_my_commands()
    assert [(c.command, c.description) for c in korean] == [
        ("start", "시작하기"),
        ("status", "진행 상황"),
    ]
    assert [c.command for c in default] == ["start"]
    assert await bot.get_my_commands(language_code="en") == ()
    assert fake.commands(language_code="ko")[1]["description"] == "진행 상황"
    with pytest.raises(BadRequest, match="Bot_command_invalid"):
        await bot.set_my_commands([("Start-Now", "bad")])
    await bot.delete_my_commands(language_code="ko")
    assert fake.commands(language_code="ko") == []


# PTB 22 warns that RetryAfter.retry_after will become a timedelta.
@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_fail_next_429_surfaces_as_retry_after(fake: FakeBotApi, bot: Bot) -> None:
    fake.add_chat(USER)
    fake.fail_next("sendmessage", retry_after=3, times=2)
    for _ in range(2):
        with pytest.raises(RetryAfter) as raised:
            await bot.send_message(USER, "flood")
        assert raised.value.retry_after in (3, dtm.timedelta(seconds=3))
    assert (await bot.send_message(USER, "flood")).text == "flood"
    assert [c.status for c in fake.calls_of("sendMessage")] == [429, 429, 200]
    assert [m.text for m in fake.bot_messages(USER)] == ["flood"]
    fake.fail_next("getMe", status=502, description="Bad Gateway")
    assert api(fake, "getMe").json() == {
        "ok": False,
        "error_code": 502,
        "description": "Bad Gateway",
    }


class _WebhookReceiver:
    """A plain HTTP endpoint standing in for the bot's webhook; answers with queued statuses."""

    def __init__(self, *statuses: int) -> None:
        self.statuses = list(statuses)
        self.requests: list[tuple[dict[str, str], bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers), body))
                self.send_response(receiver.statuses.pop(0) if receiver.statuses else 200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/telegram"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


async def test_webhook_delivery_retries_until_2xx(fake: FakeBotApi, bot: Bot) -> None:
    receiver = _WebhookReceiver(503)
    try:
        assert await bot.set_webhook(receiver.url, secret_token="s3cr3t", max_connections=5)
        with pytest.raises(Conflict, match="webhook is active"):
            await bot.get_updates()
        update_id = fake.push_message(USER, "via webhook")
        failed = await fake.adeliver(secret=fake.webhook_secret)
        assert failed.status_code == 503
        assert fake.pending_update_ids() == [update_id], "non-2xx keeps the update queued"
        info = await bot.get_webhook_info()
        assert info.pending_update_count == 1
        assert "503" in info.last_error_message
        delivered = fake.deliver(update_id=update_id)
        assert delivered.status_code == 200
        assert fake.pending_update_ids() == []
        (first_headers, body), (second_headers, _) = receiver.requests
        assert first_headers["X-Telegram-Bot-Api-Secret-Token"] == "s3cr3t"
        assert "X-Telegram-Bot-Api-Secret-Token" not in second_headers
        assert Update.de_json(json.loads(body), bot).message.text == "via webhook"
        assert await bot.delete_webhook()
        assert fake.webhook_url is None
    finally:
        receiver.close()


def test_set_webhook_validates_secret(fake: FakeBotApi) -> None:
    answer = api(fake, "setWebhook", url="https://example.org/hook", secret_token="no spaces!")
    assert answer.status_code == 400
    assert fake.webhook_url is None


# -- waiting helpers -------------------------------------------------------------------------


def test_wait_for_timeout_dumps_recent_calls(fake: FakeBotApi) -> None:
    fake.push_message(USER, "/start")
    api(fake, "getMe")
    with pytest.raises(AssertionError) as raised:
        fake.wait_for(lambda: fake.last_bot_message(USER).text == "never", timeout=0.2)
    report = str(raised.value)
    assert "getMe" in report
    assert "pending updates: [1]" in report
    assert "'/start'" in report
    assert "AttributeError" in report


def test_wait_for_accepts_a_predicate_taking_the_fake(fake: FakeBotApi) -> None:
    fake.push_message(USER, "hi")
    assert fake.wait_for(lambda f: f.pending_update_ids(), timeout=1) == [1]


async def test_await_bot_message_timeout_names_what_was_awaited(fake: FakeBotApi) -> None:
    with pytest.raises(AssertionError, match="bot message #2 containing '완료' in chat 42"):
        await fake.await_bot_message(USER, count=2, text_contains="완료", timeout=0.1)


def test_wait_for_bot_message_sees_edits(fake: FakeBotApi) -> None:
    fake.add_chat(USER)
    sent = api(fake, "sendMessage", chat_id=USER, text="처리 중").json()["result"]

    def edit_later() -> None:
        fake.wait_for(lambda: fake.calls_of("sendMessage"))
        api(fake, "editMessageText", chat_id=USER, message_id=sent["message_id"], text="처리 완료")

    threading.Thread(target=edit_later).start()
    message = fake.wait_for_bot_message(USER, count=1, text_contains="완료", timeout=5)
    assert message.message_id == sent["message_id"]


# -- the real Application ----------------------------------------------------------------------


async def test_application_polling_echo_end_to_end(fake: FakeBotApi) -> None:
    app = (
        ApplicationBuilder()
        .token(fake.token)
        .base_url(fake.base_url)
        .base_file_url(fake.base_file_url)
        .build()
    )

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.effective_message.reply_text(
            "안녕하세요", reply_markup=keyboard(("신고", "report"))
        )

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.effective_message.reply_text(f"echo: {update.effective_message.text}")

    async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.callback_query.answer("OK")
        await update.callback_query.edit_message_text(f"선택: {update.callback_query.data}")

    app.add_handler(CommandHandler("start", start))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    app.add_handler(CallbackQueryHandler(pressed))
    async with app:
        await app.start()
        await app.updater.start_polling(timeout=10)
        fake.push_message(USER, "/start")
        greeting = await fake.await_bot_message(USER, text_contains="안녕하세요")
        fake.push_message(USER, "택배가 파손됐어요")
        echoed = await fake.await_bot_message(USER, text_contains="echo: 택배가 파손됐어요")
        callback = fake.push_callback(USER, greeting.message_id, greeting.callback_data("신고"))
        await fake.await_bot_message(USER, count=1, text_contains="선택: report")
        stopping = time.monotonic()
        await app.updater.stop()
        await app.stop()
    assert time.monotonic() - stopping < 2
    assert fake.callback_answer(callback) == {"text": "OK", "show_alert": False, "url": None}
    assert [m.content for m in fake.chat(USER)] == [
        "/start",
        "선택: report",
        "택배가 파손됐어요",
        echoed.text,
    ]
    assert fake.pending_update_ids() == [], "the Updater's final getUpdates confirmed everything"
    assert fake.calls_of("deleteWebhook"), "start_polling bootstraps with deleteWebhook"


def test_default_token_is_well_formed() -> None:
    bot_id, _, secret = DEFAULT_TOKEN.partition(":")
    assert bot_id.isdigit()
    assert secret

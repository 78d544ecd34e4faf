"""Fuzzed inputs at every step kind, through the real webhook and Application: never a crash.

Hypothesis draws updates (any Unicode including lone surrogates, emoji, bidi controls, NUL,
10,000-character texts, malformed callback data, updates with fields missing, odd uploads)
and posts each to the webhook of a real python-telegram-bot Application (in process,
through httpx's ASGI transport; the Bot API answered from memory), for a fresh claimant
placed at a step of the default flow: every step kind comes up. After each: the webhook
answered 200 or 400 (never 500 or 503), no handler failed, the claimant's conversation loads
and serializes as UTF-8, and every message the bot sent is valid for Telegram.

``COMPLAINTBOT_FUZZ_EXAMPLES`` sets the number of examples: 1,500 by default (CI), e.g.
100000 for a long run.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.intake import IntakeService
from bot.rehearsal.bot_api import TOKEN, InMemoryBotApi
from bot.settings import Settings
from bot.telegram import CHANNEL, build_application
from bot.telegram.webhook import webhook_app
from flows import Conversation, Outcome, Text, load_flows
from storage import Store, upgrade
from tests.bot.test_terminal_chat import KO_ANSWERS

EXAMPLES = int(os.environ.get("COMPLAINTBOT_FUZZ_EXAMPLES", "1500"))
SECRET = "fuzz-secret"
FLOW = "kakao-outage-2022"
TELEGRAM_MAX_TEXT = 4096


class Failures(logging.Handler):
    """ERROR records of the bot: a handler that failed."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


class Harness:
    """One Application, one SQLite database, claimants placed at any step on demand."""

    def __init__(self, tmp: Path) -> None:
        url = f"sqlite:///{tmp / 'fuzz.db'}"
        upgrade(url)
        self.store = Store(url, sqlite_synchronous="NORMAL")
        self.intake = IntakeService(self.store, load_flows().values(), FLOW)
        self.api = InMemoryBotApi()
        config = Settings(_env_file=None, database_url=url, telegram_bot_token=TOKEN)  # type: ignore[call-arg]
        self.app = build_application(config, self.intake, request=self.api)
        self.loop = asyncio.new_event_loop()
        self.loop.run_until_complete(self.app.initialize())
        self.client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=webhook_app(self.app, secret=SECRET)),
            base_url="http://bot",
        )
        self.snapshots = list(self._snapshots())
        self.users = itertools.count(30_000_000)
        self.update_ids = itertools.count(1)

    def _snapshots(self) -> Iterator[Conversation]:
        """The conversation standing at each step of the small-business path, in order."""
        user = "template"
        self.intake.begin(CHANNEL, user, language="ko")
        for answer in KO_ANSWERS:
            stored = self.store.current(CHANNEL, user)
            assert stored is not None
            yield stored.state
            self.intake.handle(CHANNEL, user, Text(answer))

    def place(self, state: Conversation) -> int:
        user_id = next(self.users)
        interview = self.intake.interview(state.flow_id, state.flow_version)
        outcome = Outcome(state=state, prompt=interview.prompt(state), result="next")
        self.store.apply(CHANNEL, str(user_id), lambda _: outcome)
        return user_id

    def post(self, body: bytes) -> int:
        headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"}
        response = self.loop.run_until_complete(
            self.client.post("/telegram", content=body, headers=headers)
        )
        return response.status_code

    def close(self) -> None:
        self.loop.run_until_complete(self.client.aclose())
        self.loop.run_until_complete(self.app.shutdown())
        self.loop.close()
        self.store.close()


ANY_TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=300)
"""Any code point, lone surrogates and controls included."""
SPECIAL = st.sampled_from(
    [
        "\x00",
        "a\x00b",
        "\u202e1,2\u202c",  # bidi override
        "\u200f\u200e\u2066x\u2069",
        "👨‍👩‍👧‍👦" * 50,
        "\ud800",
        "5만원\udcff",
        "가" * 10_000,
        "1" * 10_000,
        "010-1234-5678" * 800,
        " ",
        "",
        "/start",
        "/cancel@complaint_test_bot",
        "건너뛰기",
        "◀ 이전",
        "수정 ①",
        "edit ²",
        "1,2,3,4,5,6,7,8,9,10,11,12",
        "-1",
        "99999999999999999999999999",
        "NaN",
        "1e309",
    ]
)
TEXTS = st.one_of(ANY_TEXT, SPECIAL, st.builds(lambda a, b: a + b, SPECIAL, ANY_TEXT))
CODES = st.sampled_from([*"cdtnbsxeulzr", "", "q", "c|", "|"])
CALLBACK_DATA = st.one_of(
    ANY_TEXT,
    st.builds(
        lambda code, turn, index, tail: "|".join(
            str(p) for p in (code, turn, index, tail) if p is not None
        ),
        CODES,
        st.one_of(st.none(), st.integers(-(10**12), 10**12), st.just("x")),
        st.one_of(st.none(), st.integers(-5, 10**6)),
        st.one_of(st.none(), ANY_TEXT),
    ),
)
OFFSETS = st.integers(-3, 3)
"""Turns of a drawn interview button, relative to the claimant's current turn."""
DROPPABLE = ("from", "chat", "date", "message_id", "text")


def _user(user_id: int) -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": "Fuzz", "language_code": "ko"}


def _chat(user_id: int) -> dict[str, Any]:
    return {"id": user_id, "type": "private", "first_name": "Fuzz"}


def message_update(user_id: int, content: dict[str, Any], drop: list[str]) -> dict[str, Any]:
    message = {
        "message_id": 7,
        "date": 1_700_000_000,
        "from": _user(user_id),
        "chat": _chat(user_id),
    }
    message |= content
    for key in drop:
        message.pop(key, None)
    return {"message": message}


@st.composite
def updates(draw: st.DrawFn, user_id: int, turn: int) -> dict[str, Any]:
    kind = draw(
        st.sampled_from(["text", "press", "interview-press", "photo", "document", "broken"])
    )
    if kind == "text":
        return message_update(user_id, {"text": draw(TEXTS)}, [])
    if kind in ("press", "interview-press"):
        if kind == "press":
            data = draw(CALLBACK_DATA)
        else:
            code = draw(st.sampled_from(list("cdtnbsxeu")))
            data = f"{code}|{turn + draw(OFFSETS)}|{draw(st.integers(-2, 12))}"
        shown = {"message_id": 3, "date": 0, "chat": _chat(user_id), "text": draw(TEXTS) or "?"}
        shown["from"] = {"id": 1, "is_bot": True, "first_name": "Bot"}
        query = {
            "id": "1",
            "from": _user(user_id),
            "message": shown,
            "chat_instance": "1",
            "data": data,
        }
        if draw(st.booleans()):
            query.pop(draw(st.sampled_from(["message", "data", "chat_instance"])))
        return {"callback_query": query}
    if kind == "photo":
        size = draw(st.one_of(st.none(), st.integers(-1, 10**10)))
        photo = {"file_id": draw(TEXTS) or "f", "file_unique_id": "u", "width": 1, "height": 1}
        if size is not None:
            photo["file_size"] = size
        return message_update(user_id, {"photo": [photo], "caption": draw(TEXTS)}, [])
    if kind == "document":
        document = {"file_id": "d", "file_unique_id": "u", "file_name": draw(TEXTS)}
        document["mime_type"] = draw(st.one_of(st.none(), TEXTS))
        document = {k: v for k, v in document.items() if v is not None}
        return message_update(user_id, {"document": document}, [])
    drop = draw(st.lists(st.sampled_from(DROPPABLE), max_size=3, unique=True))
    return message_update(user_id, {"text": draw(TEXTS)}, drop)


def bot_messages_are_valid(api: InMemoryBotApi, user_id: int) -> None:
    for shown in api.chats.get(user_id, []):
        assert len(shown.text) <= TELEGRAM_MAX_TEXT, f"{len(shown.text)} characters"
        shown.text.encode("utf-8")
        for label, data in shown.buttons:
            label.encode("utf-8")
            assert len(data.encode("utf-8")) <= 64


@pytest.fixture
def harness(tmp_path: Path) -> Iterator[Harness]:
    opened = Harness(tmp_path)
    yield opened
    opened.close()


def test_fuzzed_updates_at_every_step_never_crash_and_never_store_broken_text(
    harness: Harness,
) -> None:
    failures = Failures()
    logging.getLogger("bot").addHandler(failures)
    kinds_seen: set[str] = set()
    flow = harness.intake.interview(FLOW).flow

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data(), step=st.integers(0, len(harness.snapshots) - 1))
    def one(data: st.DataObject, step: int) -> None:
        failures.records.clear()
        state = harness.snapshots[step]
        kinds_seen.add(flow.steps[state.step].kind)
        user_id = harness.place(state)
        update = data.draw(updates(user_id, state.turn))
        update["update_id"] = next(harness.update_ids)
        status = harness.post(json.dumps(update).encode())  # ASCII JSON, as Telegram sends
        assert status in (200, 400), status
        assert not failures.records, [r.getMessage() for r in failures.records]
        stored = harness.store.current(CHANNEL, str(user_id))
        if stored is not None:
            stored.state.model_dump_json().encode("utf-8")
        bot_messages_are_valid(harness.api, user_id)

    try:
        one()
    finally:
        logging.getLogger("bot").removeHandler(failures)
    expected = {flow.steps[s.step].kind for s in harness.snapshots}
    assert kinds_seen == expected or EXAMPLES < 50, (kinds_seen, expected)

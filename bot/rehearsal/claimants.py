"""Simulated claimants: the same persona for a rehearsal and for every bot the surge bench tests.

A claimant reads its chat in the stand-in Bot API (``bot_api``), presses buttons by their
label and types text, one update at a time (closed loop: the next update only once the
webhook answered, or ``process_update`` returned). The persona is the default flow's common
path (an individual who lost time on KakaoTalk), with a description of its own so the check
afterwards can tell whose answers a case holds.
"""

from __future__ import annotations

import asyncio
import itertools
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from bot.rehearsal.bot_api import InMemoryBotApi

PERSONA_FLOW = "kakao-outage-2022"
"""The flow the persona answers (the default flow); another flow's buttons have other labels."""
PERSONA: tuple[tuple[str, str], ...] = (
    ("type", "/start"),
    ("press", "한국어"),
    ("press", "동의합니다"),
    ("press", "카카오톡"),
    ("press", "완료"),
    ("press", "무료로 이용했습니다"),
    ("press", "개인 이용자"),
    ("press", "시간 손실·정신적 고통"),
    ("press", "완료"),
    ("type", "10월 15일 오후 4시"),
    ("type", "DESCRIPTION"),
    ("press", "건너뛰기"),
    ("press", "건너뛰기"),
    ("press", "제출"),
)
"""14 updates: /start, 11 questions (two multi-choices with Done), the summary's Submit."""
REFERENCE = re.compile(r"[A-Z]{3}-\d{6}-\d{6}")
FIRST_USER = 5_000_000
REDELIVERIES = 5
REDELIVERY_AFTER = 1.0
"""Telegram retries a webhook answered non-2xx; the simulated claimants' updates do too."""

Deliver = Callable[[dict[str, Any]], Awaitable[int]]
"""Hand one update to the bot under test; returns the HTTP status (200 when direct)."""


def description_of(user_id: int) -> str:
    return f"카카오톡이 안 되어 약속을 놓쳤습니다. 제 번호는 {user_id}번입니다."


class Updates:
    """Builds updates as Telegram would send them (ids unique across the whole run).

    ``first_update_id``: a deployment keeps the ids it has processed and ignores one it has
    seen, so a rehearsal against a database that saw an earlier one starts somewhere new.
    """

    def __init__(self, first_update_id: int = 1) -> None:
        self._update_ids = itertools.count(first_update_id)
        self._message_ids = itertools.count(10**9)
        self._queries = itertools.count(1)

    @staticmethod
    def user(user_id: int) -> dict[str, Any]:
        # no client language: the bot asks the language question, as the baselines do
        return {"id": user_id, "is_bot": False, "first_name": "Claimant"}

    def message(self, user_id: int, text: str) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": 1_700_000_000,
            "from": self.user(user_id),
            "chat": {"id": user_id, "type": "private", "first_name": "Claimant"},
            "text": text,
        }
        if text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text)}]
        return {"update_id": next(self._update_ids), "message": message}

    def press(self, user_id: int, bot_message: dict[str, Any], data: str) -> dict[str, Any]:
        query = {
            "id": str(next(self._queries)),
            "from": self.user(user_id),
            "message": bot_message,
            "chat_instance": str(user_id),
            "data": data,
        }
        return {"update_id": next(self._update_ids), "callback_query": query}


@dataclass
class Tally:
    """What the claimants of one run saw."""

    latencies: list[float] = field(default_factory=list)
    completed: list[int] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    references: dict[int, str] = field(default_factory=dict)
    """The case number each completed claimant was shown."""


async def claim(
    user_id: int,
    api: InMemoryBotApi,
    updates: Updates,
    deliver: Deliver,
    tally: Tally,
    *,
    floor: bool = False,
    think: float = 0.0,
) -> None:
    """One claimant through the persona; ``floor``: the bot only says "ok", press its message."""
    for kind, value in PERSONA:
        if kind == "type":
            text = description_of(user_id) if value == "DESCRIPTION" else value
            update = updates.message(user_id, text)
        else:
            target = api.last(user_id) if floor else api.with_button(user_id, value)
            data = "ok" if floor else (target.data_of(value) if target else None)
            if target is None or data is None:
                tally.failures.append(f"{user_id}: no button {value!r}")
                return
            update = updates.press(user_id, api.message_of(user_id, target), data)
        for attempt in range(REDELIVERIES + 1):  # Telegram delivers again after a non-2xx
            started = time.perf_counter()
            status = await deliver(update)
            tally.latencies.append(time.perf_counter() - started)
            tally.statuses[status] = tally.statuses.get(status, 0) + 1
            if status == 200:
                break
            if attempt == REDELIVERIES:
                tally.failures.append(f"{user_id}: HTTP {status}")
                return
            await asyncio.sleep(REDELIVERY_AFTER)
        if think:
            await asyncio.sleep(think)
    last = api.last(user_id)
    reference = REFERENCE.search(last.text) if last is not None else None
    if reference is not None:
        tally.references[user_id] = reference.group()
    if floor or reference is not None:
        tally.completed.append(user_id)
    else:
        tally.failures.append(f"{user_id}: no case number at the end")


async def closed_loop(
    count: int,
    concurrency: int,
    run_one: Callable[[int], Awaitable[None]],
    first_user: int = FIRST_USER,
) -> None:
    """``count`` claimants, at most ``concurrency`` at once, each as soon as a place frees."""
    users = iter(range(first_user, first_user + count))

    async def worker() -> None:
        for user_id in users:
            await run_one(user_id)

    await asyncio.gather(*(worker() for _ in range(min(concurrency, count))))


async def open_loop(count: int, every: float, run_one: Callable[[int], Awaitable[None]]) -> None:
    """A new claimant every ``every`` seconds, whatever the bot's pace (offered load)."""
    tasks = []
    for user_id in range(FIRST_USER, FIRST_USER + count):
        tasks.append(asyncio.create_task(run_one(user_id)))
        await asyncio.sleep(every)
    await asyncio.gather(*tasks)

"""The intake applies each input in one transaction: nothing to cancel, stale presses with
nothing open, and a language switch that cannot lose a concurrent answer (both databases)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.intake import IntakeService
from flows import Button, Cancel, Text, load_flows
from flows.messages import MESSAGES
from storage import Store

CHANNEL = "test"


@pytest.fixture
def intake(store: Store) -> Iterator[IntakeService]:
    yield IntakeService(store, load_flows().values(), "kakao-outage-2022")


def at_consent(intake: IntakeService, user: str) -> None:
    intake.begin(CHANNEL, user, language="ko")
    reply = intake.handle(CHANNEL, user, Text("1"))  # 한국어
    assert reply.prompt is not None and reply.prompt.step == "consent"


def test_cancel_with_nothing_open_says_nothing_to_cancel(intake: IntakeService) -> None:
    reply = intake.handle(CHANNEL, "u1", Cancel(), language="en")
    assert reply.prompt is None and reply.outcome is None
    assert reply.notice == MESSAGES["nothing_to_cancel"]["en"]
    assert intake.store.current(CHANNEL, "u1") is None, "cancel opened nothing"


def test_a_press_with_nothing_open_is_stale_and_opens_nothing(intake: IntakeService) -> None:
    reply = intake.handle(CHANNEL, "u1", Button("choose", 5, index=0))
    assert reply.stale and reply.prompt is None
    assert intake.store.current(CHANNEL, "u1") is None


def test_a_stale_press_leaves_the_conversation_as_it_was(intake: IntakeService) -> None:
    first = intake.begin(CHANNEL, "u1", language="ko")
    assert first.prompt is not None
    old_turn = first.prompt.turn
    intake.handle(CHANNEL, "u1", Text("1"))
    before = intake.store.current(CHANNEL, "u1")
    reply = intake.handle(CHANNEL, "u1", Button("choose", old_turn, index=1), update_key="9")
    assert reply.stale and reply.prompt is not None and reply.prompt.step == "consent"
    after = intake.store.current(CHANNEL, "u1")
    assert before is not None and after is not None and after.state == before.state


def test_a_language_switch_with_nothing_open_starts_in_that_language(
    intake: IntakeService,
) -> None:
    reply = intake.switch_language(CHANNEL, "u1", "en", update_key="1")
    assert reply.prompt is not None and reply.prompt.step == "consent"
    assert reply.prompt.language == "en"
    assert reply.outcome is not None and reply.outcome.result == "next"


def test_an_answer_landing_before_the_switch_commits_is_kept(
    intake: IntakeService, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever the switch reads outside its own transaction, an answer may land after it."""
    at_consent(intake, "u1")
    store = intake.store
    original = store.current
    landed = []

    def current_then_an_answer_lands(channel: str, user_key: str):  # type: ignore[no-untyped-def]
        found = original(channel, user_key)
        if not landed:
            landed.append(intake.handle(CHANNEL, "u1", Text("1")))  # 동의합니다
        return found

    monkeypatch.setattr(store, "current", current_then_an_answer_lands)
    intake.switch_language(CHANNEL, "u1", "en", update_key="2")
    monkeypatch.setattr(store, "current", original)
    if not landed:  # the switch read nothing outside its transaction: land the answer now
        intake.handle(CHANNEL, "u1", Text("1"))
    stored = store.current(CHANNEL, "u1")
    assert stored is not None
    assert stored.state.language == "en", "the switch was applied"
    assert stored.state.answers.get("consent") == "agree", "the answer was kept"


def test_a_language_switch_racing_an_answer_loses_neither(intake: IntakeService) -> None:
    users = [f"u{n}" for n in range(12)]
    for user in users:
        at_consent(intake, user)
    barrier = threading.Barrier(2)

    def answer(user: str) -> None:
        barrier.wait(timeout=30)
        intake.handle(CHANNEL, user, Text("1"))

    def switch(user: str) -> None:
        barrier.wait(timeout=30)
        intake.switch_language(CHANNEL, user, "en")

    with ThreadPoolExecutor(2) as pool:
        for user in users:
            futures = [pool.submit(answer, user), pool.submit(switch, user)]
            for future in futures:
                future.result(timeout=60)
    for user in users:
        stored = intake.store.current(CHANNEL, user)
        assert stored is not None
        assert stored.state.language == "en", user
        assert stored.state.answers.get("consent") == "agree", user
        assert stored.state.step == "services", user

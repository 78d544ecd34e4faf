"""Same-user updates at the same moment: nothing lost, nothing forked, on both databases."""

from __future__ import annotations

import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from flows import Conversation, Interview, Outcome, Text
from storage import Store, upgrade
from tests.storage.sample_flows import counter

ROOT = Path(__file__).parents[2]
ANSWERS_EACH = 60


@pytest.fixture
def interview(store: Store) -> Interview:
    loaded = counter()
    store.publish_flow(loaded)
    return Interview(loaded)


def _answer_one(interview: Interview) -> object:
    def turn(state: Conversation | None) -> Outcome:
        assert state is not None, "the conversation was opened before the race"
        return interview.answer(state, Text("1"))

    return turn


def _open(store: Store, interview: Interview, user: str = "racer") -> None:
    store.apply("test", user, lambda state: interview.start() if state is None else None)


def _turns(store: Store, user: str = "racer") -> tuple[int, int]:
    stored = store.current("test", user)
    assert stored is not None
    return stored.state.turn, len(stored.state.history)


def test_threads_answering_the_same_user_lose_no_answer(store: Store, interview: Interview) -> None:
    _open(store, interview)
    threads = 4
    start = threading.Barrier(threads)

    def answer_many() -> None:
        start.wait(timeout=30)
        for _ in range(ANSWERS_EACH):
            store.apply("test", "racer", _answer_one(interview))  # type: ignore[arg-type]

    with ThreadPoolExecutor(threads) as pool:
        for future in [pool.submit(answer_many) for _ in range(threads)]:
            future.result(timeout=60)
    assert _turns(store) == (threads * ANSWERS_EACH, threads * ANSWERS_EACH)


def test_two_processes_answering_the_same_user_lose_no_answer(
    store: Store, interview: Interview, database_url: str
) -> None:
    _open(store, interview)
    command = [sys.executable, "-m", "tests.storage.answering"]
    workers = [
        subprocess.Popen(
            [*command, database_url, "racer", str(ANSWERS_EACH), "--wait"],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    try:
        for worker in workers:
            assert worker.stdout is not None and worker.stdout.readline() == "ready\n"
        for worker in workers:  # both are ready: let them go at once
            assert worker.stdin is not None
            worker.stdin.write("go\n")
            worker.stdin.flush()
        outputs = [worker.communicate(timeout=90)[0] for worker in workers]
    finally:
        for worker in workers:
            worker.kill()
    assert [worker.returncode for worker in workers] == [0, 0]
    assert [out.count("committed") for out in outputs] == [ANSWERS_EACH, ANSWERS_EACH]
    assert _turns(store) == (2 * ANSWERS_EACH, 2 * ANSWERS_EACH)
    turns_seen = [int(line.split()[1]) for out in outputs for line in out.splitlines()]
    assert sorted(turns_seen) == list(range(1, 2 * ANSWERS_EACH + 1))  # no two got one turn


@pytest.mark.postgres
def test_a_stale_read_loses_the_version_check_and_is_retried(postgres_url: str) -> None:
    upgrade(postgres_url)
    loaded = counter()
    interview = Interview(loaded)
    with Store(postgres_url) as store, Store(postgres_url) as rival:
        store.publish_flow(loaded)
        _open(store, interview)
        seen: list[int] = []

        def turn(state: Conversation | None) -> Outcome:
            assert state is not None
            seen.append(state.turn)
            if len(seen) == 1:  # a second process answers between our read and our write
                rival.apply("test", "racer", _answer_one(interview))  # type: ignore[arg-type]
            return interview.answer(state, Text("1"))

        store.apply("test", "racer", turn)
        assert seen == [0, 1]  # called again on the rival's newer state
        assert _turns(store) == (2, 2)
        assert store.current("test", "racer").version == 3  # type: ignore[union-attr]


@pytest.mark.postgres
def test_two_first_messages_at_once_open_one_conversation(postgres_url: str) -> None:
    upgrade(postgres_url)
    loaded = counter()
    interview = Interview(loaded)
    both_read = threading.Barrier(2)
    with Store(postgres_url) as store:
        store.publish_flow(loaded)
        calls: list[bool] = []

        def turn(state: Conversation | None) -> Outcome:
            calls.append(state is None)
            if len(calls) <= 2:  # both saw no conversation before either inserted
                both_read.wait(timeout=30)
            return interview.answer(state or interview.start().state, Text("1"))

        with ThreadPoolExecutor(2) as pool:
            futures = [pool.submit(store.apply, "test", "racer", turn) for _ in range(2)]
            results = [f.result(timeout=60) for f in futures]
        assert calls == [True, True, False]  # the loser retried on the winner's conversation
        assert all(r.outcome is not None for r in results)
        assert _turns(store) == (2, 2)

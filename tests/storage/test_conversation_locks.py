"""The lock per conversation across processes (PostgreSQL), and the answered marks."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from storage import Store, upgrade
from storage.conversation_locks import lock_id

CHANNEL = "telegram"


@pytest.mark.postgres
def test_a_conversation_lock_held_by_one_process_is_refused_to_another(postgres_url: str) -> None:
    upgrade(postgres_url)
    with Store(postgres_url) as one, Store(postgres_url) as other:
        assert one.locks_across_processes
        assert one.try_hold(CHANNEL, "1")
        assert not other.try_hold(CHANNEL, "1"), "held by the other process"
        assert other.try_hold(CHANNEL, "2"), "another claimant is not held up"
        one.release(CHANNEL, "1", answered=None)
        assert other.try_hold(CHANNEL, "1")
        other.release(CHANNEL, "1", answered=None)
        other.release(CHANNEL, "2", answered=None)


@pytest.mark.postgres
def test_waiting_for_a_conversation_lock_ends_when_it_is_released_or_times_out(
    postgres_url: str,
) -> None:
    upgrade(postgres_url)
    with Store(postgres_url) as one, Store(postgres_url) as other:
        assert one.try_hold(CHANNEL, "1")
        started = time.monotonic()
        with pytest.raises(OperationalError):
            other.wait_released(CHANNEL, "1", timeout=0.2)
        assert time.monotonic() - started < 5
        threading.Timer(0.3, one.release, (CHANNEL, "1"), {"answered": None}).start()
        other.wait_released(CHANNEL, "1", timeout=10)
        assert other.try_hold(CHANNEL, "1"), "free once waited for"
        other.release(CHANNEL, "1", answered=None)


@pytest.mark.postgres
def test_a_process_that_dies_releases_its_conversation_locks(postgres_url: str) -> None:
    upgrade(postgres_url)
    with Store(postgres_url) as other:
        dying = Store(postgres_url)
        assert dying.try_hold(CHANNEL, "1")
        dying.close()  # its connection ends, as with kill -9
        assert other.try_hold(CHANNEL, "1")
        other.release(CHANNEL, "1", answered=None)


@pytest.mark.postgres
def test_a_lock_session_cut_by_the_server_is_opened_again(postgres_url: str) -> None:
    upgrade(postgres_url)
    with Store(postgres_url) as one, Store(postgres_url) as other:
        assert one.try_hold(CHANNEL, "1")
        with other.engine.connect() as conn:  # as a database restart would
            key = lock_id(CHANNEL, "1") & 0xFFFFFFFFFFFFFFFF
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(l.pid) FROM pg_locks l JOIN pg_database d"
                    " ON d.oid = l.database AND d.datname = current_database()"
                    " WHERE l.locktype = 'advisory' AND l.classid::bigint = :high"
                    " AND l.objid::bigint = :low"
                ),
                {"high": key >> 32, "low": key & 0xFFFFFFFF},
            )
        assert one.try_hold(CHANNEL, "2"), "a new session, without an error to the claimant"
        assert other.try_hold(CHANNEL, "1"), "the cut session's locks went with it"


@pytest.mark.postgres
def test_a_release_as_answered_is_seen_by_every_process(postgres_url: str) -> None:
    upgrade(postgres_url)
    with Store(postgres_url) as one, Store(postgres_url) as other:
        assert one.try_hold(CHANNEL, "1")
        one.release(CHANNEL, "1", answered="77")
        assert other.was_answered(CHANNEL, "77")
        assert not other.was_answered(CHANNEL, "78")
        assert other.record_update(CHANNEL, "77"), "the mark is not the update's own key"


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Store]:
    url = f"sqlite:///{tmp_path / 'locks.db'}"
    upgrade(url)
    with Store(url) as store:
        yield store


def test_sqlite_serves_one_process_and_locks_nothing(sqlite_store: Store) -> None:
    assert not sqlite_store.locks_across_processes
    assert sqlite_store.try_hold(CHANNEL, "1") and sqlite_store.try_hold(CHANNEL, "1")
    sqlite_store.release(CHANNEL, "1", answered="5")
    assert not sqlite_store.was_answered(CHANNEL, "5")

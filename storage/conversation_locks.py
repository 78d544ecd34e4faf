"""A lock per conversation across processes, held while one update is processed and answered.

Several bot processes behind a load balancer may get two updates of one claimant at once,
or one update twice (Telegram retrying on the other process). ``Store.apply`` already keeps
the data right (versioned updates, one row per update key), but the *replies* go out after
the commit: without a lock held until the reply is sent, two processes' replies to one
claimant can arrive in either order, and a copy of an update can reach the other process
while the first one is still replying (it would send the question again).

PostgreSQL advisory locks, session-level, all taken on one dedicated connection per process:
no connection is held per update in flight, taking and releasing a lock is one round trip
each, no commit. ``pg_try_advisory_lock`` never blocks that shared connection; a caller
finding the lock taken by another process waits for it on a pooled connection of its own
(``wait_released``, bounded by ``lock_timeout``), then tries again. A process that dies releases its locks with its connection. The release also
records, without waiting for the WAL flush, that the update was answered: the one fact a
copy arriving at another process needs (a crash of the database may forget a few, and then
a question is shown twice, never missing).

SQLite serves one process (its writers queue on ``BEGIN IMMEDIATE``); there is nothing to
lock across processes and ``enabled`` is False.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import threading

from sqlalchemy import Connection, Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from storage.database import open_engine
from storage.updates import PROCESSED, answered_key

log = logging.getLogger(__name__)

# Driver SQL (psycopg's pyformat), run without SQLAlchemy's compile step: these run twice
# per update, and ``text()`` costs twice the CPU of the statement itself.
TRY = "SELECT pg_try_advisory_lock(%(lock)s)"
RELEASE = "SELECT pg_advisory_unlock(%(lock)s)"
MARK_ANSWERED = (
    f"WITH answered AS (INSERT INTO {PROCESSED.name} (channel, update_key, processed_at) "
    "VALUES (%(channel)s, %(update_key)s, %(now)s) ON CONFLICT DO NOTHING) SELECT 1"
)
"""Its own statement, so committed (the session autocommits) before the unlock: in one
statement with it the lock went before the mark was visible, and a copy of the update
taking the lock in that moment would have been answered again."""
WAIT = text("SELECT pg_advisory_xact_lock_shared(:lock)")
"""Granted once the holder lets go; shared and ended with its transaction at once."""


def lock_id(channel: str, user_key: str) -> int:
    """A signed 64-bit advisory lock id; a rare collision only makes two users queue."""
    digest = hashlib.blake2b(f"{channel}\x1f{user_key}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


class ConversationLocks:
    """Advisory locks of one process, on a connection of their own (opened on first use)."""

    def __init__(self, url: str, pool: Engine) -> None:
        self.enabled = make_url(url).get_backend_name() == "postgresql"
        self._url = url
        self._pool = pool
        self._engine: Engine | None = None
        self._conn: Connection | None = None
        self._mutex = threading.Lock()

    def try_hold(self, channel: str, user_key: str) -> bool:
        """Take the conversation's lock unless another process holds it (never waits)."""
        if not self.enabled:
            return True
        with self._mutex:
            return bool(self._run(TRY, {"lock": lock_id(channel, user_key)}))

    def wait_released(self, channel: str, user_key: str, timeout: float) -> None:
        """Block until another process releases the lock, at most ``timeout`` seconds (then
        OperationalError: lock_not_available); the lock is not taken, call ``try_hold``."""
        if not self.enabled:
            return
        with self._pool.begin() as conn:
            conn.exec_driver_sql(f"SET LOCAL lock_timeout = {max(1, int(timeout * 1000))}")
            conn.execute(WAIT, {"lock": lock_id(channel, user_key)})

    def release(
        self, channel: str, user_key: str, *, answered: str | None, now: dt.datetime
    ) -> None:
        """Let the next update of this conversation in; ``answered``: the update key that was
        processed and replied to, for a copy of it arriving elsewhere."""
        if not self.enabled:
            return
        lock = lock_id(channel, user_key)
        params: dict[str, object] = {"lock": lock}
        if answered is not None:
            params |= {"channel": channel, "update_key": answered_key(answered), "now": now}
        with self._mutex:
            try:
                if answered is not None:
                    self._run(MARK_ANSWERED, params)
                self._run(RELEASE, {"lock": lock})
            except Exception:
                # Whether the lock is still held is unknown: closing the session frees every
                # lock of this process (the updates in flight keep the data checks).
                log.warning("releasing a conversation lock failed; lock session reset")
                self._reset()
                raise

    def _run(self, statement: str, params: dict[str, object]) -> object:
        reused = self._conn is not None
        try:
            return self._session().exec_driver_sql(statement, params).scalar_one()
        except DBAPIError as exc:
            self._reset()
            if not (reused and exc.connection_invalidated):
                raise
        # The session died (a database restart): its locks went with it; a new one, once.
        try:
            return self._session().exec_driver_sql(statement, params).scalar_one()
        except Exception:
            self._reset()
            raise

    def _session(self) -> Connection:
        if self._conn is None:
            if self._engine is None:
                self._engine = open_engine(self._url, pool_size=1)
            conn = self._engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            conn.exec_driver_sql("SET synchronous_commit = off")  # this session's marks only
            self._conn = conn
        return self._conn

    def _reset(self) -> None:
        if self._conn is not None:
            try:
                self._conn.invalidate()
                self._conn.close()
            except Exception:  # the connection may be gone already
                log.debug("lock session was already closed")
            self._conn = None

    def close(self) -> None:
        with self._mutex:
            self._reset()
            if self._engine is not None:
                self._engine.dispose()
                self._engine = None

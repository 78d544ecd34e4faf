"""The hot path: load a user's conversation, apply one engine step, commit, in one transaction.

Concurrency: every update checks the version it read (``WHERE version = :v``) and a lost race
rolls back and starts over. On PostgreSQL a retry also locks the row it reads (``FOR UPDATE``),
so a user pressing buttons as fast as two processes can take them cannot starve one of them.
On SQLite the writer's ``BEGIN IMMEDIATE`` already queues writers on the database lock.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import random
import time
from collections.abc import Callable

from sqlalchemy import Connection, Engine, bindparam, insert, literal_column, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.sql.expression import ColumnClause

from flows import Conversation, LoadedFlow, Outcome
from storage import updates
from storage.cases import write_case
from storage.database import upsert_insert
from storage.encryption import Keyring
from storage.errors import ConflictError
from storage.published import FlowVersions
from storage.records import Applied, CaseRef
from storage.tables import ConsentRow, ConversationRow, DeadlineRow, table_of

log = logging.getLogger(__name__)

Turn = Callable[[Conversation | None], Outcome | None]
"""The engine step: the stored state (None: no open conversation) -> what to store and show."""

ATTEMPTS = 6
BACKOFF_SECONDS = 0.002
RETRYABLE_SQLSTATES = frozenset({"40001", "40P01"})  # serialization failure, deadlock
REMINDER = "reminder"

CONVERSATIONS = table_of(ConversationRow)
DEADLINES = table_of(DeadlineRow)
# A literal, so PostgreSQL can use the partial index.
_ACTIVE: ColumnClause[str] = literal_column("'active'")


class LostRace(Exception):
    """Someone else changed the conversation between our read and our write."""


class HotPath:
    """The statements of one dialect, built once, and the transaction that runs them."""

    def __init__(
        self,
        dialect: str,
        flows: FlowVersions,
        reminder_after: dt.timedelta,
        keys: Keyring | None = None,
    ) -> None:
        self.flows = flows
        self.keys = keys or Keyring()
        self.reminder_after = reminder_after
        c = CONVERSATIONS.c
        self.load = select(c.id, c.version, c.state).where(
            c.channel == bindparam("channel"),
            c.user_key == bindparam("user_key"),
            c.status == _ACTIVE,
        )
        self.load_locked = self.load.with_for_update()
        self.insert = insert(CONVERSATIONS).returning(c.id)
        self.update = (
            update(CONVERSATIONS)
            .where(c.id == bindparam("cid"), c.version == bindparam("seen"))
            .values(version=c.version + 1)
        )
        self.seen_update = updates.insert_new(dialect)
        arm = upsert_insert(dialect, DEADLINES)
        self.arm = arm.on_conflict_do_update(
            index_elements=["conversation_id", "kind"],
            set_={"due_at": arm.excluded.due_at, "done_at": None},
        )
        self.disarm = (
            update(DEADLINES)
            .where(DEADLINES.c.conversation_id == bindparam("cid"), DEADLINES.c.done_at.is_(None))
            .values(done_at=bindparam("now"))
        )
        self.consent = insert(table_of(ConsentRow))

    def apply(
        self,
        writer: Engine,
        channel: str,
        user_key: str,
        turn: Turn,
        update_key: str | None,
        now: dt.datetime,
    ) -> Applied:
        """Run the transaction, retrying lost races with a short jittered backoff."""
        for attempt in range(ATTEMPTS):
            try:
                with writer.begin() as conn:
                    return self._once(conn, channel, user_key, turn, update_key, now, attempt > 0)
            except LostRace:
                log.debug("conversation changed under us; retry %d", attempt + 1)
            except DBAPIError as exc:
                if not _retryable(exc):
                    raise
                log.debug("retryable database error %s; retry %d", type(exc.orig), attempt + 1)
            time.sleep(random.uniform(0, BACKOFF_SECONDS * 2**attempt))
        raise ConflictError(f"conversation on {channel} kept changing; gave up after {ATTEMPTS}")

    def _once(
        self,
        conn: Connection,
        channel: str,
        user_key: str,
        turn: Turn,
        update_key: str | None,
        now: dt.datetime,
        lock: bool,
    ) -> Applied:
        fresh = update_key is None or updates.record(
            conn, self.seen_update, channel, update_key, now
        )
        if not fresh:
            return Applied(None, None, duplicate=True)
        found = conn.execute(
            self.load_locked if lock else self.load, {"channel": channel, "user_key": user_key}
        ).first()
        before = self.keys.open_state(Conversation.from_json(found.state)) if found else None
        outcome = turn(before)
        if outcome is None or not outcome.changed:
            return Applied(outcome)
        after = outcome.state
        loaded = self.flows.get(conn, after.flow_id, after.flow_version)
        columns = _columns(self.keys.seal_state(after, loaded.flow), now)
        if found is None:
            cid = self._insert(conn, columns | {"channel": channel, "user_key": user_key}, now)
        else:
            cid = found.id
            changed = conn.execute(self.update, columns | {"cid": cid, "seen": found.version})
            if changed.rowcount != 1:
                raise LostRace
        self._record_consent(conn, loaded, before, after, cid, now)
        return Applied(outcome, self._settle(conn, loaded, after, cid, channel, user_key, now))

    def _insert(self, conn: Connection, columns: dict[str, object], now: dt.datetime) -> int:
        try:
            cid: int = conn.execute(
                self.insert, columns | {"version": 1, "created_at": now}
            ).scalar_one()
            return cid
        except IntegrityError as exc:  # another update opened this user's conversation first
            raise LostRace from exc

    def _settle(
        self,
        conn: Connection,
        loaded: LoadedFlow,
        after: Conversation,
        cid: int,
        channel: str,
        user_key: str,
        now: dt.datetime,
    ) -> CaseRef | None:
        """Re-arm the reminder of an open conversation; close one that ended, filing its case."""
        if after.status == "active":
            due = {"conversation_id": cid, "kind": REMINDER, "due_at": now + self.reminder_after}
            conn.execute(self.arm, due)
            return None
        conn.execute(self.disarm, {"cid": cid, "now": now})
        if after.status != "finished" or not after.submit:
            return None
        return write_case(
            conn,
            loaded,
            after,
            channel=channel,
            user_key=user_key,
            conversation_id=cid,
            now=now,
            keys=self.keys,
        )

    def _record_consent(
        self,
        conn: Connection,
        loaded: LoadedFlow,
        before: Conversation | None,
        after: Conversation,
        cid: int,
        now: dt.datetime,
    ) -> None:
        found = loaded.flow.consent_step()
        if found is None:
            return
        step_id, step = found
        given = after.answers.get(step.field) == step.consent_value
        if not given or (before and before.answers.get(step.field) == step.consent_value):
            return
        language = after.language if after.language in step.text else loaded.flow.default_language
        shown = step.text[language] + "\n" + (step.help or {}).get(language, "")
        row = {
            "conversation_id": cid,
            "flow_id": loaded.flow.id,
            "flow_version": loaded.version,
            "step": step_id,
            "text_hash": hashlib.sha256(shown.encode("utf-8")).hexdigest(),
            "language": language,
            "accepted_at": now,
        }
        conn.execute(self.consent, row)


def _columns(state: Conversation, now: dt.datetime) -> dict[str, object]:
    if state.status != "active":
        # A closed conversation's answers live on in its case, if any, and nowhere else:
        # keeping a second copy would outlive an erasure of the case (PIPA art. 21).
        state = state.model_copy(update={"answers": {}, "notes": {}, "pending": [], "history": []})
    return {
        "flow_id": state.flow_id,
        "flow_version": state.flow_version,
        "language": state.language,
        "status": state.status,
        "step": state.step,
        "state": state.to_json(),
        "updated_at": now,
    }


def _retryable(exc: DBAPIError) -> bool:
    if exc.connection_invalidated:
        return True
    code = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "sqlite_errorname", None)
    return code in RETRYABLE_SQLSTATES or code in {"SQLITE_BUSY", "SQLITE_LOCKED"}

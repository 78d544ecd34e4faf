"""The one door to the database that every channel and command uses."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import literal_column, select

from flows import Conversation, Flow, LoadedFlow
from storage import (
    cases,
    daily_jobs,
    deadlines,
    erasure,
    key_rotation,
    lifecycle,
    releases,
    report,
    rollup,
    updates,
)
from storage.access_log import AccessEntry, access_entries, record_access
from storage.audit import record_event
from storage.claimant_data import ClaimantData, claimant_data
from storage.conversation_locks import ConversationLocks
from storage.database import (
    Synchronous,
    ensure_schema,
    open_engine,
    without_statement_timeout,
    writing,
)
from storage.encryption import Keyring
from storage.errors import UnknownFlowVersion
from storage.filing import dimension_kinds
from storage.hotpath import HotPath, Turn
from storage.operator_store import OperatorStore
from storage.published import FlowVersions
from storage.purge import BATCH as PURGE_BATCH
from storage.purge import Progress, PurgeReport, purge_cases
from storage.records import (
    Applied,
    AttachmentRecord,
    CaseRecord,
    CaseRef,
    CaseSummary,
    DueDeadline,
    Erasure,
    StoredConversation,
)
from storage.tables import ConversationRow, FlowVersionRow, table_of

CONVERSATIONS = table_of(ConversationRow)
REMINDER_AFTER = dt.timedelta(hours=24)
PURGE_JOB = "retention-purge"


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _aware(moment: dt.datetime | None) -> dt.datetime:
    if moment is None:
        return _utc_now()
    if moment.tzinfo is None:
        raise ValueError("storage needs timezone-aware datetimes (e.g. datetime.now(UTC))")
    return moment


class Store:
    """Conversations, cases and their bookkeeping in one database (SQLite or PostgreSQL).

    Opening checks the schema: SQLite is migrated on the spot; an outdated PostgreSQL schema
    raises ``SchemaOutdated`` naming the command to run. Thread-safe: one Store per process.
    """

    def __init__(
        self,
        url: str,
        *,
        reminder_after: dt.timedelta = REMINDER_AFTER,
        sqlite_synchronous: Synchronous = "FULL",
        pool_size: int = 10,
        pii_key: str | None = None,
        pii_old_keys: Sequence[str] = (),
        release_ttl: float = releases.RELEASE_TTL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """``pii_key`` (PII_ENCRYPTION_KEY) encrypts personal answers; ``pii_old_keys`` still
        decrypt. A key that cannot read what is stored raises EncryptionKeyError here."""
        self.keys = Keyring(pii_key, pii_old_keys)
        self.engine = open_engine(url, synchronous=sqlite_synchronous, pool_size=pool_size)
        self._writer = writing(self.engine)
        try:
            ensure_schema(self.engine)
            if self.keys.enabled:
                with self._writer.begin() as conn:
                    key_rotation.register_key(conn, self.keys, _utc_now())
        except BaseException:
            self.engine.dispose()
            raise
        self._flows = FlowVersions(self.engine.dialect.name)
        self._hot = HotPath(self.engine.dialect.name, self._flows, reminder_after, self.keys)
        self._releases = releases.ReleaseCache(self.engine, release_ttl, clock)
        self._locks = ConversationLocks(url, self.engine)

    def close(self) -> None:
        self._locks.close()
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # -- flows ---------------------------------------------------------------------------

    def publish_flow(self, loaded: LoadedFlow) -> None:
        """Keep the exact source of this flow version; publishing it again changes nothing."""
        with self._writer.begin() as conn:
            self._flows.publish(conn, loaded, now=_utc_now())

    def flow_version(self, flow_id: str, version: str) -> LoadedFlow | None:
        """A published flow version, so a conversation can finish on the flow it began with."""
        with self.engine.connect() as conn:
            return self._flows.find(conn, flow_id, version)

    # -- flow releases (see storage.releases) ---------------------------------------------

    def released_versions(self) -> dict[str, str]:
        """flow id -> the version new conversations get (read at most a few seconds ago)."""
        return self._releases.current()

    def release_first(self, loaded: LoadedFlow) -> releases.Release | None:
        """Release a flow that never was (first start on an empty database); else nothing."""
        with self._writer.begin() as conn:
            released = releases.publish_first(conn, self._flows, loaded, now=_utc_now())
        self._releases.forget()
        return released

    def publish_release(
        self, loaded: LoadedFlow, *, actor: str, note: str = ""
    ) -> releases.Release:
        """Store a new version and make it current; ``ReleaseRefused`` if it is not new."""
        with self._writer.begin() as conn:
            released = releases.publish(
                conn, self._flows, loaded, actor=actor, note=note, now=_utc_now()
            )
        self._releases.forget()
        return released

    def rollback_release(
        self, flow_id: str, version: str, *, actor: str, note: str = ""
    ) -> releases.Release:
        """Make a stored earlier version current again; audited like a publish."""
        with self._writer.begin() as conn:
            released = releases.rollback(
                conn, flow_id, version, actor=actor, note=note, now=_utc_now()
            )
        self._releases.forget()
        return released

    def flow_history(self, flow_id: str) -> list[releases.StoredVersion]:
        with self.engine.connect() as conn:
            return releases.history(conn, flow_id)

    def flow_diff(self, flow_id: str, old: str, new: str) -> str:
        """Unified diff of two stored versions' sources."""
        with self.engine.connect() as conn:
            return releases.diff(conn, flow_id, old, new)

    # -- conversations -------------------------------------------------------------------

    def current(self, channel: str, user_key: str) -> StoredConversation | None:
        """The user's open conversation on this channel, if any."""
        c = CONVERSATIONS.c
        with self.engine.connect() as conn:
            row = conn.execute(
                select(c.id, c.version, c.state).where(
                    c.channel == channel,
                    c.user_key == user_key,
                    c.status == literal_column("'active'"),
                )
            ).first()
        if row is None:
            return None
        state = self.keys.open_state(Conversation.from_json(row.state))
        return StoredConversation(row.id, row.version, state)

    def apply(
        self,
        channel: str,
        user_key: str,
        turn: Turn,
        *,
        update_key: str | None = None,
        now: dt.datetime | None = None,
    ) -> Applied:
        """Load, ``turn`` (the engine step, maybe called again on a retry), store: one commit.

        A redelivered ``update_key`` returns ``Applied(None, duplicate=True)`` without calling
        ``turn``. A state that ends submitted files its case in the same transaction.
        """
        return self._hot.apply(self._writer, channel, user_key, turn, update_key, _aware(now))

    @property
    def locks_across_processes(self) -> bool:
        """Whether ``try_hold`` locks anything (PostgreSQL: several processes may serve)."""
        return self._locks.enabled

    def try_hold(self, channel: str, user_key: str) -> bool:
        """Take the conversation's lock across processes, or False if another holds it."""
        return self._locks.try_hold(channel, user_key)

    def wait_released(self, channel: str, user_key: str, timeout: float) -> None:
        """Wait (at most ``timeout`` s) until another process releases the lock."""
        self._locks.wait_released(channel, user_key, timeout)

    def release(
        self, channel: str, user_key: str, *, answered: str | None, now: dt.datetime | None = None
    ) -> None:
        """Release ``try_hold``'s lock; ``answered``: the update key processed and replied to."""
        self._locks.release(channel, user_key, answered=answered, now=_aware(now))

    def was_answered(self, channel: str, update_key: str) -> bool:
        """Whether a process released ``update_key`` as answered (PostgreSQL only)."""
        with self.engine.connect() as conn:
            return updates.was_answered(conn, channel, update_key)

    # -- cases ---------------------------------------------------------------------------

    def file_cases(
        self,
        loaded: LoadedFlow,
        channel: str,
        items: list[tuple[str, Conversation, dt.datetime]],
    ) -> list[CaseRef]:
        """File submitted states (user key, state, when) in one transaction, as a claimant's
        submission would be filed (seeding, imports), personal answers encrypted when a key is
        set; counts are added once for the batch."""
        pending = rollup.Pending()
        with self._writer.begin() as conn:
            refs = [
                cases.write_case(
                    conn,
                    loaded,
                    state,
                    channel=channel,
                    user_key=user,
                    conversation_id=None,
                    now=_aware(at),
                    counts=pending,
                    keys=self.keys,
                )
                for user, state, at in items
            ]
            rollup.add(conn, loaded.flow.id, pending.deltas, pending.amounts)
        return refs

    def cases_of(self, channel: str, user_key: str) -> list[CaseSummary]:
        with self.engine.connect() as conn:
            return cases.cases_of(conn, channel, user_key)

    def case(
        self,
        reference: str,
        *,
        actor: str | None = None,
        reason: str | None = None,
        lenient: bool = False,
    ) -> CaseRecord | None:
        """A whole case, personal data included (decrypted).

        An ``actor`` (a staff member) must give a ``reason``: the view goes into the access
        log with the personal fields it showed, and into the audit trail. Without an actor,
        ``lenient`` (for a view that masks personal data anyway) shows a value it has no key
        for as ``storage.encryption.UNREADABLE`` instead of raising EncryptionKeyError.
        """
        if actor is None:
            with self.engine.connect() as conn:
                found = cases.read_case(conn, reference)
            return self.keys.open_case(found, lenient=lenient) if found else None
        with self._writer.begin() as conn:
            found = cases.read_case(conn, reference)
            if found is None:
                return None
            opened = self.keys.open_case(found)
            now = _utc_now()
            shown = self._personal_fields_of(conn, opened)
            record_access(conn, actor, reference, shown, reason or "", now)
            record_event(conn, now, actor, "view", reference)
            return opened

    def attachment(
        self, reference: str, index: int, *, actor: str, reason: str
    ) -> AttachmentRecord | None:
        """The ``index``-th file of a case, for a staff member to open: access-logged (with
        its reason) and audited in the same transaction that reads it, like a case view."""
        with self._writer.begin() as conn:
            found = cases.read_case(conn, reference)
            if found is None or not 0 <= index < len(found.attachments):
                return None
            opened = self.keys.open_case(found)
            now = _utc_now()
            record_access(conn, actor, reference, ["attachments"], reason, now)
            record_event(conn, now, actor, "view-attachment", reference, {"attachment": index})
            return opened.attachments[index]

    def _personal_fields_of(self, conn: Any, case: CaseRecord) -> list[str]:
        personal = self._flows.get(conn, case.flow_id, case.flow_version).flow.personal_fields()
        shown = [name for name in case.answers if name in personal]
        shown += ["notes"] * bool(case.notes) + ["attachments"] * bool(case.attachments)
        return [*shown, "user_key"]

    def set_case_status(
        self,
        reference: str,
        status: str,
        *,
        actor: str,
        reason: str,
        duplicate_of: str | None = None,
    ) -> None:
        """A review decision (see storage.review.MOVES); the counts follow in the same commit."""
        self.operators.set_status(
            reference, status, actor=actor, reason=reason, duplicate_of=duplicate_of
        )

    @property
    def operators(self) -> OperatorStore:
        """Review, case lists, export jobs and dedupe: what operators do."""
        return OperatorStore(self.engine, self._writer, self._flows, self.keys)

    def aggregate(
        self, flow_id: str, *, since: dt.date | None = None, until: dt.date | None = None
    ) -> report.Report:
        """The report's figures for incident days in [since, until], from the running counts."""
        return report.aggregate(self.engine, flow_id, since=since, until=until)

    def received_since(self, flow_id: str, since: dt.datetime) -> report.ReceivedCounts:
        """Counted cases that came in since ``since`` (an operator's "today"), by dimension."""
        return report.received_since(self.engine, flow_id, since)

    def recount(
        self, flow_id: str, *, since: dt.date | None = None, until: dt.date | None = None
    ) -> report.Report:
        """The same figures counted from every case row: slow, for checking the counts."""
        zone: dt.tzinfo
        try:
            with self.engine.connect() as conn:
                zone = self._newest_flow(conn, flow_id).zone
        except UnknownFlowVersion:  # never published: no cases, any zone will do
            zone = dt.UTC
        return report.recount(self.engine, flow_id, zone=zone, since=since, until=until)

    def rebuild_report(self, flow_id: str, *, actor: str) -> None:
        """Recount the running counts of ``flow_id`` from the case rows (after a bulk load).

        Maintenance, not for a live intake: it deletes the flow's counter rows first and, on
        PostgreSQL with the statement timeout lifted, holds them for the whole recount, so
        filings meanwhile wait on them (over 1,000,000 cases: minutes)."""
        with self._writer.begin() as conn:
            without_statement_timeout(conn)  # one statement per cell kind over every case
            flow = self._newest_flow(conn, flow_id)
            rollup.rebuild(conn, flow_id, dimension_kinds(flow), flow.zone)
            record_event(conn, _utc_now(), actor, "recount", flow_id)

    def _newest_flow(self, conn: Any, flow_id: str) -> Flow:
        """The latest published version of ``flow_id`` (its dimensions and zone)."""
        t = table_of(FlowVersionRow).c
        version = conn.execute(
            select(t.version).where(t.flow_id == flow_id).order_by(t.published_at.desc()).limit(1)
        ).scalar()
        if version is None:
            raise UnknownFlowVersion(f"flow {flow_id} was never published to this database")
        return self._flows.get(conn, flow_id, version).flow

    # -- people's rights and upkeep ------------------------------------------------------

    def erase_user(self, channel: str, user_key: str, *, actor: str) -> Erasure:
        with self._writer.begin() as conn:
            return erasure.erase_user(
                conn, self._flows, channel, user_key, actor=actor, now=_utc_now()
            )

    def due_deadlines(
        self, now: dt.datetime | None = None, limit: int = 100, *, channel: str | None = None
    ) -> list[DueDeadline]:
        with self.engine.connect() as conn:
            return deadlines.due_deadlines(conn, _aware(now), limit, channel)

    def claim_deadline(
        self, deadline_id: int, due_at: dt.datetime, now: dt.datetime | None = None
    ) -> bool:
        """Claim a deadline read as due at ``due_at``; True for exactly one caller, so the
        reminder is sent at most once across processes (claimed first, then sent)."""
        with self._writer.begin() as conn:
            return deadlines.claim(conn, deadline_id, due_at, _aware(now))

    def record_update(self, channel: str, update_key: str, now: dt.datetime | None = None) -> bool:
        """Remember an update handled outside ``apply`` (a command); False: seen before."""
        with self._writer.begin() as conn:
            return updates.record(conn, self._hot.seen_update, channel, update_key, _aware(now))

    def prune_processed_updates(
        self, older_than: dt.timedelta, now: dt.datetime | None = None
    ) -> int:
        with self._writer.begin() as conn:
            return updates.prune(conn, _aware(now) - older_than)

    def audit(
        self, actor: str, action: str, subject: str, detail: dict[str, Any] | None = None
    ) -> None:
        """Record an operator's action (an export, say); ``detail`` holds no personal data."""
        with self._writer.begin() as conn:
            record_event(conn, _utc_now(), actor, action, subject, detail)

    # -- privacy lifecycle: retention, holds, access log, encryption ---------------------

    def hold_case(self, reference: str, reason: str, *, actor: str) -> None:
        """A legal hold: the retention purge keeps the case whole until it is released."""
        with self._writer.begin() as conn:
            lifecycle.hold_case(conn, reference, reason, actor=actor, now=_utc_now())

    def release_case(self, reference: str, *, actor: str) -> bool:
        with self._writer.begin() as conn:
            return lifecycle.release_case(conn, reference, actor=actor, now=_utc_now())

    def purge(
        self,
        *,
        as_of: dt.datetime | None = None,
        dry_run: bool = False,
        actor: str = "system",
        progress: Progress | None = None,
        batch: int = PURGE_BATCH,
    ) -> PurgeReport:
        """Anonymise the cases past their flow's declared retention as of ``as_of`` (now)."""
        now = _utc_now()
        return purge_cases(
            self._writer,
            self._flows,
            as_of=_aware(as_of) if as_of else now,
            now=now,
            actor=actor,
            dry_run=dry_run,
            batch=batch,
            progress=progress,
        )

    def run_daily_purge(
        self, who: str, now: dt.datetime | None = None, *, progress: Progress | None = None
    ) -> PurgeReport | None:
        """Today's purge, if this caller is the one process to claim today; else None."""
        now = _aware(now)
        day = now.astimezone(dt.UTC).date()
        with self._writer.begin() as conn:
            if not daily_jobs.claim_day(conn, PURGE_JOB, day, who, now):
                return None
        done = self.purge(as_of=now, actor=f"daily:{who}", progress=progress)
        with self._writer.begin() as conn:
            daily_jobs.finish_day(conn, PURGE_JOB, day, done.detail(), _utc_now())
        return done

    def record_access(self, actor: str, case_ref: str, fields: Sequence[str], reason: str) -> None:
        """Log a staff view of personal data (an unmasked export, a console detail view)."""
        with self._writer.begin() as conn:
            record_access(conn, actor, case_ref, fields, reason, _utc_now())

    def access_log(
        self, *, since: dt.datetime | None = None, actor: str | None = None
    ) -> list[AccessEntry]:
        with self.engine.connect() as conn:
            return access_entries(conn, since=since, actor=actor)

    def claimant_data(self, channel: str, user_key: str) -> ClaimantData:
        """Everything stored about one claimant, decrypted, for their own eyes (/mydata)."""
        with self.engine.connect() as conn:
            return claimant_data(conn, self._flows, self.keys, channel, user_key)

    def open_answers(self, answers: dict[str, Any], *, lenient: bool = False) -> dict[str, Any]:
        """Decrypt a case's answers read straight from the table (exports); ``lenient``
        shows an undecryptable value as a placeholder (for output that masks it anyway)."""
        return self.keys.open_answers(answers, lenient=lenient)

    def open_notes(self, notes: dict[str, Any], *, lenient: bool = False) -> dict[str, Any]:
        return self.keys.open_notes(notes, lenient=lenient)

    def rotate_key(
        self, progress: Callable[[str, int], None] | None = None
    ) -> key_rotation.Rotation:
        """Re-encrypt every personal value under PII_ENCRYPTION_KEY; old keys retire."""
        return key_rotation.rotate(self._writer, self._flows, self.keys, _utc_now(), progress)

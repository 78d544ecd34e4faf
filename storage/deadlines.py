"""Deadlines (reminders) kept in a table, so a restart re-arms them instead of losing them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, literal_column, select, update

from storage.records import DueDeadline
from storage.tables import ConversationRow, DeadlineRow, table_of

DEADLINES = table_of(DeadlineRow)
CONVERSATIONS = table_of(ConversationRow)


def due_deadlines(
    conn: Connection, now: dt.datetime, limit: int, channel: str | None = None
) -> list[DueDeadline]:
    """Undone deadlines of open conversations (of one channel) due at ``now``, oldest first."""
    d, c = DEADLINES.c, CONVERSATIONS.c
    query = (
        select(d.id, d.conversation_id, d.kind, d.due_at, c.channel, c.user_key)
        .join(CONVERSATIONS, c.id == d.conversation_id)
        .where(d.done_at.is_(None), d.due_at <= now, c.status == literal_column("'active'"))
        .order_by(d.due_at, d.id)
        .limit(limit)
    )
    if channel is not None:  # one channel's backlog must not starve another's reminders
        query = query.where(c.channel == channel)
    rows = conn.execute(query)
    return [DueDeadline(*row) for row in rows]


def claim(conn: Connection, deadline_id: int, seen_due: dt.datetime, now: dt.datetime) -> bool:
    """Take the deadline as it was read (due at ``seen_due``); True: it is ours to act on.

    One statement, so of several processes reading the same due row exactly one claims it.
    A deadline re-armed since it was read (an answer moved ``due_at``) is not claimed: its
    reminder is for later.
    """
    d = DEADLINES.c
    result = conn.execute(
        update(DEADLINES)
        .where(d.id == deadline_id, d.due_at == seen_due, d.done_at.is_(None))
        .values(done_at=now)
    )
    return result.rowcount == 1

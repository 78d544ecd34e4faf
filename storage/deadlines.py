"""Deadlines (reminders) kept in a table, so a restart re-arms them instead of losing them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, literal_column, select, update

from storage.records import DueDeadline
from storage.tables import ConversationRow, DeadlineRow

DEADLINES = DeadlineRow.__table__
CONVERSATIONS = ConversationRow.__table__


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


def mark_done(conn: Connection, deadline_id: int, now: dt.datetime) -> bool:
    """True if the deadline was still open; the next answer re-arms a reminder anyway."""
    result = conn.execute(
        update(DEADLINES)
        .where(DEADLINES.c.id == deadline_id, DEADLINES.c.done_at.is_(None))
        .values(done_at=now)
    )
    return result.rowcount == 1

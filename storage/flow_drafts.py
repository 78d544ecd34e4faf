"""Flow drafts: an admin's unpublished edit of a flow, one per flow, saved from the console.

A draft is kept even while it has errors (work is never lost to a typo); publishing goes
through ``storage.releases`` and drops the draft. Saving and discarding are audited, without
the text itself (the flow's source is no personal data, but the audit log is for who did what).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, delete, insert, select, update

from storage.audit import record_event
from storage.database import writing
from storage.tables import FlowDraftRow, table_of

DRAFTS = table_of(FlowDraftRow)
MAX_SOURCE = 200_000
"""Characters; a flow file is a few kilobytes, this only stops a runaway paste."""


@dataclass(frozen=True)
class FlowDraft:
    flow_id: str
    source: str
    saved_by: str
    saved_at: dt.datetime


def find_draft(engine: Engine, flow_id: str) -> FlowDraft | None:
    with engine.connect() as conn:
        row = conn.execute(select(DRAFTS).where(DRAFTS.c.flow_id == flow_id)).first()
    if row is None:
        return None
    saved_at = row.saved_at if row.saved_at.tzinfo else row.saved_at.replace(tzinfo=dt.UTC)
    return FlowDraft(row.flow_id, row.source, row.saved_by, saved_at)


def save_draft(engine: Engine, flow_id: str, source: str, *, actor: str) -> FlowDraft:
    """Store (or replace) the draft of ``flow_id``; audited as ``draft``."""
    now = dt.datetime.now(dt.UTC)
    source = source[:MAX_SOURCE]
    values = {"source": source, "saved_by": actor, "saved_at": now}
    with writing(engine).begin() as conn:
        changed = conn.execute(
            update(DRAFTS).where(DRAFTS.c.flow_id == flow_id).values(**values)
        ).rowcount
        if not changed:
            conn.execute(insert(DRAFTS), [values | {"flow_id": flow_id}])
        record_event(conn, now, actor, "draft", flow_id, {"characters": len(source)})
    return FlowDraft(flow_id, source, actor, now)


def discard_draft(engine: Engine, flow_id: str, *, actor: str | None) -> bool:
    """Drop the draft of ``flow_id``; audited as ``discard draft`` when an actor is given
    (a publish drops it silently: the publish itself is audited)."""
    now = dt.datetime.now(dt.UTC)
    with writing(engine).begin() as conn:
        gone = conn.execute(delete(DRAFTS).where(DRAFTS.c.flow_id == flow_id)).rowcount > 0
        if gone and actor is not None:
            record_event(conn, now, actor, "discard draft", flow_id, {})
    return gone

"""A claimant's right to deletion (PIPA art. 36): their person goes, the anonymous counts stay."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import Connection, delete, select, update

from storage.audit import record_event
from storage.published import FlowVersions
from storage.records import Erasure
from storage.tables import (
    AttachmentRow,
    CaseEventRow,
    CaseKeyRow,
    CaseRow,
    CaseTextBandRow,
    ConsentRow,
    ConversationRow,
)

CASES = CaseRow.__table__
CONVERSATIONS = ConversationRow.__table__
CONSENTS = ConsentRow.__table__
ATTACHMENTS = AttachmentRow.__table__


def pseudonym(channel: str, user_key: str) -> str:
    """Stands for the erased user in their cases: one per erasure, never traceable back.

    A plain hash of a Telegram user id could be reversed by trying every id; the random salt,
    thrown away at once, makes it one-way, while the user's cases still share one key.
    """
    salted = secrets.token_bytes(16) + f"{channel}\x00{user_key}".encode()
    return "erased-" + hashlib.sha256(salted).hexdigest()[:20]


def erase_user(
    conn: Connection,
    flows: FlowVersions,
    channel: str,
    user_key: str,
    *,
    actor: str,
    now: dt.datetime,
) -> Erasure:
    """Delete conversations, attachments, notes and personal answers of one user."""
    alias = pseudonym(channel, user_key)
    cases = conn.execute(
        select(CASES.c.id, CASES.c.flow_id, CASES.c.flow_version, CASES.c.answers).where(
            CASES.c.channel == channel, CASES.c.user_key == user_key
        )
    ).all()
    case_ids = [case.id for case in cases]
    paths = [
        path
        for path in conn.execute(
            select(ATTACHMENTS.c.stored_path).where(ATTACHMENTS.c.case_id.in_(case_ids))
        ).scalars()
        if path
    ]
    files = conn.execute(delete(ATTACHMENTS).where(ATTACHMENTS.c.case_id.in_(case_ids))).rowcount
    # The duplicate keys and text bands are hashes of personal answers; operators' notes may
    # quote the claimant: they go with the answers (the review history itself stays).
    for table in (CaseKeyRow.__table__, CaseTextBandRow.__table__):
        conn.execute(delete(table).where(table.c.case_id.in_(case_ids)))
    events = CaseEventRow.__table__
    conn.execute(
        update(events)
        .where(events.c.case_id.in_(case_ids), events.c.action == "note")
        .values(reason="[erased]")
    )
    for case in cases:
        personal = flows.get(conn, case.flow_id, case.flow_version).flow.personal_fields()
        kept = {name: value for name, value in case.answers.items() if name not in personal}
        conn.execute(
            update(CASES)
            .where(CASES.c.id == case.id)
            .values(answers=kept, notes={}, user_key=alias, conversation_id=None, erased_at=now)
        )
    mine = select(CONVERSATIONS.c.id).where(
        CONVERSATIONS.c.channel == channel, CONVERSATIONS.c.user_key == user_key
    )
    conn.execute(
        update(CONSENTS)
        .where(CONSENTS.c.conversation_id.in_(mine), CONSENTS.c.withdrawn_at.is_(None))
        .values(withdrawn_at=now)
    )
    talks = conn.execute(
        delete(CONVERSATIONS).where(
            CONVERSATIONS.c.channel == channel, CONVERSATIONS.c.user_key == user_key
        )
    ).rowcount
    erasure = Erasure(alias, talks, len(cases), files, paths)
    detail = {"conversations": talks, "cases": len(cases), "attachments": files}
    record_event(conn, now, actor, "erase", f"{channel}:{alias}", detail)
    return erasure

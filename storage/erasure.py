"""A claimant's right to deletion (PIPA art. 36): their person goes, the anonymous counts stay."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import JSON, Connection, Row, bindparam, delete, select, update

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
    table_of,
)

CASES = table_of(CaseRow)
CONVERSATIONS = table_of(ConversationRow)
CONSENTS = table_of(ConsentRow)
ATTACHMENTS = table_of(AttachmentRow)


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
        select(*ANONYMISED_COLUMNS).where(CASES.c.channel == channel, CASES.c.user_key == user_key)
    ).all()
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
    files, paths = anonymise_cases(conn, flows, cases, lambda _case: alias, "erased_at", now)
    erasure = Erasure(alias, talks, len(cases), files, paths)
    detail = {"conversations": talks, "cases": len(cases), "attachments": files}
    record_event(conn, now, actor, "erase", f"{channel}:{alias}", detail)
    return erasure


ANONYMISED_COLUMNS = (
    CASES.c.id,
    CASES.c.flow_id,
    CASES.c.flow_version,
    CASES.c.answers,
    CASES.c.channel,
    CASES.c.user_key,
    CASES.c.conversation_id,
)
"""What ``anonymise_cases`` needs of each case row."""


def anonymise_cases(
    conn: Connection,
    flows: FlowVersions,
    cases: Sequence[Row[*tuple[Any, ...]]],
    alias: Callable[[Row[*tuple[Any, ...]]], str],
    stamp: str,
    now: dt.datetime,
) -> tuple[int, list[str]]:
    """Strip cases of their person: personal answers, notes, files, conversation, user key.

    Shared by a claimant's erasure and the retention purge. ``alias`` gives each case's
    pseudonym, ``stamp`` names the column that records when (``erased_at``, ``purged_at``).
    The conversations the cases came from go too (a finished one keeps no answers, but it
    still names the user). Returns how many attachments went and the stored files the caller
    must delete.
    """
    if not cases:
        return 0, []
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
    for table in (table_of(CaseKeyRow), table_of(CaseTextBandRow)):
        conn.execute(delete(table).where(table.c.case_id.in_(case_ids)))
    events = table_of(CaseEventRow)
    conn.execute(
        update(events)
        .where(events.c.case_id.in_(case_ids), events.c.action == "note")
        .values(reason="[erased]")
    )
    rows = []
    personal_of: dict[tuple[str, str], frozenset[str]] = {}
    for case in cases:
        version = (case.flow_id, case.flow_version)
        if version not in personal_of:
            personal_of[version] = flows.get(conn, *version).flow.personal_fields()
        personal = personal_of[version]
        kept = {name: value for name, value in case.answers.items() if name not in personal}
        rows.append({"case_id": case.id, "kept": kept, "alias": alias(case), "now": now})
    statement = (
        update(CASES)
        .where(CASES.c.id == bindparam("case_id"))
        .values(
            answers=bindparam("kept", type_=JSON),
            notes={},
            user_key=bindparam("alias"),
            conversation_id=None,
            **{stamp: bindparam("now")},
        )
    )
    conn.execute(statement, rows)
    talks = [case.conversation_id for case in cases if case.conversation_id is not None]
    if talks:
        conn.execute(delete(CONVERSATIONS).where(CONVERSATIONS.c.id.in_(talks)))
    return files, paths

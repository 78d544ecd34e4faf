"""Keys of encrypted personal data: refusing a wrong key at start, and rotating to a new one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, bindparam, delete, select, update

from flows import Conversation
from storage import duplicates
from storage.database import insert_ignoring
from storage.encryption import EncryptionKeyError, Keyring
from storage.published import FlowVersions
from storage.tables import AttachmentRow, CaseKeyRow, CaseRow, ConversationRow, PiiKeyRow, table_of

KEYS = table_of(PiiKeyRow)
CASES = table_of(CaseRow)
CONVERSATIONS = table_of(ConversationRow)
ATTACHMENTS = table_of(AttachmentRow)
CASE_KEYS = table_of(CaseKeyRow)
BATCH = 1000


@dataclass(frozen=True)
class Rotation:
    """How many rows a rotation re-encrypted, and the key ids it retired."""

    conversations: int
    cases: int
    attachments: int
    retired: list[str]


def register_key(conn: Connection, keys: Keyring, now: dt.datetime) -> None:
    """Refuse to start with keys that cannot read what is stored; remember the current one.

    Without this a wrong PII_ENCRYPTION_KEY would only show when someone reads a case, and
    every value written meanwhile would be under a key nobody meant to keep.
    """
    if keys.current_id is None:
        return
    live = conn.execute(select(KEYS.c.key_id).where(KEYS.c.retired_at.is_(None))).scalars()
    unknown = sorted(set(live) - keys.key_ids)
    if unknown:
        raise EncryptionKeyError(
            f"personal data is encrypted with key id {', '.join(unknown)}, which is neither "
            "PII_ENCRYPTION_KEY nor in PII_ENCRYPTION_OLD_KEYS: set the key it was encrypted with"
        )
    row = {"key_id": keys.current_id, "added_at": now, "retired_at": None}
    conn.execute(insert_ignoring(conn.dialect.name, KEYS, ["key_id"]), [row])


def rotate(
    writer: Engine,
    flows: FlowVersions,
    keys: Keyring,
    now: dt.datetime,
    progress: Callable[[str, int], None] | None = None,
) -> Rotation:
    """Re-encrypt every personal value under the current key (plain ones too), then retire
    the other keys. Safe to run again after a stop; run it with the bot on the new key."""
    if keys.current_id is None:
        raise EncryptionKeyError(
            "rotate-key needs the new key in PII_ENCRYPTION_KEY "
            "(and the old one in PII_ENCRYPTION_OLD_KEYS)"
        )
    talks = _conversations(writer, flows, keys)
    cases = _cases(writer, flows, keys, progress)
    files = _attachments(writer, keys, progress)
    with writer.begin() as conn:
        k = KEYS.c
        retired = list(
            conn.execute(
                select(k.key_id).where(k.key_id != keys.current_id, k.retired_at.is_(None))
            ).scalars()
        )
        conn.execute(update(KEYS).where(k.key_id.in_(retired)).values(retired_at=now))
    return Rotation(talks, cases, files, retired)


def _conversations(writer: Engine, flows: FlowVersions, keys: Keyring) -> int:
    c = CONVERSATIONS.c
    done = 0
    with writer.begin() as conn:
        rows = conn.execute(select(c.id, c.version, c.state).where(c.status == "active")).all()
        for row in rows:
            state = keys.open_state(Conversation.from_json(row.state))
            flow = flows.get(conn, state.flow_id, state.flow_version).flow
            sealed = keys.seal_state(state, flow).to_json()
            # Matching the version read: an answer committed meanwhile was sealed by the bot.
            conn.execute(
                update(CONVERSATIONS)
                .where(c.id == row.id, c.version == row.version)
                .values(state=sealed, version=c.version + 1)
            )
            done += 1
    return done


def _cases(
    writer: Engine,
    flows: FlowVersions,
    keys: Keyring,
    progress: Callable[[str, int], None] | None,
) -> int:
    c = CASES.c
    statement = (
        update(CASES)
        .where(c.id == bindparam("case_id"))
        .values(answers=bindparam("sealed"), notes=bindparam("sealed_notes"))
    )
    last = done = 0
    while True:
        with writer.begin() as conn:
            rows = conn.execute(
                select(c.id, c.flow_id, c.flow_version, c.channel, c.user_key, c.answers, c.notes)
                .where(c.id > last, c.purged_at.is_(None), c.erased_at.is_(None))
                .order_by(c.id)
                .limit(BATCH)
            ).all()
            if not rows:
                return done
            updates = []
            # The duplicate keys are HMACs under a secret of the key: made again under the
            # current one, so repeats are still found once the old key is gone.
            ids = [row.id for row in rows]
            conn.execute(delete(CASE_KEYS).where(CASE_KEYS.c.case_id.in_(ids)))
            for row in rows:
                flow = flows.get(conn, row.flow_id, row.flow_version).flow
                plain = keys.open_answers(row.answers)
                answers = keys.seal_answers(plain, flow.personal_fields())
                notes = keys.seal_notes(keys.open_notes(row.notes))
                updates.append({"case_id": row.id, "sealed": answers, "sealed_notes": notes})
                identity = duplicates.identity_keys(
                    flow, row.channel, row.user_key, plain, keys.lookup_secrets()[0]
                )
                about = duplicates.topic(flow, plain)
                duplicates.remember_keys(conn, row.id, row.flow_id, identity, about)
            conn.execute(statement, updates)
        last, done = rows[-1].id, done + len(rows)
        if progress is not None:
            progress("cases", done)


def _attachments(writer: Engine, keys: Keyring, progress: Callable[[str, int], None] | None) -> int:
    a = ATTACHMENTS.c
    statement = (
        update(ATTACHMENTS)
        .where(a.id == bindparam("attachment_id"))
        .values(file_id=bindparam("sealed_id"), name=bindparam("sealed_name"))
    )
    last = done = 0
    while True:
        with writer.begin() as conn:
            rows = conn.execute(
                select(a.id, a.file_id, a.name).where(a.id > last).order_by(a.id).limit(BATCH)
            ).all()
            if not rows:
                return done
            updates = []
            for row in rows:
                plain = {
                    "file_id": keys.open(row.file_id, "file_id"),
                    "name": keys.open(row.name, "file_name"),
                }
                sealed = keys.seal_attachment(plain)
                updates.append(
                    {
                        "attachment_id": row.id,
                        "sealed_id": sealed["file_id"],
                        "sealed_name": sealed["name"],
                    }
                )
            conn.execute(statement, updates)
        last, done = rows[-1].id, done + len(rows)
        if progress is not None:
            progress("attachments", done)

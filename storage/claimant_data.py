"""What is stored about one claimant (PIPA art. 35): their cases, answers, files and consents."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, literal_column, select

from flows import Conversation
from flows.retention import span
from storage.encryption import Keyring
from storage.published import FlowVersions
from storage.tables import AttachmentRow, CaseRow, ConsentRow, ConversationRow, table_of

CASES = table_of(CaseRow)
CONVERSATIONS = table_of(ConversationRow)
CONSENTS = table_of(ConsentRow)
ATTACHMENTS = table_of(AttachmentRow)


@dataclass(frozen=True)
class ConsentGiven:
    """A consent as recorded: when, to which text (flow version and hash), in which language."""

    accepted_at: dt.datetime
    flow_id: str
    flow_version: str
    text_hash: str
    language: str
    withdrawn_at: dt.datetime | None


@dataclass(frozen=True)
class StoredFile:
    kind: str
    name: str | None
    size: int | None


@dataclass(frozen=True)
class StoredCase:
    """One filed case as its claimant may see it, personal answers in plain text."""

    reference: str
    flow_id: str
    flow_version: str
    submitted_at: dt.datetime
    status: str
    answers: dict[str, Any]
    notes: dict[str, Any]
    files: list[StoredFile]
    consent: ConsentGiven | None
    closed_at: dt.datetime | None
    kept_until: dt.datetime | None
    """When the purge takes its personal answers at the latest (None: the flow declares no
    retention); an earlier closing brings it forward."""
    on_hold: bool


@dataclass(frozen=True)
class OpenInterview:
    flow_id: str
    flow_version: str
    step: str
    answers: dict[str, Any]
    updated_at: dt.datetime
    consent: ConsentGiven | None


@dataclass(frozen=True)
class ClaimantData:
    channel: str
    cases: list[StoredCase] = field(default_factory=list)
    interview: OpenInterview | None = None

    @property
    def empty(self) -> bool:
        return not self.cases and self.interview is None


def claimant_data(
    conn: Connection, flows: FlowVersions, keys: Keyring, channel: str, user_key: str
) -> ClaimantData:
    """Everything stored under (channel, user_key), decrypted; nobody else's."""
    c = CASES.c
    rows = conn.execute(
        select(CASES)
        .where(c.channel == channel, c.user_key == user_key)
        .order_by(c.submitted_at, c.id)
    ).all()
    consents = _consents(conn, [r.conversation_id for r in rows if r.conversation_id])
    files = _files(conn, keys, [r.id for r in rows])
    cases = [
        StoredCase(
            reference=r.reference,
            flow_id=r.flow_id,
            flow_version=r.flow_version,
            submitted_at=r.submitted_at,
            status=r.status,
            answers=keys.open_answers(r.answers),
            notes=keys.open_notes(r.notes),
            files=files.get(r.id, []),
            consent=consents.get(r.conversation_id),
            closed_at=r.closed_at,
            kept_until=_kept_until(conn, flows, r),
            on_hold=r.hold_reason is not None,
        )
        for r in rows
    ]
    return ClaimantData(channel, cases, _interview(conn, keys, channel, user_key))


def _interview(
    conn: Connection, keys: Keyring, channel: str, user_key: str
) -> OpenInterview | None:
    v = CONVERSATIONS.c
    row = conn.execute(
        select(v.id, v.state, v.updated_at).where(
            v.channel == channel, v.user_key == user_key, v.status == literal_column("'active'")
        )
    ).first()
    if row is None:
        return None
    state = keys.open_state(Conversation.from_json(row.state))
    consent = _consents(conn, [row.id]).get(row.id)
    return OpenInterview(
        state.flow_id, state.flow_version, state.step, state.answers, row.updated_at, consent
    )


def _consents(conn: Connection, conversation_ids: list[int]) -> dict[int | None, ConsentGiven]:
    if not conversation_ids:
        return {}
    k = CONSENTS.c
    rows = conn.execute(
        select(CONSENTS).where(k.conversation_id.in_(conversation_ids)).order_by(k.accepted_at)
    )
    return {
        r.conversation_id: ConsentGiven(
            r.accepted_at, r.flow_id, r.flow_version, r.text_hash, r.language, r.withdrawn_at
        )
        for r in rows
    }


def _files(conn: Connection, keys: Keyring, case_ids: list[int]) -> dict[int, list[StoredFile]]:
    found: dict[int, list[StoredFile]] = {}
    if not case_ids:
        return found
    a = ATTACHMENTS.c
    for r in conn.execute(
        select(a.case_id, a.kind, a.name, a.size).where(a.case_id.in_(case_ids)).order_by(a.id)
    ):
        found.setdefault(r.case_id, []).append(
            StoredFile(r.kind, keys.open(r.name, "file_name"), r.size)
        )
    return found


def _kept_until(conn: Connection, flows: FlowVersions, row: Any) -> dt.datetime | None:
    retention = flows.get(conn, row.flow_id, row.flow_version).flow.retention
    if retention is None:
        return None
    latest = span(retention.longest_after_filing).after(_aware(row.submitted_at))
    if row.closed_at is None:
        return latest
    return min(latest, span(retention.after_closing).after(_aware(row.closed_at)))


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)

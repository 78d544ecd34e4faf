"""What storage hands back to its callers: small frozen dataclasses, never table rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from flows import Conversation, Outcome


@dataclass(frozen=True)
class StoredConversation:
    """The open conversation of a user, with the version an update must match."""

    id: int
    version: int
    state: Conversation


@dataclass(frozen=True)
class CaseRef:
    reference: str
    id: int


@dataclass(frozen=True)
class Applied:
    """What one ``Store.apply`` did; ``duplicate`` means the update was seen before."""

    outcome: Outcome | None
    case: CaseRef | None = None
    duplicate: bool = False


@dataclass(frozen=True)
class CaseSummary:
    reference: str
    flow_id: str
    submitted_at: dt.datetime
    status: str


@dataclass(frozen=True)
class AttachmentRecord:
    file_id: str
    kind: str
    size: int | None
    name: str | None
    mime_type: str | None
    stored_path: str | None


@dataclass(frozen=True)
class CaseRecord:
    """A whole case as filed (minus what an erasure removed)."""

    id: int
    reference: str
    flow_id: str
    flow_version: str
    channel: str
    user_key: str
    conversation_id: int | None
    submitted_at: dt.datetime
    incident_day: dt.date
    amount_total: int
    status: str
    duplicate_of: str | None
    answers: dict[str, Any]
    notes: dict[str, Any]
    erased_at: dt.datetime | None
    attachments: list[AttachmentRecord] = field(default_factory=list)
    estimates: list[str] = field(default_factory=list)
    """The fields whose amount the claimant gave as an estimate ("about 50,000 won")."""


@dataclass(frozen=True)
class Erasure:
    """What erasing a user removed; ``stored_paths`` are files the caller must delete."""

    pseudonym: str
    conversations: int
    cases: int
    attachments: int
    stored_paths: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DueDeadline:
    """A deadline whose time has come, with the conversation's address to act on it."""

    id: int
    conversation_id: int
    kind: str
    due_at: dt.datetime
    channel: str
    user_key: str

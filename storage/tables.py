"""The database tables, as SQLModel models; the queries that use them live in other modules."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Column,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Table,
    Text,
    UniqueConstraint,
    inspect,
    text,
)
from sqlmodel import Field, SQLModel

METADATA = SQLModel.metadata
METADATA.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s",
    "pk": "pk_%(table_name)s",
}
"""Every constraint gets a predictable name, so migrations can refer to it on both databases."""

CONVERSATION_STATUSES = ("active", "finished", "cancelled", "abandoned")
CASE_STATUSES = ("received", "duplicate", "unrelated", "reviewed", "rejected", "in_review")
REVIEWING_STATUSES = ("in_review",)
"""An operator is working on the case: the retention purge leaves it alone and says so."""
CLOSING_STATUSES = ("duplicate", "unrelated", "reviewed", "rejected")
"""Review is over: the case's closing date is set and its retention clock starts."""
COUNTED_STATUSES = ("received", "reviewed", "in_review")
"""Cases in these statuses count in reports; duplicates, unrelated and rejected ones do not."""
ATTACHMENT_KINDS = ("photo", "document")


def table_of(model: type[SQLModel]) -> Table:
    """The Core table behind a table model, typed (SQLModel's types do not declare ``__table__``)."""
    table = inspect(model).local_table
    if not isinstance(table, Table):
        raise TypeError(f"{model.__name__} is not a table model")
    return table


def _one_of(column: str, values: tuple[str, ...], name: str) -> CheckConstraint:
    listed = ", ".join(f"'{v}'" for v in values)
    return CheckConstraint(f"{column} IN ({listed})", name=name)


class ConversationRow(SQLModel, table=True):
    """One claimant's interview in one flow version; ``state`` is the engine's JSON."""

    __tablename__ = "conversations"
    __table_args__ = (
        Index(
            "uq_conversations_active_user",
            "channel",
            "user_key",
            unique=True,
            sqlite_where=text("status = 'active'"),
            postgresql_where=text("status = 'active'"),
        ),
        Index("ix_conversations_user", "channel", "user_key"),
        Index("ix_conversations_funnel", "flow_id", "status", "step", "updated_at"),
        _one_of("status", CONVERSATION_STATUSES, "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=32)
    user_key: str = Field(max_length=128)
    flow_id: str = Field(max_length=60)
    flow_version: str = Field(max_length=64)
    language: str = Field(max_length=8)
    status: str = Field(max_length=16)
    step: str = Field(max_length=40)
    state: str = Field(sa_column=Column(Text, nullable=False))
    version: int = Field(default=1, description="Optimistic lock: bumped by every update.")
    created_at: dt.datetime
    updated_at: dt.datetime


class FlowVersionRow(SQLModel, table=True):
    """The exact source of every flow version that ever asked a question."""

    __tablename__ = "flow_versions"

    flow_id: str = Field(max_length=60, primary_key=True)
    version: str = Field(max_length=64, primary_key=True)
    source: str = Field(sa_column=Column(Text, nullable=False))
    published_at: dt.datetime


class FlowReleaseRow(SQLModel, table=True):
    """Which stored version of a flow new conversations get: the newest row per flow wins.

    Every publish and rollback adds a row (never updates one), so the rows are the flow's
    release history; who did it and why travel with it.
    """

    __tablename__ = "flow_releases"
    __table_args__ = (
        ForeignKeyConstraint(
            ["flow_id", "version"],
            ["flow_versions.flow_id", "flow_versions.version"],
        ),
        Index("ix_flow_releases_flow", "flow_id", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    flow_id: str = Field(max_length=60)
    version: str = Field(max_length=64)
    released_by: str = Field(max_length=128)
    released_at: dt.datetime
    note: str = Field(default="", max_length=500)


class FlowDraftRow(SQLModel, table=True):
    """An admin's unpublished edit of a flow (one per flow), kept even while it has errors."""

    __tablename__ = "flow_drafts"

    flow_id: str = Field(max_length=60, primary_key=True)
    source: str = Field(sa_column=Column(Text, nullable=False))
    saved_by: str = Field(max_length=128)
    saved_at: dt.datetime


class CaseRow(SQLModel, table=True):
    """A filed damage report: every answer as JSON, plus the columns reports group on."""

    __tablename__ = "cases"
    __table_args__ = (
        ForeignKeyConstraint(
            ["flow_id", "flow_version"],
            ["flow_versions.flow_id", "flow_versions.version"],
        ),
        Index("ix_cases_user", "channel", "user_key"),
        Index("ix_cases_report", "flow_id", "status", "incident_day"),
        Index("ix_cases_review", "flow_id", "status", "id"),
        Index("ix_cases_flow_order", "flow_id", "id"),
        Index("ix_cases_set_apart", "flow_id", "status", "duplicate_rule"),
        _one_of("status", CASE_STATUSES, "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(max_length=40, unique=True)
    flow_id: str = Field(max_length=60)
    flow_version: str = Field(max_length=64)
    channel: str = Field(max_length=32)
    user_key: str = Field(max_length=128)
    conversation_id: int | None = Field(
        default=None,
        unique=True,
        sa_column_args=[ForeignKey("conversations.id", ondelete="SET NULL")],
    )
    submitted_at: dt.datetime
    incident_day: dt.date
    amount_total: int = Field(default=0, sa_type=BigInteger)
    status: str = Field(default="received", max_length=16)
    duplicate_of: int | None = Field(default=None, foreign_key="cases.id", ondelete="SET NULL")
    answers: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    notes: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    estimates: list[str] = Field(
        default_factory=list,
        sa_type=JSON,
        description="Fields whose answer the claimant gave as an estimate (약 50만원).",
    )
    erased_at: dt.datetime | None = None
    duplicate_rule: str | None = Field(default=None, max_length=32)
    assigned_to: str | None = Field(default=None, max_length=128)
    locked_by: str | None = Field(default=None, max_length=128)
    locked_until: dt.datetime | None = None
    closed_at: dt.datetime | None = Field(
        default=None, description="When review closed it: the retention clock starts here."
    )
    hold_reason: str | None = Field(
        default=None, max_length=500, description="Legal hold: never purged while set."
    )
    held_at: dt.datetime | None = None
    purged_at: dt.datetime | None = Field(
        default=None, description="When the retention purge anonymised it."
    )


class CaseDimensionRow(SQLModel, table=True):
    """One value of one declared dimension of a case (a multi-choice gives one row per option)."""

    __tablename__ = "case_dimensions"
    __table_args__ = (
        Index("ix_case_dimensions_report", "flow_id", "name", "value", "day", "counted", "amount"),
        Index("ix_case_dimensions_case", "case_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", ondelete="CASCADE")
    flow_id: str = Field(max_length=60)
    name: str = Field(max_length=40)
    value: str | None = Field(default=None, max_length=200)
    amount: int | None = Field(default=None, sa_type=BigInteger)
    day: dt.date
    counted: bool


class CaseCrossingRow(SQLModel, table=True):
    """One combination of values of a pair of dimensions the flow counts together."""

    __tablename__ = "case_crossings"
    __table_args__ = (
        Index(
            "ix_case_crossings_report",
            "flow_id",
            "a_name",
            "b_name",
            "a_value",
            "b_value",
            "day",
            "counted",
        ),
        Index("ix_case_crossings_case", "case_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", ondelete="CASCADE")
    flow_id: str = Field(max_length=60)
    a_name: str = Field(max_length=40)
    a_value: str | None = Field(default=None, max_length=200)
    b_name: str = Field(max_length=40)
    b_value: str | None = Field(default=None, max_length=200)
    day: dt.date
    counted: bool


class ConsentRow(SQLModel, table=True):
    """A claimant accepted the consent text (hashed, in their language) of a flow version."""

    __tablename__ = "consents"
    __table_args__ = (Index("ix_consents_conversation", "conversation_id"),)

    id: int | None = Field(default=None, primary_key=True)
    conversation_id: int | None = Field(
        default=None, foreign_key="conversations.id", ondelete="SET NULL"
    )
    flow_id: str = Field(max_length=60)
    flow_version: str = Field(max_length=64)
    step: str = Field(max_length=40)
    text_hash: str = Field(max_length=64)
    language: str = Field(max_length=8)
    accepted_at: dt.datetime
    withdrawn_at: dt.datetime | None = None


class AttachmentRow(SQLModel, table=True):
    """A photo or document filed with a case, kept by the channel's file id."""

    __tablename__ = "attachments"
    __table_args__ = (
        Index("ix_attachments_case", "case_id"),
        _one_of("kind", ATTACHMENT_KINDS, "kind"),
    )

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", ondelete="CASCADE")
    file_id: str = Field(max_length=255)
    kind: str = Field(max_length=16)
    size: int | None = Field(default=None, sa_type=BigInteger)
    name: str | None = Field(default=None, max_length=255)
    mime_type: str | None = Field(default=None, max_length=100)
    stored_path: str | None = Field(default=None, max_length=500)


class ProcessedUpdateRow(SQLModel, table=True):
    """A channel update already applied: a redelivery of it is ignored."""

    __tablename__ = "processed_updates"
    __table_args__ = (Index("ix_processed_updates_at", "processed_at"),)

    channel: str = Field(max_length=32, primary_key=True)
    update_key: str = Field(max_length=128, primary_key=True)
    processed_at: dt.datetime


class DeadlineRow(SQLModel, table=True):
    """Something due for a conversation (a reminder); re-armed from here after a restart."""

    __tablename__ = "deadlines"
    __table_args__ = (
        UniqueConstraint("conversation_id", "kind"),
        Index("ix_deadlines_due", "done_at", "due_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    conversation_id: int = Field(foreign_key="conversations.id", ondelete="CASCADE")
    kind: str = Field(max_length=32)
    due_at: dt.datetime
    done_at: dt.datetime | None = None


class AuditEventRow(SQLModel, table=True):
    """Who exported, erased, published or re-classified what, and when; no personal data."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_at", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime
    actor: str = Field(max_length=128)
    action: str = Field(max_length=32)
    subject: str = Field(max_length=200)
    detail: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)


class ReportCountRow(SQLModel, table=True):
    """A running count the report reads instead of scanning millions of rows.

    One cell per (dimension value, day), per (crossing pair of values, day) and per (status,
    day); kept in step with the case rows in the same transactions (see storage.rollup).
    Empty strings stand for "not answered" and "no second dimension": a key cannot be NULL.
    """

    __tablename__ = "report_counts"

    flow_id: str = Field(max_length=60, primary_key=True)
    a_name: str = Field(max_length=40, primary_key=True)
    a_value: str = Field(max_length=200, primary_key=True)
    b_name: str = Field(max_length=40, primary_key=True)
    b_value: str = Field(max_length=200, primary_key=True)
    day: dt.date = Field(primary_key=True)
    cases: int = Field(default=0, sa_type=BigInteger)
    amount_cases: int = Field(default=0, sa_type=BigInteger)
    amount: int = Field(default=0, sa_type=BigInteger)


# -- the operators' desk (migration 0003) -------------------------------------------------

EXPORT_STATES = ("queued", "running", "done", "failed")
EXPORT_FORMATS = ("csv", "xlsx", "jsonl", "parquet")
CASE_LINK_KINDS = ("duplicate", "similar")


class ExportJobRow(SQLModel, table=True):
    """One export of cases to a file: asked for by someone, run by whichever process claims it.

    A worker claims a queued job (or one whose lease ran out: its worker died) by writing its
    own ``claim_token`` and a ``lease_until``; only the holder of the token may finish it.
    """

    __tablename__ = "exports"
    __table_args__ = (
        Index("ix_exports_state", "state", "lease_until"),
        _one_of("state", EXPORT_STATES, "state"),
        _one_of("format", EXPORT_FORMATS, "format"),
    )

    id: int | None = Field(default=None, primary_key=True)
    actor: str = Field(max_length=128)
    created_at: dt.datetime
    flow_id: str = Field(max_length=60)
    filters: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    format: str = Field(max_length=16)
    masked: bool = True
    language: str = Field(max_length=8)
    state: str = Field(default="queued", max_length=16)
    rows_done: int = Field(default=0, sa_type=BigInteger)
    rows_total: int | None = Field(default=None, sa_type=BigInteger)
    path: str | None = Field(default=None, max_length=500)
    size: int | None = Field(default=None, sa_type=BigInteger)
    sha256: str | None = Field(default=None, max_length=64)
    claim_token: str | None = Field(default=None, max_length=64)
    lease_until: dt.datetime | None = None
    attempts: int = 0
    started_at: dt.datetime | None = None
    finished_at: dt.datetime | None = None
    error: str | None = Field(default=None, max_length=500)
    deliver_to: dict[str, Any] = Field(
        default_factory=dict, sa_type=JSON, description="Where to send the file when done."
    )
    delivered_at: dt.datetime | None = None


class CaseEventRow(SQLModel, table=True):
    """One change in a case's review: who, when, why, from which status to which."""

    __tablename__ = "case_events"
    __table_args__ = (Index("ix_case_events_case", "case_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", ondelete="CASCADE")
    at: dt.datetime
    actor: str = Field(max_length=128)
    action: str = Field(max_length=32)
    from_status: str | None = Field(default=None, max_length=16)
    to_status: str | None = Field(default=None, max_length=16)
    reason: str | None = Field(default=None, sa_column=Column(Text))
    detail: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)


class CaseLinkRow(SQLModel, table=True):
    """A case found to repeat (``duplicate``) or resemble (``similar``) an earlier one."""

    __tablename__ = "case_links"
    __table_args__ = (
        UniqueConstraint("case_id", "other_id", "kind"),
        Index("ix_case_links_other", "other_id"),
        _one_of("kind", CASE_LINK_KINDS, "kind"),
    )

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", ondelete="CASCADE")
    other_id: int = Field(foreign_key="cases.id", ondelete="CASCADE")
    kind: str = Field(max_length=16)
    rule: str = Field(max_length=32)
    evidence: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    at: dt.datetime


class CaseKeyRow(SQLModel, table=True):
    """A keyed hash of what identifies a claimant in a case (phone, business number, file...)
    and of what the case is about, so a repeat is found with one indexed lookup."""

    __tablename__ = "case_keys"
    __table_args__ = (
        Index("ix_case_keys_lookup", "flow_id", "rule", "key", "topic", "case_id"),
        Index("ix_case_keys_case", "case_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", ondelete="CASCADE")
    flow_id: str = Field(max_length=60)
    rule: str = Field(max_length=32)
    key: str = Field(max_length=64)
    topic: str = Field(max_length=64)


class CaseTextBandRow(SQLModel, table=True):
    """One MinHash band of a case's free text: cases sharing a band are similarity candidates."""

    __tablename__ = "case_text_bands"
    __table_args__ = (
        Index("ix_case_text_bands_lookup", "flow_id", "band", "hash"),
        Index("ix_case_text_bands_case", "case_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", ondelete="CASCADE")
    flow_id: str = Field(max_length=60)
    band: int
    hash: int = Field(sa_type=BigInteger)


class ReportAmountRow(SQLModel, table=True):
    """How many counted cases claimed exactly ``amount`` under an amount dimension, overall
    (empty group) or within one value of a category dimension: medians and percentiles come
    from these few cells instead of every case. Kept in step like ``report_counts``."""

    __tablename__ = "report_amounts"

    flow_id: str = Field(max_length=60, primary_key=True)
    amount_name: str = Field(max_length=40, primary_key=True)
    group_name: str = Field(max_length=40, primary_key=True)
    group_value: str = Field(max_length=200, primary_key=True)
    day: dt.date = Field(primary_key=True)
    amount: int = Field(sa_type=BigInteger, primary_key=True)
    cases: int = Field(default=0, sa_type=BigInteger)


class AccessLogRow(SQLModel, table=True):
    """A staff member saw personal data: who, when, which case, which fields, why.

    Kept at least two years (PIPA, over 50,000 people's data held); the retention purge never
    touches this table.
    """

    __tablename__ = "access_log"
    __table_args__ = (Index("ix_access_log_at", "at"), Index("ix_access_log_actor", "actor", "at"))

    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime
    actor: str = Field(max_length=128)
    case_ref: str = Field(
        max_length=200, description="A case reference, or '*' for a flow-wide export."
    )
    fields: list[str] = Field(default_factory=list, sa_type=JSON)
    reason: str = Field(sa_column=Column(Text, nullable=False))


class DailyJobRow(SQLModel, table=True):
    """A job that runs once a day across every process: the first to insert the row runs it."""

    __tablename__ = "daily_jobs"

    job: str = Field(max_length=32, primary_key=True)
    day: dt.date = Field(primary_key=True)
    claimed_at: dt.datetime
    claimed_by: str = Field(max_length=128)
    finished_at: dt.datetime | None = None
    detail: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)


class PiiKeyRow(SQLModel, table=True):
    """The id (a hash, never the key) of every key personal data was encrypted with."""

    __tablename__ = "pii_keys"

    key_id: str = Field(max_length=16, primary_key=True)
    added_at: dt.datetime
    retired_at: dt.datetime | None = Field(
        default=None, description="Set once rotation left no value under this key."
    )


ACCOUNT_ROLES = ("admin", "operator")
ACCOUNT_LINK_PURPOSES = ("first_admin", "set_password")


class AccountRow(SQLModel, table=True):
    """A staff member who signs in to the web console: an admin or an operator."""

    __tablename__ = "accounts"
    __table_args__ = (_one_of("role", ACCOUNT_ROLES, "role"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=64, unique=True)
    role: str = Field(max_length=16)
    password_hash: str | None = Field(default=None, max_length=255)
    created_at: dt.datetime
    password_changed_at: dt.datetime | None = None
    disabled_at: dt.datetime | None = None


class AccountLinkRow(SQLModel, table=True):
    """A one-time link (only its hash is kept): it creates the first admin or sets a password."""

    __tablename__ = "account_links"
    __table_args__ = (_one_of("purpose", ACCOUNT_LINK_PURPOSES, "purpose"),)

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    purpose: str = Field(max_length=16)
    account_id: int | None = Field(default=None, foreign_key="accounts.id", ondelete="CASCADE")
    created_at: dt.datetime
    expires_at: dt.datetime
    used_at: dt.datetime | None = None


class WebSessionRow(SQLModel, table=True):
    """A signed-in browser; ending the row ends the session whatever the cookie says."""

    __tablename__ = "web_sessions"
    __table_args__ = (Index("ix_web_sessions_account", "account_id"),)

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    account_id: int = Field(foreign_key="accounts.id", ondelete="CASCADE")
    created_at: dt.datetime
    expires_at: dt.datetime
    ended_at: dt.datetime | None = None


class SignInFailureRow(SQLModel, table=True):
    """One failed sign-in, by account name or by (hashed) address, for the rate limit."""

    __tablename__ = "sign_in_failures"
    __table_args__ = (
        Index("ix_sign_in_failures_key", "key", "at"),
        Index("ix_sign_in_failures_at", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=128)
    at: dt.datetime


class WebSecretRow(SQLModel, table=True):
    """A secret every web process shares (the cookie-signing key), made once on first start."""

    __tablename__ = "web_secrets"

    name: str = Field(max_length=40, primary_key=True)
    value: str = Field(max_length=200)

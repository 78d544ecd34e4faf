"""Initial schema: conversations, cases with their report rows, consents, and bookkeeping.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    _bookkeeping()
    _conversations()
    _cases()
    _report_rows()
    _case_children()


def _bookkeeping() -> None:
    op.create_table(
        "flow_versions",
        sa.Column("flow_id", sa.String(60), nullable=False),
        sa.Column("version", sa.String(64), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("published_at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("flow_id", "version", name="pk_flow_versions"),
    )
    op.create_table(
        "processed_updates",
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("update_key", sa.String(128), nullable=False),
        sa.Column("processed_at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("channel", "update_key", name="pk_processed_updates"),
    )
    op.create_index("ix_processed_updates_at", "processed_updates", ["processed_at"])
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", TIME, nullable=False),
        sa.Column("actor", sa.String(128), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_events"),
    )
    op.create_index("ix_audit_events_at", "audit_events", ["at"])


def _conversations() -> None:
    op.create_table(
        "conversations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("user_key", sa.String(128), nullable=False),
        sa.Column("flow_id", sa.String(60), nullable=False),
        sa.Column("flow_version", sa.String(64), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("step", sa.String(40), nullable=False),
        sa.Column("state", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("updated_at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_conversations"),
        sa.CheckConstraint(
            "status IN ('active', 'finished', 'cancelled', 'abandoned')",
            name="ck_conversations_status",
        ),
    )
    op.create_index(
        "uq_conversations_active_user",
        "conversations",
        ["channel", "user_key"],
        unique=True,
        sqlite_where=sa.text("status = 'active'"),
        postgresql_where=sa.text("status = 'active'"),
    )
    op.create_index("ix_conversations_user", "conversations", ["channel", "user_key"])
    op.create_table(
        "deadlines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("due_at", TIME, nullable=False),
        sa.Column("done_at", TIME, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_deadlines"),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name="fk_deadlines_conversation_id",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("conversation_id", "kind", name="uq_deadlines_conversation_id_kind"),
    )
    op.create_index("ix_deadlines_due", "deadlines", ["done_at", "due_at"])
    op.create_table(
        "consents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=True),
        sa.Column("flow_id", sa.String(60), nullable=False),
        sa.Column("flow_version", sa.String(64), nullable=False),
        sa.Column("step", sa.String(40), nullable=False),
        sa.Column("text_hash", sa.String(64), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("accepted_at", TIME, nullable=False),
        sa.Column("withdrawn_at", TIME, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_consents"),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name="fk_consents_conversation_id",
            ondelete="SET NULL",
        ),
    )
    op.create_index("ix_consents_conversation", "consents", ["conversation_id"])


def _cases() -> None:
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(40), nullable=False),
        sa.Column("flow_id", sa.String(60), nullable=False),
        sa.Column("flow_version", sa.String(64), nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("user_key", sa.String(128), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=True),
        sa.Column("submitted_at", TIME, nullable=False),
        sa.Column("incident_day", sa.Date(), nullable=False),
        sa.Column("amount_total", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("duplicate_of", sa.Integer(), nullable=True),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("notes", sa.JSON(), nullable=False),
        sa.Column("erased_at", TIME, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_cases"),
        sa.UniqueConstraint("reference", name="uq_cases_reference"),
        sa.UniqueConstraint("conversation_id", name="uq_cases_conversation_id"),
        sa.ForeignKeyConstraint(
            ["flow_id", "flow_version"],
            ["flow_versions.flow_id", "flow_versions.version"],
            name="fk_cases_flow_id_flow_version",
        ),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name="fk_cases_conversation_id",
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["duplicate_of"], ["cases.id"], name="fk_cases_duplicate_of", ondelete="SET NULL"
        ),
        sa.CheckConstraint(
            "status IN ('received', 'duplicate', 'unrelated', 'reviewed', 'rejected')",
            name="ck_cases_status",
        ),
    )
    op.create_index("ix_cases_user", "cases", ["channel", "user_key"])
    op.create_index("ix_cases_report", "cases", ["flow_id", "status", "incident_day"])


def _report_rows() -> None:
    op.create_table(
        "case_dimensions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("flow_id", sa.String(60), nullable=False),
        sa.Column("name", sa.String(40), nullable=False),
        sa.Column("value", sa.String(200), nullable=True),
        sa.Column("amount", sa.BigInteger(), nullable=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("counted", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_case_dimensions"),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name="fk_case_dimensions_case_id", ondelete="CASCADE"
        ),
    )
    op.create_index(
        "ix_case_dimensions_report",
        "case_dimensions",
        ["flow_id", "name", "value", "day", "counted", "amount"],
    )
    op.create_index("ix_case_dimensions_case", "case_dimensions", ["case_id"])
    op.create_table(
        "case_crossings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("flow_id", sa.String(60), nullable=False),
        sa.Column("a_name", sa.String(40), nullable=False),
        sa.Column("a_value", sa.String(200), nullable=True),
        sa.Column("b_name", sa.String(40), nullable=False),
        sa.Column("b_value", sa.String(200), nullable=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("counted", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_case_crossings"),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name="fk_case_crossings_case_id", ondelete="CASCADE"
        ),
    )
    op.create_index(
        "ix_case_crossings_report",
        "case_crossings",
        ["flow_id", "a_name", "b_name", "a_value", "b_value", "day", "counted"],
    )
    op.create_index("ix_case_crossings_case", "case_crossings", ["case_id"])
    op.create_table(
        "report_counts",
        sa.Column("flow_id", sa.String(60), nullable=False),
        sa.Column("a_name", sa.String(40), nullable=False),
        sa.Column("a_value", sa.String(200), nullable=False),
        sa.Column("b_name", sa.String(40), nullable=False),
        sa.Column("b_value", sa.String(200), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("cases", sa.BigInteger(), nullable=False),
        sa.Column("amount_cases", sa.BigInteger(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint(
            "flow_id", "a_name", "a_value", "b_name", "b_value", "day", name="pk_report_counts"
        ),
    )


def _case_children() -> None:
    op.create_table(
        "attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.String(255), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=True),
        sa.Column("name", sa.String(255), nullable=True),
        sa.Column("mime_type", sa.String(100), nullable=True),
        sa.Column("stored_path", sa.String(500), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_attachments"),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name="fk_attachments_case_id", ondelete="CASCADE"
        ),
        sa.CheckConstraint("kind IN ('photo', 'document')", name="ck_attachments_kind"),
    )
    op.create_index("ix_attachments_case", "attachments", ["case_id"])


def downgrade() -> None:
    for table in (
        "report_counts",
        "attachments",
        "case_crossings",
        "case_dimensions",
        "cases",
        "consents",
        "deadlines",
        "conversations",
        "audit_events",
        "processed_updates",
        "flow_versions",
    ):
        op.drop_table(table)

"""Operators' desk: export jobs, case review (in_review, events, assignment, locks),
duplicate keys and text bands, links between cases, and amount cells for medians.

Revision ID: 0003
Revises: 0002 (chained after main: 0001 -> 0004 -> 0002)
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None

TIME = sa.DateTime(timezone=True)
OLD_STATUSES = "status IN ('received', 'duplicate', 'unrelated', 'reviewed', 'rejected')"
NEW_STATUSES = (
    "status IN ('received', 'duplicate', 'unrelated', 'reviewed', 'rejected', 'in_review')"
)


def upgrade() -> None:
    _case_columns()
    _case_status_check(OLD_STATUSES, NEW_STATUSES)
    _exports()
    _review_and_duplicates()
    _report_amounts()


def _case_columns() -> None:
    # Case-list pages by status in filing order: found and ordered by one index.
    op.create_index("ix_cases_review", "cases", ["flow_id", "status", "id"])
    op.create_index(
        "ix_conversations_funnel", "conversations", ["flow_id", "status", "step", "updated_at"]
    )
    op.add_column("cases", sa.Column("duplicate_rule", sa.String(32), nullable=True))
    op.add_column("cases", sa.Column("assigned_to", sa.String(128), nullable=True))
    op.add_column("cases", sa.Column("locked_by", sa.String(128), nullable=True))
    op.add_column("cases", sa.Column("locked_until", TIME, nullable=True))


def _case_status_check(old: str, new: str) -> None:
    """Allow the new status. SQLite cannot alter a CHECK constraint, and rebuilding ``cases``
    would cascade-delete its report rows (foreign keys are on), so the stored table definition
    is edited in place, as SQLite documents for changes that leave the stored rows valid."""
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.drop_constraint("ck_cases_status", "cases", type_="check")
        op.create_check_constraint("ck_cases_status", "cases", new)
        return
    version = bind.exec_driver_sql("PRAGMA schema_version").scalar_one()
    bind.exec_driver_sql("PRAGMA writable_schema=ON")
    bind.exec_driver_sql(
        "UPDATE sqlite_master SET sql = replace(sql, ?, ?) WHERE type = 'table' AND name = 'cases'",
        (old, new),
    )
    bind.exec_driver_sql(f"PRAGMA schema_version={int(version) + 1}")
    bind.exec_driver_sql("PRAGMA writable_schema=OFF")


def _exports() -> None:
    op.create_table(
        "exports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("actor", sa.String(128), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("flow_id", sa.String(60), nullable=False),
        sa.Column("filters", sa.JSON(), nullable=False),
        sa.Column("format", sa.String(16), nullable=False),
        sa.Column("masked", sa.Boolean(), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("rows_done", sa.BigInteger(), nullable=False),
        sa.Column("rows_total", sa.BigInteger(), nullable=True),
        sa.Column("path", sa.String(500), nullable=True),
        sa.Column("size", sa.BigInteger(), nullable=True),
        sa.Column("sha256", sa.String(64), nullable=True),
        sa.Column("claim_token", sa.String(64), nullable=True),
        sa.Column("lease_until", TIME, nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("started_at", TIME, nullable=True),
        sa.Column("finished_at", TIME, nullable=True),
        sa.Column("error", sa.String(500), nullable=True),
        sa.Column("deliver_to", sa.JSON(), nullable=False),
        sa.Column("delivered_at", TIME, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_exports"),
        sa.CheckConstraint(
            "state IN ('queued', 'running', 'done', 'failed')", name="ck_exports_state"
        ),
        sa.CheckConstraint(
            "format IN ('csv', 'xlsx', 'jsonl', 'parquet')", name="ck_exports_format"
        ),
    )
    op.create_index("ix_exports_state", "exports", ["state", "lease_until"])


def _review_and_duplicates() -> None:
    op.create_table(
        "case_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("at", TIME, nullable=False),
        sa.Column("actor", sa.String(128), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("from_status", sa.String(16), nullable=True),
        sa.Column("to_status", sa.String(16), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_case_events"),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], ondelete="CASCADE", name="fk_case_events_case_id"
        ),
    )
    op.create_index("ix_case_events_case", "case_events", ["case_id", "id"])
    op.create_table(
        "case_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("other_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("rule", sa.String(32), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_case_links"),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], ondelete="CASCADE", name="fk_case_links_case_id"
        ),
        sa.ForeignKeyConstraint(
            ["other_id"], ["cases.id"], ondelete="CASCADE", name="fk_case_links_other_id"
        ),
        sa.UniqueConstraint(
            "case_id", "other_id", "kind", name="uq_case_links_case_id_other_id_kind"
        ),
        sa.CheckConstraint("kind IN ('duplicate', 'similar')", name="ck_case_links_kind"),
    )
    op.create_index("ix_case_links_other", "case_links", ["other_id"])
    op.create_table(
        "case_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("flow_id", sa.String(60), nullable=False),
        sa.Column("rule", sa.String(32), nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("topic", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_case_keys"),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], ondelete="CASCADE", name="fk_case_keys_case_id"
        ),
    )
    op.create_index(
        "ix_case_keys_lookup", "case_keys", ["flow_id", "rule", "key", "topic", "case_id"]
    )
    op.create_index("ix_case_keys_case", "case_keys", ["case_id"])
    op.create_table(
        "case_text_bands",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("flow_id", sa.String(60), nullable=False),
        sa.Column("band", sa.Integer(), nullable=False),
        sa.Column("hash", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_case_text_bands"),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], ondelete="CASCADE", name="fk_case_text_bands_case_id"
        ),
    )
    op.create_index("ix_case_text_bands_lookup", "case_text_bands", ["flow_id", "band", "hash"])
    op.create_index("ix_case_text_bands_case", "case_text_bands", ["case_id"])


def _report_amounts() -> None:
    op.create_table(
        "report_amounts",
        sa.Column("flow_id", sa.String(60), nullable=False),
        sa.Column("amount_name", sa.String(40), nullable=False),
        sa.Column("group_name", sa.String(40), nullable=False),
        sa.Column("group_value", sa.String(200), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("cases", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint(
            "flow_id",
            "amount_name",
            "group_name",
            "group_value",
            "day",
            "amount",
            name="pk_report_amounts",
        ),
    )


def downgrade() -> None:
    for table in ("report_amounts", "case_text_bands", "case_keys", "case_links", "case_events"):
        op.drop_table(table)
    op.drop_table("exports")
    op.drop_index("ix_conversations_funnel", "conversations")
    op.drop_index("ix_cases_review", "cases")
    op.execute("UPDATE cases SET status = 'received' WHERE status = 'in_review'")
    _case_status_check(NEW_STATUSES, OLD_STATUSES)
    for column in ("locked_until", "locked_by", "assigned_to", "duplicate_rule"):
        op.drop_column("cases", column)

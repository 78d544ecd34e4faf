"""Privacy lifecycle: case closing and legal hold, retention purge, access log, key ids.

Revision ID: 0005
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None

TIME = sa.DateTime(timezone=True)
CASE_COLUMNS = ("closed_at", "hold_reason", "held_at", "purged_at")


def upgrade() -> None:
    # "in_review" (a case an operator is working on: the purge leaves it alone) came with
    # 0003, the operators' desk.
    with op.batch_alter_table("cases") as cases:
        cases.add_column(sa.Column("closed_at", TIME, nullable=True))
        cases.add_column(sa.Column("hold_reason", sa.String(500), nullable=True))
        cases.add_column(sa.Column("held_at", TIME, nullable=True))
        cases.add_column(sa.Column("purged_at", TIME, nullable=True))
    op.create_table(
        "access_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", TIME, nullable=False),
        sa.Column("actor", sa.String(128), nullable=False),
        sa.Column("case_ref", sa.String(200), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_access_log"),
    )
    op.create_index("ix_access_log_at", "access_log", ["at"])
    op.create_index("ix_access_log_actor", "access_log", ["actor", "at"])
    op.create_table(
        "daily_jobs",
        sa.Column("job", sa.String(32), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("claimed_at", TIME, nullable=False),
        sa.Column("claimed_by", sa.String(128), nullable=False),
        sa.Column("finished_at", TIME, nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("job", "day", name="pk_daily_jobs"),
    )
    op.create_table(
        "pii_keys",
        sa.Column("key_id", sa.String(16), nullable=False),
        sa.Column("added_at", TIME, nullable=False),
        sa.Column("retired_at", TIME, nullable=True),
        sa.PrimaryKeyConstraint("key_id", name="pk_pii_keys"),
    )


def downgrade() -> None:
    for table in ("pii_keys", "daily_jobs", "access_log"):
        op.drop_table(table)
    with op.batch_alter_table("cases") as cases:
        for column in CASE_COLUMNS:
            cases.drop_column(column)

"""Flow drafts: an admin's unpublished edit of a flow, saved from the console.

Revision ID: 0006
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "flow_drafts",
        sa.Column("flow_id", sa.String(60), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("saved_by", sa.String(128), nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("flow_id", name="pk_flow_drafts"),
    )


def downgrade() -> None:
    op.drop_table("flow_drafts")

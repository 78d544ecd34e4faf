"""Flow releases: which stored flow version new conversations get, with its history.

Revision ID: 0002
Revises: 0004 (merged after the web accounts; was 0001)
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0004"  # chained after main's 0004 when main was merged in
branch_labels: str | None = None
depends_on: str | None = None

TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "flow_releases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("flow_id", sa.String(60), nullable=False),
        sa.Column("version", sa.String(64), nullable=False),
        sa.Column("released_by", sa.String(128), nullable=False),
        sa.Column("released_at", TIME, nullable=False),
        sa.Column("note", sa.String(500), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_flow_releases"),
        sa.ForeignKeyConstraint(
            ["flow_id", "version"],
            ["flow_versions.flow_id", "flow_versions.version"],
            name="fk_flow_releases_flow_id_version",
        ),
    )
    op.create_index("ix_flow_releases_flow", "flow_releases", ["flow_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_flow_releases_flow", table_name="flow_releases")
    op.drop_table("flow_releases")

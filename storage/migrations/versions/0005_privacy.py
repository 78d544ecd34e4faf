"""Privacy lifecycle: case closing and legal hold, retention purge, access log, key ids.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None

TIME = sa.DateTime(timezone=True)
CASE_COLUMNS = ("closed_at", "hold_reason", "held_at", "purged_at")
STATUSES = ("received", "in_review", "duplicate", "unrelated", "reviewed", "rejected")
OLD_STATUSES = ("received", "duplicate", "unrelated", "reviewed", "rejected")


def _status_check(statuses: tuple[str, ...]) -> str:
    return "status IN (" + ", ".join(f"'{s}'" for s in statuses) + ")"


def _widen_status_check(old: tuple[str, ...], new: tuple[str, ...]) -> None:
    """Replace the CHECK on cases.status.

    SQLite cannot alter a CHECK, and rebuilding the table (batch mode) would, with foreign
    keys on, cascade the implicit DELETE of the old table into every case's report rows. Its
    documented alternative for loosening a constraint is editing the stored schema text
    (sqlite.org/lang_altertable.html, "making other kinds of table schema changes").
    """
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        op.drop_constraint("ck_cases_status", "cases", type_="check")
        op.create_check_constraint("ck_cases_status", "cases", _status_check(new))
        return
    version = bind.exec_driver_sql("PRAGMA schema_version").scalar_one()
    bind.exec_driver_sql("PRAGMA writable_schema=ON")
    bind.exec_driver_sql(
        "UPDATE sqlite_master SET sql = replace(sql, ?, ?) WHERE type = 'table' AND name = 'cases'",
        (_status_check(old), _status_check(new)),
    )
    bind.exec_driver_sql(f"PRAGMA schema_version={int(version) + 1}")
    bind.exec_driver_sql("PRAGMA writable_schema=OFF")


def upgrade() -> None:
    # "in_review" (a case an operator is working on: the purge leaves it alone) joins the
    # statuses.
    _widen_status_check(OLD_STATUSES, STATUSES)
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
    _widen_status_check(STATUSES, OLD_STATUSES)
    with op.batch_alter_table("cases") as cases:
        for column in CASE_COLUMNS:
            cases.drop_column(column)

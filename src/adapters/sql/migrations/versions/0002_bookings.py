"""Bookings of the working-hours calendar (issue 9): one studio never holds one time twice.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACTIVE_ONLY = sa.text("NOT cancelled")


def _when() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "bookings",
        sa.Column("reference", sa.Text(), nullable=False),
        sa.Column("studio", sa.Text(), nullable=False),
        sa.Column("lead_id", sa.Text(), nullable=False),
        sa.Column("start", _when(), nullable=False),
        sa.Column("end", _when(), nullable=False),
        sa.Column("clear_until", _when(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("cancelled", sa.Boolean(), nullable=False),
        sa.Column("created_at", _when(), nullable=False),
        sa.PrimaryKeyConstraint("reference", name="pk_bookings"),
    )
    op.create_index(
        "ix_bookings_studio_lead_id_start_active",
        "bookings",
        ["studio", "lead_id", "start"],
        unique=True,
        postgresql_where=ACTIVE_ONLY,
        sqlite_where=ACTIVE_ONLY,
    )
    op.create_index("ix_bookings_studio_start", "bookings", ["studio", "start"])
    if op.get_bind().dialect.name == "postgresql":
        # Two active bookings of one studio never overlap, buffer included (B-36).
        op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        op.execute(
            "ALTER TABLE bookings ADD CONSTRAINT ex_bookings_studio_time "
            "EXCLUDE USING gist (studio WITH =, tstzrange(start, clear_until) WITH &&) "
            "WHERE (NOT cancelled)"
        )


def downgrade() -> None:
    op.drop_table("bookings")

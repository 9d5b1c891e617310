"""The sweeper and erasure (issue 10): leads.erased_at, silent-lead index, opt-out hashes.

Revision ID: 0004
Revises: 0005
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0005"  # re-chained after 0005_api_keys landed on main
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("leads", sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index(
        "ix_leads_studio_status_last_client_message_at",
        "leads",
        ["studio", "status", "last_client_message_at"],
    )
    op.create_table(
        "optouts",
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("studio", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_optouts"),
    )


def downgrade() -> None:
    op.drop_table("optouts")
    op.drop_index("ix_leads_studio_status_last_client_message_at", table_name="leads")
    with op.batch_alter_table("leads") as batch:
        batch.drop_column("erased_at")

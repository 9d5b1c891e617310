"""The shared per-number send pacing (issue 12, B-29): one row per sending number.

Revision ID: 0006
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sender_pace",
        sa.Column("sender", sa.Text(), nullable=False),
        sa.Column("next_slot", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("sender", name="pk_sender_pace"),
    )


def downgrade() -> None:
    op.drop_table("sender_pace")

"""Leads' updates in place (issue 12): the silent-lead index goes.

Every client message moves ``leads.last_client_message_at``; while an index held it,
no update of a lead could be a heap-only (HOT) one, so each message added a version of
its lead to all seven of the table's indexes. The sweeper's and erasure's look-ups of
silent leads (issue 10) filter by studio and status first: ``(studio, status,
created_at)`` serves them. Expand-compatible: older code runs unchanged on this schema.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_leads_studio_status_last_client_message_at", table_name="leads")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE leads SET (fillfactor = 70)")


def downgrade() -> None:
    op.create_index(
        "ix_leads_studio_status_last_client_message_at",
        "leads",
        ["studio", "status", "last_client_message_at"],
    )

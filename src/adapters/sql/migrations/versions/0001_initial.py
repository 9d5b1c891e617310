"""Initial schema: leads, answers, thread, transitions, processed ids, events, outbox.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PENDING_ONLY = sa.text("state = 'pending'")


def _when() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def _json() -> sa.types.TypeEngine[object]:
    return sa.JSON(none_as_null=True).with_variant(
        postgresql.JSONB(none_as_null=True), "postgresql"
    )


def _id() -> sa.Column[int]:
    kind = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
    return sa.Column("id", kind, nullable=False, autoincrement=True)


def _child(table: str, *columns: sa.Column[object]) -> None:
    """A lead's history (answers, thread, transitions), read back oldest first."""
    op.create_table(
        table,
        _id(),
        sa.Column("lead_id", sa.Text(), nullable=False),
        *columns,
        sa.PrimaryKeyConstraint("id", name=f"pk_{table}"),
    )
    op.create_index(f"ix_{table}_lead_id_id", table, ["lead_id", "id"])


def upgrade() -> None:
    op.create_table(
        "leads",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("studio", sa.Text(), nullable=False),
        sa.Column("contact", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text()),
        sa.Column("handover_reason", sa.Text()),
        sa.Column("created_at", _when(), nullable=False),
        sa.Column("updated_at", _when(), nullable=False),
        sa.Column("last_client_message_at", _when()),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("snapshot", _json(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_leads"),
        sa.UniqueConstraint("studio", "contact", name="uq_leads_studio_contact"),
    )
    op.create_index(
        "ix_leads_studio_status_created_at", "leads", ["studio", "status", "created_at"]
    )
    op.create_index("ix_leads_studio_created_at", "leads", ["studio", "created_at"])
    op.create_index("ix_leads_status_created_at", "leads", ["status", "created_at"])
    op.create_index("ix_leads_created_at", "leads", ["created_at"])

    _child(
        "answers",
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("message_id", sa.Text(), nullable=False),
        sa.Column("at", _when(), nullable=False),
        sa.Column("value", _json()),
        sa.Column("media", _json(), nullable=False),
    )
    _child(
        "messages",
        sa.Column("direction", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("at", _when(), nullable=False),
        sa.Column("message_id", sa.Text()),
        sa.Column("kind", sa.Text(), nullable=False),
    )
    _child(
        "transitions",
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("target", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("at", _when(), nullable=False),
    )

    op.create_table(
        "processed",
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("at", _when(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_processed"),
    )

    op.create_table(
        "events",
        _id(),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("at", _when(), nullable=False),
        sa.Column("lead_id", sa.Text()),
        sa.Column("studio", sa.Text()),
        sa.Column("level", sa.Text(), nullable=False),
        sa.Column("detail", _json(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_events"),
    )
    op.create_index("ix_events_lead_id_id", "events", ["lead_id", "id"])
    op.create_index("ix_events_kind_id", "events", ["kind", "id"])

    op.create_table(
        "outbox",
        _id(),
        sa.Column("lead_id", sa.Text(), nullable=False),
        sa.Column("studio", sa.Text(), nullable=False),
        sa.Column("recipient", sa.Text(), nullable=False),
        sa.Column("audience", sa.Text(), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("payload", _json(), nullable=False),
        sa.Column("state", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", _when()),
        sa.Column("claimed_until", _when()),
        sa.Column("created_at", _when(), nullable=False),
        sa.Column("sent_at", _when()),
        sa.Column("provider_message_id", sa.Text()),
        sa.Column("last_error", sa.Text()),
        sa.Column("delivery", sa.Text()),
        sa.Column("delivery_at", _when()),
        sa.PrimaryKeyConstraint("id", name="pk_outbox"),
    )
    op.create_index(
        "ix_outbox_id_pending",
        "outbox",
        ["id"],
        postgresql_where=PENDING_ONLY,
        sqlite_where=PENDING_ONLY,
    )
    op.create_index(
        "ix_outbox_recipient_id_pending",
        "outbox",
        ["recipient", "id"],
        postgresql_where=PENDING_ONLY,
        sqlite_where=PENDING_ONLY,
    )
    op.create_index("ix_outbox_provider_message_id", "outbox", ["provider_message_id"])
    op.create_index("ix_outbox_lead_id_id", "outbox", ["lead_id", "id"])


def downgrade() -> None:
    for table in ("outbox", "events", "processed", "transitions", "messages", "answers", "leads"):
        op.drop_table(table)

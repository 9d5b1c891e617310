"""The schema: one table per kind of record, portable between PostgreSQL and SQLite.

A lead is stored whole as a JSON snapshot (the source of truth, so new snapshot
fields need no migration) plus a few denormalised columns to query the inbox by.
Rows refer to leads by ``lead_id`` without foreign keys, as the in-memory store
does: the audit trail and the outbox outlive an erased lead, and a thread line
never fails to be recorded. Migrations in ``migrations/versions`` create exactly
this schema; an integration test compares them.
"""

from __future__ import annotations

import sqlalchemy as sa

from adapters.sql.columns import UtcDateTime, id_type, json_type

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "pk": "pk_%(table_name)s",
    }
)


leads = sa.Table(
    "leads",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("studio", sa.String(100), nullable=False),
    sa.Column("contact", sa.String(100), nullable=False),
    sa.Column("status", sa.String(40), nullable=False),
    sa.Column("step", sa.Integer, nullable=False),
    sa.Column("name", sa.Text),
    sa.Column("handover_reason", sa.String(60)),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("updated_at", UtcDateTime, nullable=False),
    sa.Column("last_client_message_at", UtcDateTime),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("snapshot", json_type(), nullable=False),
    sa.UniqueConstraint("studio", "contact"),
    sa.Index(None, "studio", "status", "created_at"),
    sa.Index(None, "studio", "created_at"),
    sa.Index(None, "status", "created_at"),
    sa.Index(None, "created_at"),
)

answers = sa.Table(
    "answers",
    metadata,
    sa.Column("id", id_type(), primary_key=True, autoincrement=True),
    sa.Column("lead_id", sa.String(64), nullable=False),
    sa.Column("key", sa.String(60), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("message_id", sa.String(200), nullable=False),
    sa.Column("at", UtcDateTime, nullable=False),
    sa.Column("value", json_type()),
    sa.Column("media", json_type(), nullable=False),
    sa.Index(None, "lead_id", "id"),
)

messages = sa.Table(
    "messages",
    metadata,
    sa.Column("id", id_type(), primary_key=True, autoincrement=True),
    sa.Column("lead_id", sa.String(64), nullable=False),
    sa.Column("direction", sa.String(3), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("at", UtcDateTime, nullable=False),
    sa.Column("message_id", sa.String(200)),
    sa.Column("kind", sa.String(30), nullable=False),
    sa.Index(None, "lead_id", "id"),
)

transitions = sa.Table(
    "transitions",
    metadata,
    sa.Column("id", id_type(), primary_key=True, autoincrement=True),
    sa.Column("lead_id", sa.String(64), nullable=False),
    sa.Column("source", sa.String(40), nullable=False),
    sa.Column("target", sa.String(40), nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("actor", sa.String(30), nullable=False),
    sa.Column("at", UtcDateTime, nullable=False),
    sa.Index(None, "lead_id", "id"),
)

# Provider ids (and other idempotency keys) processed at most once, ever (B-3).
processed = sa.Table(
    "processed",
    metadata,
    sa.Column("key", sa.String(300), primary_key=True),
    sa.Column("at", UtcDateTime, nullable=False),
)

# The audit trail: system events may name no lead.
events = sa.Table(
    "events",
    metadata,
    sa.Column("id", id_type(), primary_key=True, autoincrement=True),
    sa.Column("kind", sa.String(60), nullable=False),
    sa.Column("at", UtcDateTime, nullable=False),
    sa.Column("lead_id", sa.String(64)),
    sa.Column("studio", sa.String(100)),
    sa.Column("level", sa.String(10), nullable=False),
    sa.Column("detail", json_type(), nullable=False),
    sa.Index(None, "lead_id", "id"),
    sa.Index(None, "kind", "id"),
)

outbox = sa.Table(
    "outbox",
    metadata,
    sa.Column("id", id_type(), primary_key=True, autoincrement=True),
    sa.Column("lead_id", sa.String(64), nullable=False),
    sa.Column("studio", sa.String(100), nullable=False),
    sa.Column("recipient", sa.String(100), nullable=False),
    sa.Column("audience", sa.String(10), nullable=False),
    sa.Column("purpose", sa.String(60), nullable=False),
    sa.Column("payload", json_type(), nullable=False),  # the Outgoing, msgspec builtins
    sa.Column("state", sa.String(10), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("next_attempt_at", UtcDateTime),
    sa.Column("claimed_until", UtcDateTime),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("sent_at", UtcDateTime),
    sa.Column("provider_message_id", sa.String(200)),
    sa.Column("last_error", sa.Text),
    sa.Column("delivery", sa.String(12)),
    sa.Column("delivery_at", UtcDateTime),
    # B-26: "is there an older pending message for this recipient?" is one index probe.
    sa.Index(
        "ix_outbox_recipient_id_pending",
        "recipient",
        "id",
        postgresql_where=sa.text("state = 'pending'"),
        sqlite_where=sa.text("state = 'pending'"),
    ),
    sa.Index(None, "state", "next_attempt_at"),
    sa.Index(None, "provider_message_id"),
    sa.Index(None, "lead_id", "id"),
)

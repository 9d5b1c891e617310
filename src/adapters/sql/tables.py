"""The schema: one table per kind of record, portable between PostgreSQL and SQLite.

A lead is stored whole as a JSON snapshot (the source of truth, so new snapshot
fields need no migration) plus a few denormalised columns to query the inbox by.
Rows refer to leads by ``lead_id`` without foreign keys, as the in-memory store
does: the audit trail and the outbox outlive an erased lead, and a thread line
never fails to be recorded. Migrations in ``migrations/versions`` create exactly
this schema; an integration test compares them. Strings are ``TEXT``: no length
limit that PostgreSQL would enforce and SQLite would not.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ExcludeConstraint

from adapters.sql.columns import UtcDateTime, id_type, json_type

PENDING_ONLY = sa.text("state = 'pending'")

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
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("studio", sa.Text, nullable=False),
    sa.Column("contact", sa.Text, nullable=False),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("step", sa.Integer, nullable=False),
    sa.Column("name", sa.Text),
    sa.Column("handover_reason", sa.Text),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("updated_at", UtcDateTime, nullable=False),
    sa.Column("last_client_message_at", UtcDateTime),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("snapshot", json_type(), nullable=False),
    sa.Column("erased_at", UtcDateTime),  # issue 10: personal data removed (B-40)
    sa.UniqueConstraint("studio", "contact"),
    sa.Index(None, "studio", "status", "created_at"),
    sa.Index(None, "studio", "created_at"),
    sa.Index(None, "status", "created_at"),
    sa.Index(None, "created_at"),
    # Issue 12 (migration 0007): room on each page for a lead's next version, and no index
    # on a column every client message changes, so its updates are heap-only (HOT).
    postgresql_with={"fillfactor": 70},
)

answers = sa.Table(
    "answers",
    metadata,
    sa.Column("id", id_type(), primary_key=True, autoincrement=True),
    sa.Column("lead_id", sa.Text, nullable=False),
    sa.Column("key", sa.Text, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("message_id", sa.Text, nullable=False),
    sa.Column("at", UtcDateTime, nullable=False),
    sa.Column("value", json_type()),
    sa.Column("media", json_type(), nullable=False),
    sa.Index(None, "lead_id", "id"),
)

messages = sa.Table(
    "messages",
    metadata,
    sa.Column("id", id_type(), primary_key=True, autoincrement=True),
    sa.Column("lead_id", sa.Text, nullable=False),
    sa.Column("direction", sa.Text, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("at", UtcDateTime, nullable=False),
    sa.Column("message_id", sa.Text),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Index(None, "lead_id", "id"),
)

transitions = sa.Table(
    "transitions",
    metadata,
    sa.Column("id", id_type(), primary_key=True, autoincrement=True),
    sa.Column("lead_id", sa.Text, nullable=False),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("target", sa.Text, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("actor", sa.Text, nullable=False),
    sa.Column("at", UtcDateTime, nullable=False),
    sa.Index(None, "lead_id", "id"),
)

# Provider ids (and other idempotency keys) processed at most once, ever (B-3).
processed = sa.Table(
    "processed",
    metadata,
    sa.Column("key", sa.Text, primary_key=True),
    sa.Column("at", UtcDateTime, nullable=False),
)

# The audit trail: system events may name no lead.
events = sa.Table(
    "events",
    metadata,
    sa.Column("id", id_type(), primary_key=True, autoincrement=True),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("at", UtcDateTime, nullable=False),
    sa.Column("lead_id", sa.Text),
    sa.Column("studio", sa.Text),
    sa.Column("level", sa.Text, nullable=False),
    sa.Column("detail", json_type(), nullable=False),
    sa.Index(None, "lead_id", "id"),
    sa.Index(None, "kind", "id"),
)

outbox = sa.Table(
    "outbox",
    metadata,
    sa.Column("id", id_type(), primary_key=True, autoincrement=True),
    sa.Column("lead_id", sa.Text, nullable=False),
    sa.Column("studio", sa.Text, nullable=False),
    sa.Column("recipient", sa.Text, nullable=False),
    sa.Column("audience", sa.Text, nullable=False),
    sa.Column("purpose", sa.Text, nullable=False),
    sa.Column("payload", json_type(), nullable=False),  # the Outgoing, msgspec builtins
    sa.Column("state", sa.Text, nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("next_attempt_at", UtcDateTime),
    sa.Column("claimed_until", UtcDateTime),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("sent_at", UtcDateTime),
    sa.Column("provider_message_id", sa.Text),
    sa.Column("last_error", sa.Text),
    sa.Column("delivery", sa.Text),
    sa.Column("delivery_at", UtcDateTime),
    # The claim walks pending rows oldest first and stops at its limit (an index on
    # state and next_attempt_at tempts the planner into sorting every pending row)...
    sa.Index(
        "ix_outbox_id_pending", "id", postgresql_where=PENDING_ONLY, sqlite_where=PENDING_ONLY
    ),
    # ...and "is an older message to this recipient still pending?" is one probe (B-26).
    sa.Index(
        "ix_outbox_recipient_id_pending",
        "recipient",
        "id",
        postgresql_where=PENDING_ONLY,
        sqlite_where=PENDING_ONLY,
    ),
    sa.Index(None, "provider_message_id"),
    sa.Index(None, "lead_id", "id"),
)

# Bookings of the working-hours calendar (issue 9, B-36). ``clear_until`` is the end
# plus the studio's buffer: two active bookings of a studio never overlap on
# [start, clear_until). PostgreSQL refuses it by an exclusion constraint; SQLite by the
# check inside the booking's BEGIN IMMEDIATE transaction (adapters.sql.bookings).
ACTIVE_ONLY = sa.text("NOT cancelled")

bookings = sa.Table(
    "bookings",
    metadata,
    sa.Column("reference", sa.Text, primary_key=True),
    sa.Column("studio", sa.Text, nullable=False),
    sa.Column("lead_id", sa.Text, nullable=False),
    sa.Column("start", UtcDateTime, nullable=False),
    sa.Column("end", UtcDateTime, nullable=False),
    sa.Column("clear_until", UtcDateTime, nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("cancelled", sa.Boolean, nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    # One active booking per (studio, lead, start): a retried booking finds it.
    sa.Index(
        "ix_bookings_studio_lead_id_start_active",
        "studio",
        "lead_id",
        "start",
        unique=True,
        postgresql_where=ACTIVE_ONLY,
        sqlite_where=ACTIVE_ONLY,
    ),
    sa.Index(None, "studio", "start"),
)
bookings.append_constraint(
    ExcludeConstraint(
        (bookings.c.studio, "="),
        (sa.func.tstzrange(bookings.c.start, bookings.c.clear_until), "&&"),
        name="ex_bookings_studio_time",
        using="gist",
        where=ACTIVE_ONLY,
    ).ddl_if(dialect="postgresql")
)

# Opt-outs of erased numbers (issue 10, B-40): HMAC-SHA256 of studio and number under
# INKBOOK_SECRET_KEY, so STOP holds after the number itself is gone.
optouts = sa.Table(
    "optouts",
    metadata,
    sa.Column("key", sa.Text, primary_key=True),
    sa.Column("studio", sa.Text, nullable=False),
    sa.Column("at", UtcDateTime, nullable=False),
)

# Studio API keys (B-43, B-46): the digest of the secret, never the secret.
api_keys = sa.Table(
    "api_keys",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("studio", sa.Text, nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("digest", sa.Text, nullable=False, unique=True),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("revoked_at", UtcDateTime),
)

# The artist's inbox: one login per email, for one studio (issue 14, B-43).
users = sa.Table(
    "users",
    metadata,
    sa.Column("email", sa.Text, primary_key=True),
    sa.Column("studio", sa.Text, nullable=False),
    sa.Column("password_hash", sa.Text, nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
)

# The shared per-number send pacing (issue 12, B-29): for each sending number, the time
# (seconds since the epoch, the database's clock) at which its next send slot opens. Every
# process reserves runs of slots here, so all of them together keep to the number's rate.
sender_pace = sa.Table(
    "sender_pace",
    metadata,
    sa.Column("sender", sa.Text, primary_key=True),
    sa.Column("next_slot", sa.Double, nullable=False),
)

"""The notification tables, on the same :data:`~alliance.store.tables.metadata`.

- ``outbox`` — one row per delivery to make: an e-mail to one address, or an event to
  one webhook endpoint (``target`` is the address or the endpoint's id). Rows are
  written in the same transaction as the change they announce, so they commit or roll
  back with it. ``(event_id, target)`` is unique: enqueueing the same event for the
  same target twice is a no-op. ``status`` goes ``pending`` → ``delivered`` or
  ``dead``; ``next_attempt_at`` is when a worker may (re)try a pending row, and holds a
  worker's lease while it delivers (see :mod:`alliance.services.notifications`).
- ``webhook_endpoints`` — URLs a vendor registered, the event types each receives
  (a JSON list; ``*`` is every type) and the **shared secret** that signs its
  requests. The secret is stored as is, because Alliance needs it to sign; whoever can
  read this table can forge requests to the endpoint, so protect database backups.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from alliance.store.tables import ID_LENGTH, Json, metadata
from alliance.store.types import UtcDateTime

EVENT_ID_LENGTH = 200
EVENT_TYPE_LENGTH = 100
TARGET_LENGTH = 320  # an e-mail address at most
URL_LENGTH = 2000

outbox = Table(
    "outbox",
    metadata,
    Column("id", String(ID_LENGTH), primary_key=True),
    Column("kind", String(10), nullable=False),
    Column("event_id", String(EVENT_ID_LENGTH), nullable=False),
    Column("event_type", String(EVENT_TYPE_LENGTH), nullable=False),
    Column("payload", Json, nullable=False),
    Column("target", String(TARGET_LENGTH), nullable=False),
    Column("status", String(10), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UtcDateTime(), nullable=False),
    Column("last_error", Text, nullable=True),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("delivered_at", UtcDateTime(), nullable=True),
    UniqueConstraint("event_id", "target"),
    CheckConstraint("attempts >= 0", name="attempts_not_negative", info={"field": "attempts"}),
)
#: What a worker asks for: pending rows whose time has come, oldest first.
Index("ix_outbox_status_next_attempt_at", outbox.c.status, outbox.c.next_attempt_at)

webhook_endpoints = Table(
    "webhook_endpoints",
    metadata,
    Column("id", String(ID_LENGTH), primary_key=True),
    Column("url", String(URL_LENGTH), nullable=False),
    Column("event_types", Json, nullable=False),
    Column("secret", String(200), nullable=False),
    Column("active", Boolean(create_constraint=False), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
)

"""The portal's table (issue 6), on the same :data:`~alliance.store.tables.metadata`.

- ``password_resets`` — one row per password-reset link sent by e-mail. Only the
  SHA-256 digest of the link's secret is stored (``token_hash``, unique), never the
  secret. A link works once (``used_at``) and until ``expires_at``.

Portal sessions need no table: they live in a signed cookie (``alliance.web.sessions``).
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, String, Table

from alliance.store.tables import ID_LENGTH, metadata
from alliance.store.types import UtcDateTime

DIGEST_LENGTH = 64  # a SHA-256 hex digest

password_resets = Table(
    "password_resets",
    metadata,
    Column("id", String(ID_LENGTH), primary_key=True),
    Column("user_id", String(ID_LENGTH), ForeignKey("users.id"), nullable=False),
    Column("token_hash", String(DIGEST_LENGTH), nullable=False, unique=True),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("expires_at", UtcDateTime(), nullable=False),
    Column("used_at", UtcDateTime(), nullable=True),
)
Index("ix_password_resets_user_id", password_resets.c.user_id)

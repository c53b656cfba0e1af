"""PEX tables (PEX-2, PEX-4, PEX-7), on the same :data:`~alliance.store.tables.metadata`.

- ``pex_enrolments`` — a partner's type and the modules it holds (one row per partner).
- ``pex_poc_requests`` — proof-of-concept budget requests paid with points, held in the
  ledger until decided; ``(partner_id, budget_ref)`` is unique (X-5).

Partner ids are those of the tier facts (no foreign key: a fact may name a partner the
directory does not hold yet). Points are ``ExactDecimal(18, 4)`` as in the ledger.
"""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from alliance.store.tables import ID_LENGTH, Json, metadata
from alliance.store.types import ExactDecimal, UtcDateTime

pex_enrolments = Table(
    "pex_enrolments",
    metadata,
    Column("partner_id", String(ID_LENGTH), primary_key=True),
    Column("partner_type", String(40), nullable=False),
    Column("modules", Json, nullable=False),
    Column("enrolled_on", Date(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    Column("updated_by", String(200), nullable=False),
)

pex_poc_requests = Table(
    "pex_poc_requests",
    metadata,
    Column("id", String(ID_LENGTH), primary_key=True),
    Column("partner_id", String(ID_LENGTH), nullable=False),
    Column("budget_ref", String(100), nullable=False),
    Column("points", ExactDecimal(18, 4), nullable=False),
    Column("status", String(20), nullable=False),
    Column("hold_id", String(ID_LENGTH), nullable=False),
    Column("requested_on", Date(), nullable=False),
    Column("requested_by", String(200), nullable=False),
    Column("description", Text(), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("decided_at", UtcDateTime(), nullable=True),
    Column("decided_by", String(200), nullable=True),
    UniqueConstraint("partner_id", "budget_ref"),
    CheckConstraint("points > 0", name="positive_points", info={"field": "points"}),
)
Index("ix_pex_poc_requests_status", pex_poc_requests.c.status)

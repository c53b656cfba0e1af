"""The engagement (deal registration) and engagement-reward tables, on the shared
:data:`~alliance.store.tables.metadata` (CCE-1…CCE-6, RWD-1…RWD-5).

- ``engagement_users`` — who may use the engagement tool, per partner (CCE-1, CCE-2);
  at most N *active* rows per partner, enforced by the use case under a lock.
- ``engagement_customers`` — a partner's customers, saved for reuse (CCE-3), with the
  normalised name and address keys duplicate detection compares (CCE-4).
- ``engagements`` — the engagement itself; the customer is a reference, never edited
  (CCE-5); ``version`` counts edits (optimistic concurrency); the last duplicate check
  is kept with its explanation (CCE-4). Contacts, products and pillars are JSON.
- ``engagement_notes`` and ``engagement_attachments`` — appended at any time (CCE-5);
  an attachment's bytes are a file under the attachments folder, its metadata here.
- ``engagement_opportunity_ids`` — the vendor opportunity ids quoted in an engagement's
  notes (CCE-4), indexed for the duplicate check.
- ``engagement_transitions`` — every move, with who and when (CCE-6, X-4).
- ``engagement_deals`` — the deal behind an opportunity at submission (v1) and at each
  booking (RWD-2).
- ``public_sector_pool`` — a partner's pooled public-sector deals (RWD-1).
- ``engagement_payouts`` — one payout per deal version (X-5: unique), money or
  credits, blocked until the RWD-4 conditions hold.
- ``supplier_accounts`` — a partner's supplier account with the vendor (RWD-4).
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from alliance.store.tables import ID_LENGTH, BigId, Json, metadata
from alliance.store.types import ExactDecimal, UtcDateTime

EngagementAmount = ExactDecimal(18, 4)
ACTOR_LENGTH = 320


def _organization(name: str, *, nullable: bool = False) -> Column[str]:
    return Column(name, String(ID_LENGTH), ForeignKey("organizations.id"), nullable=nullable)


def _engagement() -> Column[str]:
    return Column("engagement_id", String(ID_LENGTH), ForeignKey("engagements.id"), nullable=False)


engagement_users = Table(
    "engagement_users",
    metadata,
    Column("person_id", String(ID_LENGTH), ForeignKey("people.id"), primary_key=True),
    _organization("organization_id"),
    Column("active", Boolean(create_constraint=False), nullable=False),
    Column("granted_by", String(ID_LENGTH), ForeignKey("people.id"), nullable=True),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
)
Index("ix_engagement_users_organization_id", engagement_users.c.organization_id)

engagement_customers = Table(
    "engagement_customers",
    metadata,
    Column("id", String(ID_LENGTH), primary_key=True),
    _organization("partner_id"),
    Column("legal_name", String(300), nullable=False),
    Column("street", String(300), nullable=False),
    Column("city", String(200), nullable=False),
    Column("country", String(2), nullable=False),
    Column("postal_code", String(40), nullable=False),
    Column("region", String(200), nullable=False),
    Column("name_key", String(300), nullable=False),
    Column("address_key", String(800), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
)
Index("ix_engagement_customers_partner_id", engagement_customers.c.partner_id)
Index("ix_engagement_customers_name_key", engagement_customers.c.name_key)

engagements = Table(
    "engagements",
    metadata,
    Column("id", String(ID_LENGTH), primary_key=True),
    _organization("partner_id"),
    Column("category", String(30), nullable=False),
    Column("status", String(30), nullable=False),
    Column("name", String(300), nullable=False),
    Column("reference", String(100), nullable=False),
    Column("customer_id", String(ID_LENGTH), ForeignKey("engagement_customers.id"), nullable=False),
    Column("customer_name_key", String(300), nullable=False),
    Column("partner_contact", Json, nullable=False),
    Column("customer_contact", Json, nullable=True),
    Column("products", Json, nullable=False),
    Column("pillars", Json, nullable=False),
    Column("estimated_close_date", Date(), nullable=True),
    Column("solution_description", Text(), nullable=False),
    Column("sector", String(20), nullable=False),
    Column("order_kind", String(20), nullable=False),
    Column("duplicate_verdict", String(30), nullable=True),
    Column("duplicate_explanation", Json, nullable=True),
    Column("duplicate_matches", Json, nullable=True),
    Column("sales_review", Boolean(create_constraint=False), nullable=False),
    Column("version", Integer(), nullable=False),
    Column("submitted_by", String(ACTOR_LENGTH), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    CheckConstraint("version >= 1", name="version_positive", info={"field": "version"}),
)
Index("ix_engagements_partner_id", engagements.c.partner_id)
Index("ix_engagements_customer_name_key", engagements.c.customer_name_key)

engagement_notes = Table(
    "engagement_notes",
    metadata,
    Column("id", String(ID_LENGTH), primary_key=True),
    _engagement(),
    Column("position", Integer(), nullable=False),
    Column("text", Text(), nullable=False),
    Column("author", String(ACTOR_LENGTH), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    UniqueConstraint("engagement_id", "position"),
)

engagement_attachments = Table(
    "engagement_attachments",
    metadata,
    Column("id", String(ID_LENGTH), primary_key=True),
    _engagement(),
    Column("name", String(255), nullable=False),
    Column("category", String(60), nullable=False),
    Column("content_type", String(120), nullable=False),
    Column("size", Integer(), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("path", String(500), nullable=False),
    Column("needs_review", Boolean(create_constraint=False), nullable=False),
    Column("uploaded_by", String(ACTOR_LENGTH), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    CheckConstraint("size >= 0", name="size_not_negative", info={"field": "size"}),
)
Index("ix_engagement_attachments_engagement_id", engagement_attachments.c.engagement_id)

engagement_opportunity_ids = Table(
    "engagement_opportunity_ids",
    metadata,
    _engagement(),
    Column("opportunity_id", String(100), nullable=False),
    PrimaryKeyConstraint("engagement_id", "opportunity_id"),
)
Index(
    "ix_engagement_opportunity_ids_opportunity_id",
    engagement_opportunity_ids.c.opportunity_id,
)

engagement_transitions = Table(
    "engagement_transitions",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    _engagement(),
    Column("move", String(40), nullable=False),
    Column("source", String(30), nullable=False),
    Column("target", String(30), nullable=False),
    Column("actor", String(ACTOR_LENGTH), nullable=False),
    Column("at", UtcDateTime(), nullable=False),
)
Index("ix_engagement_transitions_engagement_id", engagement_transitions.c.engagement_id)

engagement_deals = Table(
    "engagement_deals",
    metadata,
    _engagement(),
    Column("version", Integer(), nullable=False),
    Column("sector", String(20), nullable=False),
    Column("country", String(2), nullable=False),
    Column("order_kind", String(20), nullable=False),
    Column("lines", Json, nullable=False),
    Column("recorded_by", String(ACTOR_LENGTH), nullable=False),
    Column("recorded_at", UtcDateTime(), nullable=False),
    PrimaryKeyConstraint("engagement_id", "version"),
    CheckConstraint("version >= 1", name="version_positive", info={"field": "version"}),
)

public_sector_pool = Table(
    "public_sector_pool",
    metadata,
    _organization("partner_id"),
    _engagement(),
    Column("value", EngagementAmount, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    PrimaryKeyConstraint("partner_id", "engagement_id"),
)

engagement_payouts = Table(
    "engagement_payouts",
    metadata,
    Column("id", String(ID_LENGTH), primary_key=True),
    _engagement(),
    Column("version", Integer(), nullable=False),
    _organization("partner_id"),
    _organization("principal_id"),
    Column("method", String(20), nullable=False),
    Column("sector", String(20), nullable=False),
    Column("amount", EngagementAmount, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("status", String(20), nullable=False),
    Column("missing", Json, nullable=False),
    Column("explanation", Json, nullable=False),
    Column("posting_id", String(ID_LENGTH), nullable=True),
    Column("actor", String(ACTOR_LENGTH), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    UniqueConstraint("engagement_id", "version"),
    CheckConstraint("amount >= 0", name="amount_not_negative", info={"field": "amount"}),
)
Index("ix_engagement_payouts_partner_id", engagement_payouts.c.partner_id)

supplier_accounts = Table(
    "supplier_accounts",
    metadata,
    Column("organization_id", String(ID_LENGTH), ForeignKey("organizations.id"), primary_key=True),
    Column("status", String(20), nullable=False),
    Column("invited_at", UtcDateTime(), nullable=True),
    Column("updated_at", UtcDateTime(), nullable=False),
)

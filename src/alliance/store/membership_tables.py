"""The membership tables (OPN-1 … OPN-18), on the same :data:`~alliance.store.tables.metadata`.

- ``membership_applications`` — enrolment and renewal applications: the domain's saved
  draft as a JSON document (OPN-9: saved after every step, resumed by the same
  applicant, surviving a restart), with the columns searched on beside it.
- ``memberships`` — one row per subscription: level, status, term dates, the principal's
  subscription for an associate (OPN-1, OPN-8), the accepted application (its reward
  questionnaire: RWD-3, CRD-2), the payment choice (OPN-5) and the current renewal.
- ``membership_renewals`` — every renewal request and its decision (OPN-14, OPN-15), with
  the transition effects recorded on approval (OPN-16).
- ``membership_tracks`` — optional tracks joined (OPN-12), coterminous with the membership.
- ``membership_invoices`` / ``membership_instalments`` — fee invoices carrying the
  subscription id (OPN-7), paid in full or in four quarterly instalments (OPN-6); the
  idempotency key is unique (X-5).
- ``membership_payments`` — payments received, one row per idempotency key (X-5).
- ``published_expertise`` — expertise published per product (OPN-17).
- ``membership_tick_actions`` — what the daily job did, keyed by the action's idempotency
  key, so that a rerun for the same day changes and sends nothing (X-5).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Date, ForeignKey, Index, Integer, PrimaryKeyConstraint, String, Table

from alliance.store.tables import ID_LENGTH, Json, metadata
from alliance.store.types import ExactDecimal, UtcDateTime

#: Fee amounts: exact, at most the currency's minor unit ever stored (X-1).
FeeAmount = ExactDecimal(18, 4)
KEY_LENGTH = 200
SHORT = 40


def _id() -> Column[str]:
    return Column("id", String(ID_LENGTH), primary_key=True)


def _ref(name: str, target: str, *, nullable: bool = False) -> Column[str]:
    return Column(name, String(ID_LENGTH), ForeignKey(target), nullable=nullable)


def _short(name: str, *, nullable: bool = False) -> Column[str]:
    return Column(name, String(SHORT), nullable=nullable)


def _stamps() -> list[Column[Any]]:
    return [
        Column("created_at", UtcDateTime(), nullable=False),
        Column("updated_at", UtcDateTime(), nullable=False),
    ]


membership_applications = Table(
    "membership_applications",
    metadata,
    _id(),
    _ref("organization_id", "organizations.id"),
    _ref("applicant_id", "people.id"),
    _short("kind"),
    _short("status"),
    Column("renewing", String(ID_LENGTH), nullable=True),
    Column("document", Json, nullable=False),
    *_stamps(),
)
Index("ix_membership_applications_organization_id", membership_applications.c.organization_id)
Index("ix_membership_applications_applicant_id", membership_applications.c.applicant_id)

memberships = Table(
    "memberships",
    metadata,
    _id(),
    _ref("organization_id", "organizations.id"),
    _short("member_type"),
    _short("level"),
    _short("status"),
    Column("subscribed_on", Date(), nullable=False),
    Column("start_on", Date(), nullable=True),
    Column("end_on", Date(), nullable=True),
    _ref("principal_id", "memberships.id", nullable=True),
    _ref("application_id", "membership_applications.id", nullable=True),
    _short("payment_plan", nullable=True),
    _short("payment_method", nullable=True),
    Column("renewal_id", String(ID_LENGTH), nullable=True),
    *_stamps(),
)
Index("ix_memberships_organization_id", memberships.c.organization_id)
Index("ix_memberships_principal_id", memberships.c.principal_id)
Index("ix_memberships_status", memberships.c.status)

membership_renewals = Table(
    "membership_renewals",
    metadata,
    _id(),
    _ref("subscription_id", "memberships.id"),
    _ref("application_id", "membership_applications.id", nullable=True),
    Column("requested_on", Date(), nullable=False),
    _short("level"),
    _short("payment_plan", nullable=True),
    _short("payment_method", nullable=True),
    Column("tracks", Json, nullable=False),
    _short("status"),
    Column("decided_on", Date(), nullable=True),
    Column("term_start", Date(), nullable=True),
    Column("term_end", Date(), nullable=True),
    Column("effects", Json, nullable=False),
    *_stamps(),
)
Index("ix_membership_renewals_subscription_id", membership_renewals.c.subscription_id)

membership_tracks = Table(
    "membership_tracks",
    metadata,
    _ref("subscription_id", "memberships.id"),
    Column("track", String(SHORT), nullable=False),
    Column("joined_on", Date(), nullable=False),
    PrimaryKeyConstraint("subscription_id", "track"),
)

membership_invoices = Table(
    "membership_invoices",
    metadata,
    _id(),
    _ref("subscription_id", "memberships.id"),
    _short("level"),
    Column("amount", FeeAmount, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("issued_on", Date(), nullable=False),
    _short("timing"),
    _short("recipient_role"),
    Column("idempotency_key", String(KEY_LENGTH), nullable=False, unique=True),
    Column("created_at", UtcDateTime(), nullable=False),
)
Index("ix_membership_invoices_subscription_id", membership_invoices.c.subscription_id)

membership_instalments = Table(
    "membership_instalments",
    metadata,
    _ref("invoice_id", "membership_invoices.id"),
    Column("number", Integer(), nullable=False),
    Column("amount", FeeAmount, nullable=False),
    Column("due_on", Date(), nullable=False),
    Column("paid_on", Date(), nullable=True),
    PrimaryKeyConstraint("invoice_id", "number"),
)

membership_payments = Table(
    "membership_payments",
    metadata,
    _id(),
    _ref("subscription_id", "memberships.id"),
    _ref("invoice_id", "membership_invoices.id"),
    Column("amount", FeeAmount, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("paid_on", Date(), nullable=False),
    _short("method"),
    Column("reference", String(KEY_LENGTH), nullable=False),
    Column("idempotency_key", String(KEY_LENGTH), nullable=False, unique=True),
    Column("actor", String(320), nullable=False),
    Column("recorded_at", UtcDateTime(), nullable=False),
)
Index("ix_membership_payments_subscription_id", membership_payments.c.subscription_id)

published_expertise = Table(
    "published_expertise",
    metadata,
    _ref("subscription_id", "memberships.id"),
    Column("product", String(100), nullable=False),
    Column("published_on", Date(), nullable=False),
    PrimaryKeyConstraint("subscription_id", "product"),
)

membership_tick_actions = Table(
    "membership_tick_actions",
    metadata,
    Column("key", String(KEY_LENGTH), primary_key=True),
    _ref("subscription_id", "memberships.id"),
    _short("kind"),
    Column("as_of", Date(), nullable=False),
    Column("rule", String(20), nullable=False),
    Column("recorded_at", UtcDateTime(), nullable=False),
)
Index("ix_membership_tick_actions_subscription_id", membership_tick_actions.c.subscription_id)

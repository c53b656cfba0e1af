"""Builders for engagement tests: a complete opportunity, an account plan, people."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

from alliance.domain.calendar import DateRange
from alliance.domain.engagements import (
    Address,
    Attachment,
    Category,
    Contact,
    Engagement,
    EngagementDraft,
    Pillar,
    ProductLine,
    Status,
    submit_engagement,
)
from alliance.domain.ids import OrganizationId, PersonId
from alliance.domain.money import usd
from alliance.domain.people import PartnerRole, Person

AT = datetime(2025, 3, 3, 9, 30, tzinfo=UTC)
PARTNER = OrganizationId("org_partner")
YEAR_2025 = DateRange(date(2025, 1, 1), date(2025, 12, 31))

ACME_ADDRESS = Address("12 rue de la Paix", "Paris", "FR", postal_code="75002")


def oci(amount: str = "100000", quantity: str = "10", period: DateRange = YEAR_2025) -> ProductLine:
    return ProductLine("oci-compute", "oci", Decimal(quantity), usd(amount), period)


def saas(amount: str = "40000") -> ProductLine:
    return ProductLine("fusion-erp", "saas", Decimal(5), usd(amount), YEAR_2025)


def opportunity_draft(**changes: object) -> EngagementDraft:
    draft = EngagementDraft(
        name="ACME cloud migration",
        customer_name="ACME S.A.S.",
        customer_address=ACME_ADDRESS,
        partner_contact=Contact("Paula Partner", "paula@partner.example"),
        customer_contact=Contact("Carl Customer", "carl@acme.example"),
        products=(oci(),),
        estimated_close_date=date(2025, 6, 30),
        notes="Migration of the ERP estate",
    )
    return replace(draft, **changes)  # type: ignore[arg-type]


def account_plan_draft(**changes: object) -> EngagementDraft:
    draft = EngagementDraft(
        name="ACME account plan",
        customer_name="ACME S.A.S.",
        customer_address=ACME_ADDRESS,
        partner_contact=Contact("Paula Partner"),
        pillars=(Pillar("OCI"), Pillar("SaaS", amount=usd("250000"))),
    )
    return replace(draft, **changes)  # type: ignore[arg-type]


def opportunity(
    engagement_id: str = "eng_1", status: Status = Status.SUBMITTED, **changes: object
) -> Engagement:
    submitted = submit_engagement(
        opportunity_draft(**changes),
        Category.OPPORTUNITY,
        engagement_id=engagement_id,
        partner_id=PARTNER,
    )
    return replace(submitted, status=status)


def account_plan(engagement_id: str = "eng_ap", status: Status = Status.SUBMITTED) -> Engagement:
    submitted = submit_engagement(
        account_plan_draft(),
        Category.ACCOUNT_PLANNING,
        engagement_id=engagement_id,
        partner_id=PARTNER,
    )
    return replace(submitted, status=status)


def invoice(name: str = "invoice-2025-001.pdf") -> Attachment:
    return Attachment(name, "invoice")


def person(
    name: str,
    *roles: PartnerRole,
    org: OrganizationId = PARTNER,
    person_id: str | None = None,
) -> Person:
    slug = name.lower().replace(" ", ".")
    return Person(
        id=PersonId(person_id or f"per_{slug}"),
        name=name,
        email=f"{slug}@partner.example",
        organization_id=org,
        partner_roles=frozenset(roles),
    )

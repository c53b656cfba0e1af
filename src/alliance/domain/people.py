"""People who act for an organisation, and the roles they hold.

Partner roles come from OPN-18; vendor staff roles are the vendor's own (program
admin, channel manager, finance, viewer).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from alliance.domain.errors import InvalidInput
from alliance.domain.ids import OrganizationId, PersonId


class PartnerRole(StrEnum):
    """OPN-18: the roles a partner company names, most of them at enrolment."""

    PARTNER_ADMINISTRATOR = "partner_administrator"
    KEY_EXECUTIVE = "key_executive"
    BUSINESS_DEVELOPMENT = "business_development"
    LEGAL_CONTACT = "legal_contact"
    PARTNER_CREDIT_MANAGER = "partner_credit_manager"
    TECHNICAL_READINESS = "technical_readiness"
    MARKETPLACE_PUBLISHER = "marketplace_publisher"
    ACCOUNTS_PAYABLE = "accounts_payable"
    ENGAGEMENT_USER = "engagement_user"
    MARKETING_CONTACT = "marketing_contact"
    SALES_ENGAGEMENT_CONTACT = "sales_engagement_contact"
    # A customer's own people in a reward program (OSR-17).
    CUSTOMER_CONTACT = "customer_contact"


#: OPN-18 names exactly two key executives per partner.
MAX_KEY_EXECUTIVES = 2


class VendorRole(StrEnum):
    """The vendor's staff roles."""

    PROGRAM_ADMIN = "program_admin"
    CHANNEL_MANAGER = "channel_manager"
    FINANCE = "finance"
    VIEWER = "viewer"


def normalise_email(email: str) -> str:
    """Lower-case and strip an e-mail address; refuse one that is obviously not an address."""
    cleaned = email.strip().lower()
    local, at, domain = cleaned.partition("@")
    if not at or not local or "." not in domain or " " in cleaned:
        raise InvalidInput(f"not an e-mail address: {email!r}", field="email")
    return cleaned


@dataclass(frozen=True)
class Person:
    """Somebody who acts for an organisation (or for the vendor, when organization_id is None)."""

    id: PersonId
    name: str
    email: str
    organization_id: OrganizationId | None
    partner_roles: frozenset[PartnerRole] = field(default_factory=frozenset)
    vendor_roles: frozenset[VendorRole] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise InvalidInput("a person needs a name", field="name")
        object.__setattr__(self, "email", normalise_email(self.email))
        if self.vendor_roles and self.organization_id is not None:
            raise InvalidInput(
                "vendor staff roles belong to the vendor's people, not a partner's",
                field="vendor_roles",
            )

    @property
    def is_vendor_staff(self) -> bool:
        return self.organization_id is None

    def has_role(self, role: PartnerRole) -> bool:
        return role in self.partner_roles

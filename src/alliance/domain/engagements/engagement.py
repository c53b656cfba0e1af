"""An engagement (deal registration) and the values it holds (CCE-3).

An engagement is either **account planning** (a high-potential account, pillars only)
or an **opportunity** (products the partner wants rewards on). Values are immutable;
an edit (:mod:`.edits`) or a move (:mod:`.lifecycle`) returns a new engagement.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from alliance.domain.calendar import DateRange
from alliance.domain.money import Money


class Category(StrEnum):
    """CCE-3: the two engagement categories."""

    ACCOUNT_PLANNING = "account_planning"
    OPPORTUNITY = "opportunity"


class Status(StrEnum):
    """CCE-6: every state of either lifecycle (see :mod:`.lifecycle` for the moves)."""

    SUBMITTED = "submitted"
    ACKNOWLEDGED = "acknowledged"
    ACCOUNT_PLANNING = "account_planning"
    IN_REVIEW = "in_review"
    ACCEPTED = "accepted"
    NOT_ELIGIBLE = "not_eligible"
    ELIGIBLE = "eligible"  # the deal was won
    INELIGIBLE = "ineligible"  # the deal was lost
    INCENTIVE_RELEASED = "incentive_released"


class EngagementField(StrEnum):
    """CCE-3: the fields of the engagement form; ids as in the program definition."""

    ENGAGEMENT_ID = "engagement_id"
    NAME = "name"
    CATEGORY = "category"
    CUSTOMER = "customer"
    CUSTOMER_ADDRESS = "customer_address"
    PILLARS = "pillars"
    PRODUCTS = "products"
    ESTIMATED_CLOSE_DATE = "estimated_close_date"
    CUSTOMER_CONTACT = "customer_contact"
    PARTNER_CONTACT = "partner_contact"
    SOLUTION_DESCRIPTION = "solution_description"
    NOTES = "notes"
    ATTACHMENTS = "attachments"


INVOICE = "invoice"
"""The attachment category a monetary payout needs (RWD-4)."""

MISCELLANEOUS = "miscellaneous"
"""The one attachment category the vendor does not review (CCE-5)."""


@dataclass(frozen=True)
class Address:
    """A customer's physical address; ``country`` is ISO 3166-1 alpha-2."""

    street: str
    city: str
    country: str
    postal_code: str = ""
    region: str = ""


@dataclass(frozen=True)
class Customer:
    """The end customer: legal name and address. A new customer is saved for reuse
    (CCE-3), so a saved one has an ``id``."""

    legal_name: str
    address: Address
    id: str | None = None


@dataclass(frozen=True)
class Contact:
    name: str
    email: str = ""
    phone: str = ""


@dataclass(frozen=True)
class ProductLine:
    """A product of an opportunity, from the vendor's catalogue, with its estimated
    ``quantity``, ``amount`` and ``service_period`` (CCE-3: all required on submission)."""

    product: str
    family: str
    quantity: Decimal | None = None
    amount: Money | None = None
    service_period: DateRange | None = None


@dataclass(frozen=True)
class Pillar:
    """An account-planning pillar; quantities, amounts and periods are optional (CCE-3)."""

    name: str
    quantity: Decimal | None = None
    amount: Money | None = None
    service_period: DateRange | None = None


@dataclass(frozen=True)
class Attachment:
    """A document with a ``category`` id (``invoice``, ``statement_of_work``,
    ``miscellaneous`` by default; the vendor's list is configurable)."""

    name: str
    category: str


@dataclass(frozen=True)
class Engagement:
    """A submitted engagement.

    ``id`` is generated and never changes (storage, idempotency keys). ``reference`` is
    the engagement id as the partner sees it; the seed lets account planning edit it
    (CCE-5), so it starts equal to ``id`` and may be changed by an edit.
    ``notes`` are entries added over time; adding one is always allowed (CCE-5).
    """

    id: str
    partner_id: str
    category: Category
    name: str
    customer: Customer
    partner_contact: Contact
    status: Status = Status.SUBMITTED
    customer_contact: Contact | None = None
    products: tuple[ProductLine, ...] = ()
    pillars: tuple[Pillar, ...] = ()
    estimated_close_date: date | None = None
    solution_description: str = ""
    notes: tuple[str, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    reference: str = ""

    def __post_init__(self) -> None:
        if not self.reference:
            object.__setattr__(self, "reference", self.id)

    @property
    def notes_text(self) -> str:
        """Every note, one per line: where a vendor opportunity id is looked for (CCE-4)."""
        return "\n".join(self.notes)

    def has_attachment(self, category: str) -> bool:
        return any(a.category == category for a in self.attachments)

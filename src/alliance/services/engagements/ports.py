"""What the engagement and engagement-reward use cases need from storage: ``uow.engagements``
implements :class:`EngagementStore` (``alliance.store.engagements``).

The engagement, its customer, its tool users, its transitions and its deals are the
domain's own values (:mod:`alliance.domain.engagements`,
:mod:`alliance.domain.engagement_rewards`); the records below add what only storage
keeps: versions, who submitted or uploaded, where a file lies, the stored duplicate
check, payouts and their state.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from alliance.domain.engagement_rewards import (
    Deal,
    OrderKind,
    PayoutMethod,
    Pool,
    Sector,
    SupplierAccount,
)
from alliance.domain.engagements import (
    Category,
    Customer,
    Engagement,
    Status,
    ToolAccess,
    TransitionRecord,
    Verdict,
)
from alliance.domain.ids import OrganizationId, PersonId
from alliance.domain.money import Money


@dataclass(frozen=True)
class StoredDuplicateCheck:
    """The last CCE-4 check of an engagement: verdict, matched ids, explanation."""

    verdict: Verdict
    matches: tuple[str, ...]
    explanation: tuple[str, ...]


@dataclass(frozen=True)
class EngagementRecord:
    """An engagement as stored: the domain value plus what storage keeps around it.

    ``version`` starts at 1 and grows with every edit (X-7: an edit may name the version
    it was made on, and is refused if the engagement changed since). ``sector`` and
    ``order_kind`` are the deal facts rewards read (RWD-1, RWD-3).
    """

    engagement: Engagement
    sector: Sector
    order_kind: OrderKind
    version: int
    submitted_by: str
    created_at: datetime
    updated_at: datetime
    sales_review: bool = False
    duplicate: StoredDuplicateCheck | None = None

    @property
    def id(self) -> str:
        return self.engagement.id

    @property
    def partner_id(self) -> OrganizationId:
        return OrganizationId(self.engagement.partner_id)


@dataclass(frozen=True)
class NoteRecord:
    id: str
    engagement_id: str
    position: int
    text: str
    author: str
    created_at: datetime


@dataclass(frozen=True)
class AttachmentRecord:
    """An attachment's metadata; its bytes are the file at ``path`` (relative to the
    attachments folder)."""

    id: str
    engagement_id: str
    name: str
    category: str
    content_type: str
    size: int
    sha256: str
    path: str
    needs_review: bool
    uploaded_by: str
    created_at: datetime


@dataclass(frozen=True)
class DealRecord:
    """A version of an opportunity's deal: v1 at submission, one more per booking (RWD-2)."""

    deal: Deal
    recorded_by: str
    recorded_at: datetime


class PayoutStatus(StrEnum):
    """Where a payout stands: ``blocked`` until RWD-4 holds, then ``released`` (money,
    paid by the vendor's payables) or ``credited`` (added to the credit balance)."""

    BLOCKED = "blocked"
    RELEASED = "released"
    CREDITED = "credited"


@dataclass(frozen=True)
class PayoutRecord:
    """One payout per deal version (X-5): what it pays, how, and where it stands."""

    id: str
    engagement_id: str
    version: int
    partner_id: OrganizationId
    principal_id: OrganizationId
    method: PayoutMethod
    sector: Sector
    amount: Money
    status: PayoutStatus
    explanation: tuple[str, ...]
    actor: str
    created_at: datetime
    updated_at: datetime
    missing: tuple[str, ...] = ()
    posting_id: str | None = None


@dataclass(frozen=True)
class EngagementFilter:
    """What a listing asks for; ``partner_ids=None`` is every partner (staff)."""

    partner_ids: Sequence[OrganizationId] | None = None
    status: Status | None = None
    category: Category | None = None
    limit: int = 100
    offset: int = 0


class EngagementStore(Protocol):
    # -- engagement-tool users (CCE-1, CCE-2)
    def lock_partner(self, organization_id: OrganizationId) -> None:
        """Serialise changes to one partner's users (PostgreSQL row lock; SQLite already
        holds the write lock)."""
        ...

    def tool_users(self, organization_id: OrganizationId) -> list[ToolAccess]: ...
    def tool_user(self, person_id: PersonId) -> ToolAccess | None: ...
    def save_tool_user(self, access: ToolAccess) -> None: ...

    # -- customers, saved for reuse (CCE-3)
    def customers(self, partner_id: OrganizationId) -> list[Customer]: ...
    def customer(self, customer_id: str) -> tuple[OrganizationId, Customer] | None: ...
    def add_customer(self, partner_id: OrganizationId, customer: Customer) -> Customer: ...

    # -- engagements
    def add(self, record: EngagementRecord) -> None: ...
    def get(self, engagement_id: str, *, for_update: bool = False) -> EngagementRecord | None: ...
    def update(self, record: EngagementRecord, *, author: str, at: datetime) -> None:
        """Write the record's changed fields, notes and version."""
        ...

    def search(self, query: EngagementFilter) -> list[EngagementRecord]: ...
    def duplicate_candidates(
        self, category: Category, name_key: str, opportunity_ids: frozenset[str]
    ) -> list[Engagement]:
        """Engagements of ``category`` for the same normalised customer name, or quoting
        one of ``opportunity_ids`` (CCE-4)."""
        ...

    def set_duplicate_check(self, engagement_id: str, check: StoredDuplicateCheck) -> None: ...

    # -- notes and attachments (CCE-5: added at any time)
    def add_note(self, note: NoteRecord) -> None: ...
    def notes(self, engagement_id: str) -> list[NoteRecord]: ...
    def add_attachment(self, attachment: AttachmentRecord) -> None: ...
    def attachments(self, engagement_id: str) -> list[AttachmentRecord]: ...
    def attachment(self, attachment_id: str) -> AttachmentRecord | None: ...

    # -- lifecycle (CCE-6)
    def add_transition(self, record: TransitionRecord) -> None: ...
    def transitions(self, engagement_id: str) -> list[TransitionRecord]: ...

    # -- deals, pool, payouts, supplier accounts (RWD-1…RWD-5)
    def add_deal(self, record: DealRecord) -> None: ...
    def deals(self, engagement_id: str) -> list[DealRecord]: ...
    def pool(self, partner_id: OrganizationId, currency: str) -> Pool: ...
    def put_in_pool(
        self, partner_id: OrganizationId, engagement_id: str, value: Money, at: datetime
    ) -> None: ...
    def remove_from_pool(self, partner_id: OrganizationId, engagement_id: str) -> None: ...
    def payout(self, engagement_id: str, version: int) -> PayoutRecord | None: ...
    def save_payout(self, payout: PayoutRecord) -> None:
        """Insert, or update the status, missing, explanation and posting of, a payout."""
        ...

    def payouts(
        self, partner_ids: Sequence[OrganizationId] | None, engagement_id: str | None = None
    ) -> list[PayoutRecord]: ...
    def supplier_account(self, organization_id: OrganizationId) -> SupplierAccount: ...
    def set_supplier_account(
        self,
        organization_id: OrganizationId,
        status: SupplierAccount,
        at: datetime,
        *,
        invited: bool = False,
    ) -> None: ...

"""What the use cases need from storage, as protocols. ``alliance.store`` implements them.

A unit of work is a context manager: leaving it without ``commit()`` rolls back, so a
use case that raises half-way leaves nothing half-applied (X-7).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from types import TracebackType
from typing import Protocol, Self

from alliance.domain.audit import AuditRecord
from alliance.domain.ids import OrganizationId, PersonId, UserId
from alliance.domain.ledger import (
    AccountKey,
    Book,
    Command,
    Hold,
    Lot,
    LotRemaining,
    OpenLot,
    Posting,
    Statement,
)
from alliance.domain.notifications import Delivery, DeliveryStatus, WebhookEndpoint
from alliance.domain.organizations import Hierarchy, Organization, OrganizationKind
from alliance.domain.people import Person
from alliance.services.credits.ports import CreditStore
from alliance.services.engagements.ports import EngagementStore
from alliance.services.evaluation.ports import OutcomeStore
from alliance.services.memberships.ports import MembershipStore
from alliance.services.modular_tiers.ports import PexStore
from alliance.services.rewards.ports import RewardsStore
from alliance.services.status_incentives.ports import DutyStore
from alliance.services.tier_facts.ports import TierFactsStore


@dataclass(frozen=True)
class UserAccount:
    """A login: a person's e-mail with an argon2 hash; never the password itself."""

    id: UserId
    person_id: PersonId
    email: str
    password_hash: str
    active: bool = True


@dataclass(frozen=True)
class ApiToken:
    """A bearer token for programs. Only its SHA-256 digest is stored."""

    id: str
    user_id: UserId
    name: str
    token_hash: str
    created_at: datetime
    revoked_at: datetime | None = None


class OrganizationRepository(Protocol):
    def add(self, organization: Organization) -> None: ...
    def add_many(self, batch: Sequence[Organization]) -> None:
        """Bulk insert (parents before children); for loads and imports."""
        ...

    def get(self, organization_id: OrganizationId) -> Organization | None: ...
    def update(self, organization: Organization) -> None: ...
    def list(
        self,
        *,
        within: Sequence[OrganizationId] | None = None,
        kind: OrganizationKind | None = None,
        name_contains: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[Organization]: ...
    def count(self) -> int: ...
    def company_hierarchy(self, organization_id: OrganizationId) -> Hierarchy:
        """The parent links of the whole company ``organization_id`` belongs to (OPN-3)."""
        ...


class PersonRepository(Protocol):
    def add(self, person: Person) -> None: ...
    def add_many(self, batch: Sequence[Person]) -> None: ...
    def get(self, person_id: PersonId) -> Person | None: ...
    def update(self, person: Person) -> None: ...
    def by_email(self, email: str) -> Person | None: ...
    def of_organization(self, organization_id: OrganizationId) -> list[Person]: ...


class UserRepository(Protocol):
    def add(self, user: UserAccount) -> None: ...
    def get(self, user_id: UserId) -> UserAccount | None: ...
    def by_email(self, email: str) -> UserAccount | None: ...
    def update(self, user: UserAccount) -> None: ...
    def add_token(self, token: ApiToken) -> None: ...
    def token(self, token_id: str) -> ApiToken | None: ...
    def token_by_hash(self, token_hash: str) -> ApiToken | None: ...
    def revoke_token(self, token_id: str, at: datetime) -> None: ...


@dataclass(frozen=True)
class PasswordReset:
    """A password-reset link sent by e-mail (issue 6): only its secret's SHA-256 digest is
    stored; it works once, until ``expires_at``."""

    id: str
    user_id: UserId
    token_hash: str
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None


class PasswordResetRepository(Protocol):
    def add(self, reset: PasswordReset) -> None: ...
    def by_hash(self, token_hash: str) -> PasswordReset | None: ...
    def mark_used(self, reset_id: str, at: datetime) -> bool:
        """Mark an unused reset used; False, changing nothing, when it was used already."""
        ...


class AuditJournal(Protocol):
    def append(self, record: AuditRecord) -> None: ...
    def search(
        self,
        *,
        entity_type: str | None = None,
        entity_id: str | None = None,
        organization_ids: Sequence[str] | None = None,
        limit: int = 100,
    ) -> list[AuditRecord]: ...


ExpiryCursor = tuple[date, str]
"""Where an expiry sweep stopped: the last lot's ``(expires_on, id)``."""


@dataclass(frozen=True)
class Applied:
    """What a ledger command did: its posting, and whether it was made before (X-5)."""

    posting: Posting
    replayed: bool


@dataclass(frozen=True)
class BulkOutcome:
    """What a bulk run did: postings made, and commands found already posted (X-5)."""

    posted: int = 0
    replayed: int = 0

    def __add__(self, other: BulkOutcome) -> BulkOutcome:
        return BulkOutcome(self.posted + other.posted, self.replayed + other.replayed)


@dataclass(frozen=True)
class ExpiryBatch:
    """One batch of an expiry sweep (OSR-14): the postings made, and where to go on."""

    postings: list[Posting]
    cursor: ExpiryCursor | None
    done: bool


class LedgerRepository(Protocol):
    """The ledger (issue 3), inside the unit of work's transaction.

    Behaves as :class:`alliance.domain.ledger.Ledger`: ``apply`` carries a command out
    once (a replay returns the first posting, ``replayed=True``); reads sum legs.
    """

    def apply(self, command: Command) -> Applied: ...
    def execute(self, command: Command) -> Posting: ...
    def accrue_many(
        self,
        commands: Iterable[OpenLot],
        *,
        batch_size: int = ...,
        progress: Callable[[int], None] | None = None,
    ) -> BulkOutcome: ...
    def expire(self, as_of: date) -> list[Posting]: ...
    def expire_batch(
        self, as_of: date, *, limit: int = ..., after: ExpiryCursor | None = None
    ) -> ExpiryBatch: ...
    def statement(
        self, owner: str, wallet: str, unit: str, as_of: date | None = None
    ) -> Statement: ...
    def open_lots(self, book: Book, as_of: date | None = None) -> list[LotRemaining]: ...
    def balance(self, account: AccountKey, as_of: date | None = None) -> Decimal: ...
    def posting(self, posting_id: str) -> Posting: ...
    def posting_for_key(self, idempotency_key: str) -> Posting | None: ...
    def hold(self, hold_id: str) -> Hold: ...
    def lot(self, lot_id: str) -> Lot: ...
    def postings(self) -> list[Posting]: ...
    def lots(self) -> dict[str, Lot]: ...
    def holds(self) -> dict[str, Hold]: ...


class OutboxRepository(Protocol):
    """Deliveries waiting to go out, in the unit of work's transaction (notifications)."""

    def add(self, delivery: Delivery) -> bool:
        """Enqueue; False, writing nothing, when ``(event_id, target)`` is already there."""
        ...

    def claim_due(self, now: datetime, *, limit: int, lease_until: datetime) -> list[Delivery]:
        """Up to ``limit`` pending deliveries due at ``now``, oldest first, each with one
        more attempt counted and ``next_attempt_at`` moved to ``lease_until``; rows another
        worker holds are skipped (PostgreSQL ``FOR UPDATE SKIP LOCKED``)."""
        ...

    def mark_delivered(self, delivery_id: str, at: datetime) -> None: ...
    def mark_failed(self, delivery_id: str, error: str, retry_at: datetime | None) -> None:
        """Record a failed attempt: retry at ``retry_at``, or ``dead`` when it is None."""
        ...

    def get(self, delivery_id: str) -> Delivery | None: ...
    def list(
        self,
        *,
        status: DeliveryStatus | None = None,
        event_id: str | None = None,
        limit: int = 100,
    ) -> list[Delivery]: ...


class WebhookRepository(Protocol):
    def add(self, endpoint: WebhookEndpoint) -> None: ...
    def get(self, endpoint_id: str) -> WebhookEndpoint | None: ...
    def list(self, *, active_only: bool = False) -> list[WebhookEndpoint]: ...
    def set_active(self, endpoint_id: str, active: bool) -> None: ...


class UnitOfWork(Protocol):
    organizations: OrganizationRepository
    people: PersonRepository
    users: UserRepository
    audit: AuditJournal
    ledger: LedgerRepository
    rewards: RewardsStore
    outbox: OutboxRepository
    webhooks: WebhookRepository
    memberships: MembershipStore
    credits: CreditStore
    engagements: EngagementStore
    tier_facts: TierFactsStore
    password_resets: PasswordResetRepository
    tier_outcomes: OutcomeStore
    pex: PexStore
    oip_duties: DutyStore

    def __enter__(self) -> Self: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...

"""What the membership use cases need from storage: ``uow.memberships`` implements
:class:`MembershipStore` (``alliance.store.memberships``).

Applications and memberships are the domain's own values
(:class:`~alliance.domain.membership.EnrolmentApplication`,
:class:`~alliance.domain.membership.Membership`); the records below are what only storage
keeps: fee invoices with their instalments' payment state (OPN-6, OPN-7), the payments
received, and what the daily job has done (X-5).

Other features read two things: :meth:`MembershipStore.current` (the organisation's latest
membership, whatever its status) and :meth:`MembershipStore.reward_preferences` (the
payout method and associate credit policy chosen at enrolment, RWD-3 and CRD-2).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from alliance.domain.ids import OrganizationId, PersonId
from alliance.domain.membership import (
    ApplicationId,
    EnrolmentApplication,
    Membership,
    MembershipStatus,
    PaymentTiming,
    PublishedExpertise,
    RewardPreferences,
    SubscriptionId,
)
from alliance.domain.money import Money
from alliance.domain.people import PartnerRole


@dataclass(frozen=True)
class InstalmentRecord:
    """One instalment of a fee invoice and the day it was paid in full (None: not yet)."""

    number: int
    amount: Money
    due_on: date
    paid_on: date | None = None


@dataclass(frozen=True)
class FeeInvoice:
    """OPN-7: an invoice for a level's fee, carrying the subscription id, as stored."""

    id: str
    subscription_id: SubscriptionId
    level: str
    amount: Money
    issued_on: date
    timing: PaymentTiming
    recipient_role: PartnerRole
    idempotency_key: str
    instalments: tuple[InstalmentRecord, ...]

    @property
    def reference(self) -> str:
        """What the partner quotes on its payment: the subscription id (OPN-7)."""
        return str(self.subscription_id)

    @property
    def paid_in_full(self) -> bool:
        return all(i.paid_on is not None for i in self.instalments)

    @property
    def first_due(self) -> date:
        return self.instalments[0].due_on


@dataclass(frozen=True)
class FeePayment:
    """A payment received for a fee invoice (X-5: one per idempotency key)."""

    id: str
    subscription_id: SubscriptionId
    invoice_id: str
    amount: Money
    paid_on: date
    method: str
    reference: str
    idempotency_key: str
    actor: str
    recorded_at: datetime


@dataclass(frozen=True)
class TickActionRecord:
    """Something the daily job did (a state change or a notice), by its key (X-5)."""

    key: str
    subscription_id: SubscriptionId
    kind: str
    as_of: date
    rule: str


class MembershipStore(Protocol):
    """The membership records of one unit of work."""

    # -- for other features (engagements, rewards, credits) ----------------------------

    def current(self, organization_id: OrganizationId) -> Membership | None:
        """The organisation's latest membership whatever its status (None: never enrolled)."""
        ...

    def reward_preferences(self, organization_id: OrganizationId) -> RewardPreferences | None:
        """RWD-3 / CRD-2: the payout method and associate credit policy answered in the
        reward questionnaire of the organisation's accepted enrolment application; an
        associate has its principal's. None when there is no such answer (level 0)."""
        ...

    # -- applications (OPN-9) ----------------------------------------------------------

    def add_application(self, application: EnrolmentApplication) -> None: ...
    def save_application(self, application: EnrolmentApplication) -> None: ...
    def application(
        self, application_id: ApplicationId, *, for_update: bool = False
    ) -> EnrolmentApplication | None: ...
    def applications(
        self,
        *,
        organizations: Collection[OrganizationId] | None = None,
        applicant: PersonId | None = None,
        principal: SubscriptionId | None = None,
        limit: int = 100,
    ) -> list[EnrolmentApplication]:
        """Newest first; ``principal`` keeps associate applications naming that principal."""
        ...

    # -- memberships -------------------------------------------------------------------

    def add(
        self, membership: Membership, *, application_id: ApplicationId | None = None
    ) -> None: ...

    def save(
        self, membership: Membership, *, renewal_application: ApplicationId | None = None
    ) -> None:
        """Store the membership's new state: status, level, term, tracks, current renewal."""
        ...

    def get(
        self, subscription_id: SubscriptionId, *, for_update: bool = False
    ) -> Membership | None: ...
    def application_of(self, subscription_id: SubscriptionId) -> ApplicationId | None:
        """The accepted enrolment application the subscription came from."""
        ...

    def associates_of(self, subscription_id: SubscriptionId) -> list[Membership]: ...
    def find(
        self,
        *,
        organizations: Collection[OrganizationId] | None = None,
        statuses: Collection[MembershipStatus] | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[Membership]:
        """Memberships, newest subscription first; ``organizations=None`` is every one."""
        ...

    def every(self, statuses: Collection[MembershipStatus]) -> list[Membership]:
        """Every membership in ``statuses`` (the daily job)."""
        ...

    # -- fee invoices and payments (OPN-6, OPN-7) --------------------------------------

    def add_invoice(self, invoice: FeeInvoice) -> bool:
        """Store the invoice; False, writing nothing, when its key is there already (X-5)."""
        ...

    def invoices(self, subscription_id: SubscriptionId) -> list[FeeInvoice]:
        """The subscription's invoices, oldest first."""
        ...

    def invoice(self, invoice_id: str) -> FeeInvoice | None: ...
    def mark_paid(self, invoice_id: str, numbers: Sequence[int], paid_on: date) -> None: ...
    def add_payment(self, payment: FeePayment) -> None: ...
    def payment_for_key(self, idempotency_key: str) -> FeePayment | None: ...
    def payments(self, invoice_id: str) -> list[FeePayment]: ...

    # -- expertise (OPN-17) ------------------------------------------------------------

    def add_expertise(self, expertise: PublishedExpertise) -> bool:
        """False, writing nothing, when the product is already published."""
        ...

    def expertise(self, subscription_id: SubscriptionId) -> list[PublishedExpertise]: ...

    # -- the daily job (X-5) -----------------------------------------------------------

    def done_actions(self, keys: Collection[str] | None = None) -> set[str]:
        """The keys of the actions already done (all of them when ``keys`` is None)."""
        ...

    def record_action(self, record: TickActionRecord) -> None: ...

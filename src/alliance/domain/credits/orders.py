"""CRD-3 / CRD-6: requests for credit options, from request to delivery.

Only partner administrators and partner credit managers may request (CRD-3). An
associate's request follows its principal's policy (CRD-2, :mod:`.policies`); under
*approval required* it waits for the principal. Then the credits are **held** —
reserved, neither available nor spent — until the option is delivered (capture) or the
request cancelled (release). An option flagged ``refuses_public_sector_credits`` never
takes lots tagged ``public_sector`` (CRD-6).

Lifecycle (:data:`MOVES`)::

    requested → pending_approval → held → delivered
        │              │             └──→ cancelled
        └──→ held      └──→ cancelled

Each step returns the ledger command to run — ``PlaceHold`` keyed ``crd:hold:{id}``,
``Capture`` keyed ``crd:capture:{id}``, ``Release`` keyed ``crd:release:{id}`` (X-5) —
and a :class:`RequestRecord` (who, when; X-4).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from alliance.domain.credits.balances import (
    available_balance,
    earned_balance,
    tags_excluding_all_but,
)
from alliance.domain.credits.errors import (
    AssociateLimitExceeded,
    AssociateMayNotOrder,
    IllegalRequestTransition,
    NotCreditOrderer,
    NotPrincipalApprover,
    PublicSectorCreditsRefused,
)
from alliance.domain.credits.policies import AssociatePolicy, OrderDecision, decide_order
from alliance.domain.credits.wallet import DEFAULT_WALLET, PUBLIC_SECTOR_TAG, CreditWallet
from alliance.domain.ledger.commands import Capture, PlaceHold, Release
from alliance.domain.ledger.errors import InsufficientBalance
from alliance.domain.ledger.lots import LotRemaining
from alliance.domain.ledger.postings import id_for
from alliance.domain.ledger.units import Unit, show
from alliance.domain.organizations import Hierarchy
from alliance.domain.people import PartnerRole, Person

CREDIT_ROLES = frozenset({PartnerRole.PARTNER_ADMINISTRATOR, PartnerRole.PARTNER_CREDIT_MANAGER})
"""CRD-3: the roles that may request credit options (and approve or see statements)."""


class RequestStatus(StrEnum):
    REQUESTED = "requested"
    PENDING_APPROVAL = "pending_approval"
    HELD = "held"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"


R = RequestStatus
MOVES: frozenset[tuple[RequestStatus, RequestStatus]] = frozenset(
    {
        (R.REQUESTED, R.PENDING_APPROVAL),
        (R.REQUESTED, R.HELD),
        (R.PENDING_APPROVAL, R.HELD),
        (R.PENDING_APPROVAL, R.CANCELLED),
        (R.HELD, R.DELIVERED),
        (R.HELD, R.CANCELLED),
    }
)
"""CRD-3: the allowed moves of a credit request; anything else is refused."""


@dataclass(frozen=True)
class CatalogOption:
    """An option of the credit catalogue; some refuse public-sector credits (CRD-6)."""

    id: str
    name: str
    refuses_public_sector_credits: bool = False


@dataclass(frozen=True)
class AssociateSettings:
    """The principal's choice for its associates (CRD-2); the built-in defaults."""

    policy: AssociatePolicy = AssociatePolicy.PRINCIPAL_ONLY
    percentage: Decimal | None = Decimal("0.5")


@dataclass(frozen=True)
class CreditRequest:
    """A request for ``amount`` credits of ``option`` by ``organization_id`` on the
    principal's balance."""

    id: str
    option: CatalogOption
    amount: Decimal
    requester_id: str
    organization_id: str
    principal_id: str
    status: RequestStatus
    excluded_tags: frozenset[str] = frozenset()

    @property
    def hold_id(self) -> str:
        """The ledger's id of this request's hold (derived from its key)."""
        return id_for("hld", hold_key(self.id))


@dataclass(frozen=True)
class RequestRecord:
    request_id: str
    source: RequestStatus
    target: RequestStatus
    actor: str
    at: datetime
    rule: str = "CRD-3"


@dataclass(frozen=True)
class RequestStep:
    """The request after a step, the ledger command to run (if any), and the record."""

    request: CreditRequest
    command: PlaceHold | Capture | Release | None
    record: RequestRecord
    decision: OrderDecision | None = None


def hold_key(request_id: str) -> str:
    return f"crd:hold:{request_id}"


def _move(request: CreditRequest, to: RequestStatus, actor: str, at: datetime) -> RequestStep:
    if (request.status, to) not in MOVES:
        raise IllegalRequestTransition(
            f"credit request {request.id} is {request.status}; it cannot become {to}"
        )
    record = RequestRecord(request.id, request.status, to, actor, at)
    return RequestStep(replace(request, status=to), None, record)


def request_credit_option(
    *,
    request_id: str,
    requester: Person,
    hierarchy: Hierarchy,
    option: CatalogOption,
    amount: Decimal,
    settings: AssociateSettings,
    lots: Sequence[LotRemaining],
    as_of: date,
    at: datetime,
    wallet: CreditWallet = DEFAULT_WALLET,
) -> RequestStep:
    """CRD-2 / CRD-3 / CRD-6: a new request, held at once or waiting for approval.
    ``lots`` are the principal's open lots."""
    Unit.of(wallet.unit).check(amount)
    if not requester.partner_roles & CREDIT_ROLES or requester.organization_id is None:
        raise NotCreditOrderer(
            f"{requester.name} is neither a partner administrator nor a partner credit "
            "manager; only they may request credit options"
        )
    org = requester.organization_id
    principal = hierarchy.principal_of(org)
    request = CreditRequest(
        request_id, option, amount, requester.id, org, principal, RequestStatus.REQUESTED
    )
    decision = _decide(request, settings, lots, as_of, wallet)
    request = replace(request, excluded_tags=_excluded(request, settings, lots))
    _check_usable(request, lots, as_of, wallet)
    to = RequestStatus.PENDING_APPROVAL if decision.needs_approval else RequestStatus.HELD
    step = _move(request, to, requester.id, at)
    command = _hold(step.request, as_of, wallet) if to is RequestStatus.HELD else None
    return replace(step, command=command, decision=decision)


def approve_request(
    request: CreditRequest,
    *,
    approver: Person,
    settings: AssociateSettings,
    lots: Sequence[LotRemaining],
    as_of: date,
    at: datetime,
    wallet: CreditWallet = DEFAULT_WALLET,
) -> RequestStep:
    """CRD-2: the principal approves a waiting request; its credits are held now, from
    the balance available now."""
    _check_approver(approver, request)
    step = _move(request, RequestStatus.HELD, approver.id, at)
    decision = _decide(request, settings, lots, as_of, wallet)
    held = replace(step.request, excluded_tags=_excluded(request, settings, lots))
    _check_usable(held, lots, as_of, wallet)
    return replace(step, request=held, command=_hold(held, as_of, wallet), decision=decision)


def reject_request(request: CreditRequest, *, approver: Person, at: datetime) -> RequestStep:
    """CRD-2: the principal refuses a waiting request; nothing was held."""
    _check_approver(approver, request)
    return _move(request, RequestStatus.CANCELLED, approver.id, at)


def deliver(request: CreditRequest, *, actor: str, at: datetime) -> RequestStep:
    """CRD-3: the option was delivered; the held credits are spent."""
    step = _move(request, RequestStatus.DELIVERED, actor, at)
    command = Capture(
        idempotency_key=f"crd:capture:{request.id}",
        hold_id=request.hold_id,
        effective_on=at.date(),
        memo=f"{request.option.name} delivered",
    )
    return replace(step, command=command)


def cancel(request: CreditRequest, *, actor: str, at: datetime) -> RequestStep:
    """CRD-3: the request is cancelled; held credits go back to their lots."""
    step = _move(request, RequestStatus.CANCELLED, actor, at)
    if request.status is not RequestStatus.HELD:
        return step
    command = Release(
        idempotency_key=f"crd:release:{request.id}",
        hold_id=request.hold_id,
        effective_on=at.date(),
        memo=f"{request.option.name} cancelled",
    )
    return replace(step, command=command)


def _decide(
    request: CreditRequest,
    settings: AssociateSettings,
    lots: Sequence[LotRemaining],
    as_of: date,
    wallet: CreditWallet,
) -> OrderDecision:
    available = available_balance(lots, as_of)
    decision = decide_order(
        settings.policy,
        amount=request.amount,
        principal_available=available,
        associate_earned=earned_balance(lots, request.organization_id, as_of),
        percentage=settings.percentage,
        for_principal=request.organization_id == request.principal_id,
        unit=wallet.unit,
    )
    if decision.allowed:
        return decision
    if decision.limit is None:
        raise AssociateMayNotOrder(
            f"{request.organization_id} cannot order with {request.principal_id}'s credits: "
            f"{decision.reason.message}"
        )
    if decision.limit >= available:  # the balance limits, not the policy
        raise InsufficientBalance(
            requested=request.amount, available=available, unit=wallet.unit, rule="CRD-3"
        )
    raise AssociateLimitExceeded(decision.reason.message)


def _excluded(
    request: CreditRequest, settings: AssociateSettings, lots: Sequence[LotRemaining]
) -> frozenset[str]:
    tags: set[str] = set()
    if request.option.refuses_public_sector_credits:
        tags.add(PUBLIC_SECTOR_TAG)
    own_only = settings.policy is AssociatePolicy.PREAPPROVED_OWN_EARNED
    if own_only and request.organization_id != request.principal_id:
        tags |= tags_excluding_all_but(lots, request.organization_id)
    return frozenset(tags)


def _check_usable(
    request: CreditRequest, lots: Sequence[LotRemaining], as_of: date, wallet: CreditWallet
) -> None:
    usable = available_balance(lots, as_of, request.excluded_tags)
    if request.amount <= usable:
        return
    without_flag = request.excluded_tags - {PUBLIC_SECTOR_TAG}
    if request.option.refuses_public_sector_credits and request.amount <= available_balance(
        lots, as_of, without_flag
    ):
        raise PublicSectorCreditsRefused(
            f"{request.option.name} cannot be bought with credits earned on public-sector "
            f"deals; {show(usable, wallet.unit)} of other credits are available, "
            f"{show(request.amount, wallet.unit)} asked"
        )
    raise InsufficientBalance(
        requested=request.amount,
        available=usable,
        unit=wallet.unit,
        rule="CRD-3",
        detail=f" for {request.option.name}",
    )


def _hold(request: CreditRequest, as_of: date, wallet: CreditWallet) -> PlaceHold:
    return PlaceHold(
        idempotency_key=hold_key(request.id),
        owner=request.principal_id,
        wallet=wallet.id,
        unit=wallet.unit,
        amount=request.amount,
        effective_on=as_of,
        excluded_tags=request.excluded_tags,
        memo=f"{request.option.name} requested by {request.organization_id}",
        rule="CRD-3",
    )


def _check_approver(approver: Person, request: CreditRequest) -> None:
    if approver.organization_id != request.principal_id or not (
        approver.partner_roles & CREDIT_ROLES
    ):
        raise NotPrincipalApprover(
            f"{approver.name} is not an administrator or credit manager of the principal "
            f"{request.principal_id}; only they approve associates' credit requests"
        )

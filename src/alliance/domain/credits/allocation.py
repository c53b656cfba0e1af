"""CRD-1: credits allocated automatically to the **principal** when it enrols at a level.

The amount per level is a table (the built-in program ships 500 / 5,000 / 100,000 /
500,000 credits for levels 0–3, placeholders marked configurable); the lot expires as
the wallet says — at the end of the membership term by default. An associate gets no
allocation of its own: it uses its principal's credits under the principal's policy
(CRD-2). The allocation is an ``OpenLot`` keyed ``crd:alloc:{subscription}`` (X-5), so
activating the same subscription twice allocates once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from alliance.domain.credits.wallet import ALLOCATION_TAG, DEFAULT_WALLET, CreditWallet
from alliance.domain.ledger.commands import OpenLot
from alliance.domain.ledger.lots import Origin
from alliance.domain.ledger.postings import PostingKind
from alliance.domain.ledger.units import show
from alliance.domain.rewards.reasons import Reason


@dataclass(frozen=True)
class CreditAllocation:
    """The ledger command to run (``None``: nothing to allocate) and why."""

    command: OpenLot | None
    reason: Reason


def allocation_key(subscription_id: str) -> str:
    return f"crd:alloc:{subscription_id}"


def plan_allocation(
    *,
    subscription_id: str,
    member_id: str,
    principal_id: str,
    level: str,
    activated_on: date,
    membership_ends_on: date | None,
    wallet: CreditWallet = DEFAULT_WALLET,
) -> CreditAllocation:
    """CRD-1: the allocation of ``member_id``'s activation at ``level``.

    ``principal_id`` is the head of the member's company (OPN-3): the allocation goes
    there, and only a principal's own subscription allocates.
    """
    if member_id != principal_id:
        return CreditAllocation(
            None,
            Reason(
                "CRD-1",
                f"{member_id} is an associate: credits are allocated to its principal "
                f"{principal_id} only",
            ),
        )
    amount = wallet.allocations.get(level)
    if amount is None or amount <= 0:
        return CreditAllocation(
            None, Reason("CRD-1", f"level {level} carries no credit allocation")
        )
    expires_on = wallet.expires_on(activated_on, membership_ends_on)
    command = OpenLot(
        idempotency_key=allocation_key(subscription_id),
        owner=principal_id,
        wallet=wallet.id,
        unit=wallet.unit,
        amount=amount,
        accrued_on=activated_on,
        expires_on=expires_on,
        origin=Origin(
            wallet.program, f"subscription:{subscription_id}", frozenset({ALLOCATION_TAG})
        ),
        kind=PostingKind.ALLOCATE,
        memo=f"level {level} allocation",
    )
    until = f", expiring {expires_on.isoformat()}" if expires_on else ", never expiring"
    return CreditAllocation(
        command,
        Reason(
            "CRD-1",
            f"{show(amount, wallet.unit)} allocated to principal {principal_id} for level "
            f"{level}{until}",
        ),
    )

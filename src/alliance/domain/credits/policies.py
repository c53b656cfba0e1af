"""CRD-2: how a principal lets its associates order with its credits — a strategy per
policy, chosen from a table keyed by :class:`AssociatePolicy` (STYLE §8).

=============================  ====================================  ===============
policy                         an associate may order up to          approval
=============================  ====================================  ===============
``principal_orders_only``      nothing (the principal orders for it)  —
``preapproved_whole_balance``  the principal's available balance      pre-approved
``preapproved_percentage``     that percentage of it, at order time   pre-approved
``preapproved_own_earnings``   credits that associate earned          pre-approved
``approval_required``          the principal's available balance      each request
=============================  ====================================  ===============

Amounts are in credits. **Rounding, stated once (X-1):** a percentage share is rounded
half-up to the unit's places (hundredths); since the balance is itself in hundredths,
the share never exceeds it. A percentage is a fraction (``0.25`` is 25 %), as in the
program definition.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType

from alliance.domain.errors import InvalidInput
from alliance.domain.ledger.units import show
from alliance.domain.rewards.reasons import Reason
from alliance.domain.rounding import round_half_up

RULE = "CRD-2"
CREDIT_PLACES = 2


class AssociatePolicy(StrEnum):
    """CRD-2; values as in the program definition's ``associate_policies``."""

    PRINCIPAL_ONLY = "principal_orders_only"
    PREAPPROVED_WHOLE_BALANCE = "preapproved_whole_balance"
    PREAPPROVED_PERCENTAGE = "preapproved_percentage"
    PREAPPROVED_OWN_EARNED = "preapproved_own_earnings"
    APPROVAL_REQUIRED = "approval_required"


Limit = Callable[[Decimal, Decimal, Decimal | None], Decimal | None]
"""(principal available, associate earned, percentage) → the associate's limit."""


def _none(_available: Decimal, _earned: Decimal, _pct: Decimal | None) -> Decimal | None:
    return None


def _whole(available: Decimal, _earned: Decimal, _pct: Decimal | None) -> Decimal | None:
    return available


def _share(available: Decimal, _earned: Decimal, pct: Decimal | None) -> Decimal | None:
    if pct is None:
        raise InvalidInput(
            "a pre-approved percentage policy needs its percentage", field="percentage", rule=RULE
        )
    return round_half_up(available * pct, CREDIT_PLACES)


def _earned(available: Decimal, earned: Decimal, _pct: Decimal | None) -> Decimal | None:
    return min(max(earned, Decimal(0)), available)


@dataclass(frozen=True)
class Strategy:
    limit: Limit
    needs_approval: bool
    preapproved: bool
    describe: str


STRATEGIES: Mapping[AssociatePolicy, Strategy] = MappingProxyType(
    {
        AssociatePolicy.PRINCIPAL_ONLY: Strategy(
            _none, False, False, "associates cannot order; the principal orders for them"
        ),
        AssociatePolicy.PREAPPROVED_WHOLE_BALANCE: Strategy(
            _whole, False, True, "pre-approved up to the principal's whole available balance"
        ),
        AssociatePolicy.PREAPPROVED_PERCENTAGE: Strategy(
            _share, False, True, "pre-approved up to a percentage of the principal's balance"
        ),
        AssociatePolicy.PREAPPROVED_OWN_EARNED: Strategy(
            _earned, False, True, "pre-approved up to the credits the associate earned"
        ),
        AssociatePolicy.APPROVAL_REQUIRED: Strategy(
            _whole, True, False, "any amount of the principal's balance, each request approved"
        ),
    }
)


def _check_percentage(percentage: Decimal | None) -> None:
    if percentage is not None and not Decimal(0) <= percentage <= Decimal(1):
        raise InvalidInput(
            f"a percentage is a fraction between 0 and 1 (0.25 is 25 %), got {percentage}",
            field="percentage",
            rule=RULE,
        )


def associate_limit(
    policy: AssociatePolicy,
    principal_available: Decimal,
    associate_earned: Decimal,
    percentage: Decimal | None,
) -> Decimal | None:
    """How much of the principal's available balance an associate may order now;
    ``None`` when it may not order at all. Never more than ``principal_available``."""
    _check_percentage(percentage)
    available = max(principal_available, Decimal(0))
    return STRATEGIES[AssociatePolicy(policy)].limit(available, associate_earned, percentage)


@dataclass(frozen=True)
class OrderDecision:
    """Whether the order may go on, whether the principal must approve it first, the
    limit that applied, and why."""

    allowed: bool
    needs_approval: bool
    limit: Decimal | None
    reason: Reason


def decide_order(
    policy: AssociatePolicy,
    *,
    amount: Decimal,
    principal_available: Decimal,
    associate_earned: Decimal = Decimal(0),
    percentage: Decimal | None = None,
    for_principal: bool = False,
    unit: str = "CREDITS",
) -> OrderDecision:
    """CRD-2: may this order of ``amount`` credits go on? ``for_principal`` orders are
    the principal's own (its policy does not apply)."""
    if amount <= 0:
        raise InvalidInput(f"an order is for a positive amount, got {amount}", field="amount")
    if for_principal:
        limit: Decimal | None = max(principal_available, Decimal(0))
        strategy = Strategy(_whole, False, True, "the principal orders on its own balance")
    else:
        strategy = STRATEGIES[AssociatePolicy(policy)]
        limit = associate_limit(policy, principal_available, associate_earned, percentage)
    if limit is None:
        return OrderDecision(False, False, None, Reason(RULE, strategy.describe))
    if amount > limit:
        return OrderDecision(
            False,
            False,
            limit,
            Reason(
                RULE,
                f"{show(amount, unit)} asked, {show(limit, unit)} allowed: {strategy.describe}",
            ),
        )
    then = "the principal must approve it" if strategy.needs_approval else "no approval needed"
    return OrderDecision(
        True,
        strategy.needs_approval,
        limit,
        Reason(
            RULE, f"{show(amount, unit)} within {show(limit, unit)} ({strategy.describe}); {then}"
        ),
    )

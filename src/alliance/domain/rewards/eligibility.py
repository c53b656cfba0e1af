"""Which usage lines earn rewards (OSR-2…OSR-8, OSR-13, OSR-15), with their reasons (X-3).

Every exclusion is a small function over the facts of one line — the line, its
subscription, the customer who owns the rewards and the terms — that returns a
:class:`Reason` when it excludes the line. :func:`line_eligibility` applies all of them,
so an excluded line lists **every** rule that excludes it, not just the first.

**Months and periods.** A line is a month of consumption and cannot be split by day, so:

* OSR-13 — a line counts when the order's service period is active on at least one day
  of its month. A partial first (or last) month counts in full: the line holds only what
  was metered under this order, which cannot start before the order's service period.
* OSR-4 — the month in which the customer opts out still counts; the months after it do
  not.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from alliance.domain.errors import InvalidInput
from alliance.domain.rewards.customers import Customer
from alliance.domain.rewards.reasons import Reason
from alliance.domain.rewards.subscriptions import OrderType, Subscription
from alliance.domain.rewards.terms import OveragePolicy, RewardTerms
from alliance.domain.rewards.usage import LineKind, UsageLine


@dataclass(frozen=True)
class Eligibility:
    """Whether a line earns, and why: the rules that exclude it, or the notes on why it
    counts (``BYOL counts``, ``overage at the overage price``)."""

    eligible: bool
    reasons: tuple[Reason, ...]

    @property
    def rules(self) -> tuple[str, ...]:
        """The rule ids of the reasons, in order: ``("OSR-2", "OSR-3")``."""
        return tuple(reason.rule for reason in self.reasons)


Check = Callable[[UsageLine, Subscription, Customer, RewardTerms], Reason | None]

_ORDER_TYPES = {
    OrderType.COMMITTED_CREDITS: "committed-credit (universal credits)",
    OrderType.PAY_AS_YOU_GO: "pay-as-you-go",
    OrderType.TRIAL: "trial",
    OrderType.FREE_TIER: "free tier",
    OrderType.PROMOTION: "promotion",
}


def _order_type(
    line: UsageLine, sub: Subscription, _c: Customer, terms: RewardTerms
) -> Reason | None:
    if sub.order_type in terms.eligible_order_types:
        return None
    return Reason("OSR-2", f"{_ORDER_TYPES[sub.order_type]} orders earn no rewards")


def _on_premises_support(
    _l: UsageLine, _s: Subscription, customer: Customer, _t: RewardTerms
) -> Reason | None:
    if customer.has_on_premises_support:
        return None
    return Reason("OSR-2", f"{customer.id} has no on-premises support to pay with rewards")


def _free_tier(line: UsageLine, _s: Subscription, _c: Customer, _t: RewardTerms) -> Reason | None:
    return Reason("OSR-2", "free-tier services earn no rewards") if line.free_tier else None


def _country(_l: UsageLine, sub: Subscription, _c: Customer, terms: RewardTerms) -> Reason | None:
    if sub.country not in terms.excluded_countries:
        return None
    return Reason("OSR-3", f"orders in {sub.country} are excluded from the program")


def _sector(_l: UsageLine, sub: Subscription, _c: Customer, terms: RewardTerms) -> Reason | None:
    if sub.sector not in terms.excluded_sectors:
        return None
    return Reason("OSR-3", f"the {sub.sector} sector is excluded from the program")


def _enrolled(_l: UsageLine, sub: Subscription, _c: Customer, _t: RewardTerms) -> Reason | None:
    return None if sub.enrolled else Reason("OSR-4", "the order does not carry the reward terms")


def _opted_out(line: UsageLine, sub: Subscription, _c: Customer, _t: RewardTerms) -> Reason | None:
    if not sub.is_opted_out_in(line.month):
        return None
    return Reason("OSR-4", f"the customer opted out on {sub.opted_out_on}, before {line.month}")


def _paas_conversion(
    _l: UsageLine, sub: Subscription, _c: Customer, _t: RewardTerms
) -> Reason | None:
    if not sub.has_paas_conversion_right:
        return None
    return Reason("OSR-6", "a licence-to-PaaS conversion right excludes enrolment")


_OSR_7_FLAGS = (
    ("third_party", "third-party services"),
    ("marketplace", "marketplace listings"),
    ("saas", "SaaS applications"),
    ("rack_subscription", "the base subscription of an on-premises cloud rack"),
)


def _service_kind(
    line: UsageLine, _s: Subscription, _c: Customer, _t: RewardTerms
) -> Reason | None:
    kinds = [label for flag, label in _OSR_7_FLAGS if getattr(line, flag)]
    if not kinds:
        return None
    return Reason("OSR-7", f"{' and '.join(kinds)} earn no rewards")


def _service_period(
    line: UsageLine, sub: Subscription, _c: Customer, _t: RewardTerms
) -> Reason | None:
    period = sub.service_period
    if sub.is_active_in(line.month):
        return None
    if period.start > line.month.end:
        return Reason("OSR-13", f"the order's service period starts on {period.start}")
    return Reason("OSR-13", f"the order's service period ended on {period.end}")


def _overage(line: UsageLine, _s: Subscription, _c: Customer, terms: RewardTerms) -> Reason | None:
    if line.kind is LineKind.OVERAGE and terms.overage is OveragePolicy.EXCLUDED:
        return Reason("OSR-15", "overage consumption is excluded by the program's terms")
    return None


EXCLUSIONS: tuple[Check, ...] = (
    _order_type,
    _on_premises_support,
    _free_tier,
    _country,
    _sector,
    _enrolled,
    _opted_out,
    _paas_conversion,
    _service_kind,
    _service_period,
    _overage,
)
"""Every rule that can exclude a line, in the order their reasons are listed."""


def line_eligibility(
    line: UsageLine, subscription: Subscription, customer: Customer, terms: RewardTerms
) -> Eligibility:
    """Whether ``line`` earns rewards for ``customer``, the buyer of ``subscription``.

    Any workload qualifies (OSR-8): nothing here looks at what the service runs.
    """
    if line.subscription_id != subscription.id:
        raise InvalidInput(
            f"{line.where} is for subscription {line.subscription_id}, not {subscription.id}",
            field="subscription_id",
        )
    if customer.id != subscription.buyer_id:
        raise InvalidInput(
            f"rewards of subscription {subscription.id} belong to its buyer "
            f"{subscription.buyer_id}, not {customer.id}",
            field="buyer_id",
            rule="OSR-9",
        )
    excluded = tuple(
        reason
        for check in EXCLUSIONS
        if (reason := check(line, subscription, customer, terms)) is not None
    )
    if excluded:
        return Eligibility(eligible=False, reasons=excluded)
    return Eligibility(eligible=True, reasons=_counted(line))


def _counted(line: UsageLine) -> tuple[Reason, ...]:
    notes = [Reason("OSR-12", "counted: unit net price × actual usage")]
    if line.byol:
        notes.append(Reason("OSR-5", "bring-your-own-licence services count"))
    if line.kind is LineKind.OVERAGE:
        notes.append(Reason("OSR-15", "overage counts at the same rate, on the overage price"))
    return tuple(notes)

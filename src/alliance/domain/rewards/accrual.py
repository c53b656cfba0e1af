"""The reference monthly accrual of customer rewards (OSR-9, OSR-11, OSR-12, OSR-14, OSR-16).

Once at the end of each month, every buyer (OSR-9) earns, per its eligible lines:

    amount = round_half_up(Σ (unit net price × quantity) × rate, minor unit of the currency)

**The one rounding (X-1).** Each line's ``unit_net_price × quantity`` is exact; their sum
over the customer-month's eligible lines is exact; it is multiplied once by the rate
(OSR-11), exactly; the product is rounded **once**, half-up to the currency's minor unit
(cents for USD). Nothing is rounded line by line, and nothing is capped (OSR-16).

**One currency per customer-month.** A customer's consumption in a month is in one
currency (its account's); lines of one buyer and month in two currencies are bad input,
refused before anything accrues (X-7) — never converted, never added together.

The accrual is dated on the month's last day and expires at the end of the month
``validity_months`` later (OSR-14: end of December 2021 → end of December 2022). Its
idempotency key is ``osr:accrual:{customer}:{YYYY-MM}`` (X-5), so a rerun of a month opens
no second lot. A customer-month that earns zero is reported (with its reasons) but opens
no lot.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TypeVar

from alliance.domain.calendar import Month, expiry_end_of_month_after
from alliance.domain.errors import InvalidInput, Problem, Problems
from alliance.domain.ids import OrganizationId
from alliance.domain.ledger import OpenLot, Origin
from alliance.domain.money import minor_unit
from alliance.domain.rewards import exact
from alliance.domain.rewards.customers import Customer, RateDecision, Rates
from alliance.domain.rewards.eligibility import line_eligibility
from alliance.domain.rewards.reasons import Reason
from alliance.domain.rewards.subscriptions import Subscription, SubscriptionId
from alliance.domain.rewards.terms import RewardTerms
from alliance.domain.rewards.usage import UsageLine


@dataclass(frozen=True)
class LineOutcome:
    """One usage line in an accrual: its exact value, whether it counted, and why (X-3)."""

    line_no: int
    subscription_id: SubscriptionId
    service: str
    net_amount: Decimal
    counted: bool
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class Accrual:
    """What ``owner_id`` earned in ``month``: ``amount`` of ``currency``, with its workings.

    ``eligible_consumption`` is the exact sum of the counted lines; ``amount`` is it times
    ``rate``, rounded once half-up to the currency's minor unit.
    """

    owner_id: OrganizationId
    month: Month
    currency: str
    eligible_consumption: Decimal
    rate: RateDecision
    amount: Decimal
    accrued_on: date
    expires_on: date
    lines: tuple[LineOutcome, ...]
    idempotency_key: str

    @property
    def opens_lot(self) -> bool:
        """Only a positive amount opens a lot in the ledger."""
        return self.amount > 0

    @property
    def counted_lines(self) -> tuple[LineOutcome, ...]:
        return tuple(line for line in self.lines if line.counted)

    @property
    def excluded_lines(self) -> tuple[LineOutcome, ...]:
        return tuple(line for line in self.lines if not line.counted)

    def open_lot(self, terms: RewardTerms) -> OpenLot:
        """The ledger command that opens this accrual's lot in ``terms.wallet``."""
        if not self.opens_lot:
            raise InvalidInput(
                f"{self.owner_id} earned nothing in {self.month}: no lot to open",
                field="amount",
                rule="OSR-12",
            )
        return OpenLot(
            idempotency_key=self.idempotency_key,
            owner=self.owner_id,
            wallet=terms.wallet,
            unit=self.currency,
            amount=self.amount,
            accrued_on=self.accrued_on,
            expires_on=self.expires_on,
            origin=Origin(program=terms.program, source_event=self.idempotency_key),
            memo=f"rewards on eligible consumption of {self.month}",
        )


@dataclass(frozen=True)
class AccrualRun:
    """Every customer-month accrual of ``month``, ordered by owner."""

    month: Month
    accruals: tuple[Accrual, ...]

    def for_owner(self, owner_id: OrganizationId) -> Accrual | None:
        return next((a for a in self.accruals if a.owner_id == owner_id), None)

    @property
    def earning(self) -> tuple[Accrual, ...]:
        """The accruals that open a lot (a positive amount)."""
        return tuple(a for a in self.accruals if a.opens_lot)

    def open_lot_commands(self, terms: RewardTerms) -> tuple[OpenLot, ...]:
        return tuple(a.open_lot(terms) for a in self.earning)


def accrual_key(owner_id: OrganizationId, month: Month, program: str = "osr") -> str:
    """X-5: the one idempotency key of ``owner_id``'s accrual of ``month``."""
    return f"{program}:accrual:{owner_id}:{month.label}"


def accrue_month(
    month: Month,
    lines: Iterable[UsageLine],
    subscriptions: Iterable[Subscription],
    customers: Iterable[Customer],
    terms: RewardTerms,
) -> AccrualRun:
    """The rewards every buyer earns on ``lines`` of ``month`` (see the module doc).

    ``subscriptions`` must hold every line's subscription and ``customers`` every buyer
    (and may hold the rest of their corporate hierarchies, for OSR-11). Bad input — a line
    of another month, an unknown subscription or buyer, a customer-month in two
    currencies — is refused as one :class:`InvalidInput` listing every problem.
    """
    subs = _index(subscriptions, lambda s: s.id, "subscription")
    custs = _index(customers, lambda c: c.id, "customer")
    grouped, problems = _group_by_owner(month, lines, subs, custs)
    problems.raise_if_any(f"cannot accrue rewards for {month}")
    rates = Rates(custs, terms)
    return AccrualRun(
        month,
        tuple(
            _accrue(owner, month, grouped[owner], custs[owner], rates.for_customer(owner), terms)
            for owner in sorted(grouped)
        ),
    )


_Pair = tuple[UsageLine, Subscription]
K = TypeVar("K", bound=str)
V = TypeVar("V")


def _group_by_owner(
    month: Month,
    lines: Iterable[UsageLine],
    subs: dict[SubscriptionId, Subscription],
    custs: dict[OrganizationId, Customer],
) -> tuple[dict[OrganizationId, list[_Pair]], Problems]:
    problems = Problems()
    grouped: dict[OrganizationId, list[_Pair]] = {}
    currencies: dict[OrganizationId, dict[str, int]] = {}
    for line in lines:
        sub = subs.get(line.subscription_id)
        if line.month != month:
            problems.add(
                _problem(line, "month", f"consumption of {line.month}, not {month}", "OSR-12")
            )
        elif sub is None:
            problems.add(
                _problem(line, "subscription_id", f"unknown subscription {line.subscription_id}")
            )
        elif sub.customer_id != line.customer_id:
            problems.add(
                _problem(line, "customer_id", f"{sub.id} is the subscription of {sub.customer_id}")
            )
        elif sub.buyer_id not in custs:
            problems.add(_problem(line, "buyer_id", f"unknown buyer {sub.buyer_id}", "OSR-9"))
        else:
            grouped.setdefault(sub.buyer_id, []).append((line, sub))
            currencies.setdefault(sub.buyer_id, {}).setdefault(line.currency, line.line_no)
    for owner, firsts in sorted(currencies.items()):
        if len(firsts) > 1:
            found = ", ".join(f"{cur} (first on line {no})" for cur, no in sorted(firsts.items()))
            problems.add(
                Problem(
                    f"{owner} has {month} consumption in {found}; a customer-month accrues in "
                    "one currency, never converted or mixed",
                    field="currency",
                    rule="X-1",
                )
            )
    return grouped, problems


def _accrue(
    owner: OrganizationId,
    month: Month,
    pairs: list[_Pair],
    customer: Customer,
    rate: RateDecision,
    terms: RewardTerms,
) -> Accrual:
    outcomes = []
    for line, sub in pairs:
        eligibility = line_eligibility(line, sub, customer, terms)
        outcomes.append(
            LineOutcome(
                line.line_no,
                sub.id,
                line.service,
                line.net_amount,
                eligibility.eligible,
                eligibility.reasons,
            )
        )
    currency = pairs[0][0].currency
    consumption = exact.total(o.net_amount for o in outcomes if o.counted)
    amount = exact.rounded(exact.product(consumption, rate.rate), minor_unit(currency))
    return Accrual(
        owner_id=owner,
        month=month,
        currency=currency,
        eligible_consumption=consumption,
        rate=rate,
        amount=amount,
        accrued_on=month.end,
        expires_on=expiry_end_of_month_after(month.end, terms.validity_months),
        lines=tuple(outcomes),
        idempotency_key=accrual_key(owner, month, terms.program),
    )


def _index(items: Iterable[V], key: Callable[[V], K], what: str) -> dict[K, V]:
    index: dict[K, V] = {}
    for item in items:
        if key(item) in index and index[key(item)] != item:
            raise InvalidInput(f"two different {what}s have the id {key(item)}", field="id")
        index[key(item)] = item
    return index


def _problem(line: UsageLine, field: str, message: str, rule: str | None = None) -> Problem:
    return Problem(message, field=field, rule=rule, location=line.where)

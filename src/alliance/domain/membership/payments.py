"""Paying a level's fee: which plans and methods a level allows (OPN-5, OPN-6), and the
invoice issued after subscription (OPN-7).

* A plan the level does not offer is refused with :class:`PlanNotAllowed` — naming
  OPN-6 for instalment plans (quarterly is for levels 2–3), OPN-5 otherwise; a method
  the plan does not accept at that level, in that country, with :class:`MethodNotAllowed`
  (OPN-5: no card for level 3).
* The invoice carries the subscription id, the reference the partner quotes on its
  payment (OPN-7), and is issued a configured number of business days (3–5) after
  subscription; business days skip Saturdays and Sundays (public holidays are not
  modelled). Full payment is one instalment due on issue, before activation; a quarterly
  plan is four equal instalments (:func:`~alliance.domain.money.allocate`) due at
  activation and every three calendar months after.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from alliance.domain.calendar import add_months
from alliance.domain.errors import InvalidInput
from alliance.domain.membership.errors import MethodNotAllowed, PlanNotAllowed
from alliance.domain.membership.membership import SubscriptionId
from alliance.domain.membership.terms import (
    LevelTerms,
    MembershipTerms,
    PaymentChoice,
    PaymentOption,
    PaymentTiming,
)
from alliance.domain.money import Money, allocate
from alliance.domain.people import PartnerRole

_SATURDAY = 5


def _words(value: str) -> str:
    return value.replace("_", " ")


def payment_option(level: LevelTerms, country: str | None, choice: PaymentChoice) -> PaymentOption:
    """The option ``choice`` selects at ``level`` in ``country``, or the refusal naming
    the rule (OPN-5 methods, OPN-6 instalment plans)."""
    options = level.options_for(country)
    where = f" in {country}" if country and country in level.payment_by_country else ""
    option = next((o for o in options if o.plan is choice.plan), None)
    if option is None:
        offered = ", ".join(_words(o.plan.value) for o in options)
        rule = "OPN-6" if choice.plan.instalments > 1 else "OPN-5"
        raise PlanNotAllowed(
            f"{level.name} does not offer {_words(choice.plan.value)} payment{where}; "
            f"offered: {offered}",
            rule=rule,
        )
    if choice.method not in option.methods:
        accepted = ", ".join(_words(m.value) for m in option.methods)
        raise MethodNotAllowed(
            f"{_words(choice.method.value)} is not accepted for {_words(choice.plan.value)} "
            f"payment at {level.name}{where}; accepted: {accepted}"
        )
    return option


def add_business_days(start: date, days: int) -> date:
    """``days`` business days after ``start`` (Monday to Friday; holidays not modelled):
    3 business days after Thursday 2026-01-08 is Tuesday 2026-01-13."""
    if days < 0:
        raise InvalidInput(f"cannot count {days} business days", field="days", rule="OPN-7")
    current = start
    for _ in range(days):
        current += timedelta(days=1)
        while current.weekday() >= _SATURDAY:
            current += timedelta(days=1)
    return current


@dataclass(frozen=True)
class Instalment:
    """One payment of a fee: its number (1-based), exact amount and due date."""

    number: int
    amount: Money
    due_on: date


@dataclass(frozen=True)
class Invoice:
    """OPN-7: the invoice for a level's fee, sent to the billing contact.

    ``reference`` is the subscription id the partner quotes on its payment; the fee
    excludes tax, which is the partner's (OPN-4).
    """

    subscription_id: SubscriptionId
    level: str
    amount: Money
    issued_on: date
    timing: PaymentTiming
    instalments: tuple[Instalment, ...]
    recipient_role: PartnerRole
    taxes_excluded: bool = True

    @property
    def reference(self) -> str:
        return str(self.subscription_id)

    @property
    def key(self) -> str:
        """An idempotency key: one fee invoice per subscription and term (X-5)."""
        first_due = self.instalments[0].due_on.isoformat()
        return f"{self.subscription_id}:fee_invoice:{first_due}"


def issue_date(subscribed_on: date, terms: MembershipTerms, delay: int | None = None) -> date:
    """OPN-7: ``delay`` business days after subscription (default: the shortest delay);
    a delay outside the program's range (3–5) is refused."""
    chosen = terms.invoice_min_business_days if delay is None else delay
    low, high = terms.invoice_min_business_days, terms.invoice_max_business_days
    if not low <= chosen <= high:
        raise InvalidInput(
            f"the invoice is issued {low}–{high} business days after subscription, not {chosen}",
            field="delay",
            rule="OPN-7",
        )
    return add_business_days(subscribed_on, chosen)


def instalments(fee: Money, option: PaymentOption, first_due: date) -> tuple[Instalment, ...]:
    """OPN-6: ``fee`` in equal instalments (to the cent, the leftover cents first), the
    first due on ``first_due`` and the next every ``12 / instalments`` calendar months."""
    count = option.instalments
    months = 12 // count
    return tuple(
        Instalment(number + 1, amount, add_months(first_due, months * number))
        for number, amount in enumerate(allocate(fee, count))
    )


def fee_invoice(
    subscription_id: SubscriptionId,
    level: LevelTerms,
    option: PaymentOption,
    terms: MembershipTerms,
    subscribed_on: date,
    *,
    activated_on: date | None = None,
    delay: int | None = None,
) -> Invoice:
    """OPN-6 / OPN-7: the invoice for ``level``'s fee.

    Full payment before activation is one instalment due on the issue date; payment from
    activation is due in instalments from ``activated_on`` (default: the subscription
    date — such a membership activates at subscription).
    """
    issued = issue_date(subscribed_on, terms, delay)
    if option.timing is PaymentTiming.BEFORE_ACTIVATION:
        first_due = issued
    else:
        first_due = activated_on or subscribed_on
    return Invoice(
        subscription_id=subscription_id,
        level=level.id,
        amount=level.fee.rounded(),
        issued_on=issued,
        timing=option.timing,
        instalments=instalments(level.fee, option, first_due),
        recipient_role=terms.invoice_recipient,
    )

"""Ambassador commissions (OIP-1, OIP-8) and the Premium operators' semiannual back-margin
(OIP-6, OIP-7).

* **Commission** — an Ambassador earns the commission rate on every service billed to
  its customers in the month (all revenue kinds the program counts).
* **Back-margin** — a Premium Operator earns the back-margin rate on its VoIP revenue of
  the calendar semester (January–June, July–December), computed once the semester has
  ended. It is due for a semester only if the operator held Premium throughout it: the
  status assigned on the semester's first day (OIP-3's 1 January / 1 July evaluations).

Amounts are exact until the payout, rounded half-up once to the cent (X-1).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from alliance.domain.calendar import Month, Period, PeriodKind
from alliance.domain.errors import BusinessRuleViolation, InvalidInput
from alliance.domain.explanations import Explanation, Reason, plain
from alliance.domain.facts import RevenueLine
from alliance.domain.money import Money, sum_money
from alliance.domain.statuses.terms import EarnedStatusTerms, RateTerms


@dataclass(frozen=True)
class Payout:
    """What ``partner_id`` earns for ``period``, with the revenue lines it counted."""

    partner_id: str
    period: str
    base: Money
    rate: RateTerms
    exact: Money
    amount: Money  # rounded half-up to the cent
    counted: tuple[str, ...]
    explanation: Explanation

    @property
    def idempotency_key(self) -> str:
        return f"payout:{self.partner_id}:{self.period}"


def _payout(
    partner_id: str,
    label: str,
    what: str,
    lines: list[RevenueLine],
    rate: RateTerms,
    currency: str,
    rule: str,
) -> Payout:
    base = sum_money((line.amount for line in lines), currency)
    exact = base * rate.rate
    amount = exact.rounded()
    reasons = (
        Reason(rule, f"{base} {what} in {label} × {plain(rate.rate * 100)} % = {exact}"),
        Reason("X-1", f"rounded half-up to {amount}"),
    )
    counted = tuple(line.line_id or f"{line.month}:{line.kind}" for line in lines)
    return Payout(
        partner_id,
        label,
        base,
        rate,
        exact,
        amount,
        counted,
        Explanation(f"{amount} for {label}", reasons),
    )


def ambassador_commission(
    partner_id: str, month: Month, lines: Iterable[RevenueLine], terms: EarnedStatusTerms
) -> Payout:
    """The commission on the services billed to ``partner_id``'s customers in ``month``."""
    rate = terms.commission
    if rate is None:
        raise InvalidInput("the program pays no commission", field="incentives", rule="OIP-1")
    counted = [
        line
        for line in lines
        if line.partner_id == partner_id and line.month == month and line.kind in rate.counted
    ]
    return _payout(
        partner_id, month.label, "billed to the customers", counted, rate, terms.currency, "OIP-1"
    )


def back_margin(
    partner_id: str,
    semester: Period,
    status_on_first_day: str,
    lines: Iterable[RevenueLine],
    terms: EarnedStatusTerms,
    as_of: date,
    member_type: str = "operator",
) -> Payout:
    """The back-margin on ``partner_id``'s VoIP revenue of ``semester`` (OIP-7)."""
    rate = terms.back_margin
    if rate is None:
        raise InvalidInput("the program has no back-margin", field="incentives", rule="OIP-7")
    if semester.kind is not PeriodKind.SEMESTER:
        raise InvalidInput(
            f"a back-margin is per semester, got {semester}", field="period", rule="OIP-7"
        )
    if as_of <= semester.end:
        raise BusinessRuleViolation(
            f"the back-margin of {semester} is computed once it has ended ({semester.end})",
            field="as_of",
            rule="OIP-7",
        )
    if rate.member_types and member_type not in rate.member_types:
        raise BusinessRuleViolation(
            f"the back-margin is for {', '.join(rate.member_types)}, not {member_type}",
            field="member_type",
            rule="OIP-7",
        )
    if rate.statuses and status_on_first_day not in rate.statuses:
        raise BusinessRuleViolation(
            f"the back-margin is for {', '.join(rate.statuses)} partners; {partner_id} was "
            f"{status_on_first_day} in {semester}",
            field="status",
            rule="OIP-7",
        )
    months = set(semester.months())
    counted = [
        line
        for line in lines
        if line.partner_id == partner_id
        and line.month in months
        and line.kind in rate.counted
        and (rate.product_line is None or line.product_line == rate.product_line)
    ]
    what = f"{rate.product_line} revenue" if rate.product_line else "revenue"
    return _payout(partner_id, semester.label, what, counted, rate, terms.currency, "OIP-7")

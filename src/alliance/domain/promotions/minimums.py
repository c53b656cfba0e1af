"""Quarterly minimums that open a status's promotions (OIP-8).

Business: an Ambassador needs 600 EUR of order intake in the quarter, an Operator
1,500 EUR of revenue; Premium: 800 and 2,000 EUR. "In the quarter" is the calendar
quarter of the quote's day, to that day: orders dated from its first day to the quote's
day, revenue of its months up to the quote's month.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from alliance.domain.calendar import Month, PeriodKind, period_containing
from alliance.domain.money import Money, sum_money
from alliance.domain.promotions.basket import QuoteParty
from alliance.domain.promotions.terms import MinimumSource, MinimumTerms


@dataclass(frozen=True, slots=True)
class MinimumCheck:
    minimum: MinimumTerms
    quarter: str
    value: Money

    @property
    def met(self) -> bool:
        return self.value >= self.minimum.at_least

    @property
    def missing(self) -> Money:
        return self.minimum.at_least - self.value


def quarter_to_date(minimum: MinimumTerms, party: QuoteParty, as_of: date) -> MinimumCheck:
    """The partner's ``minimum`` measure in the quarter of ``as_of``, to that day (OIP-8)."""
    quarter = period_containing(PeriodKind.QUARTER, as_of)
    currency = minimum.at_least.currency
    if minimum.source is MinimumSource.ORDER_INTAKE:
        amounts = [
            o.amount
            for o in party.orders
            if o.partner_id == party.partner_id and quarter.start <= o.ordered_on <= as_of
        ]
    else:
        months = {m for m in quarter.months() if m <= Month.containing(as_of)}
        amounts = [
            line.amount
            for line in party.revenue
            if line.partner_id == party.partner_id
            and line.month in months
            and line.kind in minimum.counted
        ]
    return MinimumCheck(minimum, quarter.label, sum_money(amounts, currency))

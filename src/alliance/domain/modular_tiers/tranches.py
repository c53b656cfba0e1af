"""Resell margins per tranche of licence bookings (PEX-5).

The year's bookings are cut into tranches (up to 25,000 USD, 25,000 to 50,000…); each
part earns its own tranche's rate, not one rate on the whole: 60,000 USD at 10 / 12 /
14 % is 2,500 + 3,000 + 1,400 = 6,900 USD. Amounts stay exact; the total is rounded
half-up to the currency's minor unit once, at the end, and the rounding is stated (X-1).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from alliance.domain.calendar import Period, PeriodKind
from alliance.domain.errors import InvalidInput
from alliance.domain.explanations import Explanation, Reason, plain
from alliance.domain.facts import Deal
from alliance.domain.modular_tiers.crediting import CreditRole, credit_deal
from alliance.domain.modular_tiers.terms import ModularTierTerms
from alliance.domain.money import Money, sum_money


@dataclass(frozen=True, slots=True)
class TrancheLine:
    lower: Money
    upper: Money | None
    rate: Decimal
    base: Money  # the part of the bookings in this tranche
    margin: Money  # exact


@dataclass(frozen=True)
class TrancheMargin:
    bookings: Money
    lines: tuple[TrancheLine, ...]
    exact: Money
    margin: Money  # rounded half-up to the minor unit
    explanation: Explanation


def tranche_margin(bookings: Money, terms: ModularTierTerms) -> TrancheMargin:
    """The margin on ``bookings``, tranche by tranche (PEX-5)."""
    if bookings.currency != terms.tranche_size.currency:
        raise InvalidInput(
            f"tranches are in {terms.tranche_size.currency}, bookings in {bookings.currency}",
            field="currency",
            rule="PEX-5",
        )
    if bookings.is_negative():
        raise InvalidInput(f"bookings are negative: {bookings}", field="bookings", rule="PEX-5")
    currency = bookings.currency
    lower = Money.zero(currency)
    lines: list[TrancheLine] = []
    for tranche in terms.tranches:
        if bookings <= lower:
            break
        top = bookings if tranche.up_to is None else min(bookings, tranche.up_to)
        base = top - lower
        lines.append(TrancheLine(lower, tranche.up_to, tranche.rate, base, base * tranche.rate))
        if tranche.up_to is None:
            break
        lower = tranche.up_to
    exact = sum_money((line.margin for line in lines), currency)
    rounded = exact.rounded()
    reasons = [
        Reason(
            "PEX-5",
            f"{line.base} between {line.lower} and {line.upper or 'no limit'} "
            f"at {plain(line.rate * 100)} % = {line.margin}",
        )
        for line in lines
    ]
    reasons.append(Reason("X-1", f"total {exact}, rounded half-up to {rounded}"))
    explanation = Explanation(f"margin on {bookings} of bookings: {rounded}", tuple(reasons))
    next_line = _next_tranche(bookings, terms)
    if next_line is not None:
        gap, rate = next_line
        explanation = Explanation(
            explanation.summary,
            explanation.reasons,
            gap.amount,
            f"the {plain(rate * 100)} % tranche ({gap} more bookings)",
        )
    return TrancheMargin(bookings, tuple(lines), exact, rounded, explanation)


def _next_tranche(bookings: Money, terms: ModularTierTerms) -> tuple[Money, Decimal] | None:
    for i, tranche in enumerate(terms.tranches[:-1]):
        if tranche.up_to is not None and bookings < tranche.up_to:
            return tranche.up_to - bookings, terms.tranches[i + 1].rate
    return None


def resell_margin(
    partner_id: str,
    deals: Iterable[Deal],
    year: Period,
    modules_held: Mapping[str, frozenset[str]],
    terms: ModularTierTerms,
) -> TrancheMargin:
    """The tranche margin on ``partner_id``'s licence bookings transacted in ``year``."""
    if year.kind is not PeriodKind.YEAR:
        raise InvalidInput(f"margins are per year, got {year}", field="period", rule="PEX-5")
    booked = [
        credit.amount
        for deal in deals
        if year.contains(deal.booked_on) and deal.product_kind == terms.margin_product_kind
        for credit in credit_deal(deal, modules_held, terms).for_partner(partner_id)
        if credit.role is CreditRole.TRANSACTION
    ]
    return tranche_margin(sum_money(booked, terms.currency), terms)

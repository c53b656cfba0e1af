"""Points from influence and certifications, as ledger commands (PEX-4, PEX-6, X-5).

Per partner and calendar month:

* **influence** — the deals booked in the month that the partner influenced while
  holding Sell With (PEX-3) earn ``points`` per ``per`` USD of their total;
* **certifications** — each certification a person of the partner earned in the month
  earns ``points``.

Points are whole (the ``POINTS`` unit has no decimals): the month's total is rounded
down. Each award becomes one :class:`~alliance.domain.ledger.OpenLot` with the key
``{program}:points:{source}:{partner}:{YYYY-MM}``, so rerunning a month posts nothing
new (X-5); the points are spendable on proof-of-concept budgets (the wallet's use).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from enum import StrEnum

from alliance.domain.calendar import Month, add_months
from alliance.domain.explanations import Explanation, Reason, plain
from alliance.domain.facts import Certification, Deal
from alliance.domain.ledger import OpenLot, Origin
from alliance.domain.modular_tiers.crediting import CreditRole, credit_deal
from alliance.domain.modular_tiers.terms import ModularTierTerms, PointsAwardTerms, RewardKind
from alliance.domain.money import sum_money


class PointsSource(StrEnum):
    INFLUENCE = "influence"  # PEX-4
    CERTIFICATION = "certification"  # PEX-6


@dataclass(frozen=True)
class PointsAward:
    """``points`` earned by ``partner_id`` in ``month`` from ``source``."""

    program: str
    partner_id: str
    month: Month
    source: PointsSource
    units: Decimal
    points: Decimal
    counted: tuple[str, ...]
    explanation: Explanation

    @property
    def idempotency_key(self) -> str:
        return points_key(self.program, self.source, self.partner_id, self.month)

    def command(self, terms: ModularTierTerms) -> OpenLot:
        """The ledger command that posts the award into the points wallet (PEX-4, X-5)."""
        months = terms.points_expire_after_months
        expires = None if months is None else add_months(self.month.end, months)
        return OpenLot(
            idempotency_key=self.idempotency_key,
            owner=self.partner_id,
            wallet=terms.points_wallet,
            unit=terms.points_unit,
            amount=self.points,
            accrued_on=self.month.end,
            expires_on=expires,
            origin=Origin(program=self.program, source_event=self.idempotency_key),
            memo=f"{self.source} points for {self.month}",
        )


def points_key(program: str, source: PointsSource, partner_id: str, month: Month) -> str:
    """X-5: the one idempotency key of a partner's points of one source and month."""
    return f"{program}:points:{source}:{partner_id}:{month.label}"


def whole_points(units: Decimal, award: PointsAwardTerms) -> Decimal:
    """``units / per × points``, rounded down to whole points."""
    return (units * award.points / award.per).to_integral_value(rounding=ROUND_FLOOR)


def influence_points(
    partner_id: str,
    month: Month,
    deals: Iterable[Deal],
    modules_held: Mapping[str, frozenset[str]],
    terms: ModularTierTerms,
) -> PointsAward | None:
    """Sell With points for the deals ``partner_id`` influenced in ``month`` (PEX-3, PEX-4)."""
    award = terms.influence_points
    if award is None:
        return None
    if award.module is not None and terms.module(award.module).reward is not RewardKind.POINTS:
        return None  # PEX-4: the module rewards another way (a monetary reward is planned)
    credits = [
        credit
        for deal in deals
        if month.contains(deal.booked_on)
        for credit in credit_deal(deal, modules_held, terms).for_partner(partner_id)
        if credit.role is CreditRole.INFLUENCE
    ]
    if not credits:
        return None
    total = sum_money((c.amount for c in credits), terms.currency)
    points = whole_points(total.amount, award)
    reasons = (
        *(c.reason for c in credits),
        Reason(
            "PEX-4",
            f"{total} influenced × {plain(award.points)} point per {plain(award.per)} "
            f"{terms.currency} = {plain(points)} points (rounded down)",
        ),
    )
    return PointsAward(
        terms.program,
        partner_id,
        month,
        PointsSource.INFLUENCE,
        total.amount,
        points,
        tuple(c.deal_id for c in credits),
        Explanation(f"{plain(points)} Sell With points for {month}", reasons),
    )


def certification_points(
    partner_id: str, month: Month, certifications: Iterable[Certification], terms: ModularTierTerms
) -> PointsAward | None:
    """Points for the certifications ``partner_id``'s people earned in ``month`` (PEX-6)."""
    award = terms.certification_points
    if award is None:
        return None
    earned = sorted(
        (c for c in certifications if c.partner_id == partner_id and month.contains(c.earned_on)),
        key=lambda c: (c.earned_on, c.person_id, c.certification_id),
    )
    if not earned:
        return None
    points = whole_points(Decimal(len(earned)), award)
    counted = tuple(f"{c.person_id}:{c.certification_id}" for c in earned)
    reason = Reason(
        "PEX-6",
        f"{len(earned)} certification(s) earned in {month} × {plain(award.points)} points "
        f"= {plain(points)}",
    )
    return PointsAward(
        terms.program,
        partner_id,
        month,
        PointsSource.CERTIFICATION,
        Decimal(len(earned)),
        points,
        counted,
        Explanation(f"{plain(points)} certification points for {month}", (reason,)),
    )


def month_awards(
    partner_id: str,
    month: Month,
    deals: Iterable[Deal],
    certifications: Iterable[Certification],
    modules_held: Mapping[str, frozenset[str]],
    terms: ModularTierTerms,
) -> tuple[PointsAward, ...]:
    """Every points award of ``partner_id`` for ``month`` (none with zero points)."""
    awards = (
        influence_points(partner_id, month, deals, modules_held, terms),
        certification_points(partner_id, month, certifications, terms),
    )
    return tuple(a for a in awards if a is not None and a.points > 0)

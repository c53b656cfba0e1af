"""Who a deal credits (PEX-3): the partner that transacted it, for its Resell bookings,
and every partner that influenced it, for Sell With — even when the transaction went
through another partner. One deal may thus credit two (or more) partners.

A partner is credited only for a module it holds; a transacting partner listed among
the influencers is credited once, for the transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from alliance.domain.explanations import Reason
from alliance.domain.facts import Deal
from alliance.domain.modular_tiers.terms import ModularTierTerms
from alliance.domain.money import Money

SELL_WITH = "sell_with"


class CreditRole(StrEnum):
    TRANSACTION = "transaction"  # Resell: counts toward the tranche margin (PEX-5)
    INFLUENCE = "influence"  # Sell With: earns points (PEX-4)


@dataclass(frozen=True, slots=True)
class DealCredit:
    deal_id: str
    partner_id: str
    role: CreditRole
    module: str
    amount: Money
    reason: Reason


@dataclass(frozen=True)
class DealCredits:
    deal: Deal
    credits: tuple[DealCredit, ...]
    refused: tuple[Reason, ...]

    def for_partner(self, partner_id: str) -> tuple[DealCredit, ...]:
        return tuple(c for c in self.credits if c.partner_id == partner_id)


def credit_deal(
    deal: Deal, modules_held: Mapping[str, frozenset[str]], terms: ModularTierTerms
) -> DealCredits:
    """The credits ``deal`` gives, given the modules each partner holds (PEX-3)."""
    credits: list[DealCredit] = []
    refused: list[Reason] = []
    seller = deal.transacting_partner_id
    margin = terms.margin_module
    award = terms.influence_points
    sell_with = award.module if award is not None and award.module else SELL_WITH
    if margin in modules_held.get(seller, frozenset()):
        what = "licence bookings" if deal.product_kind == terms.margin_product_kind else "bookings"
        credits.append(
            DealCredit(
                deal.deal_id,
                seller,
                CreditRole.TRANSACTION,
                margin,
                deal.amount,
                Reason("PEX-3", f"{seller} transacted deal {deal.deal_id}: {deal.amount} {what}"),
            )
        )
    else:
        refused.append(Reason("PEX-5", f"{seller} transacted {deal.deal_id} without {margin}"))
    for partner in deal.influencing_partner_ids:
        if partner == seller:
            refused.append(
                Reason("PEX-3", f"{partner} transacted {deal.deal_id}: credited once, not twice")
            )
        elif sell_with not in modules_held.get(partner, frozenset()):
            refused.append(
                Reason("PEX-3", f"{partner} influenced {deal.deal_id} without Sell With")
            )
        else:
            credits.append(
                DealCredit(
                    deal.deal_id,
                    partner,
                    CreditRole.INFLUENCE,
                    sell_with,
                    deal.amount,
                    Reason(
                        "PEX-3",
                        f"{partner} influenced deal {deal.deal_id} ({deal.amount}) "
                        f"transacted by {seller}",
                    ),
                )
            )
    return DealCredits(deal, tuple(credits), tuple(refused))

"""Promotions and quotes — OIP-7, OIP-8 — pure rules, stdlib only.

* :mod:`.terms` — products, conditions, price benefits, cumulative/exclusive flags and
  quarterly minimums, built from a definition by ``alliance.services.status_terms``.
* :mod:`.basket` — the basket, and the partner facts a quote reads.
* :mod:`.conditions` — whether a condition holds, and what is missing.
* :mod:`.minimums` — quarter-to-date order intake or revenue (OIP-8).
* :mod:`.quote` — every price with the promotions applied, and why or why not.
"""

from alliance.domain.promotions.basket import Basket, BasketLine, QuoteParty
from alliance.domain.promotions.conditions import condition_holds
from alliance.domain.promotions.minimums import MinimumCheck, quarter_to_date
from alliance.domain.promotions.quote import PromotionCheck, Quote, QuoteLine, quote
from alliance.domain.promotions.terms import (
    BenefitKind,
    ConditionKind,
    ConditionTerms,
    MinimumSource,
    MinimumTerms,
    PriceBenefit,
    ProductTerms,
    PromotionsTerms,
    PromotionTerms,
)

__all__ = [
    "Basket",
    "BasketLine",
    "BenefitKind",
    "ConditionKind",
    "ConditionTerms",
    "MinimumCheck",
    "MinimumSource",
    "MinimumTerms",
    "PriceBenefit",
    "ProductTerms",
    "PromotionCheck",
    "PromotionTerms",
    "PromotionsTerms",
    "Quote",
    "QuoteLine",
    "QuoteParty",
    "condition_holds",
    "quarter_to_date",
    "quote",
]

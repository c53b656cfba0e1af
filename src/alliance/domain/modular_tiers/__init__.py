"""Modular tiers, points and tranche margins — PEX (SPEC §2) — pure rules, stdlib only.

* :mod:`.terms` — :class:`ModularTierTerms`, built from a definition by
  ``alliance.services.modular_tier_terms``.
* :mod:`.availability` — which partner types are admitted, from when (PEX-7).
* :mod:`.modules` — modules per tier and which combine (PEX-1, PEX-2).
* :mod:`.crediting` — one deal credits the transacting partner and the influencers
  (PEX-3).
* :mod:`.points` — Sell With and certification points as ``OpenLot`` ledger commands
  with idempotency keys (PEX-4, PEX-6, X-5).
* :mod:`.tiers` — the tier earned with points over 12 months (PEX-1, PEX-6).
* :mod:`.tranches` — Resell margins per tranche of 25,000 USD (PEX-5).
"""

from alliance.domain.modular_tiers.availability import Availability, availability
from alliance.domain.modular_tiers.crediting import (
    CreditRole,
    DealCredit,
    DealCredits,
    credit_deal,
)
from alliance.domain.modular_tiers.modules import ModuleCheck, check_modules
from alliance.domain.modular_tiers.points import (
    PointsAward,
    PointsSource,
    certification_points,
    influence_points,
    month_awards,
    points_key,
)
from alliance.domain.modular_tiers.terms import (
    ModularTierTerms,
    ModuleTerms,
    PartnerTypeTerms,
    PointsAwardTerms,
    RewardKind,
    TierTerms,
    TrancheTerms,
)
from alliance.domain.modular_tiers.tiers import TierOutcome, tier_for
from alliance.domain.modular_tiers.tranches import (
    TrancheLine,
    TrancheMargin,
    resell_margin,
    tranche_margin,
)

__all__ = [
    "Availability",
    "CreditRole",
    "DealCredit",
    "DealCredits",
    "ModularTierTerms",
    "ModuleCheck",
    "ModuleTerms",
    "PartnerTypeTerms",
    "PointsAward",
    "PointsAwardTerms",
    "PointsSource",
    "RewardKind",
    "TierOutcome",
    "TierTerms",
    "TrancheLine",
    "TrancheMargin",
    "TrancheTerms",
    "availability",
    "certification_points",
    "check_modules",
    "credit_deal",
    "influence_points",
    "month_awards",
    "points_key",
    "resell_margin",
    "tier_for",
    "tranche_margin",
]

"""A PEX partner's points awards and tier from the facts (PEX-1, PEX-4, PEX-6).

Awards are computed per calendar month with the domain's
:func:`~alliance.domain.modular_tiers.month_awards` — Sell With points on the deals a
partner influenced while holding Sell With (PEX-3, PEX-4), certification points (PEX-6)
— over the modules each partner holds (``uow.pex`` enrolments). The tier is the one the
points of the trailing window give (12 months: PEX-6).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from alliance.domain.calendar import Month, trailing_months
from alliance.domain.facts import Certification, Deal
from alliance.domain.modular_tiers import ModularTierTerms, PointsAward, TierOutcome, month_awards
from alliance.domain.modular_tiers import tier_for as tier_from_awards
from alliance.services.modular_tiers.facts import certifications, deals
from alliance.services.ports import UnitOfWork


def modules_held(uow: UnitOfWork) -> dict[str, frozenset[str]]:
    """Every enrolled partner's modules (PEX-2)."""
    return {e.partner_id: e.modules for e in uow.pex.enrolments()}


def awards_for(
    partner_ids: Iterable[str],
    months: Iterable[Month],
    all_deals: Iterable[Deal],
    all_certifications: Iterable[Certification],
    held: Mapping[str, frozenset[str]],
    terms: ModularTierTerms,
) -> list[PointsAward]:
    """Every award of ``partner_ids`` in ``months``, partner then month then source."""
    deal_list, cert_list = tuple(all_deals), tuple(all_certifications)
    return [
        award
        for partner in sorted(set(partner_ids))
        for month in months
        for award in month_awards(partner, month, deal_list, cert_list, held, terms)
    ]


def tier_on(uow: UnitOfWork, partner_id: str, on: date, terms: ModularTierTerms) -> TierOutcome:
    """``partner_id``'s tier on ``on`` from the points of the window (PEX-6); inside an
    open unit of work."""
    months = trailing_months(Month.containing(on), terms.points_window_months)
    facts = uow.tier_facts
    awards = awards_for(
        [partner_id],
        months,
        deals(facts),
        certifications(facts, frozenset({partner_id})),
        modules_held(uow),
        terms,
    )
    return tier_from_awards(partner_id, awards, on, terms)

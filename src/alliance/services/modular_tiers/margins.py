"""A partner's Resell tranche margin for a year (PEX-5).

The licence bookings the partner transacted in the year while holding Resell (PEX-3:
the transacting partner is credited for the transaction) are cut into tranches of
25,000 USD, each at its own rate; amounts stay exact and the total is rounded half-up
once, the rounding stated (X-1) — :func:`alliance.domain.modular_tiers.resell_margin`.
"""

from __future__ import annotations

from dataclasses import dataclass

from alliance.domain.access import Actor
from alliance.domain.calendar import Period
from alliance.domain.modular_tiers import TrancheMargin, resell_margin
from alliance.services.modular_tier_terms import ModularTierProgram
from alliance.services.modular_tiers.facts import deals
from alliance.services.modular_tiers.progress import modules_held
from alliance.services.partner_scope import require_partner
from alliance.services.ports import UnitOfWork


@dataclass(frozen=True)
class MarginStatement:
    partner_id: str
    period: Period
    margin: TrancheMargin
    deals: tuple[str, ...]

    @property
    def summary(self) -> str:
        return f"{self.partner_id} {self.period}: {self.margin.explanation.summary}"


def margin_statement(
    uow: UnitOfWork,
    actor: Actor,
    partner_id: str,
    period: Period,
    *,
    program: ModularTierProgram,
) -> MarginStatement:
    """``partner_id``'s tranche margin on its licence bookings of ``period`` (a year)."""
    require_partner(actor, partner_id)
    terms = program.terms
    with uow:
        held = modules_held(uow)
        booked = deals(uow.tier_facts)
    margin = resell_margin(partner_id, booked, period, held, terms)
    counted = tuple(
        d.deal_id
        for d in booked
        if d.transacting_partner_id == partner_id
        and period.contains(d.booked_on)
        and d.product_kind == terms.margin_product_kind
        and terms.margin_module in held.get(partner_id, frozenset())
    )
    return MarginStatement(partner_id, period, margin, counted)

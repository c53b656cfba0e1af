"""``quote(uow, actor, partner_id, basket, on=…)``: every price of a partner's basket
with the promotions applied, and why or why not (OIP-7, OIP-8, X-3).

The use case reads, in one unit of work, what the pure
:func:`alliance.domain.promotions.quote` needs: the partner's member type (``MEMBERS``
facts, OIP-1), its status on the day from its revenue (``REVENUE`` facts, OIP-2 … OIP-4),
and for the quarterly minimums its orders of the quarter (``ORDERS`` facts) and its
revenue (OIP-8). The program's promotions come from its definition
(:func:`alliance.services.status_terms.status_program`). Nothing is written: a quote is
a reading, so asking twice gives the same answer.

Tenancy (X-6): a partner's people quote for their own organisation only; vendor staff
who see every organisation quote for anyone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from alliance.domain.access import Actor
from alliance.domain.errors import InvalidInput
from alliance.domain.promotions import PromotionsTerms, Quote, QuoteParty
from alliance.domain.promotions import quote as price_basket
from alliance.domain.statuses import StatusOutcome
from alliance.services.partner_scope import require_partner
from alliance.services.ports import UnitOfWork
from alliance.services.quotes.requests import BasketRequest, basket_of
from alliance.services.status_incentives.facts import orders
from alliance.services.status_incentives.standing import standing
from alliance.services.status_terms import StatusProgram


@dataclass(frozen=True)
class PartnerQuote:
    """The quote, and the status it was priced at with the reasons for it."""

    quote: Quote
    status: StatusOutcome
    program: str

    @property
    def summary(self) -> str:
        q = self.quote
        return (
            f"quote for {q.partner_id} ({self.status.status.name} {q.member_type}) on "
            f"{q.as_of}: {q.explanation.summary}"
        )


def promotions_of(program: StatusProgram) -> PromotionsTerms:
    if program.promotions is None:
        raise InvalidInput(
            f"program {program.code} has no promotions", field="program", rule="OIP-7"
        )
    return program.promotions


def quote(
    uow: UnitOfWork,
    actor: Actor,
    partner_id: str,
    basket: BasketRequest,
    *,
    on: date,
    program: StatusProgram,
) -> PartnerQuote:
    """Price ``basket`` for ``partner_id`` on ``on`` (see the module doc)."""
    require_partner(actor, partner_id)
    terms = promotions_of(program)
    wanted = basket_of(basket, terms)  # bad input refused before any reading
    with uow:
        facts = uow.tier_facts
        found = standing(facts, partner_id, on, program.statuses, uow.tier_outcomes)
        taken = orders(facts, partner_id, terms.currency)
    party = QuoteParty(
        partner_id,
        found.member.member_type,
        found.outcome.status.id,
        orders=taken,
        revenue=found.revenue,
    )
    return PartnerQuote(price_basket(party, wanted, terms, on), found.outcome, program.code)

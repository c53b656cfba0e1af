"""PEX tiers of every enrolled partner on a day, and what they cost (PEX-1, PEX-5, PEX-6).

Evaluated on the domain, partner by partner (few partners: those enrolled, ``uow.pex``):
the points each earned over the trailing window (12 months) — Sell With points on the
deals it influenced while holding Sell With, certification points (PEX-3, PEX-4, PEX-6;
:func:`alliance.services.modular_tiers.progress.awards_for`) — give the highest tier whose
threshold they reach (:func:`alliance.domain.modular_tiers.tier_for`), with the gap to the
next tier and the two ways to close it (X-3).

Costs (what-if): the Resell tranche margins (PEX-5) of the calendar year of ``as_of``,
bookings to date, each partner's margin rounded half-up once.
"""

from __future__ import annotations

from alliance.domain.calendar import Month, Period, trailing_months
from alliance.domain.modular_tiers import resell_margin, tier_for
from alliance.domain.money import Money, sum_money
from alliance.domain.outcomes import Outcome, Rank, Subject
from alliance.programs.schema import ProgramDefinition
from alliance.services.evaluation.evaluators import EvaluationInput, IncentiveCost, register
from alliance.services.modular_tier_terms import terms_from_program
from alliance.services.modular_tiers.facts import certifications, deals
from alliance.services.modular_tiers.progress import awards_for

NO_TIER = "none"


class PexEvaluator:
    """The evaluator of ``modular_tiers`` programs (PEX)."""

    kind = "modular_tiers"

    def evaluate(self, given: EvaluationInput) -> list[Outcome]:
        definition = given.definition
        terms = terms_from_program(definition)
        held = dict(given.modules_held)
        partners = sorted(held)
        months = trailing_months(Month.containing(given.as_of), terms.points_window_months)
        given.report("points", 0, len(partners))
        awards = awards_for(
            partners,
            months,
            deals(given.facts),  # type: ignore[arg-type]
            certifications(given.facts, frozenset(partners)),  # type: ignore[arg-type]
            held,
            terms,
        )
        outcomes = []
        for done, partner in enumerate(partners, start=1):
            tier = tier_for(partner, awards, given.as_of, terms)
            details = {"modules": ",".join(sorted(held[partner]))}
            if tier.next_tier is not None:
                details["next_tier"] = tier.next_tier.id
            outcomes.append(
                Outcome(
                    definition.code,
                    definition.version,
                    given.as_of,
                    partner,
                    Subject.TIER,
                    "tier",
                    tier.tier.id if tier.tier is not None else NO_TIER,
                    tier.points,
                    tier.explanation,
                    held=tier.tier is not None,
                    details=details,
                )
            )
            given.report("points", done, len(partners))
        return outcomes

    def costs(self, given: EvaluationInput, outcomes: list[Outcome]) -> list[IncentiveCost]:
        terms = terms_from_program(given.definition)
        year = Period.parse(str(given.as_of.year))
        booked = deals(given.facts)  # type: ignore[arg-type]
        held = dict(given.modules_held)
        margins = [resell_margin(p, booked, year, held, terms).margin for p in sorted(held)]
        currency = terms.tranche_size.currency
        paid = [m for m in margins if m.amount]
        return [
            IncentiveCost(
                "resell_tranche_margin",
                year.label,
                sum_money(margins, currency) if margins else Money.zero(currency),
                len(paid),
                f"Resell tranche margins on the licence bookings of {year.label} to "
                f"{given.as_of}, each partner's rounded once (PEX-5)",
            )
        ]

    def rank(self, definition: ProgramDefinition) -> Rank:
        ranks = {t.id: t.rank + 1 for t in terms_from_program(definition).tiers}
        return lambda outcome: ranks.get(outcome.result, 0)

    def not_costed(self) -> str:
        return "points (PEX-6) and proof-of-concept budgets are not costed in money"


register("modular_tiers", PexEvaluator)

"""``post_points(month)``: a month's PEX points, computed from the facts and posted to the
ledger exactly once (PEX-3, PEX-4, PEX-6, X-5).

For every enrolled partner, the month's awards (:mod:`.progress`): Sell With points on
the deals it influenced — even those another partner transacted, so one deal may credit
two partners (PEX-3) — and points for the certifications its people earned (PEX-6).
Each award is one ledger lot in the program's points wallet with the key
``pex:points:{source}:{partner}:{YYYY-MM}``: rerunning a month posts nothing new, and
a month whose facts grew posts only the awards not posted yet. A month is posted once it
has ended, so that its awards are whole. The run is audited with its counts (X-4).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from alliance.domain import audit
from alliance.domain.access import Actor
from alliance.domain.calendar import Month
from alliance.domain.clock import Clock
from alliance.domain.errors import BusinessRuleViolation
from alliance.domain.ids import new_id
from alliance.domain.modular_tiers import PointsAward
from alliance.services.modular_tier_terms import ModularTierProgram
from alliance.services.modular_tiers.facts import certifications, deals
from alliance.services.modular_tiers.progress import awards_for, modules_held
from alliance.services.partner_scope import require_operator
from alliance.services.ports import UnitOfWork


@dataclass(frozen=True)
class PointsRun:
    """What a run did: the month's awards, how many lots were new (X-5)."""

    program: str
    month: Month
    awards: tuple[PointsAward, ...]
    posted: int
    already_posted: int

    @property
    def points(self) -> Decimal:
        return sum((a.points for a in self.awards), Decimal(0))

    @property
    def summary(self) -> str:
        return (
            f"{self.month}: {len(self.awards)} award(s), {self.points:,} points; "
            f"{self.posted} new lot(s), {self.already_posted} already posted"
        )


def post_points(
    uow: UnitOfWork,
    actor: Actor,
    month: Month,
    *,
    program: ModularTierProgram,
    clock: Clock,
) -> PointsRun:
    """Post ``month``'s points for every enrolled partner (see the module doc)."""
    require_operator(actor)
    if month >= Month.containing(clock.today()):
        raise BusinessRuleViolation(
            f"{month} has not ended yet: a month's points are posted once it has ended",
            field="month",
            rule="PEX-4",
        )
    terms = program.terms
    with uow:
        held = modules_held(uow)
        facts = uow.tier_facts
        awards = tuple(
            awards_for(
                held, [month], deals(facts), certifications(facts, frozenset(held)), held, terms
            )
        )
        commands = sorted((a.command(terms) for a in awards), key=lambda c: c.idempotency_key)
        outcome = uow.ledger.accrue_many(commands)
        run = PointsRun(program.code, month, awards, outcome.posted, outcome.replayed)
        if outcome.posted:
            uow.audit.append(
                audit.created(
                    actor,
                    "pex_points_run",
                    new_id("ptr"),
                    {
                        "program": program.code,
                        "month": month.label,
                        "awards": len(awards),
                        "points": str(run.points),
                        "posted": outcome.posted,
                        "already_posted": outcome.replayed,
                    },
                    clock.now(),
                )
            )
        uow.commit()
    return run

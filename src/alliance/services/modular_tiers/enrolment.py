"""A partner joins PEX with a partner type and the modules it holds (PEX-1, PEX-2, PEX-7).

The partner type must be admitted on the day (cloud service providers are not yet:
PEX-7); the modules must be offered at the partner's tier and held together only when a
combinable group contains them all — Sell With with Resell (PEX-2). The tier is the one
its points of the last 12 months give (PEX-6), computed from the facts. Enrolling again
replaces the modules (the same checks apply); every change is audited (X-4).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from alliance.domain import audit
from alliance.domain.access import Actor
from alliance.domain.clock import Clock
from alliance.domain.errors import BusinessRuleViolation
from alliance.domain.modular_tiers import (
    Availability,
    ModularTierTerms,
    ModuleCheck,
    TierOutcome,
    availability,
    check_modules,
)
from alliance.services.modular_tier_terms import ModularTierProgram
from alliance.services.modular_tiers.ports import PexEnrolment
from alliance.services.modular_tiers.progress import tier_on
from alliance.services.partner_scope import require_operator
from alliance.services.ports import UnitOfWork


@dataclass(frozen=True)
class EnrolmentResult:
    enrolment: PexEnrolment
    availability: Availability
    modules: ModuleCheck
    tier: TierOutcome


def enrol(
    uow: UnitOfWork,
    actor: Actor,
    partner_id: str,
    partner_type: str,
    modules: Iterable[str],
    *,
    on: date,
    program: ModularTierProgram,
    clock: Clock,
) -> EnrolmentResult:
    """Enrol ``partner_id`` (or change its modules) — see the module doc."""
    require_operator(actor)
    terms = program.terms
    admitted = availability(partner_type, on, terms)
    if not admitted.admitted:
        raise BusinessRuleViolation(
            admitted.explanation.reasons[0].message, field="partner_type", rule="PEX-7"
        )
    held = frozenset(modules)
    for module in held:
        terms.module(module)  # an unknown module is refused, naming it (PEX-2)
    with uow:
        tier = tier_on(uow, partner_id, on, terms)
        check = check_modules(held, _tier_id(tier, terms), terms)
        check.require()
        before = uow.pex.enrolment(partner_id)
        enrolment = PexEnrolment(
            partner_id,
            admitted.partner_type,
            held,
            before.enrolled_on if before is not None else on,
            clock.now(),
            actor.name,
        )
        uow.pex.save_enrolment(enrolment)
        after = {"partner_type": enrolment.partner_type, "modules": sorted(held)}
        if before is None:
            record = audit.created(actor, "pex_enrolment", partner_id, after, clock.now())
        else:
            record = audit.changed(
                actor,
                "pex_enrolment",
                partner_id,
                {"partner_type": before.partner_type, "modules": sorted(before.modules)},
                after,
                clock.now(),
            )
        uow.audit.append(record)
        uow.commit()
    return EnrolmentResult(enrolment, admitted, check, tier)


def partner_availability(
    partner_type: str, on: date, *, program: ModularTierProgram
) -> Availability:
    """Whether partners of ``partner_type`` may join on ``on`` (PEX-7) — public."""
    return availability(partner_type, on, program.terms)


def _tier_id(tier: TierOutcome, terms: ModularTierTerms) -> str:
    if tier.tier is not None:
        return tier.tier.id
    return terms.tiers[0].id

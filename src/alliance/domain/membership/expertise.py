"""Expertise and resale (OPN-17).

Reselling or distributing the vendor's products needs a published expertise for those
products. An expertise is published only by a member at level 1 or above (the program's
``expertise_min_rank``) with an active membership, holding the required qualifications
and prerequisite contracts. **Level 0 members can never publish an expertise, so they can
never resell.** An expertise is valid only while the membership is active (OPN-15).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date

from alliance.domain.membership.errors import (
    LevelTooLowForExpertise,
    MembershipNotActive,
    MissingPrerequisiteContracts,
    MissingQualifications,
    ResaleNotAllowed,
)
from alliance.domain.membership.membership import Membership, SubscriptionId
from alliance.domain.membership.terms import MembershipTerms

RULE = "OPN-17"


@dataclass(frozen=True)
class ExpertiseRequirement:
    """What an expertise for ``product`` needs (the inputs; the vendor's catalogue)."""

    product: str
    qualifications: frozenset[str] = field(default_factory=frozenset)
    contracts: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class PublishedExpertise:
    subscription_id: SubscriptionId
    product: str
    published_on: date


def publish_expertise(
    membership: Membership,
    requirement: ExpertiseRequirement,
    terms: MembershipTerms,
    today: date,
    *,
    qualifications: Collection[str],
    contracts: Collection[str],
) -> PublishedExpertise:
    """OPN-17: publish an expertise; level 0 is refused first and always."""
    level = terms.level(membership.level)
    if level.rank < terms.expertise_min_rank:
        raise LevelTooLowForExpertise(
            f"{level.name} members can never publish an expertise (levels of rank "
            f"{terms.expertise_min_rank} and above can), so they can never resell"
        )
    if not membership.is_active_on(today):
        raise MembershipNotActive(
            f"an expertise is published by an active member; this membership is "
            f"{membership.status.value} on {today}",
            rule=RULE,
        )
    missing = sorted(requirement.qualifications - set(qualifications))
    if missing:
        raise MissingQualifications(
            f"an expertise for {requirement.product} needs the qualifications {', '.join(missing)}"
        )
    unsigned = sorted(requirement.contracts - set(contracts))
    if unsigned:
        raise MissingPrerequisiteContracts(
            f"an expertise for {requirement.product} needs the contracts {', '.join(unsigned)}"
        )
    return PublishedExpertise(membership.subscription_id, requirement.product, today)


def expertise_valid(
    expertise: PublishedExpertise, membership: Membership, terms: MembershipTerms, day: date
) -> bool:
    """OPN-15 / OPN-17: valid while the membership is active at a level that may hold it."""
    return (
        expertise.subscription_id == membership.subscription_id
        and membership.is_active_on(day)
        and terms.rank_of(membership.level) >= terms.expertise_min_rank
    )


@dataclass(frozen=True)
class ResaleDecision:
    """Whether a member may resell a product, and why (X-3)."""

    allowed: bool
    reason: str
    rule: str = RULE


def may_resell(
    membership: Membership,
    product: str,
    expertises: Iterable[PublishedExpertise],
    terms: MembershipTerms,
    day: date,
) -> ResaleDecision:
    """OPN-17: resale needs a valid published expertise for the product."""
    level = terms.level(membership.level)
    if level.rank < terms.expertise_min_rank:
        return ResaleDecision(
            False, f"{level.name} members can never publish an expertise, so they never resell"
        )
    if not membership.is_active_on(day):
        return ResaleDecision(
            False, f"the membership is {membership.status.value} on {day}: expertise is not valid"
        )
    for expertise in expertises:
        if expertise.product == product and expertise_valid(expertise, membership, terms, day):
            return ResaleDecision(
                True, f"expertise for {product} published {expertise.published_on}"
            )
    return ResaleDecision(False, f"no published expertise for {product}")


def require_resale(
    membership: Membership,
    product: str,
    expertises: Iterable[PublishedExpertise],
    terms: MembershipTerms,
    day: date,
) -> None:
    """Refuse resale of ``product`` without a valid published expertise (OPN-17)."""
    decision = may_resell(membership, product, expertises, terms, day)
    if not decision.allowed:
        raise ResaleNotAllowed(decision.reason)

"""Expertise (OPN-17): publishing one for a product, and whether a member may resell it.

An expertise is published by an active member at level 1 or above who holds the
qualifications and prerequisite contracts the product requires (stated with the
request: the vendor's catalogue of requirements is not modelled here). **Level 0 members
can never publish an expertise** — refused first, whatever else they hold
(``level_too_low_for_expertise``, OPN-17) — so they can never resell. An expertise is
valid only while the membership is active (OPN-15).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from alliance.domain.access import Actor, ActorKind
from alliance.domain.clock import Clock
from alliance.domain.errors import InvalidInput
from alliance.domain.ids import PersonId
from alliance.domain.membership import (
    ExpertiseRequirement,
    MembershipAction,
    PublishedExpertise,
    ResaleDecision,
    SubscriptionId,
    expertise_valid,
    may_resell,
    publish_expertise,
)
from alliance.services.membership_terms import MembershipProgram
from alliance.services.memberships.access import (
    acting_person,
    require_partner_action,
    visible_membership,
)
from alliance.services.memberships.records import audit_membership
from alliance.services.ports import UnitOfWork


@dataclass(frozen=True)
class ExpertiseView:
    expertise: PublishedExpertise
    valid: bool  # OPN-15: only while the membership is active


def publish(
    uow: UnitOfWork,
    actor: Actor,
    program: MembershipProgram,
    clock: Clock,
    subscription_id: SubscriptionId,
    product: str,
    *,
    qualifications: Collection[str] = (),
    contracts: Collection[str] = (),
    required_qualifications: Collection[str] = (),
    required_contracts: Collection[str] = (),
    by: PersonId | None = None,
) -> PublishedExpertise:
    """OPN-17: publish an expertise for ``product``; publishing it again changes nothing."""
    if not product.strip():
        raise InvalidInput("name the product", field="product", rule="OPN-17")
    terms, today, at = program.terms, clock.today(), clock.now()
    with uow:
        membership = visible_membership(uow, actor, subscription_id)
        person = acting_person(uow, actor, by) if by else None
        require_partner_action(
            uow,
            actor,
            membership.organization_id,
            MembershipAction.PUBLISH_EXPERTISE,
            terms,
            person=person if actor.kind is not ActorKind.MEMBER else None,
        )
        requirement = ExpertiseRequirement(
            product.strip(), frozenset(required_qualifications), frozenset(required_contracts)
        )
        published = publish_expertise(
            membership,
            requirement,
            terms,
            today,
            qualifications=qualifications,
            contracts=contracts,
        )
        if uow.memberships.add_expertise(published):
            audit_membership(
                uow,
                actor,
                membership,
                membership,
                at,
                "expertise_published",
                {"rule": "OPN-17", "product": published.product},
            )
        uow.commit()
    return published


def list_expertise(
    uow: UnitOfWork,
    actor: Actor,
    program: MembershipProgram,
    clock: Clock,
    subscription_id: SubscriptionId,
) -> list[ExpertiseView]:
    """The member's published expertise and whether each is valid today (OPN-15)."""
    with uow:
        membership = visible_membership(uow, actor, subscription_id)
        found = uow.memberships.expertise(subscription_id)
    today = clock.today()
    return [ExpertiseView(e, expertise_valid(e, membership, program.terms, today)) for e in found]


def resale(
    uow: UnitOfWork,
    actor: Actor,
    program: MembershipProgram,
    clock: Clock,
    subscription_id: SubscriptionId,
    product: str,
) -> ResaleDecision:
    """OPN-17: whether the member may resell ``product`` today, and why."""
    with uow:
        membership = visible_membership(uow, actor, subscription_id)
        found = uow.memberships.expertise(subscription_id)
    return may_resell(membership, product, found, program.terms, clock.today())

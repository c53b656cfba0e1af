"""Partner roles (OPN-10, OPN-18): who holds which role, and who may give it.

Roles are given by someone whose roles allow assigning (the partner administrator,
OPN-18) in their own organisation, or by vendor staff. A role keeps its bounds: two key
executives at most (``too_many_role_holders``), one administrator at least
(``too_few_role_holders``, OPN-10).
"""

from __future__ import annotations

from dataclasses import replace

from alliance.domain import audit
from alliance.domain.access import Actor, ActorKind
from alliance.domain.clock import Clock
from alliance.domain.errors import InvalidInput, NotFound
from alliance.domain.ids import OrganizationId, PersonId
from alliance.domain.membership import MembershipAction, check_assignment, check_removal
from alliance.domain.people import PartnerRole, Person
from alliance.services.membership_terms import MembershipProgram
from alliance.services.memberships.access import acting_person, require_partner_action
from alliance.services.ports import UnitOfWork


def parse_role(text: str) -> PartnerRole:
    try:
        return PartnerRole(text)
    except ValueError:
        offered = ", ".join(r.value for r in PartnerRole if r is not PartnerRole.CUSTOMER_CONTACT)
        raise InvalidInput(
            f"unknown partner role {text!r}; one of {offered}", field="role", rule="OPN-18"
        ) from None


def assign_role(
    uow: UnitOfWork,
    actor: Actor,
    program: MembershipProgram,
    clock: Clock,
    person_id: PersonId,
    role: PartnerRole,
    *,
    remove: bool = False,
    by: PersonId | None = None,
) -> Person:
    """OPN-18: give ``role`` to ``person_id`` (or take it back with ``remove``)."""
    terms = program.terms
    with uow:
        target = uow.people.get(person_id)
        if target is None or target.organization_id is None:
            raise NotFound(f"no partner person {person_id}", field="person_id")
        organization: OrganizationId = target.organization_id
        acting = acting_person(uow, actor, by) if by else None
        require_partner_action(
            uow,
            actor,
            organization,
            MembershipAction.ASSIGN_ROLES,
            terms,
            person=acting if actor.kind is not ActorKind.MEMBER else None,
        )
        holders = sum(
            1 for p in uow.people.of_organization(organization) if role in p.partner_roles
        )
        if remove:
            if role not in target.partner_roles:
                return target
            check_removal(role, holders, terms)
            roles = target.partner_roles - {role}
        else:
            if role in target.partner_roles:
                return target
            check_assignment(role, holders, terms)
            roles = target.partner_roles | {role}
        updated = replace(target, partner_roles=frozenset(roles))
        uow.people.update(updated)
        uow.audit.append(
            replace(
                audit.changed(
                    actor,
                    "person",
                    target.id,
                    {"partner_roles": sorted(r.value for r in target.partner_roles)},
                    {"partner_roles": sorted(r.value for r in updated.partner_roles)},
                    clock.now(),
                    organization_id=organization,
                ),
                action="person.role_removed" if remove else "person.role_granted",
                context={"rule": "OPN-18", "role": role.value},
            )
        )
        uow.commit()
    return updated

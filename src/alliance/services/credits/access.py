"""Who acts on partner credits, and on whose company: the credit face of the one access
policy (X-6) and of the partner roles (OPN-18).

* A partner's person acts as itself: its organisation and roles come from its person
  record. The CLI (the system) acts *for* a named person of the organisation, or for its
  first partner administrator / credit manager when none is named — the rules then
  apply to that person exactly as through the API.
* Only partner administrators and partner credit managers may order, approve, set
  policies or read the principal's statement (CRD-3, CRD-5, OPN-18); the domain
  (:mod:`alliance.domain.credits`) refuses the others, naming the rule.
* Vendor staff do not order with a partner's credits (CRD-3); the system, finance staff
  and program admins record deliveries (the vendor delivers the option) and may cancel.
* A member asking about another company's organisation or order is refused alike
  whether it exists or not (X-6).
"""

from __future__ import annotations

from alliance.domain.access import (
    Actor,
    ActorKind,
    Permission,
    require_authenticated,
    sees_everything,
)
from alliance.domain.credits import CREDIT_ROLES, NotCreditOrderer
from alliance.domain.errors import Forbidden, InvalidInput, NotFound
from alliance.domain.ids import OrganizationId
from alliance.domain.organizations import Hierarchy
from alliance.domain.people import Person
from alliance.services.ports import UnitOfWork


def not_yours(what: str, field: str = "organization_id") -> Forbidden:
    return Forbidden(f"{what} is not yours", field=field, rule="X-6")


def is_vendor_operator(actor: Actor) -> bool:
    """The system, finance staff and program admins: they record deliveries (CRD-3)."""
    return Permission.MANAGE_FINANCE in actor.permissions() and sees_everything(actor)


def company_of(uow: UnitOfWork, actor: Actor, organization_id: OrganizationId) -> Hierarchy:
    """The hierarchy of ``organization_id``'s company, if ``actor`` may see it (X-6)."""
    require_authenticated(actor)
    hierarchy = uow.organizations.company_hierarchy(organization_id)
    known = organization_id in hierarchy.parents
    if sees_everything(actor):
        if not known:
            raise NotFound(f"no organisation {organization_id}", field="organization_id")
        return hierarchy
    own = actor.organization_id
    if (
        actor.kind is not ActorKind.MEMBER
        or own is None
        or not known
        or not hierarchy.same_company(own, organization_id)
    ):
        raise not_yours("this organisation")
    return hierarchy


def person_of(uow: UnitOfWork, actor: Actor) -> Person | None:
    """The person a member actor is; None for the system and vendor staff without one."""
    if actor.user_id is None:
        return None
    user = uow.users.get(actor.user_id)
    return uow.people.get(user.person_id) if user is not None else None


def acting_person(
    uow: UnitOfWork,
    actor: Actor,
    organization_id: OrganizationId,
    *,
    email: str | None = None,
    what: str = "order with credits",
) -> Person:
    """Who acts for ``organization_id``: a member is itself (and must belong to it); the
    system acts for ``email``'s person, or the organisation's first partner
    administrator or credit manager. Vendor staff never act with a partner's credits."""
    require_authenticated(actor)
    if actor.kind is ActorKind.MEMBER:
        person = person_of(uow, actor)
        if person is None or person.organization_id != organization_id:
            raise not_yours("this organisation")
        return person
    if actor.kind is not ActorKind.SYSTEM:
        raise NotCreditOrderer(
            f"{actor.name} is vendor staff: only the partner's administrators and partner "
            f"credit managers (OPN-18) may {what}"
        )
    if email:
        named = uow.people.by_email(email)
        if named is None or named.organization_id != organization_id:
            raise InvalidInput(
                f"{email} is not a person of {organization_id}", field="by", rule="OPN-18"
            )
        return named
    people = sorted(uow.people.of_organization(organization_id), key=lambda p: (p.email, p.id))
    for person in people:
        if person.partner_roles & CREDIT_ROLES:
            return person
    raise NotCreditOrderer(
        f"{organization_id} has no partner administrator or partner credit manager (OPN-18) "
        f"to {what}"
    )


def may_use_credits(person: Person, organization_id: OrganizationId) -> bool:
    """CRD-3 / OPN-18: an administrator or credit manager of ``organization_id``."""
    return person.organization_id == organization_id and bool(person.partner_roles & CREDIT_ROLES)

"""Who may do what with memberships, and the one question other features ask:
"does this organisation have an active membership?" (OPN-11, OPN-15).

* :func:`active_membership` — the organisation's membership if it is active, else
  :class:`~alliance.domain.membership.MembershipNotActive` naming OPN-11 (never
  activated) or OPN-15 (expired, lapsed, cancelled). Engagements, reward payouts and
  credit orders call it before they act: benefits exist only from activation until
  expiry.
* Reading: a partner's people see the memberships and applications of their own company
  — principal and associates (OPN-3, X-6); vendor staff with a viewing role and the
  system see every one. Another company's are refused alike whether they exist or not.
* Acting for a partner (enrolling, renewing, joining tracks, publishing expertise,
  approving associates, assigning roles) needs a partner role that allows the action
  (OPN-18, :data:`~alliance.domain.membership.ACTION_PERMISSIONS`) in the actor's own
  organisation — or, for vendor staff, the management permission over every organisation.
* Recording payments is the vendor's finance operation (``manage_finance`` everywhere).
"""

from __future__ import annotations

from datetime import date

from alliance.domain.access import (
    Actor,
    ActorKind,
    Permission,
    can_manage_organization,
    require_authenticated,
    require_everywhere,
    sees_everything,
)
from alliance.domain.errors import Forbidden, InvalidInput, NotFound
from alliance.domain.ids import OrganizationId, PersonId
from alliance.domain.membership import (
    Membership,
    MembershipAction,
    MembershipNotActive,
    MembershipStatus,
    MembershipTerms,
    SubscriptionId,
    require_allowed,
)
from alliance.domain.organizations import Hierarchy
from alliance.domain.people import Person
from alliance.services.organizations import require_organization
from alliance.services.ports import UnitOfWork


def active_membership(
    uow: UnitOfWork, organization_id: OrganizationId, on: date | None = None
) -> Membership:
    """OPN-11 / OPN-15: the organisation's active membership, or MembershipNotActive.

    Call it inside an open unit of work. With ``on``, the membership must also cover that
    day (its term contains it); without, its status must be active — the daily job
    (``alliance memberships tick``) expires memberships past their end date.
    """
    membership = uow.memberships.current(organization_id)
    if membership is None:
        raise MembershipNotActive(
            f"{organization_id} has no membership; benefits come with an activated membership",
            field="organization_id",
            rule="OPN-11",
        )
    active = (
        membership.is_active_on(on)
        if on is not None
        else membership.status is MembershipStatus.ACTIVE
    )
    if not active:
        pending = membership.status is MembershipStatus.PENDING_PAYMENT
        when = f" on {on}" if on is not None else ""
        raise MembershipNotActive(
            f"the membership {membership.subscription_id} of {organization_id} is "
            f"{membership.status.value}{when}"
            + (
                "; benefits come from activation"
                if pending
                else "; benefits stop when a membership is not active"
            ),
            field="membership",
            rule="OPN-11" if pending else "OPN-15",
        )
    return membership


def _not_yours(what: str) -> Forbidden:
    return Forbidden(f"{what} is not yours", field="subscription_id", rule="X-6")


def require_viewer(uow: UnitOfWork, actor: Actor, organization_id: OrganizationId) -> None:
    """X-6: the actor may see the organisation's membership data (its company's, or all)."""
    require_organization(uow, actor, Permission.VIEW_ORGANIZATION, organization_id)


def visible_membership(
    uow: UnitOfWork, actor: Actor, subscription_id: SubscriptionId, *, for_update: bool = False
) -> Membership:
    """The membership, if ``actor`` may see it; members get 403 for another company's
    or an unknown id alike, staff 404 for an unknown one (X-6)."""
    require_authenticated(actor)
    membership = uow.memberships.get(subscription_id, for_update=for_update)
    if membership is None:
        if sees_everything(actor):
            raise NotFound(f"no membership {subscription_id}", field="subscription_id")
        raise _not_yours(f"membership {subscription_id}")
    try:
        require_viewer(uow, actor, membership.organization_id)
    except Forbidden:
        raise _not_yours(f"membership {subscription_id}") from None
    return membership


def company_scope(uow: UnitOfWork, actor: Actor) -> list[OrganizationId] | None:
    """The organisations whose memberships ``actor`` may list; None for every one."""
    require_authenticated(actor)
    if sees_everything(actor):
        return None
    if actor.kind is not ActorKind.MEMBER or actor.organization_id is None:
        return []
    company: Hierarchy = uow.organizations.company_hierarchy(actor.organization_id)
    if actor.organization_id not in company.parents:
        return []
    return company.company_of(actor.organization_id)


def acting_person(uow: UnitOfWork, actor: Actor, given: PersonId | None = None) -> Person:
    """The person acting: a member's own person; the system or staff name one (``given``)."""
    require_authenticated(actor)
    if actor.kind is ActorKind.MEMBER:
        user = uow.users.get(actor.user_id) if actor.user_id is not None else None
        person = uow.people.get(user.person_id) if user is not None else None
        if person is None:
            raise Forbidden(f"{actor.name} acts for no person", field="person", rule="X-6")
        if given is not None and given != person.id:
            raise Forbidden(
                "a partner's person acts in their own name", field="applicant", rule="OPN-9"
            )
        return person
    if given is None:
        raise InvalidInput("name the person who acts", field="applicant", rule="OPN-9")
    person = uow.people.get(given)
    if person is None:
        raise NotFound(f"no person {given}", field="applicant")
    return person


def require_partner_action(
    uow: UnitOfWork,
    actor: Actor,
    organization_id: OrganizationId,
    action: MembershipAction,
    terms: MembershipTerms,
    *,
    person: Person | None = None,
) -> None:
    """OPN-18: ``actor`` may do ``action`` for ``organization_id``.

    Vendor staff and the system need the management permission over every organisation;
    when they name the ``person`` acting (the CLI's ``--by``), that person's roles in
    that organisation are checked too. A member acts for its own organisation — or, as
    the principal's administrator, for the associates below it (OPN-2) — with a role that
    allows the action.
    """
    require_authenticated(actor)
    if actor.kind is not ActorKind.MEMBER:
        require_everywhere(actor, Permission.MANAGE_ORGANIZATION)
        if person is not None:
            _require_person_in(person, organization_id)
            require_allowed(person.partner_roles, action, terms)
        return
    require_viewer(uow, actor, organization_id)
    company = uow.organizations.company_hierarchy(organization_id)
    if not can_manage_organization(actor, organization_id, company):
        raise Forbidden(
            f"{action.value.replace('_', ' ')} is done by the organisation's own people "
            "or its principal's",
            field="organization_id",
            rule="OPN-18",
        )
    require_allowed(actor.partner_roles, action, terms)


def _require_person_in(person: Person, organization_id: OrganizationId) -> None:
    if person.organization_id != organization_id:
        raise InvalidInput(
            f"{person.id} is not one of {organization_id}'s people",
            field="person",
            rule="OPN-18",
        )


def require_finance(actor: Actor) -> None:
    """Payments received are recorded by the vendor's finance staff or the system."""
    require_everywhere(actor, Permission.MANAGE_FINANCE)

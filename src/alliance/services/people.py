"""People of an organisation and their partner roles (OPN-18).

A partner administrator manages the people of its own organisation and of the
associates below it (``alliance.domain.access``); vendor staff manage every partner's.
Every change is audited in the same unit of work (X-4).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from alliance.domain import audit
from alliance.domain.access import Actor, Permission, require, require_everywhere
from alliance.domain.clock import Clock
from alliance.domain.errors import BusinessRuleViolation, Conflict, InvalidInput, NotFound
from alliance.domain.ids import OrganizationId, PersonId, new_person_id
from alliance.domain.people import MAX_KEY_EXECUTIVES, PartnerRole, Person
from alliance.services.organizations import require_organization
from alliance.services.ports import UnitOfWork


class TooManyKeyExecutives(BusinessRuleViolation):
    """OPN-18: a partner names two key executives, no more."""

    code = "too_many_key_executives"


class LastPartnerAdministrator(BusinessRuleViolation):
    """OPN-10/OPN-18: a partner always keeps at least one partner administrator."""

    code = "last_partner_administrator"


@dataclass(frozen=True)
class AddPerson:
    organization_id: OrganizationId
    name: str
    email: str
    partner_roles: frozenset[PartnerRole] = field(default_factory=frozenset)


@dataclass(frozen=True)
class ChangeRole:
    person_id: PersonId
    role: PartnerRole


def person_record(person: Person) -> dict[str, object]:
    """A person as the audit journal keeps it: plain JSON values, roles sorted."""
    return {
        "name": person.name,
        "email": person.email,
        "organization_id": person.organization_id,
        "partner_roles": sorted(r.value for r in person.partner_roles),
        "vendor_roles": sorted(r.value for r in person.vendor_roles),
    }


def check_key_executives(
    colleagues: Iterable[Person], person: Person, *, field_name: str = "partner_roles"
) -> None:
    """OPN-18: at most :data:`MAX_KEY_EXECUTIVES` people of one organisation are key executives."""
    if PartnerRole.KEY_EXECUTIVE not in person.partner_roles:
        return
    others = [p for p in colleagues if p.id != person.id and p.has_role(PartnerRole.KEY_EXECUTIVE)]
    if len(others) >= MAX_KEY_EXECUTIVES:
        names = ", ".join(sorted(p.name for p in others))
        raise TooManyKeyExecutives(
            f"an organisation names at most {MAX_KEY_EXECUTIVES} key executives "
            f"and already has {names}",
            field=field_name,
            rule="OPN-18",
        )


def admit_person(uow: UnitOfWork, actor: Actor, person: Person, clock: Clock) -> None:
    """Authorise, check and add ``person`` with its audit record, inside an open unit of work.

    A partner's person needs ``MANAGE_USERS`` on its organisation; a vendor staff
    member needs ``MANAGE_VENDOR_STAFF``. E-mail addresses are unique (409).
    """
    if person.organization_id is None:
        require(actor, Permission.MANAGE_VENDOR_STAFF)
    else:
        require_organization(uow, actor, Permission.MANAGE_USERS, person.organization_id)
        check_key_executives(uow.people.of_organization(person.organization_id), person)
    if uow.people.by_email(person.email) is not None:
        raise Conflict(f"somebody already uses the e-mail {person.email}", field="email")
    uow.people.add(person)
    uow.audit.append(
        audit.created(
            actor,
            "person",
            person.id,
            person_record(person),
            clock.now(),
            organization_id=person.organization_id,
        )
    )


def add_person(uow: UnitOfWork, actor: Actor, command: AddPerson, clock: Clock) -> Person:
    """Add a person with partner roles to an organisation (OPN-18)."""
    person = Person(
        id=new_person_id(),
        name=command.name,
        email=command.email,
        organization_id=command.organization_id,
        partner_roles=frozenset(command.partner_roles),
    )
    with uow:
        admit_person(uow, actor, person, clock)
        uow.commit()
    return person


def list_people(uow: UnitOfWork, actor: Actor, organization_id: OrganizationId) -> list[Person]:
    """The people of one organisation, for those who may see it (X-6), sorted by name."""
    with uow:
        require_organization(uow, actor, Permission.VIEW_ORGANIZATION, organization_id)
        people = uow.people.of_organization(organization_id)
    return sorted(people, key=lambda p: (p.name.casefold(), p.id))


def _visible(
    uow: UnitOfWork, actor: Actor, person: Person | None, permission: Permission, what: str
) -> Person:
    """``person`` if ``actor`` may act on it under ``permission``; refused as organisations are."""
    if person is None or person.organization_id is None:
        # A member learns nothing about people outside its company, vendor staff included.
        require_everywhere(actor, permission)
        if person is None:
            raise NotFound(f"nobody with {what}", field="person_id")
        return person
    require_organization(uow, actor, permission, person.organization_id)
    return person


def _change_roles(
    uow: UnitOfWork, actor: Actor, command: ChangeRole, clock: Clock, *, grant: bool
) -> Person:
    with uow:
        require(actor, Permission.MANAGE_USERS)
        found = _visible(
            uow,
            actor,
            uow.people.get(command.person_id),
            Permission.MANAGE_USERS,
            command.person_id,
        )
        if found.organization_id is None:
            raise InvalidInput(
                "partner roles belong to a partner's people, not to vendor staff",
                field="role",
                rule="OPN-18",
            )
        roles = (
            found.partner_roles | {command.role} if grant else found.partner_roles - {command.role}
        )
        if roles == found.partner_roles:
            return found  # nothing changes, nothing to audit
        updated = Person(
            id=found.id,
            name=found.name,
            email=found.email,
            organization_id=found.organization_id,
            partner_roles=frozenset(roles),
            vendor_roles=found.vendor_roles,
        )
        colleagues = uow.people.of_organization(found.organization_id)
        if grant:
            check_key_executives(colleagues, updated, field_name="role")
        elif command.role is PartnerRole.PARTNER_ADMINISTRATOR and not any(
            p.id != found.id and p.has_role(PartnerRole.PARTNER_ADMINISTRATOR) for p in colleagues
        ):
            raise LastPartnerAdministrator(
                f"{found.name} is the last partner administrator of the organisation; "
                "name another one first",
                field="role",
                rule="OPN-18",
            )
        uow.people.update(updated)
        uow.audit.append(
            audit.changed(
                actor,
                "person",
                found.id,
                person_record(found),
                person_record(updated),
                clock.now(),
                action="person.role_granted" if grant else "person.role_revoked",
                organization_id=found.organization_id,
            )
        )
        uow.commit()
    return updated


def grant_role(uow: UnitOfWork, actor: Actor, command: ChangeRole, clock: Clock) -> Person:
    """Give a person a partner role (OPN-18); granting a role already held changes nothing."""
    return _change_roles(uow, actor, command, clock, grant=True)


def revoke_role(uow: UnitOfWork, actor: Actor, command: ChangeRole, clock: Clock) -> Person:
    """Take a partner role away; the last partner administrator cannot lose the role."""
    return _change_roles(uow, actor, command, clock, grant=False)

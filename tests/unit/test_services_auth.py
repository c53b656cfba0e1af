"""Users, argon2 passwords and bearer tokens on the in-memory unit of work."""

from __future__ import annotations

import hashlib

import pytest
from argon2 import PasswordHasher
from fake_uow import NOW, FakeUnitOfWork, seed_organization, seed_person, staff

from alliance.domain.access import Actor, ActorKind
from alliance.domain.clock import FixedClock
from alliance.domain.errors import Conflict, Forbidden, InvalidInput, NotAuthenticated, NotFound
from alliance.domain.organizations import Organization
from alliance.domain.people import PartnerRole, VendorRole
from alliance.services.auth import (
    InvalidCredentials,
    IssueToken,
    RegisterUser,
    actor_for_user,
    authenticate,
    issue_token,
    profile,
    register_user,
    resolve_token,
    revoke_token,
)
from alliance.services.passwords import MIN_PASSWORD_LENGTH, Passwords

PASSWORD = "correct horse battery"
SYSTEM = Actor.system("cli")


@pytest.fixture
def passwords() -> Passwords:
    return Passwords(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


def register(
    uow: FakeUnitOfWork,
    clock: FixedClock,
    passwords: Passwords,
    email: str,
    organization: Organization | None,
    *roles: PartnerRole | VendorRole,
    actor: Actor = SYSTEM,
) -> None:
    command = RegisterUser(
        name=email.split("@")[0].title(),
        email=email,
        password=PASSWORD,
        organization_id=organization.id if organization is not None else None,
        partner_roles=frozenset(r for r in roles if isinstance(r, PartnerRole)),
        vendor_roles=frozenset(r for r in roles if isinstance(r, VendorRole)),
    )
    register_user(uow, actor, command, clock, passwords)


def test_a_registered_user_has_an_argon2_hash_never_the_password(
    uow: FakeUnitOfWork, clock: FixedClock, passwords: Passwords, acme: Organization
) -> None:
    register(uow, clock, passwords, "Ada@Acme.Example", acme, PartnerRole.PARTNER_ADMINISTRATOR)

    user = uow.users.by_email("ada@acme.example")
    assert user is not None
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash
    person = uow.people.get(user.person_id)
    assert person is not None and person.organization_id == acme.id
    assert [r.action for r in uow.records] == ["person.created", "user.created"]
    assert all(PASSWORD not in repr(r) for r in uow.records)


def test_a_short_password_is_refused_naming_the_field(
    uow: FakeUnitOfWork, clock: FixedClock, passwords: Passwords, acme: Organization
) -> None:
    command = RegisterUser("Ada", "ada@acme.example", "short", acme.id)
    with pytest.raises(InvalidInput) as refused:
        register_user(uow, SYSTEM, command, clock, passwords)
    assert refused.value.field == "password"
    assert str(MIN_PASSWORD_LENGTH) in refused.value.message
    assert uow.people_rows == {}
    assert uow.user_rows == {}


def test_a_second_account_with_the_same_e_mail_conflicts_and_leaves_nothing(
    uow: FakeUnitOfWork, clock: FixedClock, passwords: Passwords, acme: Organization
) -> None:
    register(uow, clock, passwords, "ada@acme.example", acme)
    with pytest.raises(Conflict) as refused:
        register(uow, clock, passwords, "ADA@acme.example", acme)
    assert refused.value.field == "email"
    assert len(uow.user_rows) == 1 and len(uow.people_rows) == 1


def test_a_partner_administrator_registers_its_colleagues_but_not_vendor_staff(
    uow: FakeUnitOfWork, clock: FixedClock, passwords: Passwords, acme: Organization
) -> None:
    ada = seed_person(uow, "Ada", acme, PartnerRole.PARTNER_ADMINISTRATOR)
    admin = Actor(
        ActorKind.MEMBER,
        organization_id=acme.id,
        partner_roles=ada.partner_roles,
        label=ada.email,
    )
    register(uow, clock, passwords, "bob@acme.example", acme, actor=admin)
    with pytest.raises(Forbidden):
        register(
            uow, clock, passwords, "eve@vendor.example", None, VendorRole.PROGRAM_ADMIN, actor=admin
        )
    globex = seed_organization(uow, "Globex")
    with pytest.raises(Forbidden):
        register(uow, clock, passwords, "gus@globex.example", globex, actor=admin)


def test_authentication_by_e_mail_and_password(
    uow: FakeUnitOfWork, clock: FixedClock, passwords: Passwords, acme: Organization
) -> None:
    register(uow, clock, passwords, "ada@acme.example", acme)
    user = authenticate(uow, " ADA@acme.example", PASSWORD, passwords)
    assert user.email == "ada@acme.example"


def test_a_wrong_e_mail_and_a_wrong_password_get_the_same_error(
    uow: FakeUnitOfWork, clock: FixedClock, passwords: Passwords, acme: Organization
) -> None:
    register(uow, clock, passwords, "ada@acme.example", acme)
    errors = []
    for email, password in [
        ("ada@acme.example", "wrong password!!"),
        ("nobody@acme.example", PASSWORD),
        ("not an address", PASSWORD),
    ]:
        with pytest.raises(InvalidCredentials) as refused:
            authenticate(uow, email, password, passwords)
        errors.append(refused.value.to_dict())
    assert errors[0] == errors[1] == errors[2]
    assert refused.value.status == 401


def test_a_hash_made_with_weaker_parameters_is_upgraded_on_login(
    uow: FakeUnitOfWork, clock: FixedClock, passwords: Passwords, acme: Organization
) -> None:
    register(uow, clock, passwords, "ada@acme.example", acme)
    stronger = Passwords(PasswordHasher(time_cost=2, memory_cost=1024, parallelism=1))
    authenticate(uow, "ada@acme.example", PASSWORD, stronger)
    user = uow.users.by_email("ada@acme.example")
    assert user is not None and "t=2" in user.password_hash


def test_a_token_is_shown_once_and_stored_as_its_sha256_digest(
    uow: FakeUnitOfWork, clock: FixedClock, passwords: Passwords, acme: Organization
) -> None:
    register(uow, clock, passwords, "ada@acme.example", acme, PartnerRole.PARTNER_ADMINISTRATOR)
    issued = issue_token(uow, IssueToken("ada@acme.example", PASSWORD, "ci"), clock, passwords)

    assert issued.secret.startswith("alk_")
    assert len(issued.secret) == len("alk_") + 43
    assert issued.secret not in repr(issued)
    stored = uow.tokens[issued.id]
    assert stored.token_hash == hashlib.sha256(issued.secret.encode()).hexdigest()
    assert stored.created_at == NOW
    assert uow.records[-1].action == "api_token.created"

    actor = resolve_token(uow, issued.secret)
    assert actor.kind is ActorKind.MEMBER
    assert actor.organization_id == acme.id
    assert actor.partner_roles == {PartnerRole.PARTNER_ADMINISTRATOR}
    assert actor.label == "ada@acme.example"


def test_a_token_needs_the_right_password(
    uow: FakeUnitOfWork, clock: FixedClock, passwords: Passwords, acme: Organization
) -> None:
    register(uow, clock, passwords, "ada@acme.example", acme)
    with pytest.raises(InvalidCredentials):
        issue_token(uow, IssueToken("ada@acme.example", "not the password", "ci"), clock, passwords)
    assert uow.tokens == {}


def test_unknown_and_malformed_tokens_are_refused(uow: FakeUnitOfWork) -> None:
    for secret in ("alk_nope", "Bearer something", ""):
        with pytest.raises(NotAuthenticated):
            resolve_token(uow, secret)


def test_a_revoked_token_is_refused(
    uow: FakeUnitOfWork, clock: FixedClock, passwords: Passwords, acme: Organization
) -> None:
    register(uow, clock, passwords, "ada@acme.example", acme)
    issued = issue_token(uow, IssueToken("ada@acme.example", PASSWORD), clock, passwords)
    actor = resolve_token(uow, issued.secret)

    clock.advance(hours=1)
    revoked = revoke_token(uow, actor, issued.id, clock)
    assert revoked.revoked_at == clock.now()
    assert uow.records[-1].action == "api_token.revoked"
    with pytest.raises(NotAuthenticated):
        resolve_token(uow, issued.secret)
    # Revoking again changes nothing.
    before = len(uow.records)
    revoke_token(uow, actor, issued.id, clock)
    assert len(uow.records) == before


def test_somebody_elses_token_cannot_be_revoked_by_a_plain_member(
    uow: FakeUnitOfWork, clock: FixedClock, passwords: Passwords, acme: Organization
) -> None:
    register(uow, clock, passwords, "ada@acme.example", acme)
    register(uow, clock, passwords, "bob@acme.example", acme)
    ada_token = issue_token(uow, IssueToken("ada@acme.example", PASSWORD), clock, passwords)
    bob_token = issue_token(uow, IssueToken("bob@acme.example", PASSWORD), clock, passwords)
    bob = resolve_token(uow, bob_token.secret)
    with pytest.raises(Forbidden):
        revoke_token(uow, bob, ada_token.id, clock)
    with pytest.raises(NotFound):
        revoke_token(uow, bob, "tok_nope", clock)
    # Vendor staff who manage accounts may revoke anyone's token.
    revoke_token(uow, staff(VendorRole.PROGRAM_ADMIN), ada_token.id, clock)
    with pytest.raises(NotAuthenticated):
        resolve_token(uow, ada_token.secret)


def test_vendor_staff_act_as_vendor_staff(
    uow: FakeUnitOfWork, clock: FixedClock, passwords: Passwords
) -> None:
    register(uow, clock, passwords, "vera@vendor.example", None, VendorRole.CHANNEL_MANAGER)
    user = uow.users.by_email("vera@vendor.example")
    assert user is not None
    with uow:
        actor = actor_for_user(uow, user)
    assert actor.kind is ActorKind.VENDOR_STAFF
    assert actor.vendor_roles == {VendorRole.CHANNEL_MANAGER}
    assert actor.organization_id is None


def test_profile_of_the_logged_in_user(
    uow: FakeUnitOfWork, clock: FixedClock, passwords: Passwords, acme: Organization
) -> None:
    register(uow, clock, passwords, "ada@acme.example", acme)
    issued = issue_token(uow, IssueToken("ada@acme.example", PASSWORD), clock, passwords)
    me = profile(uow, resolve_token(uow, issued.secret))
    assert me.person.name == "Ada"
    assert me.user.email == "ada@acme.example"
    with pytest.raises(NotAuthenticated):
        profile(uow, Actor.anonymous())

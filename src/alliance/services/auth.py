"""Users, passwords and bearer tokens; and who the actor behind a request is.

* Users are people with a login: argon2 password hashes (``passwords.py``), never the
  password itself.
* Authentication by e-mail and password refuses a wrong e-mail and a wrong password
  with the same error and the same work, so neither answers nor timings tell which.
* API tokens (``alk_…``) are shown once, when issued; only their SHA-256 digest is kept.
  A revoked token is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field, replace
from datetime import datetime

from alliance.domain import audit
from alliance.domain.access import (
    Actor,
    ActorKind,
    Permission,
    require_authenticated,
    require_everywhere,
)
from alliance.domain.clock import Clock
from alliance.domain.errors import Conflict, InvalidInput, NotAuthenticated, NotFound
from alliance.domain.ids import OrganizationId, UserId, new_id, new_person_id, new_user_id
from alliance.domain.people import PartnerRole, Person, VendorRole, normalise_email
from alliance.services.organizations import require_organization
from alliance.services.passwords import Passwords, check_password
from alliance.services.people import admit_person
from alliance.services.ports import ApiToken, UnitOfWork, UserAccount

TOKEN_PREFIX = "alk_"
TOKEN_NAME_MAX = 100


class InvalidCredentials(NotAuthenticated):
    """The e-mail or the password is wrong; which one is never said."""

    code = "invalid_credentials"


@dataclass(frozen=True)
class RegisterUser:
    name: str
    email: str
    password: str = field(repr=False)
    organization_id: OrganizationId | None
    partner_roles: frozenset[PartnerRole] = field(default_factory=frozenset)
    vendor_roles: frozenset[VendorRole] = field(default_factory=frozenset)


@dataclass(frozen=True)
class IssueToken:
    """Log in with e-mail and password and receive a named API token."""

    email: str
    password: str = field(repr=False)
    name: str = "api"


@dataclass(frozen=True)
class IssuedToken:
    """A new token: ``secret`` is shown this once and never stored."""

    id: str
    name: str
    user_id: str
    created_at: datetime
    secret: str = field(repr=False)


@dataclass(frozen=True)
class Profile:
    """Who is logged in: the account, the person and the actor the policy sees."""

    user: UserAccount
    person: Person
    actor: Actor


def token_digest(secret: str) -> str:
    """The SHA-256 hex digest under which a token is stored."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def new_token_secret() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def register_user(
    uow: UnitOfWork,
    actor: Actor,
    command: RegisterUser,
    clock: Clock,
    passwords: Passwords,
) -> UserAccount:
    """Create a person and its login in one unit of work, audited (X-4).

    The actor needs ``MANAGE_USERS`` on the organisation (a partner administrator for
    its own company, OPN-18) or ``MANAGE_VENDOR_STAFF`` for a vendor staff member.
    """
    check_password(command.password)
    person = Person(
        id=new_person_id(),
        name=command.name,
        email=command.email,
        organization_id=command.organization_id,
        partner_roles=frozenset(command.partner_roles),
        vendor_roles=frozenset(command.vendor_roles),
    )
    user = UserAccount(
        id=new_user_id(),
        person_id=person.id,
        email=person.email,
        password_hash=passwords.hash(command.password),
    )
    with uow:
        admit_person(uow, actor, person, clock)
        if uow.users.by_email(user.email) is not None:
            raise Conflict(f"a login already uses the e-mail {user.email}", field="email")
        uow.users.add(user)
        uow.audit.append(
            audit.created(
                actor,
                "user",
                user.id,
                {"email": user.email, "person_id": user.person_id, "active": user.active},
                clock.now(),
                organization_id=person.organization_id,
            )
        )
        uow.commit()
    return user


def actor_for_user(uow: UnitOfWork, user: UserAccount) -> Actor:
    """The actor a user acts as: its person's organisation and roles (inside an open uow)."""
    person = uow.people.get(user.person_id)
    if person is None or not user.active:
        raise InvalidCredentials("this account cannot log in")
    if person.is_vendor_staff:
        return Actor(
            ActorKind.VENDOR_STAFF,
            user_id=user.id,
            vendor_roles=person.vendor_roles,
            label=user.email,
        )
    return Actor(
        ActorKind.MEMBER,
        user_id=user.id,
        organization_id=person.organization_id,
        partner_roles=person.partner_roles,
        label=user.email,
    )


def _check_credentials(
    uow: UnitOfWork, email: str, password: str, passwords: Passwords
) -> UserAccount:
    """Inside an open uow: the active account with this e-mail and password, or refuse."""
    refusal = InvalidCredentials("the e-mail or the password is wrong")
    try:
        address = normalise_email(email)
    except InvalidInput:
        passwords.verify_absent(password)
        raise refusal from None
    user = uow.users.by_email(address)
    if user is None:
        passwords.verify_absent(password)
        raise refusal
    if not passwords.verify(user.password_hash, password) or not user.active:
        raise refusal
    if passwords.needs_rehash(user.password_hash):
        uow.users.update(replace(user, password_hash=passwords.hash(password)))
    return user


def authenticate(uow: UnitOfWork, email: str, password: str, passwords: Passwords) -> UserAccount:
    """The account with this e-mail and password; a wrong e-mail or password: 401, alike."""
    with uow:
        user = _check_credentials(uow, email, password, passwords)
        uow.commit()  # keeps a rehash, if the hash parameters were raised
    return user


def issue_token(
    uow: UnitOfWork, command: IssueToken, clock: Clock, passwords: Passwords
) -> IssuedToken:
    """Log in and receive a bearer token, shown once; only its digest is stored."""
    name = command.name.strip()
    if not name or len(name) > TOKEN_NAME_MAX:
        raise InvalidInput(
            f"a token needs a name of 1 to {TOKEN_NAME_MAX} characters", field="name", rule="X-7"
        )
    secret = new_token_secret()
    with uow:
        user = _check_credentials(uow, command.email, command.password, passwords)
        actor = actor_for_user(uow, user)
        token = ApiToken(
            id=new_id("tok"),
            user_id=user.id,
            name=name,
            token_hash=token_digest(secret),
            created_at=clock.now(),
        )
        uow.users.add_token(token)
        uow.audit.append(
            audit.created(
                actor,
                "api_token",
                token.id,
                {"name": token.name, "user_id": token.user_id},
                token.created_at,
                organization_id=actor.organization_id,
            )
        )
        uow.commit()
    return IssuedToken(
        id=token.id, name=name, user_id=user.id, created_at=token.created_at, secret=secret
    )


def _stored_token(uow: UnitOfWork, secret: str) -> ApiToken | None:
    if not secret.startswith(TOKEN_PREFIX):
        return None
    digest = token_digest(secret)
    token = uow.users.token_by_hash(digest)
    if token is None or not hmac.compare_digest(token.token_hash, digest):
        return None
    return token


def resolve_token(uow: UnitOfWork, secret: str) -> Actor:
    """The actor behind a bearer token; unknown and revoked tokens are refused (401)."""
    with uow:
        token = _stored_token(uow, secret)
        if token is None or token.revoked_at is not None:
            raise NotAuthenticated("this token is not valid, or has been revoked")
        user = uow.users.get(token.user_id)
        if user is None:
            raise NotAuthenticated("this token is not valid, or has been revoked")
        return actor_for_user(uow, user)


def _require_manages_user(uow: UnitOfWork, actor: Actor, user_id: UserId) -> None:
    """Refuse unless ``actor`` manages the account ``user_id`` (its company's, or staff)."""
    user = uow.users.get(user_id)
    person = uow.people.get(user.person_id) if user is not None else None
    if person is None or person.organization_id is None:
        require_everywhere(actor, Permission.MANAGE_VENDOR_STAFF)
    else:
        require_organization(uow, actor, Permission.MANAGE_USERS, person.organization_id)


def revoke_token(uow: UnitOfWork, actor: Actor, token_id: str, clock: Clock) -> ApiToken:
    """Revoke a token: its owner may, and so may whoever manages the owner's account.

    Revoking a token already revoked changes nothing. Token ids carry 80 random bits,
    so telling an unknown id (404) apart reveals nothing worth hiding.
    """
    require_authenticated(actor)
    with uow:
        token = uow.users.token(token_id)
        if token is None:
            raise NotFound(f"no token {token_id}", field="token_id")
        if token.user_id != actor.user_id:
            _require_manages_user(uow, actor, token.user_id)
        if token.revoked_at is not None:
            return token
        at = clock.now()
        uow.users.revoke_token(token.id, at)
        uow.audit.append(
            audit.changed(
                actor,
                "api_token",
                token.id,
                {"revoked_at": None},
                {"revoked_at": at.isoformat()},
                at,
                action="api_token.revoked",
                organization_id=actor.organization_id,
            )
        )
        uow.commit()
    return replace(token, revoked_at=at)


def profile(uow: UnitOfWork, actor: Actor) -> Profile:
    """The logged-in user's account and person (``GET /me``)."""
    require_authenticated(actor)
    with uow:
        user = uow.users.get(actor.user_id) if actor.user_id is not None else None
        person = uow.people.get(user.person_id) if user is not None else None
    if user is None or person is None:
        raise NotFound("this actor has no user account", field="user_id")
    return Profile(user=user, person=person, actor=actor)

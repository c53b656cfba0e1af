"""Who is behind a portal session (issue 6).

The portal keeps a login in a signed cookie holding the user's id and a
:func:`credential_stamp` — a digest of the user's current password hash. A session
whose stamp no longer matches (the password was changed or reset) or whose account was
deactivated is refused, so a password reset ends every other session.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from alliance.domain.access import Actor
from alliance.domain.errors import NotAuthenticated
from alliance.domain.ids import UserId
from alliance.services.auth import actor_for_user, authenticate
from alliance.services.passwords import Passwords
from alliance.services.ports import UnitOfWork, UserAccount

STAMP_LENGTH = 16


@dataclass(frozen=True)
class SessionLogin:
    """What a portal session cookie holds about its user."""

    user_id: UserId
    stamp: str
    home_organization_id: str | None


def credential_stamp(user: UserAccount) -> str:
    """A short digest of the password hash: changes whenever the password does."""
    return hashlib.sha256(user.password_hash.encode("utf-8")).hexdigest()[:STAMP_LENGTH]


def log_in(uow: UnitOfWork, email: str, password: str, passwords: Passwords) -> SessionLogin:
    """Check e-mail and password (a wrong one of either: the same refusal, the same work)."""
    user = authenticate(uow, email, password, passwords)
    with uow:
        actor = actor_for_user(uow, user)
    return SessionLogin(user.id, credential_stamp(user), actor.organization_id)


def session_actor(uow: UnitOfWork, user_id: str, stamp: str) -> Actor:
    """The actor of a session; refused (401) when the account or its password changed."""
    with uow:
        user = uow.users.get(UserId(user_id))
        if user is None or not hmac.compare_digest(credential_stamp(user), stamp):
            raise NotAuthenticated("this session has ended: log in again")
        return actor_for_user(uow, user)

"""Password reset by an e-mailed link (issue 6).

* :func:`request_reset` answers the same whether or not the e-mail has an account (no
  one learns who has a login). For an active account it stores a new reset — only the
  SHA-256 digest of the link's secret — and enqueues the e-mail through the outbox in
  the same transaction (``services.notifications``), so the e-mail goes if and only if
  the reset is stored.
* :func:`reset_password` takes the secret from the link and a new password: a link
  works once (the row is marked used by a conditional update, so two concurrent uses
  cannot both win) and only until it expires (:data:`RESET_VALIDITY`). The new
  password follows the password policy; the change is audited (X-4).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import timedelta

from alliance.domain import audit
from alliance.domain.access import Actor
from alliance.domain.clock import Clock
from alliance.domain.errors import InvalidInput
from alliance.domain.ids import new_id
from alliance.domain.notifications import Event, Message
from alliance.domain.people import normalise_email
from alliance.services.notifications import notify
from alliance.services.passwords import Passwords, check_password
from alliance.services.ports import PasswordReset, UnitOfWork

RESET_VALIDITY = timedelta(hours=1)
EVENT_TYPE = "user.password_reset_requested"


class ResetLinkNotValid(InvalidInput):
    """The link is unknown, used already or expired; which one is not said."""

    code = "reset_link_not_valid"


def reset_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ResetEmail:
    """The words of the e-mail, in the requester's language (the portal translates them)."""

    subject: str
    text: Callable[[str], str] = field(repr=False)  # the link → the body


def request_reset(
    uow: UnitOfWork, email: str, link_for: Callable[[str], str], words: ResetEmail, clock: Clock
) -> bool:
    """Store a reset and enqueue its e-mail when ``email`` has an active account.

    ``link_for`` turns the secret into the absolute URL of the reset page. Returns
    whether an e-mail was enqueued — for tests and logs only; never show it to the user.
    """
    try:
        address = normalise_email(email)
    except InvalidInput:
        return False
    secret = secrets.token_urlsafe(32)
    now = clock.now()
    with uow:
        user = uow.users.by_email(address)
        if user is None or not user.active:
            return False
        person = uow.people.get(user.person_id)
        reset = PasswordReset(
            id=new_id("pwr"),
            user_id=user.id,
            token_hash=reset_digest(secret),
            created_at=now,
            expires_at=now + RESET_VALIDITY,
        )
        uow.password_resets.add(reset)
        organization = person.organization_id if person is not None else None
        event = Event.new(
            EVENT_TYPE,
            {"user_id": user.id, "reset_id": reset.id},
            occurred_at=now,
            organization_id=organization,
        )
        link = link_for(secret)
        notify(
            uow,
            event,
            [
                Message(
                    to=user.email,
                    subject=words.subject,
                    text=words.text(link),
                    template="password_reset",
                )
            ],
        )
        uow.audit.append(
            audit.created(
                Actor.anonymous(),
                "password_reset",
                reset.id,
                {"user_id": user.id, "expires_at": reset.expires_at.isoformat()},
                now,
                organization_id=organization,
            )
        )
        uow.commit()
    return True


def reset_password(
    uow: UnitOfWork, secret: str, new_password: str, passwords: Passwords, clock: Clock
) -> None:
    """Set a new password through a reset link: once, before it expires."""
    check_password(new_password)
    refusal = ResetLinkNotValid(
        "this reset link is not valid: it was used already or has expired; ask for a new one",
        field="token",
    )
    now = clock.now()
    password_hash = passwords.hash(new_password)
    with uow:
        reset = uow.password_resets.by_hash(reset_digest(secret))
        if reset is None or reset.used_at is not None or now >= reset.expires_at:
            raise refusal
        user = uow.users.get(reset.user_id)
        if user is None or not user.active:
            raise refusal
        if not uow.password_resets.mark_used(reset.id, now):
            raise refusal
        uow.users.update(replace(user, password_hash=password_hash))
        person = uow.people.get(user.person_id)
        uow.audit.append(
            audit.changed(
                Actor.anonymous(),
                "user",
                user.id,
                {"password_reset": None},
                {"password_reset": reset.id},
                now,
                action="user.password_reset",
                organization_id=person.organization_id if person is not None else None,
            )
        )
        uow.commit()

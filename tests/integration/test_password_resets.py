"""Password reset by an e-mailed link (issue 6), on SQLite and PostgreSQL: the e-mail is
enqueued with the reset in one transaction, the link works once and for one hour, an
unknown address gets nothing, and the new password replaces the old one."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from argon2 import PasswordHasher

from alliance.domain.access import Actor
from alliance.domain.clock import FixedClock
from alliance.domain.errors import InvalidInput, NotAuthenticated
from alliance.domain.notifications import DeliveryStatus
from alliance.domain.organizations import OrganizationKind
from alliance.domain.people import PartnerRole
from alliance.services.auth import RegisterUser, authenticate, register_user
from alliance.services.organizations import CreateOrganization, create_organization
from alliance.services.password_resets import (
    RESET_VALIDITY,
    ResetEmail,
    ResetLinkNotValid,
    request_reset,
    reset_password,
)
from alliance.services.passwords import Passwords
from alliance.services.portal_sessions import log_in, session_actor
from alliance.services.ports import UnitOfWork

UowFactory = Callable[[], UnitOfWork]
OLD = "the-old-password-1"
NEW = "the-new-password-2"
WORDS = ResetEmail("Reset your password", lambda link: f"Open {link}\n")


@pytest.fixture
def passwords() -> Passwords:
    return Passwords(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def ada(uow_factory: UowFactory, clock: FixedClock, passwords: Passwords) -> str:
    system = Actor.system("test")
    org = create_organization(
        uow_factory(), system, CreateOrganization("Acme", "FR", OrganizationKind.PARTNER), clock
    )
    register_user(
        uow_factory(),
        system,
        RegisterUser(
            "Ada",
            "ada@acme.example",
            OLD,
            org.id,
            partner_roles=frozenset({PartnerRole.PARTNER_ADMINISTRATOR}),
        ),
        clock,
        passwords,
    )
    return "ada@acme.example"


def _secret_sent(uow_factory: UowFactory, to: str) -> str:
    with uow_factory() as uow:
        mails = [d for d in uow.outbox.list(status=DeliveryStatus.PENDING) if d.target == to]
    assert len(mails) >= 1
    found = re.search(r"/reset/(\S+)", mails[-1].message().text)
    assert found is not None
    return found.group(1)


def test_a_reset_enqueues_one_email_and_the_link_sets_the_new_password_once(
    uow_factory: UowFactory, clock: FixedClock, passwords: Passwords, ada: str
) -> None:
    assert request_reset(uow_factory(), ada, lambda s: f"https://x.example/reset/{s}", WORDS, clock)
    secret = _secret_sent(uow_factory, ada)
    with uow_factory() as uow:
        stored = uow.password_resets.by_hash(secret)  # never stored as is
    assert stored is None

    reset_password(uow_factory(), secret, NEW, passwords, clock)
    assert authenticate(uow_factory(), ada, NEW, passwords).email == ada
    with pytest.raises(NotAuthenticated):
        authenticate(uow_factory(), ada, OLD, passwords)
    with pytest.raises(ResetLinkNotValid) as refused:
        reset_password(uow_factory(), secret, "yet-another-password", passwords, clock)
    assert refused.value.field == "token"
    assert authenticate(uow_factory(), ada, NEW, passwords).email == ada


def test_a_link_expires_after_an_hour(
    uow_factory: UowFactory, clock: FixedClock, passwords: Passwords, ada: str
) -> None:
    request_reset(uow_factory(), ada, lambda s: f"https://x.example/reset/{s}", WORDS, clock)
    secret = _secret_sent(uow_factory, ada)
    late = FixedClock(clock.now() + RESET_VALIDITY)
    with pytest.raises(ResetLinkNotValid):
        reset_password(uow_factory(), secret, NEW, passwords, late)
    just_in_time = FixedClock(clock.now() + RESET_VALIDITY - timedelta(seconds=1))
    reset_password(uow_factory(), secret, NEW, passwords, just_in_time)
    assert authenticate(uow_factory(), ada, NEW, passwords).email == ada


def test_an_unknown_address_gets_no_email_and_a_short_password_changes_nothing(
    uow_factory: UowFactory, clock: FixedClock, passwords: Passwords, ada: str
) -> None:
    assert not request_reset(
        uow_factory(), "nobody@acme.example", lambda s: f"https://x/reset/{s}", WORDS, clock
    )
    with uow_factory() as uow:
        assert uow.outbox.list() == []
    request_reset(uow_factory(), ada, lambda s: f"https://x.example/reset/{s}", WORDS, clock)
    secret = _secret_sent(uow_factory, ada)
    with pytest.raises(InvalidInput) as refused:
        reset_password(uow_factory(), secret, "short", passwords, clock)
    assert refused.value.field == "password"
    reset_password(uow_factory(), secret, NEW, passwords, clock)  # the link was not used up


def test_a_reset_ends_the_sessions_opened_with_the_old_password(
    uow_factory: UowFactory, clock: FixedClock, passwords: Passwords, ada: str
) -> None:
    session = log_in(uow_factory(), ada, OLD, passwords)
    assert session_actor(uow_factory(), session.user_id, session.stamp).label == ada
    request_reset(uow_factory(), ada, lambda s: f"https://x.example/reset/{s}", WORDS, clock)
    reset_password(uow_factory(), _secret_sent(uow_factory, ada), NEW, passwords, clock)
    with pytest.raises(NotAuthenticated):
        session_actor(uow_factory(), session.user_id, session.stamp)

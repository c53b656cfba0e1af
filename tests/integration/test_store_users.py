"""Logins and API tokens round-trip through the store; tokens are found by digest only."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest

from alliance.domain.errors import Conflict, InvalidInput, NotFound
from alliance.domain.ids import OrganizationId, PersonId, UserId
from alliance.domain.organizations import Organization
from alliance.domain.people import Person
from alliance.services.ports import ApiToken, UserAccount
from alliance.store.unit_of_work import SqlUnitOfWork

UowFactory = Callable[[], SqlUnitOfWork]
ADA = PersonId("per_ada")
BOB = PersonId("per_bob")
ISSUED = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def uow_factory(uow_factory: UowFactory) -> UowFactory:
    """Units of work on a database where Ada and Bob act for Acme."""
    with uow_factory() as uow:
        uow.organizations.add(
            Organization(id=OrganizationId("org_acme"), name="Acme", country="FR")
        )
        for key in ("ada", "bob"):
            uow.people.add(
                Person(
                    id=PersonId(f"per_{key}"),
                    name=key.title(),
                    email=f"{key}@acme.example",
                    organization_id=OrganizationId("org_acme"),
                )
            )
        uow.commit()
    return uow_factory


def account(key: str = "ada", person: PersonId = ADA, **changes: object) -> UserAccount:
    user = UserAccount(
        id=UserId(f"usr_{key}"),
        person_id=person,
        email=f"{key}@acme.example",
        password_hash="$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA",
    )
    return replace(user, **changes)  # type: ignore[arg-type]


def token(key: str = "cli", user: UserId = UserId("usr_ada")) -> ApiToken:
    return ApiToken(
        id=f"tok_{key}",
        user_id=user,
        name=f"{key} token",
        token_hash=f"sha256:{key}" + "0" * 40,
        created_at=ISSUED,
    )


def save_user(uow_factory: UowFactory, user: UserAccount) -> None:
    with uow_factory() as uow:
        uow.users.add(user)
        uow.commit()


def test_a_user_comes_back_as_it_was_saved(uow_factory: UowFactory) -> None:
    ada = account()
    save_user(uow_factory, ada)
    with uow_factory() as uow:
        assert uow.users.get(ada.id) == ada
        assert uow.users.get(UserId("usr_nobody")) is None


def test_a_user_is_found_by_email_whatever_its_case(uow_factory: UowFactory) -> None:
    ada = account(email="Ada@ACME.example")
    save_user(uow_factory, ada)
    with uow_factory() as uow:
        found = uow.users.by_email(" ADA@acme.example")
        assert uow.users.by_email("nobody@acme.example") is None
        assert uow.users.by_email("garbage") is None
    assert found == replace(ada, email="ada@acme.example")


def test_an_update_changes_email_hash_and_active_flag(uow_factory: UowFactory) -> None:
    save_user(uow_factory, account())
    changed = account(email="ada.k@acme.example", password_hash="$argon2id$new", active=False)
    with uow_factory() as uow:
        uow.users.update(changed)
        uow.commit()
    with uow_factory() as uow:
        assert uow.users.get(changed.id) == changed


def test_updating_an_unknown_user_is_not_found(uow_factory: UowFactory) -> None:
    with uow_factory() as uow, pytest.raises(NotFound):
        uow.users.update(account("ghost"))


def test_a_second_login_with_the_same_email_is_a_conflict(uow_factory: UowFactory) -> None:
    save_user(uow_factory, account())
    with uow_factory() as uow, pytest.raises(Conflict) as raised:
        uow.users.add(account("other", person=BOB, email="ada@acme.example"))
    assert raised.value.field == "email"


def test_a_person_has_at_most_one_login(uow_factory: UowFactory) -> None:
    save_user(uow_factory, account())
    with uow_factory() as uow, pytest.raises(Conflict) as raised:
        uow.users.add(account("second", person=ADA))
    assert raised.value.field == "person_id"


def test_a_login_for_an_unknown_person_is_invalid_input(uow_factory: UowFactory) -> None:
    with uow_factory() as uow, pytest.raises(InvalidInput) as raised:
        uow.users.add(account("ghost", person=PersonId("per_nobody")))
    assert raised.value.field == "person_id"


def test_a_token_is_found_by_its_digest_with_aware_timestamps(uow_factory: UowFactory) -> None:
    save_user(uow_factory, account())
    cli = token()
    with uow_factory() as uow:
        uow.users.add_token(cli)
        uow.commit()
    with uow_factory() as uow:
        found = uow.users.token_by_hash(cli.token_hash)
        assert uow.users.token_by_hash("sha256:unknown") is None
        assert uow.users.token(cli.id) == cli
    assert found == cli
    assert found is not None and found.created_at.tzinfo is not None


def test_a_revoked_token_keeps_its_first_revocation_moment(uow_factory: UowFactory) -> None:
    save_user(uow_factory, account())
    with uow_factory() as uow:
        uow.users.add_token(token())
        uow.commit()
    first = datetime(2025, 3, 2, 10, 0, tzinfo=timezone(timedelta(hours=-5)))
    with uow_factory() as uow:
        uow.users.revoke_token("tok_cli", first)
        uow.users.revoke_token("tok_cli", first + timedelta(days=1))
        uow.commit()
    with uow_factory() as uow:
        revoked = uow.users.token("tok_cli")
    assert revoked is not None
    assert revoked.revoked_at == first
    assert revoked.revoked_at.utcoffset() == timedelta(0)


def test_revoking_an_unknown_token_is_not_found(uow_factory: UowFactory) -> None:
    with uow_factory() as uow, pytest.raises(NotFound):
        uow.users.revoke_token("tok_nobody", ISSUED)


def test_a_duplicate_token_digest_is_a_conflict(uow_factory: UowFactory) -> None:
    save_user(uow_factory, account())
    with uow_factory() as uow:
        uow.users.add_token(token())
        with pytest.raises(Conflict) as raised:
            uow.users.add_token(replace(token(), id="tok_copy"))
    assert raised.value.field == "token_hash"


def test_a_token_for_an_unknown_user_is_invalid_input(uow_factory: UowFactory) -> None:
    with uow_factory() as uow, pytest.raises(InvalidInput) as raised:
        uow.users.add_token(token(user=UserId("usr_nobody")))
    assert raised.value.field == "user_id"

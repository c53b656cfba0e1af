"""Logins and API tokens in SQL: ``users`` and ``api_tokens`` rows ↔ port dataclasses.

E-mail addresses are stored normalised (lower-case, trimmed), so that uniqueness and
look-ups ignore case.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import RowMapping, insert, select, update
from sqlalchemy.orm import Session

from alliance.domain.clock import Clock
from alliance.domain.errors import InvalidInput, NotFound
from alliance.domain.ids import PersonId, UserId
from alliance.domain.people import normalise_email
from alliance.services.ports import ApiToken, UserAccount
from alliance.store.integrity import guarded
from alliance.store.tables import api_tokens, users

NOUN = "user"
TOKEN_NOUN = "API token"


def _user(row: RowMapping) -> UserAccount:
    return UserAccount(
        id=UserId(row["id"]),
        person_id=PersonId(row["person_id"]),
        email=row["email"],
        password_hash=row["password_hash"],
        active=bool(row["active"]),
    )


def _token(row: RowMapping) -> ApiToken:
    return ApiToken(
        id=row["id"],
        user_id=UserId(row["user_id"]),
        name=row["name"],
        token_hash=row["token_hash"],
        created_at=row["created_at"],
        revoked_at=row["revoked_at"],
    )


class SqlUserRepository:
    def __init__(self, session: Session, clock: Clock) -> None:
        self._session = session
        self._clock = clock

    def add(self, user: UserAccount) -> None:
        with guarded(self._session, users, NOUN):
            self._session.execute(
                insert(users).values(
                    id=user.id,
                    person_id=user.person_id,
                    email=normalise_email(user.email),
                    password_hash=user.password_hash,
                    active=user.active,
                    created_at=self._clock.now(),
                )
            )

    def get(self, user_id: UserId) -> UserAccount | None:
        row = self._session.execute(select(users).where(users.c.id == user_id)).mappings()
        found = row.one_or_none()
        return _user(found) if found is not None else None

    def by_email(self, email: str) -> UserAccount | None:
        try:
            address = normalise_email(email)
        except InvalidInput:
            return None
        row = self._session.execute(select(users).where(users.c.email == address)).mappings()
        found = row.one_or_none()
        return _user(found) if found is not None else None

    def update(self, user: UserAccount) -> None:
        """Change the e-mail, password hash and active flag; the person stays the same."""
        with guarded(self._session, users, NOUN):
            found = self._session.execute(
                update(users)
                .where(users.c.id == user.id)
                .values(
                    email=normalise_email(user.email),
                    password_hash=user.password_hash,
                    active=user.active,
                )
                .returning(users.c.id)
            ).scalar_one_or_none()
        if found is None:
            raise NotFound(f"no {NOUN} {user.id}", field="user_id")

    def add_token(self, token: ApiToken) -> None:
        with guarded(self._session, api_tokens, TOKEN_NOUN):
            self._session.execute(
                insert(api_tokens).values(
                    id=token.id,
                    user_id=token.user_id,
                    name=token.name,
                    token_hash=token.token_hash,
                    created_at=token.created_at,
                    revoked_at=token.revoked_at,
                )
            )

    def token(self, token_id: str) -> ApiToken | None:
        row = self._session.execute(select(api_tokens).where(api_tokens.c.id == token_id))
        found = row.mappings().one_or_none()
        return _token(found) if found is not None else None

    def token_by_hash(self, token_hash: str) -> ApiToken | None:
        query = select(api_tokens).where(api_tokens.c.token_hash == token_hash)
        found = self._session.execute(query).mappings().one_or_none()
        return _token(found) if found is not None else None

    def revoke_token(self, token_id: str, at: datetime) -> None:
        """Mark the token revoked at ``at``; revoking it again keeps the first moment."""
        with guarded(self._session, api_tokens, TOKEN_NOUN):
            self._session.execute(
                update(api_tokens)
                .where(api_tokens.c.id == token_id, api_tokens.c.revoked_at.is_(None))
                .values(revoked_at=at)
            )
        if self.token(token_id) is None:
            raise NotFound(f"no {TOKEN_NOUN} {token_id}", field="token_id")

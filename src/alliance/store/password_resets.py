"""Password-reset links in SQL: ``password_resets`` rows ↔ :class:`PasswordReset`."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import RowMapping, insert, select, update
from sqlalchemy.orm import Session

from alliance.domain.ids import UserId
from alliance.services.ports import PasswordReset
from alliance.store.integrity import guarded
from alliance.store.portal_tables import password_resets

NOUN = "password reset"


def _reset(row: RowMapping) -> PasswordReset:
    return PasswordReset(
        id=row["id"],
        user_id=UserId(row["user_id"]),
        token_hash=row["token_hash"],
        created_at=row["created_at"],
        expires_at=row["expires_at"],
        used_at=row["used_at"],
    )


class SqlPasswordResetRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, reset: PasswordReset) -> None:
        with guarded(self._session, password_resets, NOUN):
            self._session.execute(
                insert(password_resets).values(
                    id=reset.id,
                    user_id=reset.user_id,
                    token_hash=reset.token_hash,
                    created_at=reset.created_at,
                    expires_at=reset.expires_at,
                    used_at=reset.used_at,
                )
            )

    def by_hash(self, token_hash: str) -> PasswordReset | None:
        found = (
            self._session.execute(
                select(password_resets).where(password_resets.c.token_hash == token_hash)
            )
            .mappings()
            .one_or_none()
        )
        return _reset(found) if found is not None else None

    def mark_used(self, reset_id: str, at: datetime) -> bool:
        """A conditional update, so two concurrent uses of one link cannot both win."""
        done = self._session.execute(
            update(password_resets)
            .where(password_resets.c.id == reset_id, password_resets.c.used_at.is_(None))
            .values(used_at=at)
            .returning(password_resets.c.id)
        ).scalar_one_or_none()
        return done is not None

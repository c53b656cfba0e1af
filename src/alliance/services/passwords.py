"""Password hashing with argon2id, and the password policy.

Only argon2 hashes are stored, never a password. :meth:`Passwords.verify_absent` spends
the same work as a real verification, so that a wrong e-mail and a wrong password
take the same time to refuse.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from alliance.domain.errors import InvalidInput

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024  # argon2 takes any length; this bounds the work per request


def check_password(password: str, *, field: str = "password") -> None:
    """Refuse a password shorter than :data:`MIN_PASSWORD_LENGTH`, naming the field."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            f"a password needs at least {MIN_PASSWORD_LENGTH} characters, "
            f"this one has {len(password)}",
            field=field,
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInput(f"a password has at most {MAX_PASSWORD_LENGTH} characters", field=field)


@dataclass
class Passwords:
    """Hashes and verifies passwords. Tests may pass a cheaper :class:`PasswordHasher`."""

    hasher: PasswordHasher = field(default_factory=PasswordHasher)
    _absent_hash: str = field(default="", init=False, repr=False)

    def __post_init__(self) -> None:
        # Made now, so that the first refusal of an unknown e-mail costs no extra hash.
        self._absent_hash = self.hasher.hash("no account has this password")

    def hash(self, password: str) -> str:
        check_password(password)
        return self.hasher.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        """True when ``password`` matches ``password_hash``; never raises on a mismatch."""
        try:
            return self.hasher.verify(password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def verify_absent(self, password: str) -> bool:
        """Spend one verification's work when there is no account; always False."""
        self.verify(self._absent_hash, password)
        return False

    def needs_rehash(self, password_hash: str) -> bool:
        """True when the hash was made with weaker parameters than the current ones."""
        try:
            return self.hasher.check_needs_rehash(password_hash)
        except InvalidHashError:
            return True

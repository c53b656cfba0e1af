"""Requests to move value, as small frozen dataclasses, and their fingerprints (X-5).

A command names what is asked; the ledger (or the store, inside its transaction) plans
the posting. A command's **fingerprint** is a SHA-256 of its canonical text, leaving out
the idempotency key and the fields marked ``describes`` (memo, rule to cite): the same
key with the same fingerprint is a replay and returns the first posting; the same key
with another fingerprint is refused with :class:`IdempotencyConflict`.

``effective_on=None`` means "the day the request is first handled": a retry the next
day is still the same request.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import date
from decimal import Decimal
from enum import Enum
from functools import cache

from alliance.domain.errors import InvalidInput
from alliance.domain.ledger.errors import IdempotencyConflict
from alliance.domain.ledger.lots import Origin
from alliance.domain.ledger.postings import Posting, PostingKind
from alliance.domain.ledger.redemption import RedemptionOrder

_DESCRIBES = {"describes": True}  # field metadata: not part of the fingerprint


@dataclass(frozen=True)
class Command:
    """Base of every request; subclasses add their fields after the key."""

    idempotency_key: str

    def __post_init__(self) -> None:
        if not isinstance(self.idempotency_key, str) or not self.idempotency_key.strip():
            raise InvalidInput(
                "every movement of value carries an idempotency key",
                field="idempotency_key",
                rule="X-5",
            )

    @property
    def fingerprint(self) -> str:
        return fingerprint(self)


@dataclass(frozen=True)
class OpenLot(Command):
    """Accrue a reward (OSR-12, RWD-4, PEX-4) or allocate credits (CRD-1): opens a lot."""

    owner: str
    wallet: str
    unit: str
    amount: Decimal
    accrued_on: date
    expires_on: date | None
    origin: Origin
    kind: PostingKind = PostingKind.ACCRUE
    memo: str = field(default="", metadata=_DESCRIBES)


@dataclass(frozen=True)
class Spend(Command):
    """Take ``amount`` from a member's book, lot by lot in ``order`` (OSR-21).

    ``excluded_tags`` refuses lots of some origins (CRD-6); ``accrued_on_or_before``
    refuses lots accrued after a cut-off (OSR-23).
    """

    owner: str
    wallet: str
    unit: str
    amount: Decimal
    effective_on: date | None = None
    order: RedemptionOrder = RedemptionOrder.EARLIEST_EXPIRY_FIRST
    excluded_tags: frozenset[str] = frozenset()
    accrued_on_or_before: date | None = None
    memo: str = field(default="", metadata=_DESCRIBES)
    rule: str | None = field(default=None, metadata=_DESCRIBES)


@dataclass(frozen=True)
class Redeem(Spend):
    """Spend at once (an invoice paid with rewards, OSR-20; points on a PoC, PEX-4)."""


@dataclass(frozen=True)
class PlaceHold(Spend):
    """Reserve value until a request is delivered or cancelled (CRD-3)."""


@dataclass(frozen=True)
class Capture(Command):
    """Spend a pending hold: all of it, or ``amount`` of it and release the rest."""

    hold_id: str
    amount: Decimal | None = None
    effective_on: date | None = None
    memo: str = field(default="", metadata=_DESCRIBES)


@dataclass(frozen=True)
class Release(Command):
    """Cancel a pending hold: its value goes back to the lots it came from (CRD-3)."""

    hold_id: str
    effective_on: date | None = None
    memo: str = field(default="", metadata=_DESCRIBES)


@dataclass(frozen=True)
class Reverse(Command):
    """Undo an earlier posting by a new one (X-4)."""

    posting_id: str
    effective_on: date | None = None
    memo: str = field(default="", metadata=_DESCRIBES)


@dataclass(frozen=True)
class ExpireLot(Command):
    """Move a lot's remaining value to the expired account (OSR-14); key ``expire:{lot}``."""

    lot_id: str


def expiry_key(lot_id: str) -> str:
    """The one idempotency key of a lot's expiry: a rerun never expires it twice."""
    return f"expire:{lot_id}"


def fingerprint(command: Command) -> str:
    """SHA-256 of the command's canonical text, without its key and descriptive fields."""
    return hashlib.sha256(_canonical(command).encode()).hexdigest()


@cache
def _fingerprinted(kind: type) -> tuple[str, ...]:
    """The names of the fields of dataclass ``kind`` that a fingerprint covers, in order
    (read once per class: the fields of a class never change)."""
    return tuple(
        f.name
        for f in fields(kind)
        if f.name != "idempotency_key" and not f.metadata.get("describes")
    )


def _canonical(value: object) -> str:
    if type(value) is str or value is None:  # the commonest, as the last branch renders them
        return repr(value)
    if is_dataclass(value) and not isinstance(value, type):
        kind = type(value)
        inner = ",".join(
            f"{name}={_canonical(getattr(value, name))}" for name in _fingerprinted(kind)
        )
        return f"{kind.__name__}({inner})"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value else "0"
    if isinstance(value, Enum):
        return repr(value.value)
    if isinstance(value, frozenset | set):
        return "{" + ",".join(sorted(_canonical(item) for item in value)) + "}"
    if isinstance(value, date | str | int | bool) or value is None:
        return repr(value.isoformat() if isinstance(value, date) else value)
    raise TypeError(f"cannot fingerprint a {type(value).__name__}")


def replay_of(command: Command, existing: Posting | None) -> Posting | None:
    """The posting ``command`` already made, if its key was used for the same request;
    ``None`` if the key is new; :class:`IdempotencyConflict` if it named another (X-5)."""
    if existing is None:
        return None
    if existing.request != fingerprint(command):
        raise IdempotencyConflict(command.idempotency_key, f"{existing.kind} {existing.id}")
    return existing

"""The ledger of partner credits, customer rewards and points — pure rules, no I/O.

Accounts per (owner, wallet, unit, kind); balanced postings; lots that remember their
origin and expiry; two-phase holds; reversals instead of deletes; expiry to a named
account; an idempotency key on every posting (X-5). Planners (``plan_*``) take current
state and return validated postings; :class:`Ledger` is the in-memory reference model.
"""

from alliance.domain.ledger.accounts import MEMBER_KINDS, AccountKey, AccountKind, Book
from alliance.domain.ledger.accrual import plan_accrual
from alliance.domain.ledger.balances import Balances
from alliance.domain.ledger.commands import (
    Capture,
    Command,
    ExpireLot,
    OpenLot,
    PlaceHold,
    Redeem,
    Release,
    Reverse,
    Spend,
    expiry_key,
    fingerprint,
    replay_of,
)
from alliance.domain.ledger.errors import (
    BackdatedPosting,
    CaptureExceedsHold,
    HoldNotPending,
    IdempotencyConflict,
    InsufficientBalance,
    LedgerCorrupted,
    NotReversible,
    UnbalancedPosting,
    UnknownHold,
    UnknownLot,
    UnknownPosting,
)
from alliance.domain.ledger.expiry import expiry_posting, plan_expiry
from alliance.domain.ledger.holds import Hold, HoldStatus, plan_capture, plan_hold, plan_release
from alliance.domain.ledger.invariants import invariant_problems
from alliance.domain.ledger.ledger import Ledger
from alliance.domain.ledger.lots import PUBLIC_SECTOR, Lot, LotRemaining, Origin, returning_kind
from alliance.domain.ledger.postings import Leg, Posting, PostingKind, id_for
from alliance.domain.ledger.redemption import (
    RedemptionOrder,
    plan_redeem,
    plan_redemption,
    sort_lots,
)
from alliance.domain.ledger.reversals import plan_reversal
from alliance.domain.ledger.statement import HistoryLine, LotLine, Statement, build_statement
from alliance.domain.ledger.units import Unit

__all__ = [
    "MEMBER_KINDS",
    "PUBLIC_SECTOR",
    "AccountKey",
    "AccountKind",
    "BackdatedPosting",
    "Balances",
    "Book",
    "Capture",
    "CaptureExceedsHold",
    "Command",
    "ExpireLot",
    "HistoryLine",
    "Hold",
    "HoldNotPending",
    "HoldStatus",
    "IdempotencyConflict",
    "InsufficientBalance",
    "Ledger",
    "LedgerCorrupted",
    "Leg",
    "Lot",
    "LotLine",
    "LotRemaining",
    "NotReversible",
    "OpenLot",
    "Origin",
    "PlaceHold",
    "Posting",
    "PostingKind",
    "Redeem",
    "RedemptionOrder",
    "Release",
    "Reverse",
    "Spend",
    "Statement",
    "UnbalancedPosting",
    "Unit",
    "UnknownHold",
    "UnknownLot",
    "UnknownPosting",
    "build_statement",
    "expiry_key",
    "expiry_posting",
    "fingerprint",
    "id_for",
    "invariant_problems",
    "plan_accrual",
    "plan_capture",
    "plan_expiry",
    "plan_hold",
    "plan_redeem",
    "plan_redemption",
    "plan_release",
    "plan_reversal",
    "replay_of",
    "returning_kind",
    "sort_lots",
]

"""The ledger's refusals, one class per reason, each with a stable ``code`` and a rule id.

Business refusals (:class:`InsufficientBalance`, :class:`HoldNotPending`…) are what a
member or an operator can cause; :class:`LedgerCorrupted` is never a user's fault — it
means an invariant check caught a bug, and nothing was posted.
"""

from __future__ import annotations

from decimal import Decimal

from alliance.domain.errors import BusinessRuleViolation, Conflict, NotFound
from alliance.domain.ledger.units import show


class InsufficientBalance(BusinessRuleViolation):
    """Less value is available to the request than it asks for.

    The caller names the rule it applies (``CRD-3`` for a credit order, ``OSR-20`` for a
    support invoice…); ``available`` counts only lots the request may use.
    """

    code = "insufficient_balance"

    def __init__(
        self,
        *,
        requested: Decimal,
        available: Decimal,
        unit: str | None,
        rule: str | None = None,
        detail: str = "",
    ) -> None:
        asked, left = (
            (show(requested, unit), show(available, unit)) if unit else (requested, available)
        )
        message = f"{asked} requested but only {left} available"
        super().__init__(f"{message}{detail}", field="amount", rule=rule)
        self.requested = requested
        self.available = available
        self.unit = unit


class IdempotencyConflict(Conflict):
    """X-5: an idempotency key already names a different request."""

    code = "idempotency_conflict"

    def __init__(self, key: str, existing: str) -> None:
        super().__init__(
            f"idempotency key {key!r} was already used for a different request ({existing}); "
            "replay the same request, or use a new key",
            field="idempotency_key",
            rule="X-5",
        )
        self.key = key


class UnbalancedPosting(BusinessRuleViolation):
    """A posting whose legs do not sum to zero in some unit: it would create or lose value."""

    code = "unbalanced_posting"


class HoldNotPending(Conflict):
    """CRD-3: only a pending hold can be captured or released, and only once."""

    code = "hold_not_pending"


class CaptureExceedsHold(BusinessRuleViolation):
    """CRD-3: a capture spends at most what the hold reserved."""

    code = "capture_exceeds_hold"


class NotReversible(Conflict):
    """The posting cannot be reversed (already reversed, or of a kind that is final)."""

    code = "not_reversible"


class BackdatedPosting(Conflict):
    """X-4: a posting may not rewrite the past of the lots it touches."""

    code = "backdated_posting"


class UnknownPosting(NotFound):
    code = "posting_not_found"


class UnknownHold(NotFound):
    code = "hold_not_found"


class UnknownLot(NotFound):
    code = "lot_not_found"


class LedgerCorrupted(RuntimeError):
    """An invariant check failed: a bug in the ledger or its caller, never bad input."""

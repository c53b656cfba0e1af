"""What the PEX use cases keep besides the ledger (``uow.pex``; issue 5).

* **Enrolments** — a partner's type (PEX-7) and the modules it holds (PEX-2): Sell With
  points (PEX-3, PEX-4) and Resell tranche margins (PEX-5) credit only partners holding
  the module.
* **Proof-of-concept budget requests** (PEX-4) — points held in the ledger while the
  vendor decides; approved, the hold is captured (the points are spent); rejected, it is
  released. ``(partner_id, budget_ref)`` is unique: asking twice for one budget is one
  request (X-5). The points themselves live in the ledger (``pex_points`` wallet).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Protocol


@dataclass(frozen=True)
class PexEnrolment:
    partner_id: str
    partner_type: str
    modules: frozenset[str]
    enrolled_on: date
    updated_at: datetime
    updated_by: str


class BudgetStatus(StrEnum):
    HELD = "held"  # points reserved, waiting for the vendor's decision
    APPROVED = "approved"  # the hold captured: points spent on the budget
    REJECTED = "rejected"  # the hold released: points back in the wallet


@dataclass(frozen=True)
class PocBudgetRequest:
    id: str
    partner_id: str
    budget_ref: str
    points: Decimal
    status: BudgetStatus
    hold_id: str
    requested_on: date
    requested_by: str
    description: str
    created_at: datetime
    decided_at: datetime | None = None
    decided_by: str | None = None


class PexStore(Protocol):
    def lock_wallet(self, partner_id: str, wallet: str, unit: str) -> None:
        """Take the ledger's lock on the partner's points book, so that the balance read
        and the hold that follows are one decision (PEX-4)."""
        ...

    def enrolment(self, partner_id: str) -> PexEnrolment | None: ...
    def save_enrolment(self, enrolment: PexEnrolment) -> None:
        """Insert or replace the partner's enrolment."""
        ...

    def enrolments(self) -> list[PexEnrolment]: ...
    def add_request(self, request: PocBudgetRequest) -> None: ...
    def request(self, request_id: str) -> PocBudgetRequest | None: ...
    def request_for(self, partner_id: str, budget_ref: str) -> PocBudgetRequest | None: ...
    def requests(self, partner_id: str | None = None) -> list[PocBudgetRequest]: ...
    def decide(
        self, request_id: str, status: BudgetStatus, at: datetime, by: str
    ) -> PocBudgetRequest:
        """Move a held request to approved or rejected."""
        ...

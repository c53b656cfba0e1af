"""What the OIP duty use cases keep (``uow.oip_duties``; OIP-5).

* a member's **profile**: the product lines it sells (a duty "per product line" is due
  once for each) and its flags (``uses_eshop`` binds the e-shop training);
* its **progress** on each duty item, by the item's key
  (``duty_id[:profile][:product_line]``, :func:`alliance.domain.statuses.due_items`):
  how many are done (3 webinars need 3).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class DutyProfile:
    partner_id: str
    product_lines: frozenset[str]
    flags: frozenset[str]
    updated_at: datetime
    updated_by: str


@dataclass(frozen=True)
class DutyProgress:
    partner_id: str
    item_key: str
    done: int
    updated_at: datetime
    updated_by: str


class DutyStore(Protocol):
    def profile(self, partner_id: str) -> DutyProfile | None: ...
    def save_profile(self, profile: DutyProfile) -> None: ...
    def progress(self, partner_id: str) -> dict[str, DutyProgress]: ...
    def record(self, progress: DutyProgress) -> None:
        """Insert or replace the progress on one item."""
        ...

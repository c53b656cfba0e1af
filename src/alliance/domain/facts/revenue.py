"""Revenue billed through a partner, by kind, and the orders it takes (OIP-2, OIP-8)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from alliance.domain.calendar import Month
from alliance.domain.errors import InvalidInput
from alliance.domain.money import Money


class RevenueKind(StrEnum):
    """What a billed line is (OIP-2 counts recurring revenue, never access fees or minutes)."""

    RECURRING = "recurring"  # monthly subscriptions
    SERVICE_ACCESS_FEE = "service_access_fee"  # « frais d'accès aux services »
    MINUTES = "minutes"  # usage: call minutes
    ONE_OFF = "one_off"  # hardware, installation, other non-recurring charges


@dataclass(frozen=True, slots=True)
class RevenueLine:
    """``amount`` billed in ``month`` to a customer of ``partner_id``.

    ``product_line`` (``voip``, ``data``…) lets the back-margin count VoIP revenue only
    (OIP-7).
    """

    partner_id: str
    month: Month
    amount: Money
    kind: RevenueKind
    product_line: str = ""
    customer_id: str = ""
    line_id: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", RevenueKind(self.kind))


@dataclass(frozen=True, slots=True)
class Order:
    """An order of ``amount`` taken by ``partner_id`` on ``ordered_on`` (OIP-8 intake)."""

    partner_id: str
    order_id: str
    ordered_on: date
    amount: Money

    def __post_init__(self) -> None:
        if self.amount.is_negative():
            raise InvalidInput(
                f"order {self.order_id} has a negative amount {self.amount}",
                field="amount",
                rule="OIP-8",
            )

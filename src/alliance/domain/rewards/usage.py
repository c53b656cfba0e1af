"""Usage lines: one service's metered consumption under one subscription in one month.

A line's value is ``unit_net_price × quantity`` (OSR-12), exact: the unit net price is the
order's rate card price — for an overage line, the overage price (OSR-15). The flags say
what kind of service it is, for the exclusions of OSR-2, OSR-5 and OSR-7.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from alliance.domain.calendar import Month
from alliance.domain.errors import InvalidInput
from alliance.domain.ids import OrganizationId
from alliance.domain.rewards import exact
from alliance.domain.rewards.subscriptions import SubscriptionId
from alliance.domain.rewards.validation import currency_code, enum_member, non_negative


class LineKind(StrEnum):
    """Regular usage within the commitment, or overage above it (OSR-15)."""

    REGULAR = "regular"
    OVERAGE = "overage"


@dataclass(frozen=True)
class UsageLine:
    """``quantity`` of ``service`` consumed by ``customer_id`` under ``subscription_id`` in
    ``month``, at ``unit_net_price`` ``currency`` per unit.

    Flags (all default ``False``): ``third_party`` (VMware, Microsoft…), ``marketplace``
    (marketplace listings) and ``saas`` (SaaS applications) never count, nor the base
    subscription of an on-premises cloud rack (``rack_subscription``) — the rack's
    consumption does (OSR-7); ``free_tier`` services never count (OSR-2); bring-your-own-
    licence services (``byol``) count (OSR-5). ``line_no`` locates the line in its source.
    """

    line_no: int
    customer_id: OrganizationId
    subscription_id: SubscriptionId
    service: str
    service_category: str
    month: Month
    quantity: Decimal
    unit_net_price: Decimal
    currency: str
    kind: LineKind = LineKind.REGULAR
    third_party: bool = False
    marketplace: bool = False
    saas: bool = False
    free_tier: bool = False
    rack_subscription: bool = False
    byol: bool = False

    def __post_init__(self) -> None:
        if isinstance(self.line_no, bool) or not isinstance(self.line_no, int):
            raise InvalidInput(f"line_no is a whole number, got {self.line_no!r}", field="line_no")
        if not isinstance(self.month, Month):
            raise InvalidInput(f"month is a Month, got {self.month!r}", field="month", rule="X-2")
        non_negative(self.quantity, "quantity")
        non_negative(self.unit_net_price, "unit_net_price")
        currency_code(self.currency)
        object.__setattr__(self, "kind", enum_member(LineKind, self.kind, "kind"))

    @property
    def net_amount(self) -> Decimal:
        """``unit_net_price × quantity``, exact, unrounded (OSR-12)."""
        return exact.product(self.unit_net_price, self.quantity)

    @property
    def where(self) -> str:
        """Where the line is, for an error message: ``"usage line 14"``."""
        return f"usage line {self.line_no}"

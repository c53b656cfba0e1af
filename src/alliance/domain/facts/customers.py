"""Customers a partner gains and loses per area, and their monthly consumption (MCPP-10)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from alliance.domain.calendar import Month
from alliance.domain.errors import InvalidInput


@dataclass(frozen=True, slots=True)
class CustomerAssociation:
    """``customer_id`` became ``partner_id``'s customer in ``area`` on ``associated_on``;
    ``ended_on`` is the day the association ended (a lost customer), ``None`` if it runs.

    Net customer adds over a window = associations starting in it − those ending in it.
    """

    partner_id: str
    customer_id: str
    area: str
    associated_on: date
    ended_on: date | None = None

    def __post_init__(self) -> None:
        if self.ended_on is not None and self.ended_on < self.associated_on:
            raise InvalidInput(
                f"customer {self.customer_id} ends on {self.ended_on}, before it was "
                f"associated on {self.associated_on}",
                field="ended_on",
                rule="MCPP-10",
            )


@dataclass(frozen=True, slots=True)
class UsageRecord:
    """One month of consumption in ``area`` by one customer of ``partner_id``.

    ``amount`` is the consumed revenue (the partner's currency, exact); ``active_users``
    the number of active users (Modern Work's growth metric counts users).
    """

    partner_id: str
    area: str
    month: Month
    amount: Decimal = Decimal(0)
    active_users: int = 0
    customer_id: str = ""
    product: str = ""

    def __post_init__(self) -> None:
        if isinstance(self.amount, float) or not isinstance(self.amount, Decimal):
            raise TypeError("a usage amount is a Decimal, never a float (X-1)")
        if self.amount < 0 or self.active_users < 0:
            raise InvalidInput(
                f"usage of {self.partner_id} in {self.month} is negative",
                field="amount" if self.amount < 0 else "active_users",
                rule="MCPP-10",
            )

    def measure(self, name: str) -> Decimal:
        """The attribute a metric measures: ``amount`` or ``active_users``."""
        if name == "amount":
            return self.amount
        if name == "active_users":
            return Decimal(self.active_users)
        raise InvalidInput(f"usage has no measure {name!r}", field="measure", rule="MCPP-10")

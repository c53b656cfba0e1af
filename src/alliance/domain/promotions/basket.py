"""What a partner asks a price for, and the facts a quote reads about it (OIP-7, OIP-8)."""

from __future__ import annotations

from dataclasses import dataclass, field

from alliance.domain.errors import InvalidInput
from alliance.domain.facts import Order, RevenueLine
from alliance.domain.money import Money


@dataclass(frozen=True, slots=True)
class BasketLine:
    """``quantity`` of ``product``; ``unit_price`` overrides the catalogue's list price;
    ``fee`` is a service-access fee charged once on the line."""

    product: str
    quantity: int = 1
    unit_price: Money | None = None
    fee: Money | None = None

    def __post_init__(self) -> None:
        if (
            isinstance(self.quantity, bool)
            or not isinstance(self.quantity, int)
            or self.quantity < 1
        ):
            raise InvalidInput(
                f"a basket line orders at least 1 {self.product}, got {self.quantity!r}",
                field="quantity",
                rule="OIP-7",
            )


@dataclass(frozen=True)
class Basket:
    """The lines asked for; ``holds`` the products the customer already subscribes to
    with the vendor (VoIP, data links…); ``project`` the kind of project, if any."""

    lines: tuple[BasketLine, ...]
    holds: frozenset[str] = field(default_factory=frozenset)
    project: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "lines", tuple(self.lines))
        object.__setattr__(self, "holds", frozenset(self.holds))
        if not self.lines:
            raise InvalidInput("a basket has at least one line", field="lines", rule="OIP-7")

    def quantity_of(self, product: str) -> int:
        return sum(line.quantity for line in self.lines if line.product == product)

    def has(self, product: str) -> bool:
        return product in self.holds or self.quantity_of(product) > 0


@dataclass(frozen=True)
class QuoteParty:
    """The partner asking: its type, its current status (OIP-4), and the orders and
    revenue the quarterly minimums read (OIP-8)."""

    partner_id: str
    member_type: str
    status: str
    orders: tuple[Order, ...] = ()
    revenue: tuple[RevenueLine, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "orders", tuple(self.orders))
        object.__setattr__(self, "revenue", tuple(self.revenue))

"""The facts a reward decision reads: the deal behind an opportunity, and how the partner
chose to be paid (RWD-1…RWD-5).

A :class:`Deal` is an opportunity as the vendor sees it at one moment — at submission,
or at order booking (RWD-2), each a new ``version``. Its value is the sum of its lines.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from alliance.domain.engagements.engagement import Category, Engagement
from alliance.domain.errors import InvalidInput
from alliance.domain.money import Money, sum_money


class Sector(StrEnum):
    """RWD-1: commercial deals are judged one by one, public-sector deals are pooled."""

    COMMERCIAL = "commercial"
    PUBLIC = "public"


class OrderKind(StrEnum):
    """RWD-3: public-sector orders qualify only as new sales or extensions."""

    NEW_SALE = "new_sale"
    EXTENSION = "extension"
    RENEWAL = "renewal"


class PayoutMethod(StrEnum):
    """RWD-3: chosen at subscription — money or partner credits."""

    MONEY = "money"
    PARTNER_CREDITS = "partner_credits"


@dataclass(frozen=True)
class DealLine:
    """A product of the deal, its family (``oci``, ``saas``…) and its value."""

    product: str
    family: str
    amount: Money


@dataclass(frozen=True)
class Deal:
    """An opportunity's deal: who registered it, where, what kind of order, which lines.

    ``partner_id`` is the organisation that registered it (a principal or an associate);
    ``version`` counts the vendor's bookings of it (1 at submission).
    """

    engagement_id: str
    partner_id: str
    sector: Sector
    country: str
    order_kind: OrderKind
    lines: tuple[DealLine, ...]
    version: int = 1

    def __post_init__(self) -> None:
        if not self.lines:
            raise InvalidInput("a deal has at least one product line", field="lines", rule="RWD-5")
        currencies = {line.amount.currency for line in self.lines}
        if len(currencies) > 1:
            raise InvalidInput(
                f"a deal's lines are in one currency, got {', '.join(sorted(currencies))}",
                field="lines",
                rule="X-1",
            )
        if self.version < 1:
            raise InvalidInput("a deal's version starts at 1", field="version", rule="RWD-2")

    @property
    def currency(self) -> str:
        return self.lines[0].amount.currency

    @property
    def value(self) -> Money:
        return total_of(self.lines, self.currency)

    @classmethod
    def of_engagement(
        cls,
        engagement: Engagement,
        *,
        sector: Sector,
        order_kind: OrderKind,
        country: str | None = None,
        version: int = 1,
    ) -> Deal:
        """The deal of an opportunity, from its products; ``country`` defaults to the
        customer's."""
        if engagement.category is not Category.OPPORTUNITY:
            raise InvalidInput(
                "rewards are paid on opportunities, not on account planning",
                field="category",
                rule="RWD-1",
            )
        lines = tuple(
            DealLine(p.product, p.family, p.amount)
            for p in engagement.products
            if p.amount is not None
        )
        return cls(
            engagement_id=engagement.id,
            partner_id=engagement.partner_id,
            sector=sector,
            country=country or engagement.customer.address.country,
            order_kind=order_kind,
            lines=lines,
            version=version,
        )


def total_of(lines: Iterable[DealLine], currency: str) -> Money:
    return sum_money((line.amount for line in lines), currency)

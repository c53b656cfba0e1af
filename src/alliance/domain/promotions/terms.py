"""Promotions as data: products, conditions, price benefits, flags and access minimums
(OIP-7, OIP-8). ``alliance.services.status_terms`` builds :class:`PromotionTerms` from a
definition's ``promotions`` section (django-oscar's *condition + benefit + range*)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from alliance.domain.errors import InvalidInput
from alliance.domain.facts import RevenueKind
from alliance.domain.money import Money


@dataclass(frozen=True, slots=True)
class ProductTerms:
    id: str
    name: str
    product_line: str | None = None
    price: Money | None = None  # list price, excluding tax


class ConditionKind(StrEnum):
    ALWAYS = "always"
    QUANTITY_ABOVE = "quantity_above"
    HOLDS_ANY = "holds_any"
    PROJECT = "project"
    ALL_OF = "all_of"
    ANY_OF = "any_of"


@dataclass(frozen=True)
class ConditionTerms:
    kind: ConditionKind = ConditionKind.ALWAYS
    product: str | None = None
    products: tuple[str, ...] = ()
    quantity: int | None = None
    project: str | None = None
    conditions: tuple[ConditionTerms, ...] = ()
    description: str = ""


class BenefitKind(StrEnum):
    UNIT_PRICE = "unit_price"
    TIERED_UNIT_PRICE = "tiered_unit_price"
    PERCENT_OFF = "percent_off"
    FEE_WAIVER = "fee_waiver"
    PRICE_GRID = "price_grid"
    INCENTIVE = "incentive"


PRICING = frozenset(
    {BenefitKind.UNIT_PRICE, BenefitKind.TIERED_UNIT_PRICE, BenefitKind.PERCENT_OFF}
)


@dataclass(frozen=True)
class PriceBenefit:
    kind: BenefitKind
    product: str | None = None
    excluding: tuple[str, ...] = ()
    list_price: Money | None = None
    unit_price: Money | None = None
    tiers: tuple[tuple[int, Money], ...] = ()  # (more than this quantity, unit price)
    percent: Decimal | None = None  # a fraction: 0.10 is 10 %
    fee: str | None = None
    grid: str | None = None
    incentive: str | None = None
    description: str = ""

    def applies_to(self, product: str) -> bool:
        return self.product == product and product not in self.excluding


@dataclass(frozen=True)
class PromotionTerms:
    id: str
    name: str
    statuses: tuple[str, ...]
    member_types: tuple[str, ...]
    benefits: tuple[PriceBenefit, ...]
    condition: ConditionTerms = ConditionTerms()
    cumulative: bool = False
    exclusive: bool = False

    def __post_init__(self) -> None:
        if self.cumulative and self.exclusive:
            raise InvalidInput(
                f"promotion {self.id} is cumulative or exclusive, not both",
                field="exclusive",
                rule="OIP-7",
            )


class MinimumSource(StrEnum):
    ORDER_INTAKE = "order_intake"  # orders taken in the quarter
    REVENUE = "revenue"  # revenue billed in the quarter


@dataclass(frozen=True, slots=True)
class MinimumTerms:
    """A status's promotions need ``at_least`` of ``source`` in the quarter (OIP-8)."""

    status: str
    member_type: str
    source: MinimumSource
    at_least: Money
    counted: frozenset[RevenueKind] = frozenset(RevenueKind)
    label: str = ""

    @property
    def what(self) -> str:
        return self.label or (
            "order intake" if self.source is MinimumSource.ORDER_INTAKE else "revenue"
        )


@dataclass(frozen=True)
class PromotionsTerms:
    program: str
    currency: str
    products: tuple[ProductTerms, ...]
    promotions: tuple[PromotionTerms, ...]
    minimums: tuple[MinimumTerms, ...] = ()

    def product(self, product_id: str) -> ProductTerms | None:
        return next((p for p in self.products if p.id == product_id), None)

    def minimum(self, status: str, member_type: str) -> MinimumTerms | None:
        return next(
            (m for m in self.minimums if m.status == status and m.member_type == member_type),
            None,
        )

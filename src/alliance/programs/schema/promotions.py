"""Promotions: a condition plus one or more price benefits, for some statuses and member
types, with cumulative/exclusive flags and access minimums (OIP-7, OIP-8).

The shape follows django-oscar's offers: *condition + benefit + range*; the range here
is the products a benefit names.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field, model_validator

from alliance.programs.schema.common import (
    DefinitionModel,
    Identifier,
    Loc,
    MoneySpec,
    PeriodKind,
    Rate,
    RuleIds,
    duplicate_ids,
    raise_issues,
    unknown_refs,
)


class Product(DefinitionModel):
    """A catalogue item promotions can name."""

    id: Identifier
    name: str
    product_line: str | None = None
    price: MoneySpec | None = Field(default=None, description="List price, excluding tax.")
    price_period: PeriodKind | None = Field(default=None, description="For a subscription.")


class ConditionKind(StrEnum):
    ALWAYS = "always"
    QUANTITY_ABOVE = "quantity_above"  # more than ``quantity`` of ``product`` on the order
    HOLDS_ANY = "holds_any"  # subscribes to one of ``products`` (with the vendor)
    PROJECT = "project"  # the order belongs to a project of kind ``project``
    ALL_OF = "all_of"
    ANY_OF = "any_of"


class Condition(DefinitionModel):
    """When a promotion applies; ``all_of``/``any_of`` combine nested conditions."""

    kind: ConditionKind = ConditionKind.ALWAYS
    product: Identifier | None = None
    products: tuple[Identifier, ...] = ()
    quantity: int | None = Field(default=None, ge=0)
    project: Identifier | None = None
    conditions: tuple[Condition, ...] = ()
    description: str = ""

    @model_validator(mode="after")
    def _operands_fit_kind(self) -> Condition:
        kind = self.kind
        if kind is ConditionKind.QUANTITY_ABOVE and (self.product is None or self.quantity is None):
            raise ValueError("expected 'product' and 'quantity' for quantity_above")
        if kind is ConditionKind.HOLDS_ANY and not self.products:
            raise ValueError("expected a non-empty 'products' list for holds_any, got none")
        if kind is ConditionKind.PROJECT and self.project is None:
            raise ValueError("expected a 'project' for a project condition, got none")
        if kind in {ConditionKind.ALL_OF, ConditionKind.ANY_OF} and len(self.conditions) < 2:
            raise ValueError(f"expected 2 or more 'conditions' for {kind}")
        return self

    def product_refs(self) -> list[str]:
        refs = [*([self.product] if self.product else []), *self.products]
        for nested in self.conditions:
            refs += nested.product_refs()
        return refs


class BenefitRule(StrEnum):
    """What a promotion gives."""

    UNIT_PRICE = "unit_price"  # ``unit_price`` instead of ``list_price``
    TIERED_UNIT_PRICE = "tiered_unit_price"  # price by quantity tier
    PERCENT_OFF = "percent_off"
    FEE_WAIVER = "fee_waiver"
    PRICE_GRID = "price_grid"  # a named preferential grid (values kept by the vendor)
    INCENTIVE = "incentive"  # opens an incentive plan (e.g. a back-margin)


class PriceTier(DefinitionModel):
    above_quantity: int = Field(ge=0)
    unit_price: MoneySpec


class PromotionBenefit(DefinitionModel):
    kind: BenefitRule
    product: Identifier | None = None
    excluding: tuple[Identifier, ...] = ()
    list_price: MoneySpec | None = None
    unit_price: MoneySpec | None = None
    tiers: tuple[PriceTier, ...] = ()
    percent: Rate | None = None
    fee: str | None = None
    grid: Identifier | None = None
    incentive: Identifier | None = None
    description: str = ""

    @model_validator(mode="after")
    def _operands_fit_kind(self) -> PromotionBenefit:
        issues: list[tuple[Loc, str]] = []
        need = {
            BenefitRule.UNIT_PRICE: ("product", "unit_price", "list_price"),
            BenefitRule.TIERED_UNIT_PRICE: ("product", "tiers", "list_price"),
            BenefitRule.PERCENT_OFF: ("product", "percent"),
            BenefitRule.FEE_WAIVER: ("fee",),
            BenefitRule.PRICE_GRID: ("grid",),
            BenefitRule.INCENTIVE: ("incentive",),
        }[self.kind]
        for name in need:
            if getattr(self, name) in (None, ()):
                issues.append(((name,), f"expected a value for a {self.kind} benefit, got none"))
        prices = [self.unit_price, *(t.unit_price for t in self.tiers)]
        for loc, price in zip(
            [("unit_price",), *(("tiers", i) for i in range(len(self.tiers)))], prices, strict=True
        ):
            if price is not None and self.list_price is not None:
                if price.currency != self.list_price.currency:
                    issues.append(
                        (loc, f"expected currency {self.list_price.currency}, got {price}")
                    )
                elif price.amount >= self.list_price.amount:
                    issues.append((loc, f"expected less than the list price {self.list_price}"))
        for i in range(1, len(self.tiers)):
            if self.tiers[i].above_quantity <= self.tiers[i - 1].above_quantity:
                issues.append(
                    (("tiers", i, "above_quantity"), "expected tiers in ascending quantity")
                )
        raise_issues(issues)
        return self


class Promotion(DefinitionModel):
    """A price rule for members of some statuses and types (OIP-7)."""

    id: Identifier
    name: str
    statuses: tuple[Identifier, ...] = Field(min_length=1)
    member_types: tuple[Identifier, ...] = Field(min_length=1)
    condition: Condition = Condition()
    benefits: tuple[PromotionBenefit, ...] = Field(min_length=1)
    cumulative: bool = Field(default=False, description="Combines with other promotions.")
    exclusive: bool = Field(default=False, description="Never combines with another.")
    description: str = ""
    rules: RuleIds = ()

    @model_validator(mode="after")
    def _flags_compatible(self) -> Promotion:
        if self.cumulative and self.exclusive:
            raise ValueError("expected cumulative or exclusive, got both")
        return self


class AccessMinimum(DefinitionModel):
    """A status's promotions also need this much of a metric per period (OIP-8)."""

    status: Identifier
    member_type: Identifier
    metric: Identifier
    at_least: MoneySpec
    period: PeriodKind = PeriodKind.QUARTER
    rules: RuleIds = ()


class PromotionsSection(DefinitionModel):
    prices_exclude_tax: bool = True
    products: tuple[Product, ...] = ()
    promotions: tuple[Promotion, ...] = Field(min_length=1)
    minimums: tuple[AccessMinimum, ...] = ()
    rules: RuleIds = ()

    @model_validator(mode="after")
    def _products_declared(self) -> PromotionsSection:
        issues: list[tuple[Loc, str]] = duplicate_ids("products", (p.id for p in self.products))
        issues += duplicate_ids("promotions", (p.id for p in self.promotions))
        known = [p.id for p in self.products]
        for i, promo in enumerate(self.promotions):
            loc: Loc = ("promotions", i, "condition")
            issues += unknown_refs(loc, promo.condition.product_refs(), known, "product")
            for j, benefit in enumerate(promo.benefits):
                refs = [*([benefit.product] if benefit.product else []), *benefit.excluding]
                issues += unknown_refs(("promotions", i, "benefits", j), refs, known, "product")
        raise_issues(issues)
        return self

"""Incentive plans: what a member earns, on which base, at which rate, with which
eligibility, cap and payout. One class per kind, chosen by ``kind`` in YAML:

* ``percentage``, ``commission``, ``back_margin`` — a rate on a metric per period
  (RWD-5, OIP-1, OIP-7);
* ``per_engagement`` — a rate on an engagement's deal value, by product family, with
  pools (RWD-1…RWD-5);
* ``tranche`` — a rate per tranche of a base, e.g. per 25,000 USD (PEX-5);
* ``accrual`` — a rate on consumption, accrued per period into a wallet (OSR-11…16);
* ``points`` — points per unit of a metric (PEX-4, PEX-6).
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field, model_validator

from alliance.programs.schema.common import (
    DefinitionModel,
    Identifier,
    Loc,
    MoneySpec,
    PeriodKind,
    PositiveDecimal,
    Rate,
    RuleIds,
    raise_issues,
)
from alliance.programs.schema.criteria import AttributeName, Criterion, Eligibility


class IncentiveKind(StrEnum):
    """Every ``kind`` an incentive may have (the ``kind`` literals below use these values)."""

    PERCENTAGE = "percentage"
    COMMISSION = "commission"
    BACK_MARGIN = "back_margin"
    PER_ENGAGEMENT = "per_engagement"
    TRANCHE = "tranche"
    ACCRUAL = "accrual"
    POINTS = "points"


class PayoutMethod(StrEnum):
    MONEY = "money"
    PARTNER_CREDITS = "partner_credits"
    POINTS = "points"
    SUPPORT_REWARDS = "support_rewards"


class PayoutRequirement(StrEnum):
    """What a monetary payout needs first (RWD-4)."""

    INVOICE_ATTACHMENT = "invoice_attachment"
    SUPPLIER_ACCOUNT = "supplier_account"


class Payout(DefinitionModel):
    methods: tuple[PayoutMethod, ...] = Field(min_length=1)
    chosen_at_enrolment: bool = Field(default=False, description="The member picks one (RWD-3).")
    wallet: Identifier | None = Field(default=None, description="Where credits or points go.")
    money_requires: tuple[PayoutRequirement, ...] = ()
    rules: RuleIds = ()


class CapScope(StrEnum):
    DEAL = "deal"
    MEMBER_PER_PERIOD = "member_per_period"
    MEMBER_PER_YEAR = "member_per_year"


class Cap(DefinitionModel):
    amount: MoneySpec
    per: CapScope
    rules: RuleIds = ()


class RateRule(DefinitionModel):
    """``rate`` applies when every criterion in ``when`` holds; first match wins."""

    when: tuple[Criterion, ...] = ()
    rate: Rate
    note: str = ""
    rules: RuleIds = ()


class _Incentive(DefinitionModel):
    id: Identifier
    name: str
    description: str = ""
    member_types: tuple[Identifier, ...] = ()
    levels: tuple[Identifier, ...] = ()
    statuses: tuple[Identifier, ...] = ()
    modules: tuple[Identifier, ...] = ()
    eligibility: Eligibility = Eligibility()
    payout: Payout | None = None
    cap: Cap | None = Field(default=None, description="None: no cap.")
    rules: RuleIds = ()


def _rates_end_with_fallback(rates: tuple[RateRule, ...]) -> None:
    if rates and rates[-1].when:
        raise ValueError("expected the last rate rule to have no 'when' (the fallback rate)")


class RateIncentive(_Incentive):
    """A rate on a metric per period: percentage, commission or back-margin."""

    kind: Literal["percentage", "commission", "back_margin"]
    base: Identifier = Field(description="The metric the rate applies to.")
    rates: tuple[RateRule, ...] = Field(min_length=1)
    period: PeriodKind

    @model_validator(mode="after")
    def _fallback(self) -> RateIncentive:
        _rates_end_with_fallback(self.rates)
        return self


class Pool(DefinitionModel):
    """Deals matching ``criteria`` are pooled; once the pool reaches ``threshold`` they
    become eligible, paid only by ``payout_methods`` (RWD-1, RWD-3)."""

    id: Identifier
    name: str
    criteria: tuple[Criterion, ...] = Field(min_length=1)
    threshold: MoneySpec
    payout_methods: tuple[PayoutMethod, ...] = Field(min_length=1)
    provenance_tag: Identifier | None = None
    rules: RuleIds = ()


class EngagementIncentive(_Incentive):
    """A reward on an engagement's deal, by product family (RWD-1…RWD-5)."""

    kind: Literal["per_engagement"]
    engagement_category: Identifier
    deal_value: AttributeName = "deal_value"
    rates: tuple[RateRule, ...] = Field(min_length=1)
    pools: tuple[Pool, ...] = ()
    recheck_at_booking: bool = Field(default=True, description="RWD-2.")

    @model_validator(mode="after")
    def _fallback(self) -> EngagementIncentive:
        _rates_end_with_fallback(self.rates)
        return self


class Tranche(DefinitionModel):
    """The rate on the part of the base up to ``up_to`` (the last tranche is open)."""

    up_to: MoneySpec | None = None
    rate: Rate


class TrancheIncentive(_Incentive):
    """Each tranche of the base earns its own rate (PEX-5)."""

    kind: Literal["tranche"]
    base: Identifier
    tranche_size: MoneySpec
    tranches: tuple[Tranche, ...] = Field(min_length=1)
    period: PeriodKind

    @model_validator(mode="after")
    def _bounds_ascend(self) -> TrancheIncentive:
        issues: list[tuple[Loc, str]] = []
        previous = Decimal(0)
        size = self.tranche_size
        for i, tranche in enumerate(self.tranches):
            last = i == len(self.tranches) - 1
            bound = tranche.up_to
            loc: Loc = ("tranches", i, "up_to")
            if bound is None:
                if not last:
                    issues.append((loc, "expected a bound: only the last tranche is open"))
                continue
            if last:
                issues.append((loc, f"expected the last tranche to be open, got {bound}"))
            if bound.currency != size.currency:
                issues.append((loc, f"expected currency {size.currency}, got {bound}"))
            elif bound.amount <= previous:
                issues.append((loc, f"expected a bound above {previous}, got {bound.amount}"))
            elif size.amount and bound.amount % size.amount:
                issues.append((loc, f"expected a multiple of the tranche size {size}, got {bound}"))
            previous = bound.amount
        raise_issues(issues)
        return self


class OverageTreatment(StrEnum):
    """How consumption above the commitment earns (OSR-15)."""

    SAME_RATE_ON_OVERAGE_PRICE = "same_rate_on_overage_price"
    EXCLUDED = "excluded"


class AccrualIncentive(_Incentive):
    """A rate on eligible consumption, computed once per period (OSR-11…OSR-16)."""

    kind: Literal["accrual"]
    base: Identifier
    rates: tuple[RateRule, ...] = Field(min_length=1)
    period: PeriodKind
    computed_at_period_end: bool = True
    starts_when: str = Field(default="", description="E.g. the order's service period is active.")
    overage: OverageTreatment = OverageTreatment.SAME_RATE_ON_OVERAGE_PRICE
    rate_across_hierarchy: bool = Field(
        default=False, description="The best rate of any entity applies to all (OSR-11)."
    )

    @model_validator(mode="after")
    def _fallback(self) -> AccrualIncentive:
        _rates_end_with_fallback(self.rates)
        return self


class PointsAward(DefinitionModel):
    metric: Identifier
    points: PositiveDecimal
    per: PositiveDecimal = Decimal(1)
    rules: RuleIds = ()


class PointsIncentive(_Incentive):
    """Points per unit of a metric (PEX-4, PEX-6)."""

    kind: Literal["points"]
    awards: tuple[PointsAward, ...] = Field(min_length=1)
    period: PeriodKind = PeriodKind.MONTH


Incentive = Annotated[
    RateIncentive | EngagementIncentive | TrancheIncentive | AccrualIncentive | PointsIncentive,
    Field(discriminator="kind"),
]

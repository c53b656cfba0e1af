"""How a member pays a level's fee: plans, methods per country, and the invoice (OPN-5…7)."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field, model_validator

from alliance.programs.schema.common import (
    CountryCode,
    DefinitionModel,
    DefinitionRuleError,
    Identifier,
    Loc,
    RuleIds,
    raise_issues,
)


class PaymentMethod(StrEnum):
    CARD = "card"
    WIRE = "wire"
    PURCHASE_ORDER = "purchase_order"
    DIRECT_DEBIT = "direct_debit"


class PaymentPlanKind(StrEnum):
    """How often the annual fee is paid; the value says how many instalments a year."""

    ANNUAL = "annual"
    SEMI_ANNUAL = "semi_annual"
    QUARTERLY = "quarterly"
    MONTHLY = "monthly"

    @property
    def instalments(self) -> int:
        return {"annual": 1, "semi_annual": 2, "quarterly": 4, "monthly": 12}[self.value]


class PaymentTiming(StrEnum):
    """When payment is due relative to activation (OPN-6)."""

    BEFORE_ACTIVATION = "before_activation"  # benefits become available after payment
    FROM_ACTIVATION = "from_activation"  # equal instalments starting at activation


class PaymentPlan(DefinitionModel):
    """One way to pay: a plan, its instalments, when it is due, and the accepted methods."""

    plan: PaymentPlanKind
    methods: tuple[PaymentMethod, ...] = Field(min_length=1)
    instalments: int = Field(default=1, ge=1, description="Equal instalments per year.")
    timing: PaymentTiming = PaymentTiming.BEFORE_ACTIVATION
    rules: RuleIds = ()

    @model_validator(mode="after")
    def _consistent(self) -> PaymentPlan:
        issues: list[tuple[Loc, str]] = []
        if self.instalments != self.plan.instalments:
            issues.append(
                (
                    ("instalments",),
                    f"expected {self.plan.instalments} instalment(s) for a {self.plan} plan, "
                    f"got {self.instalments}",
                )
            )
        if len(set(self.methods)) != len(self.methods):
            issues.append((("methods",), "expected each payment method once, got a repeat"))
        raise_issues(issues)
        return self


def _plan_issues(field: Loc, plans: tuple[PaymentPlan, ...]) -> list[tuple[Loc, str]]:
    seen: set[PaymentPlanKind] = set()
    issues: list[tuple[Loc, str]] = []
    for index, plan in enumerate(plans):
        if plan.plan in seen:
            issues.append(((*field, index, "plan"), f"expected each plan once, got {plan.plan}"))
        seen.add(plan.plan)
    return issues


class PaymentOptions(DefinitionModel):
    """The plans offered for a level: a default set, overridden per country (OPN-5)."""

    default: tuple[PaymentPlan, ...] = Field(min_length=1)
    by_country: dict[CountryCode, tuple[PaymentPlan, ...]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _plans_unique(self) -> PaymentOptions:
        issues = _plan_issues(("default",), self.default)
        for country, plans in self.by_country.items():
            issues += _plan_issues(("by_country", country), plans)
        raise_issues(issues)
        return self

    def plans_for(self, country: str | None) -> tuple[PaymentPlan, ...]:
        """The plans offered in ``country`` (the default set when it has no override)."""
        return self.by_country.get(country or "", self.default)


class DayRange(DefinitionModel):
    """An inclusive range of days, e.g. 3–5 business days."""

    min: int = Field(ge=0)
    max: int = Field(ge=0)
    business_days: bool = True

    @model_validator(mode="after")
    def _ordered(self) -> DayRange:
        if self.max < self.min:
            raise DefinitionRuleError(
                [(("max",), f"expected max ≥ min ({self.min}), got {self.max}")]
            )
        return self


class InvoicePolicy(DefinitionModel):
    """The invoice issued after subscription (OPN-7)."""

    issued_within: DayRange
    recipient_role: Identifier = Field(description="The role that receives the invoice.")
    reference: str = Field(default="subscription_id", description="The id quoted on payment.")
    taxes_borne_by_member: bool = True
    rules: RuleIds = ()

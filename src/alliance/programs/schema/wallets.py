"""Wallets: what a member holds (money-like rewards, credits, points), how lots expire,
in which order they are spent, and which origins restrict their use.

The ledger (lots, holds, postings) lives elsewhere; this is its policy, as data.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from pydantic import Field, model_validator

from alliance.programs.schema.common import (
    CurrencyCode,
    DefinitionModel,
    Duration,
    Identifier,
    Loc,
    Rate,
    RuleIds,
    duplicate_ids,
    raise_issues,
)


class WalletUnit(StrEnum):
    CURRENCY = "currency"
    CREDITS = "credits"
    POINTS = "points"


class WalletOwner(StrEnum):
    PRINCIPAL = "principal"  # the head of the company hierarchy (CRD-1)
    MEMBER = "member"
    CUSTOMER = "customer"


class ExpiryKind(StrEnum):
    NEVER = "never"
    END_OF_MONTH_AFTER = "end_of_month_after"  # end of the month N months after accrual
    AFTER = "after"  # a duration after accrual
    END_OF_MEMBERSHIP_TERM = "end_of_membership_term"


class ExpiryPolicy(DefinitionModel):
    """When a lot expires (OSR-14: accrued end of Dec 2021 → expires end of Dec 2022)."""

    kind: ExpiryKind
    months: int | None = Field(default=None, ge=1)
    after: Duration | None = None
    extendable: bool = False
    reactivatable: bool = False
    rules: RuleIds = ()

    @model_validator(mode="after")
    def _operands_fit_kind(self) -> ExpiryPolicy:
        if self.kind is ExpiryKind.END_OF_MONTH_AFTER and self.months is None:
            raise ValueError("expected 'months' for end_of_month_after, got none")
        if self.kind is ExpiryKind.AFTER and self.after is None:
            raise ValueError("expected 'after' for an 'after' expiry, got none")
        return self


class RedemptionOrder(StrEnum):
    """Which lots a spend consumes first."""

    EARLIEST_EXPIRY_FIRST = "earliest_expiry_first"
    OLDEST_FIRST = "oldest_first"
    NEWEST_FIRST = "newest_first"


class AssociateRedemption(StrEnum):
    """How a principal lets its associates spend (CRD-2)."""

    PRINCIPAL_ORDERS_ONLY = "principal_orders_only"
    PREAPPROVED_WHOLE_BALANCE = "preapproved_whole_balance"
    PREAPPROVED_PERCENTAGE = "preapproved_percentage"
    PREAPPROVED_OWN_EARNINGS = "preapproved_own_earnings"
    APPROVAL_REQUIRED = "approval_required"


class RedemptionPolicy(DefinitionModel):
    order: RedemptionOrder
    uses: tuple[Identifier, ...] = Field(min_length=1, description="What it can pay for.")
    excluded: tuple[Identifier, ...] = Field(default=(), description="What it never pays for.")
    pre_tax_only: bool = False
    cash_out: bool = False
    holds: bool = Field(default=False, description="Reserved on request, spent on delivery.")
    requester_roles: tuple[Identifier, ...] = ()
    associate_policies: tuple[AssociateRedemption, ...] = ()
    default_associate_policy: AssociateRedemption | None = None
    default_preapproved_percentage: Rate | None = None
    across_hierarchy: bool = False
    delegates: tuple[Identifier, ...] = Field(
        default=(), description="Third parties a member may let redeem for it (OSR-10)."
    )
    multiple_sources_per_invoice: bool = True
    accruals_after_due_date_usable: bool = True
    rules: RuleIds = ()

    @model_validator(mode="after")
    def _default_is_offered(self) -> RedemptionPolicy:
        default = self.default_associate_policy
        if default is not None and default not in self.associate_policies:
            raise ValueError(f"expected a default among associate_policies, got {default}")
        return self


class ProvenanceTag(DefinitionModel):
    """An origin a lot remembers because some uses refuse it (CRD-6)."""

    id: Identifier
    name: str
    description: str = ""
    refused_by: tuple[Identifier, ...] = Field(
        default=(), description="Uses or catalogue flags that refuse lots with this tag."
    )
    rules: RuleIds = ()


class Allocation(DefinitionModel):
    """Units granted automatically at a level (CRD-1)."""

    level: Identifier
    amount: Decimal = Field(ge=0)


class Wallet(DefinitionModel):
    id: Identifier
    name: str
    description: str = ""
    unit: WalletUnit
    currency: CurrencyCode | None = None
    owner: WalletOwner
    allocations: tuple[Allocation, ...] = ()
    expiry: ExpiryPolicy
    redemption: RedemptionPolicy
    provenance_tags: tuple[ProvenanceTag, ...] = ()
    rules: RuleIds = ()

    @model_validator(mode="after")
    def _unit_and_currency(self) -> Wallet:
        issues: list[tuple[Loc, str]] = []
        if self.unit is WalletUnit.CURRENCY and self.currency is None:
            issues.append((("currency",), "expected a currency for a currency wallet, got none"))
        if self.unit is not WalletUnit.CURRENCY and self.currency is not None:
            issues.append((("currency",), f"expected no currency for a {self.unit} wallet"))
        issues += duplicate_ids("provenance_tags", (t.id for t in self.provenance_tags))
        levels = [a.level for a in self.allocations]
        for i, level in enumerate(levels):
            if level in levels[:i]:
                issues.append((("allocations", i, "level"), f"expected once, got {level!r}"))
        raise_issues(issues)
        return self

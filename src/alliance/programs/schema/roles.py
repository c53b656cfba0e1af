"""Partner roles and what each may do (OPN-18, CCE-2, CRD-3)."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field, model_validator

from alliance.programs.schema.common import DefinitionModel, Identifier, RuleIds


class Permission(StrEnum):
    """What a partner role allows; vendor-side roles live in ``alliance.domain.access``."""

    MANAGE_MEMBERSHIP = "manage_membership"
    APPROVE_ASSOCIATES = "approve_associates"
    ASSIGN_ROLES = "assign_roles"
    RECEIVE_PROGRAM_NOTICES = "receive_program_notices"
    ORDER_WITH_CREDITS = "order_with_credits"
    VIEW_CREDIT_STATEMENT = "view_credit_statement"
    MANAGE_ENGAGEMENT_USERS = "manage_engagement_users"
    USE_ENGAGEMENTS = "use_engagements"
    MAKE_BUSINESS_DECISIONS = "make_business_decisions"
    MANAGE_AGREEMENTS = "manage_agreements"
    MANAGE_TECHNICAL_READINESS = "manage_technical_readiness"
    PUBLISH_MARKETPLACE_LISTINGS = "publish_marketplace_listings"
    RECEIVE_INVOICES = "receive_invoices"
    USE_MARKETING_RESOURCES = "use_marketing_resources"
    USE_SALES_RESOURCES = "use_sales_resources"


class Role(DefinitionModel):
    """A role people hold in a member company."""

    id: Identifier
    name: str
    description: str = ""
    permissions: tuple[Permission, ...] = ()
    named_at_enrolment: bool = False
    min_holders: int = Field(default=0, ge=0)
    max_holders: int | None = Field(default=None, ge=1)
    validated_by: Identifier | None = Field(
        default=None, description="A role whose holder must validate this one (CCE-2)."
    )
    rules: RuleIds = ()

    @model_validator(mode="after")
    def _holders_ordered(self) -> Role:
        if self.max_holders is not None and self.max_holders < self.min_holders:
            raise ValueError(
                f"expected max_holders ≥ min_holders ({self.min_holders}), got {self.max_holders}"
            )
        return self

"""Benefits a member receives and duties it must fulfil, at a level or a status.

Both are data with a kind from a closed vocabulary; what a benefit *does* (allocate
credits, open a tool, unlock promotions) is decided by the domain from its kind.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field, model_validator

from alliance.programs.schema.common import DefinitionModel, Identifier, MoneySpec, RuleIds


class BenefitKind(StrEnum):
    """What kind of advantage a benefit is."""

    CREDIT_ALLOCATION = "credit_allocation"
    TOOL_ACCESS = "tool_access"
    CONTENT = "content"  # packs, guides, presentations, wiki
    TRAINING = "training"
    MARKETING = "marketing"
    SALES_SUPPORT = "sales_support"
    TECHNICAL_SUPPORT = "technical_support"
    ACCOMPANIMENT = "accompaniment"
    RECOGNITION = "recognition"  # diplomas, trophies, badges
    EVENT = "event"
    LEADS = "leads"
    DIRECTORY_LISTING = "directory_listing"
    PROMOTIONS_ACCESS = "promotions_access"
    PREFERENTIAL_OFFERS = "preferential_offers"
    MARGIN_PROGRAM = "margin_program"
    REPORTING = "reporting"
    OTHER = "other"


class Benefit(DefinitionModel):
    """One advantage, optionally limited to some member types and valued or counted."""

    id: Identifier
    name: str
    kind: BenefitKind
    description: str = ""
    items: tuple[str, ...] = Field(default=(), description="Contents, e.g. a pack's items.")
    member_types: tuple[Identifier, ...] = Field(
        default=(), description="Member types it is for; empty means every type."
    )
    value: MoneySpec | None = None
    quantity: int | None = Field(default=None, ge=1)
    incentive: Identifier | None = Field(
        default=None, description="The incentive plan this benefit opens, if any."
    )
    rules: RuleIds = ()


class DutyKind(StrEnum):
    """What kind of obligation a duty is."""

    DOCUMENT = "document"
    TRAINING = "training"
    SALES = "sales"
    COMMUNICATION = "communication"


class TrainingFormat(StrEnum):
    WEBINAR = "webinar"
    ONLINE = "online"
    IN_PERSON = "in_person"


class Duty(DefinitionModel):
    """One obligation, tracked per member with its compliance (OIP-5)."""

    id: Identifier
    name: str
    kind: DutyKind
    description: str = ""
    member_types: tuple[Identifier, ...] = Field(
        default=(), description="Member types it binds; empty means every type."
    )
    format: TrainingFormat | None = None
    count: int | None = Field(default=None, ge=1)
    per_product_line: bool = Field(
        default=False, description="Due once for each product line the member sells."
    )
    product_lines: tuple[str, ...] = ()
    profiles: tuple[str, ...] = Field(
        default=(), description="People profiles it applies to (admin, sales, technical)."
    )
    only_if: Identifier | None = Field(
        default=None, description="A member flag that must be set for the duty to apply."
    )
    rules: RuleIds = ()

    @model_validator(mode="after")
    def _format_only_for_training(self) -> Duty:
        if self.format is not None and self.kind is not DutyKind.TRAINING:
            raise ValueError(f"expected no 'format' for a {self.kind} duty, got {self.format}")
        if self.per_product_line and not self.product_lines:
            raise ValueError("expected 'product_lines' when per_product_line is true, got none")
        return self

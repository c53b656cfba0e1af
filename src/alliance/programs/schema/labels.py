"""Labels beyond designations: specializations, expert programs, legacy badges (MCPP-3, MCPP-4)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum

from pydantic import Field, model_validator

from alliance.programs.schema.common import DefinitionModel, Duration, Identifier, RuleIds


class LabelKind(StrEnum):
    SPECIALIZATION = "specialization"
    EXPERT_PROGRAM = "expert_program"
    LEGACY_BADGE = "legacy_badge"


class RequirementKind(StrEnum):
    """What a label asks for, beyond what the scorecard measures."""

    DESIGNATION = "designation"  # holds the area's designation
    METRIC_AT_LEAST = "metric_at_least"
    AUDIT = "audit"  # passes a third-party audit
    ATTESTATION = "attestation"  # the vendor accepts a declaration or evidence


class Requirement(DefinitionModel):
    kind: RequirementKind
    area: Identifier | None = None
    metric: Identifier | None = None
    at_least: Decimal | None = None
    description: str = ""

    @model_validator(mode="after")
    def _operands(self) -> Requirement:
        if self.kind is RequirementKind.DESIGNATION and self.area is None:
            raise ValueError("expected an 'area' for a designation requirement, got none")
        if self.kind is RequirementKind.METRIC_AT_LEAST and (
            self.metric is None or self.at_least is None
        ):
            raise ValueError("expected 'metric' and 'at_least' for metric_at_least")
        return self


class Label(DefinitionModel):
    """A label a member can hold; legacy badges are no longer granted but still shown."""

    id: Identifier
    name: str
    kind: LabelKind
    area: Identifier | None = None
    description: str = ""
    requirements: tuple[Requirement, ...] = ()
    renewable_until: date | None = Field(
        default=None, description="Last date a holder could renew it (MCPP-4)."
    )
    display_for: Duration | None = Field(
        default=None, description="How long holders may still display it after renewing."
    )
    example: bool = Field(default=False, description="Shipped as an illustration only.")
    rules: RuleIds = ()

    @model_validator(mode="after")
    def _legacy_has_cut_off(self) -> Label:
        if self.kind is LabelKind.LEGACY_BADGE and self.renewable_until is None:
            raise ValueError("expected 'renewable_until' for a legacy badge, got none")
        return self

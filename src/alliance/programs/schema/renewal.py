"""Membership term, renewal window and what happens after expiry (OPN-14, OPN-15)."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from alliance.programs.schema.common import DefinitionModel, Duration, RuleIds


class LapseAction(StrEnum):
    """What a lapsed member must do to come back."""

    RENEW = "renew"
    RE_ENROL = "re_enrol"


class RenewalActivation(StrEnum):
    """When a paid renewal takes effect."""

    PREVIOUS_END_DATE = "previous_end_date"
    PAYMENT_DATE = "payment_date"


class RenewalPolicy(DefinitionModel):
    """How long a membership lasts and how it is renewed or lost."""

    term: Duration
    window_days: int = Field(ge=0, description="The window opens this many days before the end.")
    activates_on: RenewalActivation = RenewalActivation.PREVIOUS_END_DATE
    late_renewal_within: Duration | None = Field(
        default=None, description="After expiry, renewal stays possible for this long."
    )
    after_late_period: LapseAction = LapseAction.RE_ENROL
    declined_renewal: LapseAction = Field(
        default=LapseAction.RE_ENROL, description="A renewal requested but never paid."
    )
    benefits_while_expired: bool = False
    rules: RuleIds = ()

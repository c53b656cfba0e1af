"""Cloud subscriptions: the committed-credit orders that rewards are earned on (OSR-2…OSR-10).

A :class:`Subscription` is one order's subscription as the rules need it: its kind of
order, its service period, where and for which sector it is sold, who bought it (the
rewards belong to the buyer, OSR-9), and two rights — the licence-to-PaaS conversion
right that excludes it (OSR-6) and the customer's authorisation of its support-renewal
partner to redeem on its behalf (OSR-10).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import NewType

from alliance.domain.calendar import DateRange, Month
from alliance.domain.errors import InvalidInput
from alliance.domain.ids import OrganizationId
from alliance.domain.rewards.validation import country_code, enum_member

SubscriptionId = NewType("SubscriptionId", str)


class OrderType(StrEnum):
    """What kind of order a subscription comes from (OSR-2)."""

    COMMITTED_CREDITS = "committed_credits"  # universal credits: the only eligible kind
    PAY_AS_YOU_GO = "pay_as_you_go"
    TRIAL = "trial"
    FREE_TIER = "free_tier"
    PROMOTION = "promotion"


class Sector(StrEnum):
    """Who the order is sold to; the US federal public sector is excluded (OSR-3)."""

    COMMERCIAL = "commercial"
    PUBLIC = "public"
    US_FEDERAL_PUBLIC = "us_federal_public_sector"


@dataclass(frozen=True)
class Subscription:
    """One cloud subscription and the facts of its order that the OSR rules read.

    * ``customer_id`` — the customer whose tenancy consumes; ``buyer_id`` — the buyer
      named on the order, who owns the rewards (OSR-9), also when ``reseller_id`` sold it.
    * ``service_period`` — the order's service period; nothing accrues outside it (OSR-13).
    * ``enrolled`` — the order carries the reward terms (OSR-4); ``opted_out_on`` — the
      day the customer opted out: the month of the opt-out still earns, later months do
      not (OSR-4).
    * ``has_paas_conversion_right`` — the licence-to-PaaS conversion right; the two
      programs are mutually exclusive (OSR-6).
    * ``support_renewal_partner_id`` and ``support_renewal_partner_authorised`` — the
      partner that renews the customer's support and whether the customer lets it redeem
      the rewards on its behalf (OSR-10).
    """

    id: SubscriptionId
    customer_id: OrganizationId
    buyer_id: OrganizationId
    order_type: OrderType
    service_period: DateRange
    country: str
    sector: Sector = Sector.COMMERCIAL
    enrolled: bool = True
    opted_out_on: date | None = None
    reseller_id: OrganizationId | None = None
    has_paas_conversion_right: bool = False
    support_renewal_partner_id: OrganizationId | None = None
    support_renewal_partner_authorised: bool = False

    def __post_init__(self) -> None:
        if not self.id.strip():
            raise InvalidInput("a subscription needs an id", field="id", rule="X-7")
        object.__setattr__(
            self, "order_type", enum_member(OrderType, self.order_type, "order_type")
        )
        object.__setattr__(self, "sector", enum_member(Sector, self.sector, "sector"))
        country_code(self.country)
        if self.support_renewal_partner_authorised and self.support_renewal_partner_id is None:
            raise InvalidInput(
                "a support-renewal partner is authorised to redeem, but none is named",
                field="support_renewal_partner_id",
                rule="OSR-10",
            )

    def is_active_in(self, month: Month) -> bool:
        """OSR-13: the service period is active on at least one day of ``month``."""
        start, end, key = self.service_period.start, self.service_period.end, _key(month)
        return (start.year, start.month) <= key <= (end.year, end.month)

    def is_opted_out_in(self, month: Month) -> bool:
        """OSR-4: ``month`` starts after the month the customer opted out in."""
        out = self.opted_out_on
        return out is not None and (out.year, out.month) < _key(month)

    def lets_partner_redeem(self, partner_id: OrganizationId) -> bool:
        """OSR-10: the buyer authorised ``partner_id``, its support-renewal partner."""
        return (
            self.support_renewal_partner_authorised
            and self.support_renewal_partner_id == partner_id
        )


def _key(month: Month) -> tuple[int, int]:
    return (month.year, month.month)

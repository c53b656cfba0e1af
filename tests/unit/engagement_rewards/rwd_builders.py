"""Builders for reward tests: deals with real numbers."""

from __future__ import annotations

from alliance.domain.engagement_rewards import (
    Deal,
    DealLine,
    OrderKind,
    PoolThresholds,
    RewardOffers,
    Sector,
    public_sector_pool,
)
from alliance.domain.engagement_rewards.offers import DEFAULT_OFFERS
from alliance.domain.money import usd

PARTNER = "org_partner"

OFFERS_IN_FRANCE = RewardOffers(
    commercial=DEFAULT_OFFERS.commercial,
    public_pool=public_sector_pool(countries=("FR", "DE")),
)
"""The built-in offers with public-sector countries configured (none ship by default)."""


def oci(amount: str) -> DealLine:
    return DealLine("oci-compute", "oci", usd(amount))


def saas(amount: str) -> DealLine:
    return DealLine("fusion-erp", "saas", usd(amount))


def hardware(amount: str) -> DealLine:
    return DealLine("exadata", "hardware", usd(amount))


def deal(
    *lines: DealLine,
    engagement_id: str = "eng_1",
    sector: Sector = Sector.COMMERCIAL,
    country: str = "FR",
    kind: OrderKind = OrderKind.NEW_SALE,
    version: int = 1,
    partner: str = PARTNER,
) -> Deal:
    return Deal(
        engagement_id=engagement_id,
        partner_id=partner,
        sector=sector,
        country=country,
        order_kind=kind,
        lines=lines or (oci("100000"),),
        version=version,
    )


def public(*lines: DealLine, engagement_id: str = "eng_p1", **kw: object) -> Deal:
    return deal(*lines, engagement_id=engagement_id, sector=Sector.PUBLIC, **kw)  # type: ignore[arg-type]


def thresholds(count: int | None = None, total: str | None = None) -> PoolThresholds:
    return PoolThresholds(count, usd(total) if total is not None else None)

"""Builders for the earned-tier rule tests: the built-in definitions as terms, and facts
made from short counts (issue 5)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from functools import cache

from alliance.domain.calendar import Month
from alliance.domain.facts import Certification, CustomerAssociation, Deployment, UsageRecord
from alliance.domain.modular_tiers import ModularTierTerms
from alliance.domain.promotions import PromotionsTerms
from alliance.domain.scoring import PartnerFacts, ScorecardTerms
from alliance.domain.statuses import EarnedStatusTerms
from alliance.programs.registry import ProgramRegistry
from alliance.programs.schema import ProgramDefinition

PARTNER = "org_acme"


@cache
def builtin(code: str) -> ProgramDefinition:
    return ProgramRegistry.load(None).get(code)


@cache
def mcpp_terms() -> ScorecardTerms:
    from alliance.services.scorecard_terms import terms_from_program

    return terms_from_program(builtin("mcpp"))


def certs(
    certification: str, people: int, on: date, retired_on: date | None = None, first: int = 0
) -> list[Certification]:
    """``people`` people each holding ``certification`` from ``on``."""
    return [
        Certification(PARTNER, f"per_{first + i}", certification, on, retired_on)
        for i in range(people)
    ]


def customers(area: str, count: int, on: date, lost: int = 0) -> list[CustomerAssociation]:
    """``count`` customers gained in ``area`` on ``on``; the first ``lost`` end the next day."""
    return [
        CustomerAssociation(
            PARTNER, f"cus_{area}_{i}", area, on, on + timedelta(days=1) if i < lost else None
        )
        for i in range(count)
    ]


def deployments(area: str, count: int, on: date, services: int | None = None) -> list[Deployment]:
    """``count`` deployments in ``area`` on ``on`` spread over ``services`` services."""
    spread = services or count
    return [
        Deployment(PARTNER, f"dep_{area}_{i}", area, on, service_id=f"svc_{i % spread}")
        for i in range(count)
    ]


def growth(
    area: str,
    last: Month,
    before_amount: Decimal,
    last_amount: Decimal,
    users: tuple[int, int] = (0, 0),
) -> list[UsageRecord]:
    """Usage in ``last`` and in the same month a year earlier."""
    return [
        UsageRecord(PARTNER, area, last.shift(-12), before_amount, users[0]),
        UsageRecord(PARTNER, area, last, last_amount, users[1]),
    ]


def steady_growth(area: str, first: Month, months: int, percent: int) -> list[UsageRecord]:
    """Usage every month from ``first`` growing ``percent`` % a year (100 in year one)."""
    records = []
    for i in range(months):
        month = first.shift(i)
        amount = Decimal(100) * (Decimal(100 + percent) / 100) ** (i // 12)
        records.append(UsageRecord(PARTNER, area, month, amount))
    return records


def facts(*groups: Iterable[object], segment: str | None = None) -> PartnerFacts:
    """Sort facts into a :class:`PartnerFacts` of :data:`PARTNER`."""
    items = [item for group in groups for item in group]
    return PartnerFacts(
        PARTNER,
        certifications=tuple(i for i in items if isinstance(i, Certification)),
        customers=tuple(i for i in items if isinstance(i, CustomerAssociation)),
        deployments=tuple(i for i in items if isinstance(i, Deployment)),
        usage=tuple(i for i in items if isinstance(i, UsageRecord)),
        attributes={"customer_segment": segment} if segment else {},
    )


@cache
def pex_terms() -> ModularTierTerms:
    from alliance.services.modular_tier_terms import terms_from_program

    return terms_from_program(builtin("pex"))


@cache
def oip_terms() -> EarnedStatusTerms:
    from alliance.services.status_terms import statuses_from_program

    return statuses_from_program(builtin("oip"))


@cache
def oip_promotions() -> PromotionsTerms:
    from alliance.services.status_terms import promotions_from_program

    terms = promotions_from_program(builtin("oip"))
    assert terms is not None
    return terms

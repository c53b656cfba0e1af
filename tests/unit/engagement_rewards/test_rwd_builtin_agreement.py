"""The domain's reward defaults are the built-in OPN definition's (opn.yaml)."""

from __future__ import annotations

from alliance.domain.engagement_rewards import (
    DEFAULT_OFFERS,
    DEFAULT_PAYOUT_RULES,
    Attribute,
    PayoutMethod,
)
from alliance.programs.registry import builtin_programs
from alliance.programs.schema.incentives import EngagementIncentive


def cloud_rewards() -> EngagementIncentive:
    opn = next(p.definition for p in builtin_programs() if p.code == "opn")
    return next(i for i in opn.incentives if isinstance(i, EngagementIncentive))


def test_rates_and_cap_are_the_definitions() -> None:
    incentive = cloud_rewards()
    rates = {r.when[0].values[0]: r.rate for r in incentive.rates if r.when}
    fallback = next(r.rate for r in incentive.rates if not r.when)

    assert dict(DEFAULT_PAYOUT_RULES.rates) == rates
    assert DEFAULT_PAYOUT_RULES.default_rate == fallback
    assert incentive.cap is not None and DEFAULT_PAYOUT_RULES.cap is not None
    assert DEFAULT_PAYOUT_RULES.cap.amount == incentive.cap.amount.amount


def test_the_commercial_criteria_and_the_pool_are_the_definitions() -> None:
    incentive = cloud_rewards()
    (include,) = incentive.eligibility.include
    (commercial,) = DEFAULT_OFFERS.commercial
    assert (commercial.attribute.value, set(commercial.values)) == (
        include.attribute,
        set(include.values),
    )

    (pool,) = incentive.pools
    ours = DEFAULT_OFFERS.public_pool
    theirs = {c.attribute: set(c.values) for c in pool.criteria if c.attribute != "sector"}
    assert {c.attribute.value: set(c.values) for c in ours.criteria} == theirs
    assert ours.criteria[0].attribute is Attribute.COUNTRY and not ours.criteria[0].values
    assert ours.thresholds.min_total is not None
    assert ours.thresholds.min_total.amount == pool.threshold.amount
    assert {m.value for m in ours.payout_methods} == {m.value for m in pool.payout_methods}
    assert ours.tag == pool.provenance_tag
    assert {m.value for m in PayoutMethod} == {m.value for m in incentive.payout.methods}  # type: ignore[union-attr]

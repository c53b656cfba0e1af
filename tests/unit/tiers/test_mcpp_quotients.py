"""A quotient that does not end is rounded once, half-up, to 10 decimals — not to the
ambient decimal context's 28 significant digits (MCPP-9, X-1)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, localcontext

from tiers_fixtures import facts, growth, mcpp_terms

from alliance.domain.calendar import Month
from alliance.domain.scoring import ScoreRuleTerms, score_area
from alliance.domain.scoring.quotients import quotient


def test_a_quotient_that_ends_is_exact_and_one_that_does_not_has_ten_decimals() -> None:
    assert quotient(Decimal("6.42"), Decimal(1)) == Decimal("6.42")
    assert str(quotient(Decimal(1), Decimal(1250))) == "0.0008"
    assert quotient(Decimal(100), Decimal(3)) == Decimal("33.3333333333")
    assert quotient(Decimal(200), Decimal(3)) == Decimal("66.6666666667")  # half-up
    assert quotient(Decimal(-200), Decimal(3)) == Decimal("-66.6666666667")  # away from 0
    assert quotient(Decimal("0.00000000005"), Decimal(1)) == Decimal("1E-10")  # tie: up


def test_security_smb_usage_points_do_not_depend_on_the_decimal_context() -> None:
    """MCPP-10: 1 point per 750 USD of growth: 100 USD gives 0.1333333333 points."""
    rule = ScoreRuleTerms("security_usage_growth", Decimal(1), Decimal(20), Decimal(750))
    with localcontext() as context:
        context.prec = 6
        assert rule.points_for(Decimal(100)) == Decimal("0.1333333333")
    assert rule.points_for(Decimal(100)) == Decimal("0.1333333333")


def test_growth_in_percent_is_rounded_to_ten_decimals() -> None:
    """MCPP-10: 300 → 400 USD is 33.3333333333 % and as many points (max 20 → 20)."""
    partner = facts(growth("data_ai", Month(2026, 5), Decimal(300), Decimal(310)))
    score = score_area(mcpp_terms().area("data_ai"), mcpp_terms(), partner, date(2026, 6, 17))
    usage = next(m for m in score.metrics if m.metric == "data_ai_usage_growth")
    assert usage.units == Decimal("3.3333333333")
    assert usage.points == Decimal("3.3333333333")

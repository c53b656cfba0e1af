"""Capability scores per area on one day (MCPP-2, MCPP-8, MCPP-9, MCPP-10), with the
built-in definition's public reference values."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from tiers_fixtures import certs, customers, deployments, facts, growth, mcpp_terms

from alliance.domain.calendar import Month
from alliance.domain.scoring import score_area

DAY = date(2026, 6, 17)
LAST = Month(2026, 5)  # growth compares the last full month with a year earlier


def infrastructure_at_70() -> list[Sequence[object]]:
    return [
        customers("infrastructure", 2, date(2026, 3, 1)),  # 2 × 10 = 20
        certs("az_104", 3, date(2025, 1, 10)),  # 3 × 4 = 12
        certs("az_305", 2, date(2025, 1, 10)),  # 2 × 4 = 8
        growth("infrastructure", LAST, Decimal(100), Decimal(120)),  # 20 % × 1 = 20
        deployments("infrastructure", 5, date(2026, 2, 1)),  # 5 × 2 = 10
    ]


def test_exactly_70_with_every_metric_above_zero_qualifies() -> None:
    """MCPP-2, MCPP-8: a score of at least 70 — exactly 70 is enough."""
    terms = mcpp_terms()
    score = score_area(terms.area("infrastructure"), terms, facts(*infrastructure_at_70()), DAY)
    assert [m.points for m in score.metrics] == [20, 12, 8, 20, 10]
    assert score.total == Decimal(70)
    assert score.qualifies
    assert score.explanation.gap is None
    assert "meets 70" in score.explanation.summary


def test_85_with_a_zero_metric_does_not_qualify() -> None:
    """MCPP-8: every metric of the area must be above 0, whatever the total."""
    terms = mcpp_terms()
    data_ai = facts(
        customers("data_ai", 3, date(2026, 1, 5)),  # 30
        certs("ai_102", 10, date(2025, 3, 1)),  # 10 × 4 = 40
        growth("data_ai", LAST, Decimal(200), Decimal(230)),  # 15 %
    )
    score = score_area(terms.area("data_ai"), terms, data_ai, DAY)
    assert score.total == Decimal(85)
    assert not score.qualifies
    assert score.zero_metrics == ("data_ai_deployments",)
    reasons = [str(r) for r in score.explanation.reasons]
    assert any("every metric must be above 0" in r and "[MCPP-8]" in r for r in reasons)
    # the cheapest way out: one deployment (2 points per service).
    assert [s.message for s in score.explanation.steps] == ["1 more deployments: +2 points"]


def test_a_metric_below_its_maximum_earns_linear_points_and_stops_at_the_cap() -> None:
    """MCPP-9: min(max, units × value) — 7 × 2.14 = 14.98 (partial), 8 × 2.14 capped at 15."""
    terms = mcpp_terms()
    area = terms.area("business_applications")
    enterprise = area.track("enterprise").rules[2]
    assert enterprise.points_for(Decimal(7)) == Decimal("14.98")
    assert enterprise.points_for(Decimal(8)) == Decimal(15)
    security = terms.area("security").track("enterprise").rules[1]
    assert security.points_for(Decimal(5)) == Decimal("33.35")
    assert security.points_for(Decimal(6)) == Decimal(40)  # 40.02 capped at 40
    modern_work = terms.area("modern_work").track("enterprise").rules[3]
    assert modern_work.points_for(Decimal(450)) == Decimal("13.5")  # 450 users / 1,000 × 30


def test_cap_is_stated_in_the_explanation() -> None:
    terms = mcpp_terms()
    many = facts(*infrastructure_at_70(), customers("infrastructure", 7, date(2026, 4, 1)))
    score = score_area(terms.area("infrastructure"), terms, many, DAY)
    customers_score = score.metrics[0]
    assert customers_score.units == 9
    assert customers_score.points == 30
    assert customers_score.capped
    assert "capped at 30" in str(customers_score.reason())
    assert score.total == Decimal(80)


def test_best_of_keeps_the_better_track_total() -> None:
    """MCPP-9: Business Applications scores Enterprise and SMB and keeps the better."""
    terms = mcpp_terms()
    partner = facts(
        customers("business_applications", 5, date(2026, 1, 5)),  # 15 on both
        certs("pl_200", 5, date(2025, 6, 1)),  # Enterprise 5, SMB 20
        certs("pl_600", 2, date(2025, 6, 1)),  # Enterprise 4.28, SMB 15
        growth("business_applications", LAST, Decimal(100), Decimal(110)),  # 10 on both
        deployments("business_applications", 3, date(2026, 3, 3)),  # 12 on both
    )
    score = score_area(terms.area("business_applications"), terms, partner, DAY)
    assert score.track == "smb"
    assert score.total == Decimal(72)
    assert score.other_tracks == (("enterprise", Decimal("46.28")),)
    assert score.qualifies
    assert any("smb kept (enterprise 46.28)" in r.message for r in score.explanation.reasons)


def test_classification_scores_only_the_partners_track() -> None:
    """MCPP-9: Security classifies the partner by its customer segment."""
    terms = mcpp_terms()
    groups: list[Sequence[object]] = [
        customers("security", 3, date(2026, 2, 2)),  # Enterprise 6, SMB 12
        certs("sc_200", 4, date(2025, 2, 2)),  # Enterprise 26.68, SMB 32
        growth("security", LAST, Decimal(10_000), Decimal(17_500)),  # 7,500 USD: 6 / 10
        deployments("security", 2, date(2026, 5, 5)),  # 6.6 on both
    ]
    area = terms.area("security")
    enterprise = score_area(area, terms, facts(*groups), DAY)
    smb = score_area(area, terms, facts(*groups, segment="smb"), DAY)
    assert (enterprise.track, enterprise.total) == ("enterprise", Decimal("45.28"))
    assert (smb.track, smb.total) == ("smb", Decimal("60.6"))
    assert enterprise.other_tracks == smb.other_tracks == ()


def test_net_customer_adds_subtract_lost_customers_over_the_trailing_12_months() -> None:
    """MCPP-10: net adds over a trailing 12 months; older adds no longer count."""
    terms = mcpp_terms()
    partner = facts(
        customers("infrastructure", 4, date(2026, 3, 1), lost=1),
        customers("infrastructure", 5, date(2025, 6, 30)),  # the month before the window
    )
    score = score_area(terms.area("infrastructure"), terms, partner, DAY)
    assert score.metrics[0].units == 3
    assert "4 added, 1 lost from 2025-07-01 to 2026-06-17" in score.metrics[0].value.note


def test_retired_certifications_and_duplicate_people_do_not_count() -> None:
    """MCPP-10: distinct people; retired certifications (catalogue or person) stop counting."""
    terms = mcpp_terms()
    partner = facts(
        certs("ai_102", 2, date(2025, 1, 1)),
        certs("dp_100", 2, date(2025, 1, 1)),  # the same two people: still 2
        certs("dp_203", 3, date(2024, 1, 1), first=10),  # catalogue retires 2025-03-31
        certs("dp_600", 1, date(2024, 1, 1), retired_on=date(2026, 6, 17), first=20),
    )
    score = score_area(terms.area("data_ai"), terms, partner, DAY)
    assert score.metrics[1].units == 2
    earlier = score_area(terms.area("data_ai"), terms, partner, date(2025, 3, 30))
    assert earlier.metrics[1].units == 6


def test_growth_without_a_year_earlier_counts_zero_and_says_why() -> None:
    terms = mcpp_terms()
    partner = facts(growth("data_ai", LAST, Decimal(0), Decimal(500)))
    score = score_area(terms.area("data_ai"), terms, partner, DAY)
    assert score.metrics[2].units == 0
    assert "not measurable" in score.metrics[2].value.note


def test_gap_and_cheapest_steps_to_the_threshold() -> None:
    """X-3: 62 points → 8 to go; one more customer (+10) is the cheapest step."""
    terms = mcpp_terms()
    groups = infrastructure_at_70()
    groups[1] = certs("az_104", 1, date(2025, 1, 10))  # 4 instead of 12
    score = score_area(terms.area("infrastructure"), terms, facts(*groups), DAY)
    assert score.total == Decimal(62)
    assert score.explanation.gap == Decimal(8)
    assert [s.message for s in score.explanation.steps] == ["1 more net customer adds: +10 points"]


def test_steps_lift_a_zero_metric_first() -> None:
    """MCPP-8: 74 points but no advanced certification — the step is 1 more of them."""
    terms = mcpp_terms()
    partner = facts(
        customers("infrastructure", 3, date(2026, 3, 1)),  # 30
        certs("az_104", 5, date(2025, 1, 10)),  # 20
        growth("infrastructure", LAST, Decimal(100), Decimal(120)),  # 20
        deployments("infrastructure", 2, date(2026, 2, 1)),  # 4
    )
    score = score_area(terms.area("infrastructure"), terms, partner, DAY)
    assert (score.total, score.qualifies) == (Decimal(74), False)
    steps = score.explanation.steps
    assert [s.message for s in steps] == ["1 more advanced certifications: +4 points"]
    assert steps[0].rule == "MCPP-8"


def test_two_more_advanced_certifications_close_a_15_point_gap() -> None:
    """X-3's example: "2 more advanced certifications: +15 points" (Modern Work, 7.5 each)."""
    terms = mcpp_terms()
    partner = facts(
        customers("modern_work", 5, date(2026, 3, 1)),  # Enterprise 20, SMB 10
        certs("md_102", 4, date(2025, 1, 10)),  # 10 on both
        certs("ms_102", 0, date(2025, 1, 10)),
        growth("modern_work", LAST, Decimal(0), Decimal(0), users=(1000, 1800)),  # 24 / 30
        deployments("modern_work", 1, date(2026, 2, 1)),  # 5 on both
    )
    score = score_area(terms.area("modern_work"), terms, partner, DAY)
    assert (score.track, score.total) == ("enterprise", Decimal(59))
    assert score.explanation.gap == Decimal(11)
    assert score.explanation.steps[0].message == "2 more advanced certifications: +15 points"


def test_best_of_prefers_a_qualifying_track_over_a_higher_total() -> None:
    """MCPP-9 with MCPP-8: when only one track qualifies, that one is kept."""
    from dataclasses import replace

    from alliance.domain.scoring import ScoreRuleTerms, TrackTerms

    terms = mcpp_terms()
    area = terms.area("business_applications")
    enterprise = area.track("enterprise")
    # an SMB track that does not score deployments: its 20 points go to customers.
    smb = TrackTerms(
        "smb",
        "SMB",
        (
            ScoreRuleTerms("business_apps_net_customer_adds", Decimal(7), Decimal(35)),
            *area.track("smb").rules[1:4],
        ),
    )
    custom = replace(area, tracks=(enterprise, smb))
    partner = facts(
        customers("business_applications", 5, date(2026, 1, 5)),  # Enterprise 15, SMB 35
        certs("pl_200", 20, date(2025, 6, 1)),  # 20 on both
        certs("pl_600", 7, date(2025, 6, 1), first=50),  # Enterprise 14.98, SMB 15
        growth("business_applications", LAST, Decimal(100), Decimal(130)),  # 30 on both
    )
    score = score_area(custom, terms, partner, DAY)
    assert (score.track, score.total, score.qualifies) == ("smb", Decimal(100), True)
    # Enterprise would have had 79.98 but a zero deployments metric.
    assert score.other_tracks == (("enterprise", Decimal("79.98")),)

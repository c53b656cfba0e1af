"""Properties of the capability score on random facts (MCPP-8, MCPP-9, X-3)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from tiers_fixtures import certs, customers, deployments, facts, growth, mcpp_terms

from alliance.domain.calendar import Month
from alliance.domain.scoring import PartnerFacts, score_area

DAY = date(2026, 6, 17)
AREAS = ("data_ai", "infrastructure", "business_applications", "modern_work", "security")
FIRST_CERT = {
    "data_ai": ("ai_102", None),
    "infrastructure": ("az_104", "az_305"),
    "business_applications": ("pl_200", "pl_600"),
    "modern_work": ("md_102", "ms_102"),
    "security": ("sc_200", None),
}

counts = st.fixed_dictionaries(
    {
        "area": st.sampled_from(AREAS),
        "customers": st.integers(0, 12),
        "lost": st.integers(0, 3),
        "intermediate": st.integers(0, 15),
        "advanced": st.integers(0, 10),
        "usage": st.tuples(st.integers(0, 5000), st.integers(0, 9000)),
        "deployments": st.integers(0, 12),
        "segment": st.sampled_from([None, "smb", "enterprise"]),
    }
)


def build(
    c: dict[str, object], extra_people: int = 0, extra_customers: int = 0
) -> tuple[str, PartnerFacts]:
    area = str(c["area"])
    intermediate, advanced = FIRST_CERT[area]
    n_customers = int(str(c["customers"])) + extra_customers
    lost = min(int(str(c["lost"])), n_customers)
    usage = c["usage"]
    assert isinstance(usage, tuple)
    groups: list[Sequence[object]] = [
        customers(area, n_customers, date(2026, 2, 1), lost=lost),
        certs(intermediate, int(str(c["intermediate"])) + extra_people, date(2025, 5, 1)),
        growth(area, Month(2026, 5), Decimal(usage[0]), Decimal(usage[1]), users=usage),
        deployments(area, int(str(c["deployments"])), date(2026, 3, 1)),
    ]
    if advanced:
        groups.append(certs(advanced, int(str(c["advanced"])), date(2025, 5, 1), first=100))
    segment = c["segment"]
    return area, facts(*groups, segment=segment if isinstance(segment, str) else None)


@settings(max_examples=150, deadline=None)
@given(counts)
def test_points_never_exceed_caps_and_add_up_to_the_score(c: dict[str, object]) -> None:
    """MCPP-9: each metric ≤ its maximum, the area ≤ 100; the itemised points (X-3) sum
    to the score; qualification is exactly "≥ threshold and every metric > 0" (MCPP-8)."""
    terms = mcpp_terms()
    area_id, partner = build(c)
    score = score_area(terms.area(area_id), terms, partner, DAY)
    for metric in score.metrics:
        assert Decimal(0) <= metric.points <= metric.rule.max_points
    assert score.total == sum((m.points for m in score.metrics), Decimal(0))
    assert score.total <= terms.total
    positive = all(m.points > 0 for m in score.metrics)
    assert score.qualifies == (score.total >= Decimal(70) and positive)


@settings(max_examples=100, deadline=None)
@given(counts, st.integers(0, 5), st.integers(0, 5))
def test_more_facts_never_lower_the_score(c: dict[str, object], people: int, more: int) -> None:
    """MCPP-9: points are monotone in the facts — more people, more customers."""
    terms = mcpp_terms()
    area_id, before = build(c)
    _, after = build(c, extra_people=people, extra_customers=more)
    area = terms.area(area_id)
    assert score_area(area, terms, after, DAY).total >= score_area(area, terms, before, DAY).total


@settings(max_examples=100, deadline=None)
@given(counts)
def test_the_steps_close_the_gap(c: dict[str, object]) -> None:
    """X-3: following the proposed steps reaches the threshold with every metric > 0."""
    terms = mcpp_terms()
    area_id, partner = build(c)
    score = score_area(terms.area(area_id), terms, partner, DAY)
    if score.qualifies:
        assert score.explanation.steps == ()
        return
    gained = sum((s.gain for s in score.explanation.steps), Decimal(0))
    assert score.total + gained >= Decimal(70)
    lifted = {s.what for s in score.explanation.steps}
    assert set(score.zero_metrics) <= lifted

"""MCPP-8: checking the change days of the window is checking every day of it."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import event, given, settings
from hypothesis import strategies as st
from tiers_fixtures import PARTNER, facts, mcpp_terms

from alliance.domain.calendar import Month
from alliance.domain.facts import Certification, CustomerAssociation, Deployment, UsageRecord
from alliance.domain.scoring import PartnerFacts, qualification_window, qualify, score_area

START = date(2025, 6, 1)
days = st.integers(0, 420).map(lambda n: START + timedelta(days=n))


@st.composite
def partner_facts(draw: st.DrawFn) -> PartnerFacts:
    certs = []
    for i in range(draw(st.integers(0, 10))):
        earned = draw(days)
        lasts = draw(st.none() | st.integers(1, 400))
        retired = None if lasts is None else earned + timedelta(days=lasts)
        name = draw(st.sampled_from(["az_104", "az_305"]))
        certs.append(Certification(PARTNER, f"per_{i}", name, earned, retired))
    customers = []
    for i in range(draw(st.integers(0, 5))):
        start = draw(days)
        lasts = draw(st.none() | st.integers(0, 400))
        end = None if lasts is None else start + timedelta(days=lasts)
        customers.append(CustomerAssociation(PARTNER, f"c{i}", "infrastructure", start, end))
    deployments = [
        Deployment(PARTNER, f"d{i}", "infrastructure", draw(days), service_id=f"s{i % 5}")
        for i in range(draw(st.integers(0, 8)))
    ]
    usage = [
        UsageRecord(PARTNER, "infrastructure", Month(2024, 6).shift(i), Decimal(100 + 3 * i))
        for i in range(30)
    ]
    return facts(certs, customers, deployments, usage)


@settings(max_examples=30, deadline=None)
@given(partner_facts(), st.integers(0, 240).map(lambda n: date(2026, 1, 1) + timedelta(days=n)))
def test_change_days_find_every_qualifying_day(partner: PartnerFacts, as_of: date) -> None:
    terms = mcpp_terms()
    area = terms.area("infrastructure")
    window = qualification_window(as_of, terms)
    assert window is not None
    run = qualify(area, terms, partner, window)
    every_day = [d for d in window.dates() if score_area(area, terms, partner, d).qualifies]
    event("qualifies" if every_day else "does not qualify")
    assert run.qualifies == bool(every_day)
    assert run.last_day == (every_day[-1] if every_day else None)
    if every_day:
        assert run.first_day == every_day[0]

"""Properties of OIP statuses on random revenue (OIP-2, OIP-4, OIP-5, OIP-6)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from tiers_fixtures import oip_terms

from alliance.domain.calendar import Month
from alliance.domain.facts import RevenueKind, RevenueLine
from alliance.domain.money import eur
from alliance.domain.statuses import assign_status, status_report

AS_OF = date(2026, 7, 1)
MONTHS = [Month(2026, 1).shift(i) for i in range(6)]
amounts = st.decimals(min_value=0, max_value=8000, places=2)
member_types = st.sampled_from(["ambassador", "operator"])


def lines(partner: str, kind: RevenueKind, values: list[Decimal]) -> list[RevenueLine]:
    return [RevenueLine(partner, m, eur(str(v)), kind) for m, v in zip(MONTHS, values, strict=True)]


@settings(max_examples=150, deadline=None)
@given(
    member_types,
    st.lists(amounts, min_size=6, max_size=6),
    st.lists(amounts, min_size=6, max_size=6),
    st.lists(amounts, min_size=6, max_size=6),
)
def test_access_fees_and_minutes_never_change_the_status(
    member_type: str, recurring: list[Decimal], fees: list[Decimal], minutes: list[Decimal]
) -> None:
    """OIP-2: adding service-access fees and minutes leaves the status as it is."""
    base = lines("p", RevenueKind.RECURRING, recurring)
    noisy = (
        base
        + lines("p", RevenueKind.SERVICE_ACCESS_FEE, fees)
        + lines("p", RevenueKind.MINUTES, minutes)
    )
    terms = oip_terms()
    assert (
        assign_status("p", member_type, base, AS_OF, terms).status
        == assign_status("p", member_type, noisy, AS_OF, terms).status
    )


@settings(max_examples=150, deadline=None)
@given(member_types, st.lists(amounts, min_size=6, max_size=6), amounts)
def test_more_recurring_revenue_never_lowers_the_status(
    member_type: str, recurring: list[Decimal], extra: Decimal
) -> None:
    """OIP-4: statuses are ordered; the status is the highest threshold reached."""
    terms = oip_terms()
    before = assign_status(
        "p", member_type, lines("p", RevenueKind.RECURRING, recurring), AS_OF, terms
    )
    more = [recurring[0] + extra, *recurring[1:]]
    after = assign_status("p", member_type, lines("p", RevenueKind.RECURRING, more), AS_OF, terms)
    assert after.status.rank >= before.status.rank
    threshold = before.status.thresholds[member_type]
    assert before.measure.average >= threshold
    if before.next_status is not None:
        assert before.measure.average < before.next_status.thresholds[member_type]


@settings(max_examples=60, deadline=None)
@given(member_types, st.lists(amounts, min_size=6, max_size=6))
def test_report_lists_the_duties_and_benefits_of_the_assigned_status(
    member_type: str, recurring: list[Decimal]
) -> None:
    """OIP-5, OIP-6: duties and benefits follow the status assigned."""
    terms = oip_terms()
    report = status_report(
        "p",
        member_type,
        lines("p", RevenueKind.RECURRING, recurring),
        AS_OF,
        terms,
        product_lines=("data",),
    )
    status = report.outcome.status
    assert report.duties.status == status.id
    assert {b.id for b in report.benefits} <= {b.id for b in status.benefits}
    assert report.duties.rate == (Decimal(0) if report.duties.items else Decimal(1))

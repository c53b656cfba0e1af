"""The batch earned statuses on DuckDB equal the reference ``assign_status`` (OIP-2 …
OIP-4, X-1): revenue net of service-access fees and minutes over the semester before
the last evaluation date."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ibis.backends import BaseBackend

from alliance.batch.backends import duckdb_backend
from alliance.batch.oip_statuses import evaluate_statuses
from alliance.batch.tier_facts import members_table, revenue_table
from alliance.domain.calendar import Month
from alliance.domain.errors import InvalidInput
from alliance.domain.facts import RevenueKind, RevenueLine
from alliance.domain.money import Money
from alliance.domain.statuses import CadenceAnchor, EarnedStatusTerms, assign_status

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit" / "tiers"))
from tiers_fixtures import oip_terms

AS_OF = date(2026, 11, 22)  # evaluated on 2026-07-01 from January to June 2026
Member = tuple[str, str, date | None]


@pytest.fixture(scope="module")
def duckdb() -> Iterator[BaseBackend]:
    connection = duckdb_backend(threads=1)
    yield connection
    connection.disconnect()


def eur(amount: str | int) -> Money:
    return Money(Decimal(amount), "EUR")


def line(partner: str, month: Month, amount: str | int, kind: RevenueKind) -> RevenueLine:
    return RevenueLine(partner, month, eur(amount), kind, product_line="voip")


def both(
    duckdb: BaseBackend,
    members: list[Member],
    lines: list[RevenueLine],
    terms: EarnedStatusTerms,
    as_of: date = AS_OF,
) -> dict[str, tuple[str, str | None, Decimal]]:
    """Per member (status, next status, counted total), the batch equal to the reference."""
    table = evaluate_statuses(
        as_of, terms, members_table(members), revenue_table(lines), backend=duckdb
    )
    actual = {
        r["partner_id"]: (r["status"], r["next_status"], r["counted_total"], r["evaluated_on"])
        for r in table.to_pylist()
    }
    expected = {}
    for partner, member_type, since in members:
        outcome = assign_status(partner, member_type, lines, as_of, terms, since)
        expected[partner] = (
            outcome.status.id,
            outcome.next_status.id if outcome.next_status else None,
            outcome.measure.total.amount,
            outcome.evaluated_on,
        )
    assert actual == expected
    return {p: v[:3] for p, v in actual.items()}


def test_access_fees_and_minutes_never_count(duckdb: BaseBackend) -> None:
    """OIP-2: an Ambassador billing 1,600 EUR of recurring revenue a month is Business
    (≥ 1,500); 10,000 EUR of access fees and minutes on top change nothing; an Operator
    with the same lines, whose one-off revenue counts, too."""
    lines = []
    for m in range(1, 7):
        month = Month(2026, m)
        for who in ("org_amb", "org_op"):
            lines += [
                line(who, month, 1600, RevenueKind.RECURRING),
                line(who, month, 5000, RevenueKind.SERVICE_ACCESS_FEE),
                line(who, month, 5000, RevenueKind.MINUTES),
            ]
    lines.append(line("org_op", Month(2026, 3), 9000, RevenueKind.ONE_OFF))
    # outside the semester: July is after the evaluation date, December 2025 before
    lines.append(line("org_amb", Month(2026, 7), 99_000, RevenueKind.RECURRING))
    lines.append(line("org_amb", Month(2025, 12), 99_000, RevenueKind.RECURRING))
    members: list[Member] = [("org_amb", "ambassador", None), ("org_op", "operator", None)]
    rows = both(duckdb, members, lines, oip_terms())
    assert rows["org_amb"] == ("business", "premium", Decimal(9600))
    # 9,600 + 9,000 = 18,600 over 6 months = 3,100 ≥ 3,000: Business for an Operator
    assert rows["org_op"] == ("business", "premium", Decimal(18_600))


def test_exactly_the_threshold_reaches_the_status(duckdb: BaseBackend) -> None:
    """OIP-4: 3,000.00 EUR a month on average (17,999.99 + 0.01) is Premium; a cent less
    is Business."""
    lines = [line("org_a", Month(2026, 1), "17999.99", RevenueKind.RECURRING)]
    lines += [line("org_a", Month(2026, 6), "0.01", RevenueKind.RECURRING)]
    lines += [line("org_b", Month(2026, 2), "17999.99", RevenueKind.RECURRING)]
    members: list[Member] = [("org_a", "ambassador", None), ("org_b", "ambassador", None)]
    rows = both(duckdb, members, lines, oip_terms())
    assert rows["org_a"] == ("premium", None, Decimal(18_000))
    assert rows["org_b"] == ("business", "premium", Decimal("17999.99"))


def test_a_member_without_revenue_is_starter(duckdb: BaseBackend) -> None:
    rows = both(duckdb, [("org_new", "operator", None)], [], oip_terms())
    assert rows["org_new"] == ("starter", "access", Decimal(0))


def test_membership_anchor_gives_each_member_its_own_semester(duckdb: BaseBackend) -> None:
    """OIP-3: anchored on 2026-03-15, the member was evaluated on 2026-09-15 from March
    to August; anchored on 2026-05-01, on 2026-11-01 from May to October."""
    terms = replace(oip_terms(), anchor=CadenceAnchor.MEMBERSHIP_START)
    lines = [line("org_a", Month(2026, m), 600, RevenueKind.RECURRING) for m in range(3, 11)]
    lines += [line("org_b", Month(2026, m), 600, RevenueKind.RECURRING) for m in range(3, 11)]
    members: list[Member] = [
        ("org_a", "ambassador", date(2026, 3, 15)),
        ("org_b", "ambassador", date(2025, 5, 1)),
    ]
    rows = both(duckdb, members, lines, terms)
    assert rows["org_a"] == ("access", "business", Decimal(3600))
    assert rows["org_b"] == ("access", "business", Decimal(3600))


def test_revenue_in_another_currency_is_refused(duckdb: BaseBackend) -> None:
    """X-1: never converted, as the reference refuses it."""
    lines = [RevenueLine("org_a", Month(2026, 2), Money(Decimal(10), "USD"), RevenueKind.RECURRING)]
    with pytest.raises(InvalidInput) as error:
        evaluate_statuses(
            AS_OF,
            oip_terms(),
            members_table([("org_a", "ambassador", None)]),
            revenue_table(lines),
            backend=duckdb,
        )
    assert error.value.rule == "X-1"


kinds = st.sampled_from(list(RevenueKind))
amounts = st.decimals(0, 5000, places=2, allow_nan=False, allow_infinity=False)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.lists(st.tuples(st.integers(0, 3), st.integers(0, 15), amounts, kinds), max_size=30),
    st.lists(st.sampled_from(["ambassador", "operator"]), min_size=1, max_size=4),
    st.sampled_from([AS_OF, date(2026, 7, 1), date(2026, 6, 30), date(2027, 1, 1)]),
)
def test_the_batch_equals_the_reference_on_random_revenue(
    duckdb: BaseBackend,
    raw: list[tuple[int, int, Decimal, RevenueKind]],
    types: list[str],
    as_of: date,
) -> None:
    """OIP-2 … OIP-4: status, next status and counted total equal for every member."""
    members: list[Member] = [(f"org_{i}", t, None) for i, t in enumerate(types)]
    lines = [
        line(f"org_{who}", Month(2025, 10).shift(month), amount, kind)
        for who, month, amount, kind in raw
    ]
    both(duckdb, members, lines, oip_terms(), as_of)

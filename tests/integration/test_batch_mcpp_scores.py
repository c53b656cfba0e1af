"""The batch capability scores on DuckDB equal the reference ``area_scores`` to the exact
decimal, for every partner, area and metric (MCPP-2, MCPP-8 … MCPP-10, X-1)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from batch_mcpp_builders import batch_rows, batch_scores, both, reference_rows
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ibis.backends import BaseBackend

from alliance.batch.backends import duckdb_backend
from alliance.batch.mcpp_scores import classifying_attributes, score_day, units_cap
from alliance.batch.tier_facts import (
    certifications_table,
    customers_table,
    deployments_table,
    partners_table,
    usage_table,
)
from alliance.domain.calendar import Month
from alliance.domain.errors import InvalidInput
from alliance.domain.facts import Certification, CustomerAssociation, Deployment, UsageRecord
from alliance.domain.scoring import PartnerFacts

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit" / "tiers"))
from tiers_fixtures import (
    PARTNER,
    certs,
    customers,
    deployments,
    facts,
    growth,
    mcpp_terms,
)

DAY = date(2026, 6, 17)
LAST = Month(2026, 5)  # growth compares May 2026 with May 2025


@pytest.fixture(scope="module")
def duckdb() -> Iterator[BaseBackend]:
    connection = duckdb_backend(threads=1)
    yield connection
    connection.disconnect()


def scored(duckdb: BaseBackend, partner: PartnerFacts, area: str) -> tuple[Decimal, bool, bool]:
    """(total, every metric > 0, qualifies) of ``area``, the batch equal to the reference."""
    row = both(mcpp_terms(), [partner], DAY, duckdb)[partner.partner_id][area]
    return row[3], row[4], row[5]


# -- hand-checked examples ------------------------------------------------------------------


def test_exactly_70_with_every_metric_above_zero_qualifies(duckdb: BaseBackend) -> None:
    """MCPP-2, MCPP-8, MCPP-10 Infrastructure: 3 customers × 10 = 30, 5 people × 4 = 20,
    2 experts × 4 = 8, 10 % growth × 1 = 10, 1 service × 2 = 2: 70 — qualifies."""
    partner = facts(
        customers("infrastructure", 3, date(2026, 2, 1)),
        certs("az_104", 5, date(2025, 5, 1)),
        certs("az_305", 2, date(2025, 5, 1), first=100),
        growth("infrastructure", LAST, Decimal(100), Decimal(110)),
        deployments("infrastructure", 1, date(2026, 3, 1)),
    )
    assert scored(duckdb, partner, "infrastructure") == (Decimal(70), True, True)


def test_85_with_a_zero_metric_does_not_qualify(duckdb: BaseBackend) -> None:
    """MCPP-8 Data & AI: 30 + 40 + 15 (15 % growth) + 0 deployments = 85, not qualified."""
    partner = facts(
        customers("data_ai", 3, date(2026, 2, 1)),
        certs("ai_102", 10, date(2025, 5, 1)),
        growth("data_ai", LAST, Decimal(200), Decimal(230)),
    )
    assert scored(duckdb, partner, "data_ai") == (Decimal(85), False, False)


def test_caps_and_partial_points(duckdb: BaseBackend) -> None:
    """MCPP-9: 12 customers would give 120, capped at 30; 7 people × 4 = 28 of 40; 50 %
    growth capped at 20; 3 distinct services of 4 deployments × 2 = 6 of 10: 84."""
    partner = facts(
        customers("data_ai", 12, date(2026, 2, 1)),
        certs("ai_102", 7, date(2025, 5, 1)),
        growth("data_ai", LAST, Decimal(100), Decimal(150)),
        deployments("data_ai", 4, date(2026, 3, 1), services=3),
    )
    assert scored(duckdb, partner, "data_ai") == (Decimal(84), True, True)
    _, metrics = batch_rows(batch_scores(mcpp_terms(), [partner], DAY, duckdb))
    points = {m[4]: (m[5], m[6]) for m in metrics if m[1] == "data_ai"}
    assert points == {
        "data_ai_net_customer_adds": (Decimal(12), Decimal(30)),
        "data_ai_intermediate_certs": (Decimal(7), Decimal(28)),
        "data_ai_usage_growth": (Decimal(50), Decimal(20)),
        "data_ai_deployments": (Decimal(3), Decimal(6)),
    }


def test_best_of_tracks_keeps_the_better_total(duckdb: BaseBackend) -> None:
    """MCPP-9 Business Applications: Enterprise 15 + 5 + 4.28 + 30 + 20 = 74.28; SMB
    15 + 20 + 15 + 30 + 20 = 100 — SMB is kept."""
    partner = facts(
        customers("business_applications", 5, date(2026, 2, 1)),
        certs("pl_200", 5, date(2025, 5, 1)),
        certs("pl_600", 2, date(2025, 5, 1), first=100),
        growth("business_applications", LAST, Decimal(100), Decimal(130)),
        deployments("business_applications", 5, date(2026, 3, 1)),
    )
    row = both(mcpp_terms(), [partner], DAY, duckdb)[PARTNER]["business_applications"]
    assert row[2:] == ("smb", Decimal(100), True, True)
    areas, _ = reference_rows(mcpp_terms(), [partner], DAY)
    assert ("enterprise" in {r[2] for r in areas if r[1] == "business_applications"}) is False


def test_classification_and_a_quotient_that_does_not_end(duckdb: BaseBackend) -> None:
    """MCPP-9, MCPP-10 Security, SMB track: 100 USD of growth at 1 per 750 USD is
    0.1333333333 points; 300 → 310 USD of Data & AI usage is 3.3333333333 % (X-1)."""
    partner = facts(
        growth("security", LAST, Decimal(10_000), Decimal("10100.0000")),
        growth("data_ai", LAST, Decimal(300), Decimal(310)),
        segment="smb",
    )
    rows = both(mcpp_terms(), [partner], DAY, duckdb)[PARTNER]
    assert rows["security"][2:4] == ("smb", Decimal("0.1333333333"))
    assert rows["data_ai"][3] == Decimal("3.3333333333")
    enterprise = facts(growth("security", LAST, Decimal(10_000), Decimal(10_100)))
    assert both(mcpp_terms(), [enterprise], DAY, duckdb)[PARTNER]["security"][2:4] == (
        "enterprise",
        Decimal("0.08"),  # 100 / 1250
    )


def test_units_far_beyond_the_cap_score_the_cap_without_overflow(duckdb: BaseBackend) -> None:
    """MCPP-9: units are clipped before they are multiplied (``units_cap``); growth from
    0.0001 to 10¹³ USD is 10¹⁹ % (Data & AI, capped at 20) and 10¹³ USD of Security
    growth at 1 per 750 (SMB) is capped at 20 — both exactly as the reference."""
    partner = facts(
        growth("data_ai", LAST, Decimal("0.0001"), Decimal(10**13)),
        growth("security", LAST, Decimal(0), Decimal(10**13)),
        segment="smb",
    )
    _, metrics = batch_rows(batch_scores(mcpp_terms(), [partner], DAY, duckdb))
    points = {m[4]: m[6] for m in metrics}
    assert points["data_ai_usage_growth"] == Decimal(20)
    assert points["security_usage_growth"] == Decimal(20)
    both(mcpp_terms(), [partner], DAY, duckdb)  # equal to the reference, row for row


def test_every_units_cap_earns_more_than_the_rule_s_maximum() -> None:
    """The clipping changes no score: at ``units_cap`` a rule already earns more than
    its ``max_points`` (MCPP-9), for every rule of the built-in terms."""
    rules = [r for a in mcpp_terms().areas for t in a.tracks for r in t.rules]
    assert len(rules) == 42
    for rule in rules:
        cap = units_cap(rule)
        assert cap is not None
        assert cap * rule.points / rule.per > rule.max_points
    ten_per_one = next(r for r in rules if r.metric == "data_ai_net_customer_adds")
    assert units_cap(ten_per_one) == Decimal(4)  # 4 × 10 = 40 > 30 + 1


def test_retired_certifications_and_lost_customers_do_not_count(duckdb: BaseBackend) -> None:
    """MCPP-10: DP-203 left the catalogue on 2025-03-31; a person's lapsed certification
    does not count; 4 customers gained and 1 lost net 3."""
    partner = facts(
        certs("dp_203", 4, date(2024, 5, 1)),
        certs("ai_102", 2, date(2024, 5, 1), retired_on=date(2026, 6, 1), first=10),
        certs("dp_100", 1, date(2024, 5, 1), first=20),
        customers("data_ai", 4, date(2026, 2, 1), lost=1),
    )
    _, metrics = batch_rows(batch_scores(mcpp_terms(), [partner], DAY, duckdb))
    units = {m[4]: m[5] for m in metrics if m[1] == "data_ai"}
    assert units["data_ai_intermediate_certs"] == Decimal(1)
    assert units["data_ai_net_customer_adds"] == Decimal(3)
    both(mcpp_terms(), [partner], DAY, duckdb)


def test_a_partner_without_facts_scores_zero_everywhere(duckdb: BaseBackend) -> None:
    """MCPP-1: six rows, all 0, none qualifying."""
    rows = both(mcpp_terms(), [PartnerFacts("org_empty")], DAY, duckdb)["org_empty"]
    assert sorted(rows) == sorted(a.id for a in mcpp_terms().areas)
    assert {(r[3], r[5]) for r in rows.values()} == {(Decimal(0), False)}


def test_facts_from_parquet_files(duckdb: BaseBackend, tmp_path: Path) -> None:
    """The same scores from Parquet files read where they are."""
    partner = facts(
        customers("modern_work", 2, date(2026, 1, 10)),
        growth("modern_work", LAST, Decimal(0), Decimal(0), users=(1000, 1800)),
    )
    terms = mcpp_terms()
    tables = {
        "partners": partners_table([partner], classifying_attributes(terms)),
        "certifications": certifications_table(partner.certifications),
        "customers": customers_table(partner.customers),
        "deployments": deployments_table(partner.deployments),
        "usage": usage_table(partner.usage),
    }
    paths = {}
    for name, table in tables.items():
        paths[name] = tmp_path / f"{name}.parquet"
        pq.write_table(table, paths[name])
    scores = score_day(DAY, terms, *paths.values(), backend=duckdb)
    assert batch_rows(scores) == reference_rows(terms, [partner], DAY)
    modern = [r for r in scores.areas.to_pylist() if r["area"] == "modern_work"]
    # Enterprise 8 + 24 = 32; SMB 2 × 2 + 800 users × 30 / 500 = 48, capped at 30: 34
    assert [(r["track"], r["total"]) for r in modern] == [("smb", Decimal(34))]


def test_usage_with_more_than_four_decimals_is_refused() -> None:
    """X-1: never rounded on the way in."""
    with pytest.raises(InvalidInput) as error:
        usage_table([UsageRecord(PARTNER, "data_ai", LAST, Decimal("1.00001"))])
    assert error.value.rule == "X-1"


# -- agreement on random facts --------------------------------------------------------------

AREAS = [a.id for a in mcpp_terms().areas]
CERTS = sorted({c.id for m in mcpp_terms().metrics.values() for c in m.certifications})
START = date(2024, 1, 1)
days = st.integers(0, 1200).map(lambda n: START + timedelta(days=n))
amounts = st.one_of(
    st.just(Decimal(0)),
    st.decimals(0, 100_000, places=2, allow_nan=False, allow_infinity=False),
    st.integers(1, 10**6).map(Decimal),
    st.decimals(0, 10, places=4, allow_nan=False, allow_infinity=False),
)


@st.composite
def partner_facts(draw: st.DrawFn, partner_id: str) -> PartnerFacts:
    certifications = []
    for _ in range(draw(st.integers(0, 8))):
        earned = draw(days)
        lapse = draw(st.none() | st.integers(0, 700))
        retired = None if lapse is None else earned + timedelta(lapse)
        certifications.append(
            Certification(
                partner_id,
                f"per_{draw(st.integers(0, 4))}",
                draw(st.sampled_from([*CERTS, "unknown"])),
                earned,
                retired,
            )
        )
    associations = []
    for i in range(draw(st.integers(0, 8))):
        start = draw(days)
        length = draw(st.none() | st.integers(0, 500))
        end = None if length is None else start + timedelta(length)
        associations.append(
            CustomerAssociation(partner_id, f"cus_{i}", draw(st.sampled_from(AREAS)), start, end)
        )
    deployments_ = [
        Deployment(
            partner_id,
            f"dep_{i}",
            draw(st.sampled_from(AREAS)),
            draw(days),
            service_id=draw(st.sampled_from(["", "svc_a", "svc_b", "svc_c"])),
        )
        for i in range(draw(st.integers(0, 8)))
    ]
    usage = [
        UsageRecord(
            partner_id,
            draw(st.sampled_from(AREAS)),
            draw(
                st.sampled_from([Month(2024, 5), Month(2025, 5), Month(2026, 5), Month(2025, 11)])
            ),
            draw(amounts),
            draw(st.integers(0, 5000)),
        )
        for _ in range(draw(st.integers(0, 10)))
    ]
    segment = draw(st.sampled_from([None, "smb", "enterprise", "other"]))
    return PartnerFacts(
        partner_id,
        tuple(certifications),
        tuple(associations),
        tuple(deployments_),
        tuple(usage),
        {"customer_segment": segment} if segment else {},
    )


@st.composite
def partner_sets(draw: st.DrawFn) -> list[PartnerFacts]:
    return [draw(partner_facts(f"org_{i}")) for i in range(draw(st.integers(1, 3)))]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    partner_sets(), st.sampled_from([date(2025, 6, 17), DAY, date(2026, 5, 31), date(2027, 1, 1)])
)
def test_the_batch_equals_the_reference_on_random_facts(
    duckdb: BaseBackend, partners: list[PartnerFacts], day: date
) -> None:
    """MCPP-9, MCPP-10, X-1: every partner, area, track, metric, units and points equal."""
    terms = mcpp_terms()
    assert batch_rows(batch_scores(terms, partners, day, duckdb)) == reference_rows(
        terms, partners, day
    )

"""The facts of earned tiers round-trip through the store on SQLite and PostgreSQL, in the
exact Arrow layouts the batch evaluators read (MCPP-10, OIP-2, PEX-3); a rerun adds
nothing (X-5) and a refused batch stores nothing (X-7)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pyarrow as pa
import pytest

from alliance.batch.tier_facts import (
    CERTIFICATIONS_SCHEMA,
    DEALS_SCHEMA,
    MCPP_USAGE_SCHEMA,
    ORDERS_SCHEMA,
    REVENUE_SCHEMA,
    certifications_table,
    customers_table,
    deals_table,
    deployments_table,
    members_table,
    orders_table,
    partners_schema,
    revenue_table,
    usage_table,
)
from alliance.domain.calendar import Month
from alliance.domain.errors import InvalidInput
from alliance.domain.facts import (
    Certification,
    CustomerAssociation,
    Deal,
    Deployment,
    Order,
    RevenueKind,
    RevenueLine,
    UsageRecord,
)
from alliance.domain.money import Money
from alliance.services.tier_facts.ports import FactBatch, FactKind
from alliance.store.unit_of_work import SqlUnitOfWork

UowFactory = Callable[[], SqlUnitOfWork]


def eur(amount: str) -> Money:
    return Money.of(amount, "EUR")


CERTIFICATIONS = certifications_table(
    [
        Certification("org_a", "per_1", "az-104", date(2024, 5, 2)),
        Certification("org_a", "per_2", "az-305", date(2023, 1, 9), date(2025, 1, 9)),
    ]
)
CUSTOMERS = customers_table(
    [
        CustomerAssociation("org_a", "cus_1", "infrastructure", date(2024, 2, 1)),
        CustomerAssociation(
            "org_a", "cus_2", "infrastructure", date(2024, 3, 1), date(2024, 9, 30)
        ),
    ]
)
DEPLOYMENTS = deployments_table(
    [Deployment("org_a", "dep_1", "infrastructure", date(2024, 6, 3), "vm")]
)
USAGE = usage_table(
    [
        UsageRecord("org_a", "infrastructure", Month(2024, 11), Decimal("1234.5678"), 12),
        UsageRecord("org_a", "modern_work", Month(2024, 11), Decimal("0.0001"), 3),
    ]
)
DEALS = deals_table(
    [
        Deal(
            "deal_1",
            "org_a",
            eur("25000.5"),
            date(2024, 7, 1),
            ("org_b", "org_c"),
            ("m365", "teams"),
        ),
        Deal("deal_2", "org_b", eur("10"), date(2024, 8, 1), product_kind="services"),
    ]
)
MEMBERS = members_table([("org_a", "ambassador", date(2023, 4, 1)), ("org_b", "operator", None)])
REVENUE = revenue_table(
    [
        RevenueLine("org_a", Month(2024, 10), eur("99.99"), RevenueKind.RECURRING, "voip"),
        RevenueLine("org_a", Month(2024, 10), eur("99.99"), RevenueKind.RECURRING, "voip"),
        RevenueLine("org_a", Month(2024, 10), eur("12.3456"), RevenueKind.MINUTES, "voip"),
    ]
)
ORDERS = orders_table([Order("org_a", "ord_1", date(2024, 10, 3), eur("500.0001"))])
PARTNERS = pa.table(
    {"partner_id": ["org_a", "org_b"], "customer_segment": ["smb", None]},
    schema=partners_schema(["customer_segment"]),
)

EVERY_KIND = {
    FactKind.PARTNERS: PARTNERS,
    FactKind.CERTIFICATIONS: CERTIFICATIONS,
    FactKind.CUSTOMERS: CUSTOMERS,
    FactKind.DEPLOYMENTS: DEPLOYMENTS,
    FactKind.USAGE: USAGE,
    FactKind.DEALS: DEALS,
    FactKind.MEMBERS: MEMBERS,
    FactKind.REVENUE: REVENUE,
    FactKind.ORDERS: ORDERS,
}


def _add(uow_factory: UowFactory, kind: FactKind, rows: pa.Table, key: str) -> FactBatch:
    with uow_factory() as uow:
        outcome = uow.tier_facts.import_batch(kind, rows, batch_key=key, source="test")
        uow.commit()
    return outcome


def _table(uow_factory: UowFactory, kind: FactKind) -> pa.Table:
    with uow_factory() as uow:
        return uow.tier_facts.table(kind)


@pytest.mark.parametrize("kind", list(EVERY_KIND), ids=str)
def test_every_kind_comes_back_in_its_exact_layout(uow_factory: UowFactory, kind: FactKind) -> None:
    rows = EVERY_KIND[kind]
    assert _add(uow_factory, kind, rows, "batch-1") == FactBatch(kind, "batch-1", rows.num_rows)
    back = _table(uow_factory, kind)
    assert back.schema.equals(rows.schema, check_metadata=False)
    assert back.equals(rows)
    with uow_factory() as uow:
        assert uow.tier_facts.count(kind) == rows.num_rows


def test_amounts_come_back_as_exact_decimals_never_floats(uow_factory: UowFactory) -> None:
    """X-1: 1234.5678 and 0.0001 survive SQLite's integer storage and PostgreSQL's NUMERIC."""
    _add(uow_factory, FactKind.USAGE, USAGE, "u")
    _add(uow_factory, FactKind.DEALS, DEALS, "d")
    usage = _table(uow_factory, FactKind.USAGE)
    assert usage.schema.field("amount").type == MCPP_USAGE_SCHEMA.field("amount").type
    assert usage.column("amount").to_pylist() == [Decimal("1234.5678"), Decimal("0.0001")]
    deals = _table(uow_factory, FactKind.DEALS)
    assert deals.schema.equals(DEALS_SCHEMA)
    assert deals.column("amount").to_pylist() == [Decimal("25000.5000"), Decimal("10.0000")]
    assert deals.column("influencing_partner_ids").to_pylist() == [["org_b", "org_c"], []]


def test_rerunning_a_batch_key_adds_nothing(uow_factory: UowFactory) -> None:
    """X-5: the same batch key again is a replay: nothing is looked at, nothing added."""
    _add(uow_factory, FactKind.REVENUE, REVENUE, "revenue-2024-10")
    again = _add(uow_factory, FactKind.REVENUE, REVENUE, "revenue-2024-10")
    assert again == FactBatch(FactKind.REVENUE, "revenue-2024-10", 0, replayed=True)
    with uow_factory() as uow:
        assert uow.tier_facts.count(FactKind.REVENUE) == 3
        assert uow.tier_facts.add(FactKind.REVENUE, REVENUE, batch_key="revenue-2024-10") == 0
        stored = uow.tier_facts.batch(FactKind.REVENUE, "revenue-2024-10")
    assert stored == FactBatch(FactKind.REVENUE, "revenue-2024-10", 3)


def test_the_same_facts_under_another_batch_key_are_skipped(uow_factory: UowFactory) -> None:
    """X-5: re-importing a file under a new key adds nothing; two identical revenue lines
    without line ids stay two lines (ranked within their batch), not one."""
    _add(uow_factory, FactKind.REVENUE, REVENUE, "first")
    _add(uow_factory, FactKind.CERTIFICATIONS, CERTIFICATIONS, "first")
    assert _add(uow_factory, FactKind.REVENUE, REVENUE, "second") == FactBatch(
        FactKind.REVENUE, "second", added=0, known=3
    )
    assert _add(uow_factory, FactKind.CERTIFICATIONS, CERTIFICATIONS, "second") == FactBatch(
        FactKind.CERTIFICATIONS, "second", added=0, known=2
    )
    revenue = _table(uow_factory, FactKind.REVENUE)
    assert revenue.column("amount").to_pylist() == [
        Decimal("99.9900"),
        Decimal("99.9900"),
        Decimal("12.3456"),
    ]
    # one more identical line in a later file is a new line: it is the third of its kind
    three = pa.concat_tables([REVENUE.slice(0, 1)] * 3)
    assert _add(uow_factory, FactKind.REVENUE, three, "third").added == 1
    with uow_factory() as uow:
        assert uow.tier_facts.count(FactKind.REVENUE) == 4


def test_revenue_lines_with_ids_are_known_by_their_id(uow_factory: UowFactory) -> None:
    rows = REVENUE.append_column("line_id", pa.array(["l1", "l2", "l3"]))
    assert _add(uow_factory, FactKind.REVENUE, rows, "a").added == 3
    assert _add(uow_factory, FactKind.REVENUE, rows.slice(1), "b").known == 2
    assert _table(uow_factory, FactKind.REVENUE).schema.equals(REVENUE_SCHEMA)


def test_a_retirement_is_recorded_on_a_certification_stored_without_one(
    uow_factory: UowFactory,
) -> None:
    """MCPP-10: the person's certification lapses; the later export says so."""
    _add(uow_factory, FactKind.CERTIFICATIONS, CERTIFICATIONS, "january")
    later = certifications_table(
        [
            Certification("org_a", "per_1", "az-104", date(2024, 5, 2), date(2025, 5, 2)),
            Certification("org_a", "per_2", "az-305", date(2023, 1, 9), date(2025, 1, 9)),
        ]
    )
    outcome = _add(uow_factory, FactKind.CERTIFICATIONS, later, "june")
    assert (outcome.added, outcome.known, outcome.closed) == (0, 1, 1)
    back = _table(uow_factory, FactKind.CERTIFICATIONS)
    assert back.schema.equals(CERTIFICATIONS_SCHEMA)
    assert back.column("retired_on").to_pylist() == [date(2025, 5, 2), date(2025, 1, 9)]


def test_a_fact_stored_saying_otherwise_refuses_the_whole_batch(uow_factory: UowFactory) -> None:
    """X-5, X-7: a deal booked again with another amount is refused with its position and
    key, and the new deal in the same batch is not stored either."""
    _add(uow_factory, FactKind.DEALS, DEALS, "first")
    changed = deals_table(
        [
            Deal("deal_3", "org_c", eur("1"), date(2024, 9, 1)),
            Deal("deal_1", "org_a", eur("30000"), date(2024, 7, 1), ("org_b", "org_c")),
        ]
    )
    with pytest.raises(InvalidInput) as refused:
        _add(uow_factory, FactKind.DEALS, changed, "second")
    [problem] = refused.value.problems
    assert (problem.location, problem.field, problem.rule) == ("#1", "amount", "X-5")
    assert "deal_id=deal_1" in problem.message and "25000.5000 stored" in problem.message
    with uow_factory() as uow:
        assert uow.tier_facts.count(FactKind.DEALS) == 2
        assert uow.tier_facts.batch(FactKind.DEALS, "second") is None


def test_a_batch_with_a_bad_layout_names_every_column(uow_factory: UowFactory) -> None:
    floats = pa.table(
        {
            "partner_id": ["org_a"],
            "order_id": ["o"],
            "amount": pa.array([1.5], pa.float64()),
            "currency": ["EUR"],
            "colour": ["blue"],
        }
    )
    with pytest.raises(InvalidInput) as refused:
        _add(uow_factory, FactKind.ORDERS, floats, "bad")
    found = {(p.field, p.rule) for p in refused.value.problems}
    assert found == {("ordered_on", "X-7"), ("amount", "X-1"), ("colour", "X-7")}
    with uow_factory() as uow:
        assert uow.tier_facts.count(FactKind.ORDERS) == 0
        assert uow.tier_facts.counts()[FactKind.ORDERS] == 0
    assert ORDERS.schema.names == ["partner_id", "order_id", "ordered_on", "amount", "currency"]


def test_partners_come_back_with_the_attributes_asked_for(uow_factory: UowFactory) -> None:
    _add(uow_factory, FactKind.PARTNERS, PARTNERS, "p")
    with uow_factory() as uow:
        bare = uow.tier_facts.partners_table([])
        wide = uow.tier_facts.partners_table(["customer_segment", "region"])
    assert bare.column("partner_id").to_pylist() == ["org_a", "org_b"]
    assert bare.schema.equals(partners_schema([]))
    assert wide.column("region").to_pylist() == [None, None]
    assert wide.column("customer_segment").to_pylist() == ["smb", None]


def test_three_thousand_usage_rows_go_in_as_one_batch(uow_factory: UowFactory) -> None:
    many = usage_table(
        UsageRecord(f"org_{n % 37}", "infrastructure", Month(2024, 1 + n % 12), Decimal(n), n)
        for n in range(3_000)
    )
    rows = many.append_column("customer_id", pa.array([f"c{n}" for n in range(many.num_rows)]))
    assert _add(uow_factory, FactKind.USAGE, rows, "big").added == 3_000
    back = _table(uow_factory, FactKind.USAGE)
    assert back.num_rows == 3_000
    assert sum(back.column("amount").to_pylist()) == Decimal(sum(range(3_000)))
    assert back.schema.equals(MCPP_USAGE_SCHEMA)


def test_usage_per_customer_repeating_its_key_is_refused(uow_factory: UowFactory) -> None:
    """Usage with a customer is one row per partner, area, month, customer and product:
    two different amounts for the same key cannot both be the fact (X-5)."""
    twice = usage_table(
        [
            UsageRecord("org_a", "infrastructure", Month(2024, 11), Decimal("1"), 1),
            UsageRecord("org_a", "infrastructure", Month(2024, 11), Decimal("2"), 1),
        ]
    ).append_column("customer_id", pa.array(["cus_1", "cus_1"]))
    with pytest.raises(InvalidInput) as refused:
        _add(uow_factory, FactKind.USAGE, twice, "twice")
    assert [(p.location, p.field) for p in refused.value.problems] == [("#1", "amount")]


def test_usage_without_customer_or_product_is_known_by_its_content(
    uow_factory: UowFactory,
) -> None:
    """The usage layout has no customer: rows for one partner, area and month are summed
    by the evaluation, so both are kept; the same file again adds nothing (X-5)."""
    rows = usage_table(
        [
            UsageRecord("org_a", "infrastructure", Month(2024, 11), Decimal("1"), 1),
            UsageRecord("org_a", "infrastructure", Month(2024, 11), Decimal("2"), 1),
            UsageRecord("org_a", "infrastructure", Month(2024, 11), Decimal("2"), 1),
        ]
    )
    assert _add(uow_factory, FactKind.USAGE, rows, "first").added == 3
    assert _add(uow_factory, FactKind.USAGE, rows, "second").known == 3
    amounts = _table(uow_factory, FactKind.USAGE).column("amount").to_pylist()
    assert sum(amounts) == Decimal(5)
    assert ORDERS_SCHEMA.field("amount").type == pa.decimal128(18, 4)


def test_the_demo_facts_load_once_and_read_back_in_their_layouts(uow_factory: UowFactory) -> None:
    """The demo's tier facts (every kind) go in as one batch each; loading them again
    adds nothing (X-5), and every kind reads back as generated."""
    from alliance.demo.dataset import DemoSpec, generate
    from alliance.demo.tier_facts import demo_tier_facts, store_tier_facts
    from alliance.programs.registry import ProgramRegistry
    from alliance.services.scorecard_terms import scorecard_program

    terms = scorecard_program(ProgramRegistry.load(None)).terms
    tables = demo_tier_facts(
        generate(DemoSpec(partners=12, seed=3, end_month=Month(2026, 10))), terms
    )
    first = store_tier_facts(uow_factory, tables, "demo")
    assert {k: b.added for k, b in first.batches.items()} == {
        k: t.num_rows for k, t in tables.items()
    }
    again = store_tier_facts(uow_factory, tables, "demo")
    assert all(b.replayed and b.added == 0 for b in again.batches.values())
    for kind, table in tables.items():
        back = _table(uow_factory, kind)
        assert back.equals(table.select(back.column_names).cast(back.schema)), kind

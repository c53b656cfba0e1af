"""Row checks of fact files: every bad row named by line, field and rule (X-7), exact
decimals (X-1), dates (X-2), revenue kinds (OIP-2), areas (MCPP-1), date order (MCPP-10)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pyarrow as pa
import pytest

from alliance.batch.tier_facts import (
    CERTIFICATIONS_SCHEMA,
    DEALS_SCHEMA,
    REVENUE_SCHEMA,
)
from alliance.services.imports.columns import ColumnTypeError
from alliance.services.imports.usage_rows import failing_rows, row_problems
from alliance.services.tier_facts.fact_rows import (
    FactContext,
    check_rows,
    header_problems,
    partner_ids,
)
from alliance.services.tier_facts.ports import FactKind

AREAS = frozenset({"data_ai", "infrastructure", "security"})


def text_table(header: list[str], *rows: list[str]) -> pa.Table:
    """What the CSV reader gives: every cell as text, empty cells as ""."""
    return pa.table(
        {name: pa.array([row[i] for row in rows], pa.string()) for i, name in enumerate(header)}
    )


def problems_of(
    kind: FactKind, raw: pa.Table, context: FactContext = FactContext()
) -> list[tuple[str, str | None, str | None]]:
    _, checks = check_rows(kind, raw, context)
    batch = pa.RecordBatch.from_arrays(
        [c.combine_chunks() for c in raw.columns], names=raw.column_names
    )
    located = row_problems(batch, checks, lambda i: f"f.csv:{i + 2}", 100)
    return [(p.location or "", p.field, p.rule) for p in located]


def test_good_certifications_come_out_in_the_layout() -> None:
    raw = text_table(
        ["partner_id", "person_id", "certification_id", "earned_on", "retired_on"],
        ["org_a", "per_1", "az_104", "2024-05-02", ""],
        [" org_a ", "per_2", "az_305", "2023-01-09", "2025-01-09"],
    )
    table, checks = check_rows(FactKind.CERTIFICATIONS, raw, FactContext())
    assert checks == []
    assert table.cast(CERTIFICATIONS_SCHEMA).to_pylist() == [
        {
            "partner_id": "org_a",
            "person_id": "per_1",
            "certification_id": "az_104",
            "earned_on": date(2024, 5, 2),
            "retired_on": None,
        },
        {
            "partner_id": "org_a",
            "person_id": "per_2",
            "certification_id": "az_305",
            "earned_on": date(2023, 1, 9),
            "retired_on": date(2025, 1, 9),
        },
    ]


def test_every_bad_certification_row_is_named_with_its_line_and_rule() -> None:
    raw = text_table(
        ["partner_id", "person_id", "certification_id", "earned_on", "retired_on"],
        ["org_a", "per_1", "az_104", "2024-05-02", ""],  # line 2: good
        ["", "per_2", "az_305", "2023-02-30", ""],  # line 3: no partner, no such day
        ["org_a", "per_3", "az_305", "2024-06-01", "2024-05-31"],  # line 4: retires first
        ["org_a", "", "az_104", "02/05/2024", "soon"],  # line 5: three problems
    )
    assert problems_of(FactKind.CERTIFICATIONS, raw) == [
        ("f.csv:3", "partner_id", "X-7"),
        ("f.csv:3", "earned_on", "X-2"),
        ("f.csv:4", "retired_on", "MCPP-10"),
        ("f.csv:5", "person_id", "X-7"),
        ("f.csv:5", "earned_on", "X-2"),
        ("f.csv:5", "retired_on", "X-2"),
    ]
    _, checks = check_rows(FactKind.CERTIFICATIONS, raw, FactContext())
    assert failing_rows(checks) == 3


def test_revenue_amounts_are_exact_with_at_most_four_places_and_kinds_are_known() -> None:
    raw = text_table(
        ["partner_id", "month", "amount", "currency", "kind", "product_line"],
        ["org_a", "2024-10", "99.99", "EUR", "recurring", "voip"],  # 2
        ["org_a", "2024-10", "1.23456", "EUR", "recurring", "voip"],  # 3: 5 places
        ["org_a", "2024-13", "1e3", "eur", "rental", ""],  # 4: month, amount, currency, kind
        ["org_a", "2024-11", "-5", "EUR", "minutes", ""],  # 5: negative
    )
    assert problems_of(FactKind.REVENUE, raw) == [
        ("f.csv:3", "amount", "X-1"),
        ("f.csv:4", "month", "X-2"),
        ("f.csv:4", "amount", "X-1"),
        ("f.csv:4", "currency", "X-1"),
        ("f.csv:4", "kind", "OIP-2"),
        ("f.csv:5", "amount", "X-7"),
    ]
    good, _ = check_rows(FactKind.REVENUE, raw.slice(0, 1), FactContext())
    assert good.select(REVENUE_SCHEMA.names).cast(REVENUE_SCHEMA).column("amount").to_pylist() == [
        Decimal("99.9900")
    ]
    assert good.column("line_id").to_pylist() == [""]  # an optional identifier left out


def test_areas_must_be_the_programs_when_the_program_is_given() -> None:
    raw = text_table(
        ["partner_id", "customer_id", "area", "associated_on"],
        ["org_a", "c1", "data_ai", "2024-01-01"],
        ["org_a", "c2", "azure", "2024-01-01"],
    )
    assert problems_of(FactKind.CUSTOMERS, raw, FactContext(areas=AREAS)) == [
        ("f.csv:3", "area", "MCPP-1")
    ]
    assert problems_of(FactKind.CUSTOMERS, raw) == []  # no program: any area


def test_partners_named_must_be_organisations() -> None:
    raw = text_table(
        [
            "deal_id",
            "transacting_partner_id",
            "influencing_partner_ids",
            "amount",
            "currency",
            "booked_on",
        ],
        ["d1", "org_a", "org_b; org_c", "25000", "USD", "2024-07-01"],
        ["d2", "org_x", "", "10", "USD", "2024-07-01"],
        ["d3", "org_a", "org_b;org_b", "10", "USD", "2024-07-01"],
        ["d4", "org_a", "org_y", "10", "USD", "2024-07-01"],
    )
    assert partner_ids(FactKind.DEALS, raw) == {"org_a", "org_b", "org_c", "org_x", "org_y"}
    context = FactContext(partners=frozenset({"org_a", "org_b", "org_c"}))
    assert problems_of(FactKind.DEALS, raw, context) == [
        ("f.csv:3", "transacting_partner_id", "X-7"),
        ("f.csv:4", "influencing_partner_ids", "PEX-3"),
        ("f.csv:5", "influencing_partner_ids", "X-7"),
    ]
    table, _ = check_rows(FactKind.DEALS, raw.slice(0, 1), context)
    deal = table.select(DEALS_SCHEMA.names).cast(DEALS_SCHEMA).to_pylist()[0]
    assert deal["influencing_partner_ids"] == ["org_b", "org_c"]
    assert deal["products"] == [] and deal["product_kind"] == "license"


def test_parquet_columns_of_the_layout_types_are_taken_as_they_are() -> None:
    raw = pa.table(
        {
            "partner_id": ["org_a", "org_a"],
            "area": ["data_ai", "security"],
            "month": ["2024-11", "2024-11"],
            "amount": pa.array([Decimal("12.5"), Decimal("0.00001")], pa.decimal128(20, 5)),
            "active_users": pa.array([3, -1], pa.int32()),
        }
    )
    assert problems_of(FactKind.USAGE, raw) == [
        ("f.csv:3", "amount", "X-1"),
        ("f.csv:3", "active_users", "X-7"),
    ]


def test_a_float_amount_column_is_refused_outright() -> None:
    raw = pa.table(
        {
            "partner_id": ["org_a"],
            "order_id": ["o1"],
            "ordered_on": pa.array([date(2024, 1, 2)]),
            "amount": pa.array([1.5]),
            "currency": ["EUR"],
        }
    )
    with pytest.raises(ColumnTypeError) as refused:
        check_rows(FactKind.ORDERS, raw, FactContext())
    assert (refused.value.field, refused.value.rule) == ("amount", "X-1")


def test_headers_name_missing_unknown_and_repeated_columns() -> None:
    found = header_problems(
        FactKind.MEMBERS, ["partner_id", "colour", "member_since", "member_since"], "m.csv"
    )
    assert [(p.field, p.message) for p in found] == [
        ("member_type", "column is missing"),
        ("colour", "unknown column"),
        ("member_since", "column appears more than once"),
    ]
    assert header_problems(FactKind.PARTNERS, ["partner_id", "customer_segment"], "p.csv") == []


def test_member_types_are_ambassador_or_operator() -> None:
    raw = text_table(
        ["partner_id", "member_type", "member_since"],
        ["org_a", "ambassador", "2023-04-01"],
        ["org_b", "reseller", ""],
    )
    assert problems_of(FactKind.MEMBERS, raw) == [("f.csv:3", "member_type", "OIP-1")]


def test_partner_attributes_left_empty_are_not_set() -> None:
    raw = text_table(["partner_id", "customer_segment"], ["org_a", "smb"], ["org_b", ""])
    table, checks = check_rows(FactKind.PARTNERS, raw, FactContext())
    assert checks == []
    assert table.column("customer_segment").to_pylist() == ["smb", None]

"""The canonical layout of usage lines in Arrow and Parquet (OSR-12, X-1, X-7).

One row is one service's metered consumption under one subscription in one month — the
batch twin of :class:`alliance.domain.rewards.UsageLine`, column for column as the demo
data set writes it (:func:`alliance.demo.dataset.generate`). Money columns are exact
decimals, never floats (X-1): ``quantity`` has 4 decimals, ``unit_net_price`` 6, so a
line's value ``unit_net_price × quantity`` has exactly 10. Every column is required; a
usage import writes validated files in this schema, and the batch engine refuses any
other layout before it computes anything (X-7).
"""

from __future__ import annotations

import pyarrow as pa

from alliance.domain.errors import InvalidInput, Problem, Problems

QUANTITY = pa.decimal128(18, 4)
"""Actual usage, to 1/10,000 of a unit."""

UNIT_NET_PRICE = pa.decimal128(18, 6)
"""The order's rate-card price per unit (the overage price on an overage line, OSR-15)."""

USAGE_SCHEMA = pa.schema(
    [
        pa.field("customer_id", pa.string(), nullable=False),
        pa.field("subscription_id", pa.string(), nullable=False),
        pa.field("service", pa.string(), nullable=False),
        pa.field("service_category", pa.string(), nullable=False),
        pa.field("month", pa.string(), nullable=False),  # "YYYY-MM"
        pa.field("quantity", QUANTITY, nullable=False),
        pa.field("unit_net_price", UNIT_NET_PRICE, nullable=False),
        pa.field("currency", pa.string(), nullable=False),  # ISO 4217
        pa.field("line_kind", pa.string(), nullable=False),  # "regular" | "overage" (OSR-15)
        pa.field("third_party", pa.bool_(), nullable=False),  # OSR-7
        pa.field("marketplace", pa.bool_(), nullable=False),  # OSR-7
        pa.field("saas", pa.bool_(), nullable=False),  # OSR-7
        pa.field("free_tier", pa.bool_(), nullable=False),  # OSR-2
        pa.field("rack_subscription", pa.bool_(), nullable=False),  # OSR-7
        pa.field("byol", pa.bool_(), nullable=False),  # OSR-5
    ]
)
"""The usage-line schema: names, order and types are the contract; no column may be null."""

LINE_KINDS = ("regular", "overage")
"""The values of ``line_kind`` (:class:`alliance.domain.rewards.LineKind`)."""


def layout_problems(
    schema: pa.Schema, expected: pa.Schema, *, any_decimal: frozenset[str] = frozenset()
) -> list[Problem]:
    """What keeps ``schema`` from the layout ``expected``: missing columns, columns of
    another type (for ``any_decimal`` columns: not a decimal), unknown columns.
    Nullability is not compared: a file written without ``not null`` markers is fine if it
    holds no nulls (:func:`conform_usage` checks)."""
    problems: list[Problem] = []
    for wanted in expected:
        index = schema.get_field_index(wanted.name)
        if index < 0:
            problems.append(Problem("column is missing", field=wanted.name, rule="X-7"))
            continue
        found = schema.field(index).type
        if wanted.name in any_decimal:
            if not pa.types.is_decimal(found):
                problems.append(
                    Problem(f"is {found}, must be a decimal", field=wanted.name, rule="X-1")
                )
        elif not found.equals(wanted.type):
            problems.append(
                Problem(f"is {found}, must be {wanted.type}", field=wanted.name, rule="X-1")
            )
    problems.extend(
        Problem("unknown column", field=name, rule="X-7")
        for name in schema.names
        if expected.get_field_index(name) < 0
    )
    return problems


def check_layout(
    schema: pa.Schema,
    expected: pa.Schema,
    source: str,
    *,
    any_decimal: frozenset[str] = frozenset(),
) -> None:
    """Raise :class:`InvalidInput` listing every difference from ``expected`` (X-7)."""
    problems = Problems()
    for problem in layout_problems(schema, expected, any_decimal=any_decimal):
        problems.add(
            Problem(problem.message, field=problem.field, rule=problem.rule, location=source)
        )
    problems.raise_if_any(f"{source} does not have the expected columns")


def check_usage_schema(schema: pa.Schema, source: str = "usage") -> None:
    """Raise :class:`InvalidInput` listing every difference from :data:`USAGE_SCHEMA`."""
    check_layout(schema, USAGE_SCHEMA, source)


def conform(
    table: pa.Table,
    expected: pa.Schema,
    source: str,
    *,
    any_decimal: frozenset[str] = frozenset(),
) -> pa.Table:
    """``table`` in exactly the layout ``expected`` (column order, ``not null`` markers), or
    :class:`InvalidInput` if a column is missing, mistyped, unknown, or holds a null where
    ``expected`` allows none (X-7). ``any_decimal`` columns keep their decimal type."""
    check_layout(table.schema, expected, source, any_decimal=any_decimal)
    fields = []
    for wanted in expected:
        column = table.column(wanted.name)
        if not wanted.nullable and column.null_count:
            raise InvalidInput(
                f"{source}: {wanted.name} holds empty values", field=wanted.name, rule="X-7"
            )
        kept_type = column.type if wanted.name in any_decimal else wanted.type
        fields.append(pa.field(wanted.name, kept_type, nullable=wanted.nullable))
    return table.select(expected.names).cast(pa.schema(fields))


def conform_usage(table: pa.Table, source: str = "usage") -> pa.Table:
    """``table`` in exactly :data:`USAGE_SCHEMA`, or :class:`InvalidInput` (X-7)."""
    return conform(table, USAGE_SCHEMA, source)

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


def usage_schema_problems(schema: pa.Schema) -> list[Problem]:
    """What keeps ``schema`` from being :data:`USAGE_SCHEMA`: missing columns, columns of
    another type, unknown columns. Nullability is not compared (a file written without
    ``not null`` markers is fine if it holds no nulls — :func:`conform_usage` checks)."""
    problems: list[Problem] = []
    for expected in USAGE_SCHEMA:
        index = schema.get_field_index(expected.name)
        if index < 0:
            problems.append(Problem("column is missing", field=expected.name, rule="X-7"))
        elif not schema.field(index).type.equals(expected.type):
            found = schema.field(index).type
            problems.append(
                Problem(f"is {found}, must be {expected.type}", field=expected.name, rule="X-1")
            )
    problems.extend(
        Problem("unknown column", field=name, rule="X-7")
        for name in schema.names
        if USAGE_SCHEMA.get_field_index(name) < 0
    )
    return problems


def check_usage_schema(schema: pa.Schema, source: str = "usage") -> None:
    """Raise :class:`InvalidInput` listing every difference from :data:`USAGE_SCHEMA`."""
    problems = Problems()
    for problem in usage_schema_problems(schema):
        problems.add(
            Problem(problem.message, field=problem.field, rule=problem.rule, location=source)
        )
    problems.raise_if_any(f"{source} does not have the usage-line layout")


def conform_usage(table: pa.Table, source: str = "usage") -> pa.Table:
    """``table`` in exactly :data:`USAGE_SCHEMA` (column order and ``not null`` markers),
    or :class:`InvalidInput` if a column is missing, mistyped, unknown or holds a null."""
    check_usage_schema(table.schema, source)
    for name in USAGE_SCHEMA.names:
        if table.column(name).null_count:
            raise InvalidInput(f"{source}: {name} holds empty values", field=name, rule="X-7")
    return table.select(USAGE_SCHEMA.names).cast(USAGE_SCHEMA)

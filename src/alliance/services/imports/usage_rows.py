"""The checks of a batch of usage lines, vectorised (X-7, OSR-9, OSR-12, OSR-15).

:func:`check_batch` parses every column of a batch into :data:`USAGE_SCHEMA` and checks
each row against what the store knows — the customer exists, the subscription exists and
is that customer's — returning the canonical batch and every failed
:class:`~alliance.services.imports.columns.RowCheck`. :func:`row_problems` turns the
failing rows, and only those, into located :class:`Problem` values.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from alliance.batch.usage_schema import LINE_KINDS, QUANTITY, UNIT_NET_PRICE, USAGE_SCHEMA
from alliance.domain.errors import Problem
from alliance.services.imports.columns import (
    RowCheck,
    parse_choice,
    parse_decimal,
    parse_flag,
    parse_pattern,
    parse_text,
)

MONTH_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"
CURRENCY_PATTERN = r"^[A-Z]{3}$"
TEXT_FIELDS = ("customer_id", "subscription_id", "service", "service_category")
FLAG_FIELDS = ("third_party", "marketplace", "saas", "free_tier", "rack_subscription", "byol")

Parsed = tuple[pa.Array, list[RowCheck]]


@dataclass(frozen=True)
class KnownFacts:
    """What usage lines are checked against: customers, and each subscription's customer."""

    customers: pa.Array
    subscription_ids: pa.Array
    subscription_customers: pa.Array


def _parsers() -> dict[str, Callable[[pa.Array, str], Parsed]]:
    parsers: dict[str, Callable[[pa.Array, str], Parsed]] = dict.fromkeys(TEXT_FIELDS, parse_text)
    parsers |= dict.fromkeys(FLAG_FIELDS, parse_flag)
    parsers["month"] = lambda a, f: parse_pattern(
        a, f, MONTH_PATTERN, "is not a month written YYYY-MM", "X-2"
    )
    parsers["currency"] = lambda a, f: parse_pattern(
        a, f, CURRENCY_PATTERN, "is not an ISO 4217 currency code such as USD", "X-1"
    )
    parsers["line_kind"] = lambda a, f: parse_choice(a, f, LINE_KINDS, "OSR-15")
    parsers["quantity"] = lambda a, f: parse_decimal(a, f, QUANTITY)
    parsers["unit_net_price"] = lambda a, f: parse_decimal(a, f, UNIT_NET_PRICE)
    return parsers


PARSERS = _parsers()


def check_batch(batch: pa.RecordBatch, known: KnownFacts) -> tuple[pa.RecordBatch, list[RowCheck]]:
    """``batch`` in the canonical schema, and every check its rows fail."""
    columns: dict[str, pa.Array] = {}
    checks: list[RowCheck] = []
    for name in USAGE_SCHEMA.names:
        value, found = PARSERS[name](batch.column(name), name)
        columns[name] = value
        checks += found
    checks += _references(columns, checks, known)
    canonical = pa.RecordBatch.from_arrays(
        [columns[name] for name in USAGE_SCHEMA.names], schema=USAGE_SCHEMA
    )
    return canonical, [check for check in checks if check.any()]


def _references(
    columns: dict[str, pa.Array], checks: list[RowCheck], known: KnownFacts
) -> list[RowCheck]:
    """OSR-9: the customer and the subscription exist, and the subscription is the
    customer's (the consuming tenancy named on the order)."""
    given = {
        name: pc.invert(next(c.mask for c in checks if c.field == name))
        for name in ("customer_id", "subscription_id")
    }
    customer, subscription = columns["customer_id"], columns["subscription_id"]
    position = pc.index_in(subscription, value_set=known.subscription_ids)
    unknown_subscription = pc.and_(given["subscription_id"], pc.is_null(position))
    owner = pc.take(known.subscription_customers, position)
    not_owner = pc.fill_null(pc.not_equal(owner, customer), True)
    foreign = pc.and_(
        pc.and_(given["customer_id"], given["subscription_id"]),
        pc.and_(pc.invert(pc.is_null(position)), not_owner),
    )
    unknown_customer = _unknown(customer, pc.and_(given["customer_id"], not_owner), known)
    return [
        RowCheck("customer_id", "X-7", "is not a known customer", unknown_customer, echo=True),
        RowCheck(
            "subscription_id", "X-7", "is not a known subscription", unknown_subscription, echo=True
        ),
        RowCheck(
            "subscription_id",
            "OSR-9",
            "is the subscription of customer {shown}, not of this line's customer",
            foreign,
            shown=owner,
        ),
    ]


def _unknown(customer: pa.Array, suspects: pa.Array, known: KnownFacts) -> pa.Array:
    """Which of the ``suspects`` rows name no known customer. A line whose subscription
    is its customer's names a known one, so only the (rare) others are looked up — the
    lookup of a few rows instead of a hash of every customer per batch."""
    rows = pc.indices_nonzero(suspects)
    flags = np.zeros(len(customer), dtype=bool)
    if len(rows):
        found = pc.is_in(pc.take(customer, rows), value_set=known.customers)
        flags[rows.to_numpy()] = ~found.to_numpy(zero_copy_only=False)
    return pa.array(flags)


def row_problems(
    batch: pa.RecordBatch,
    checks: list[RowCheck],
    locate: Callable[[int], str],
    limit: int,
) -> Iterator[Problem]:
    """One problem per failed check of each failing row, in row order, at most ``limit``."""
    if not checks or limit <= 0:
        return
    failing = checks[0].mask
    for check in checks[1:]:
        failing = pc.or_(failing, check.mask)
    produced = 0
    for index in pc.indices_nonzero(failing).to_pylist():
        for check in checks:
            if not check.mask[index].as_py():
                continue
            yield Problem(
                _message(batch, check, index),
                field=check.field,
                rule=check.rule,
                location=locate(index),
            )
            produced += 1
            if produced >= limit:
                return


def _message(batch: pa.RecordBatch, check: RowCheck, index: int) -> str:
    if check.shown is not None:
        return check.message.format(shown=check.shown[index].as_py())
    if check.echo:
        return f"{check.message}, got {batch.column(check.field)[index].as_py()!r}"
    return check.message


def failing_rows(checks: list[RowCheck]) -> int:
    """How many rows of the batch fail at least one check."""
    if not checks:
        return 0
    failing = checks[0].mask
    for check in checks[1:]:
        failing = pc.or_(failing, check.mask)
    return int(pc.sum(pc.cast(failing, pa.int64())).as_py() or 0)

"""The facts of a batch accrual as Arrow tables, built from the domain's objects (OSR-2…OSR-13).

The batch accrual (:mod:`alliance.batch.osr_accrual`) reads three tables:

* **usage** — :data:`alliance.batch.usage_schema.USAGE_SCHEMA`, from Parquet files or an
  Arrow table (:func:`usage_table` builds one from :class:`UsageLine` objects);
* **subscriptions** — :data:`SUBSCRIPTIONS_SCHEMA`, one row per subscription: the facts of
  its order the eligibility rules read (:func:`subscriptions_table`);
* **customer rates** — :data:`CUSTOMER_RATES_SCHEMA`, one row per buyer: its on-premises
  support (OSR-2) and the rate it earns (OSR-11). The rate is decided here, by the
  domain's :class:`Rates` — ULA coverage across a corporate hierarchy is evaluated once, in
  Python, never restated in SQL (:func:`customer_rates_table`).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import TypeAlias

import ibis
import ibis.expr.types as ir
import pyarrow as pa
import pyarrow.compute as pc
from ibis.backends import BaseBackend

from alliance.batch.usage_schema import USAGE_SCHEMA, check_layout, conform
from alliance.domain.errors import InvalidInput
from alliance.domain.rewards import Customer, Rates, RewardTerms, Subscription, UsageLine

FactsSource: TypeAlias = pa.Table | str | Path
"""Subscriptions or customer rates: an Arrow table, or a Parquet file."""

_RATE = frozenset({"rate"})  # any decimal type will do

SUBSCRIPTIONS_SCHEMA = pa.schema(
    [
        pa.field("subscription_id", pa.string(), nullable=False),
        pa.field("customer_id", pa.string(), nullable=False),
        pa.field("buyer_id", pa.string(), nullable=False),  # OSR-9: the rewards' owner
        pa.field("order_type", pa.string(), nullable=False),  # OSR-2: OrderType values
        pa.field("service_start", pa.date32(), nullable=False),  # OSR-13
        pa.field("service_end", pa.date32(), nullable=False),  # OSR-13
        pa.field("country", pa.string(), nullable=False),  # OSR-3: ISO 3166-1 alpha-2
        pa.field("sector", pa.string(), nullable=False),  # OSR-3: Sector values
        pa.field("enrolled", pa.bool_(), nullable=False),  # OSR-4
        pa.field("opted_out_on", pa.date32(), nullable=True),  # OSR-4
        pa.field("has_paas_conversion_right", pa.bool_(), nullable=False),  # OSR-6
    ]
)
"""One row per subscription, with the facts of its order that the rules read."""


def customer_rates_schema(rate: pa.Decimal128Type) -> pa.Schema:
    """The customer-rates schema, with ``rate`` of the decimal type ``rate``."""
    return pa.schema(
        [
            pa.field("customer_id", pa.string(), nullable=False),
            pa.field("has_on_premises_support", pa.bool_(), nullable=False),  # OSR-2
            pa.field("rate", rate, nullable=False),  # OSR-11: a fraction, 0.25 or 0.33
        ]
    )


CUSTOMER_RATES_SCHEMA = customer_rates_schema(pa.decimal128(3, 2))
"""One row per customer: what the default terms' rates (25 %, 33 %) fit in; a table for
other terms may use a wider decimal (:func:`rate_type`)."""


def rate_type(rates: Iterable[Decimal]) -> pa.Decimal128Type:
    """The narrowest decimal type holding every one of ``rates`` (fractions 0…1) exactly."""
    scale = 2
    for rate in rates:
        exponent = rate.normalize().as_tuple().exponent
        if not isinstance(exponent, int) or not 0 <= rate <= 1:
            raise InvalidInput(f"a rate is a fraction 0…1, got {rate}", field="rate", rule="OSR-11")
        scale = max(scale, -exponent)
    if scale > 27:
        raise InvalidInput(
            f"a rate with {scale} decimals cannot be applied exactly", field="rate", rule="X-1"
        )
    return pa.decimal128(scale + 1, scale)


def customer_rates_table(customers: Iterable[Customer], terms: RewardTerms) -> pa.Table:
    """Every customer's on-premises support and the rate it earns, decided by the domain
    (OSR-11: ULA holders, entities their ULA covers and — with
    ``terms.ula_rate_across_hierarchy`` — every entity of a hierarchy holding a ULA earn
    ``terms.ula_rate``; the others ``terms.standard_rate``)."""
    by_id: dict[str, Customer] = {}
    for customer in customers:
        if by_id.setdefault(customer.id, customer) != customer:
            raise InvalidInput(f"two different customers have the id {customer.id}", field="id")
    rates = Rates({c.id: c for c in by_id.values()}, terms)
    ids = sorted(by_id)
    return pa.table(
        {
            "customer_id": ids,
            "has_on_premises_support": [by_id[i].has_on_premises_support for i in ids],
            "rate": [rates.for_customer(by_id[i].id).rate for i in ids],
        },
        schema=customer_rates_schema(rate_type([terms.standard_rate, terms.ula_rate])),
    )


def subscriptions_table(subscriptions: Iterable[Subscription]) -> pa.Table:
    """One row per subscription, in :data:`SUBSCRIPTIONS_SCHEMA`."""
    subs = list(subscriptions)
    return pa.table(
        {
            "subscription_id": [s.id for s in subs],
            "customer_id": [s.customer_id for s in subs],
            "buyer_id": [s.buyer_id for s in subs],
            "order_type": [s.order_type.value for s in subs],
            "service_start": [s.service_period.start for s in subs],
            "service_end": [s.service_period.end for s in subs],
            "country": [s.country for s in subs],
            "sector": [s.sector.value for s in subs],
            "enrolled": [s.enrolled for s in subs],
            "opted_out_on": [s.opted_out_on for s in subs],
            "has_paas_conversion_right": [s.has_paas_conversion_right for s in subs],
        },
        schema=SUBSCRIPTIONS_SCHEMA,
    )


def usage_table(lines: Iterable[UsageLine]) -> pa.Table:
    """``lines`` in :data:`USAGE_SCHEMA` (the line numbers are not kept)."""
    rows = list(lines)
    return pa.table(
        {
            "customer_id": [u.customer_id for u in rows],
            "subscription_id": [u.subscription_id for u in rows],
            "service": [u.service for u in rows],
            "service_category": [u.service_category for u in rows],
            "month": [u.month.label for u in rows],
            "quantity": [u.quantity for u in rows],
            "unit_net_price": [u.unit_net_price for u in rows],
            "currency": [u.currency for u in rows],
            "line_kind": [u.kind.value for u in rows],
            "third_party": [u.third_party for u in rows],
            "marketplace": [u.marketplace for u in rows],
            "saas": [u.saas for u in rows],
            "free_tier": [u.free_tier for u in rows],
            "rack_subscription": [u.rack_subscription for u in rows],
            "byol": [u.byol for u in rows],
        },
        schema=USAGE_SCHEMA,
    )


def subscription_facts(backend: BaseBackend, source: FactsSource) -> ir.Table:
    """The subscriptions of ``source`` — an Arrow table, or a Parquet file read where it
    is — as a table of ``backend``, checked (:func:`checked_subscriptions`)."""
    if isinstance(source, pa.Table):
        return ibis.memtable(checked_subscriptions(source))
    return _facts_file(backend, source, SUBSCRIPTIONS_SCHEMA, "subscription")


def customer_rate_facts(backend: BaseBackend, source: FactsSource) -> ir.Table:
    """The customer rates of ``source`` — an Arrow table, or a Parquet file read where it
    is — as a table of ``backend``, checked (:func:`checked_customer_rates`)."""
    if isinstance(source, pa.Table):
        return ibis.memtable(checked_customer_rates(source))
    return _facts_file(backend, source, CUSTOMER_RATES_SCHEMA, "customer", _RATE)


def _facts_file(
    backend: BaseBackend,
    path: str | Path,
    expected: pa.Schema,
    what: str,
    any_decimal: frozenset[str] = frozenset(),
) -> ir.Table:
    """A Parquet file of facts, checked by one small query: the layout, one row per id
    (an identical repeated row is harmless, as with Arrow tables), no empty value where
    ``expected`` allows none (X-7).

    The file is read as it is when its ids are unique — the usual case, and then no
    repeated row can exist — and through ``DISTINCT`` only when some id repeats, so that
    the accrual does not deduplicate hundreds of thousands of rows for nothing."""
    table = backend.read_parquet(str(path)).select(*expected.names)
    check_layout(table.schema().to_pyarrow(), expected, str(path), any_decimal=any_decimal)
    rows, ids = _counts(backend, table, expected, path)
    if ids == rows:
        return table
    table = table.distinct()
    rows, ids = _counts(backend, table, expected, path)
    if ids != rows:
        raise InvalidInput(f"{path}: two {what}s have one id", field="id", rule="X-7")
    return table


def _counts(
    backend: BaseBackend, table: ir.Table, expected: pa.Schema, path: str | Path
) -> tuple[int, int]:
    """Rows, distinct ids and filled values of ``table``; :class:`InvalidInput` when a
    column ``expected`` declares not nullable holds an empty value (X-7)."""
    id_column = expected.names[0]
    required = [field.name for field in expected if not field.nullable]
    checks = table.aggregate(
        rows=table.count(),
        ids=table[id_column].nunique(),
        **{f"filled_{name}": table[name].count() for name in required},
    )
    [found] = backend.to_pyarrow(checks).to_pylist()
    for name in required:
        if found[f"filled_{name}"] != found["rows"]:
            raise InvalidInput(f"{path}: {name} holds empty values", field=name, rule="X-7")
    return found["rows"], found["ids"]


def checked_subscriptions(table: pa.Table) -> pa.Table:
    """``table`` in :data:`SUBSCRIPTIONS_SCHEMA`, one row per subscription; otherwise
    :class:`InvalidInput` (X-7)."""
    return _one_row_per_id(conform(table, SUBSCRIPTIONS_SCHEMA, "subscriptions"), "subscription")


def checked_customer_rates(table: pa.Table) -> pa.Table:
    """``table`` in :data:`CUSTOMER_RATES_SCHEMA` (``rate`` of any decimal type), one row
    per customer; otherwise :class:`InvalidInput` (X-7)."""
    rates = conform(table, CUSTOMER_RATES_SCHEMA, "customers", any_decimal=_RATE)
    return _one_row_per_id(rates, "customer")


def _one_row_per_id(table: pa.Table, what: str) -> pa.Table:
    """``table`` without repeated identical rows; two different rows with one id are
    refused, as the reference refuses them."""
    id_column = table.schema.names[0]
    if len(pc.unique(table.column(id_column))) == table.num_rows:
        return table
    distinct = table.group_by(table.schema.names, use_threads=False).aggregate([])
    distinct = distinct.select(table.schema.names).cast(table.schema)
    if len(pc.unique(distinct.column(id_column))) != distinct.num_rows:
        counts = distinct.group_by(id_column).aggregate([(id_column, "count")])
        twice = counts.filter(pc.greater(counts.column(f"{id_column}_count"), 1))
        first = twice.column(id_column)[0].as_py()
        raise InvalidInput(f"two different {what}s have the id {first}", field="id")
    return distinct

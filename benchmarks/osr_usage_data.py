"""A fast, deterministic generator of OSR benchmark data: usage lines, subscriptions, rates.

The usage file has exactly the demo data set's layout (``USAGE_SCHEMA``) and draws its
services, prices, quantities and flags the way ``alliance.demo.dataset`` does, but it is
written chunk by chunk (one Parquet row group per chunk) straight from NumPy integers, so
that 100 M lines never sit in memory at once. Subscriptions (one per customer) and
customers cover every rule of the accrual: other order types, excluded countries and
sector, opt-outs, service periods starting and ending inside the data, PaaS conversion
rights, buyers other than the consuming customer, customers without on-premises support,
ULA holders and corporate hierarchies. Customer rates come from the domain
(``customer_rates_table``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from alliance.batch.osr_facts import SUBSCRIPTIONS_SCHEMA, customer_rates_table
from alliance.batch.usage_schema import QUANTITY, UNIT_NET_PRICE, USAGE_SCHEMA
from alliance.demo.dataset import (
    COUNTRIES,
    COUNTRY_WEIGHTS,
    DEFAULT_END_MONTH,
    SERVICE_PRICES,
    SERVICE_WEIGHTS,
    SERVICES,
)
from alliance.domain.ids import OrganizationId
from alliance.domain.rewards import Customer, RewardTerms

CHUNK = 2_000_000
MONTHS = [DEFAULT_END_MONTH.shift(-23 + i) for i in range(24)]
ORDER_TYPES = np.array(["committed_credits", "pay_as_you_go", "trial", "free_tier", "promotion"])
ORDER_TYPE_WEIGHTS = np.array([85, 5, 4, 3, 3], dtype=float)


@dataclass(frozen=True)
class DataSet:
    """Where the files of one benchmark data set are."""

    folder: Path

    @property
    def usage(self) -> Path:
        return self.folder / "usage.parquet"

    @property
    def subscriptions(self) -> Path:
        return self.folder / "subscriptions.parquet"

    @property
    def customers(self) -> Path:
        return self.folder / "customers.parquet"

    @property
    def complete(self) -> bool:
        return all(p.exists() for p in (self.usage, self.subscriptions, self.customers))


def ensure(folder: Path, lines: int, customers: int, seed: int = 7) -> DataSet:
    """The data set in ``folder``, generated first unless it is already there."""
    data = DataSet(folder)
    if data.complete:
        return data
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    ids = pa.array([f"cus_d{i:08d}" for i in range(customers)])
    pq.write_table(_subscriptions(rng, ids), data.subscriptions, compression="zstd")
    pq.write_table(_customer_rates(rng, ids), data.customers, compression="zstd")
    partial = data.usage.with_suffix(".partial")
    with pq.ParquetWriter(partial, USAGE_SCHEMA, compression="zstd") as writer:
        for start in range(0, lines, CHUNK):
            size = min(CHUNK, lines - start)
            writer.write_table(_usage_chunk(rng, ids, start, size, lines), row_group_size=size)
    partial.rename(data.usage)
    return data


def _decimals(units: np.ndarray, type_: pa.Decimal128Type) -> pa.Array:
    """Non-negative int64 counts of 10**-scale → a decimal array, without a Python loop."""
    words = np.zeros((len(units), 2), dtype=np.int64)
    words[:, 0] = units  # little-endian 128-bit: low word, then a zero high word
    return pa.Array.from_buffers(type_, len(units), [None, pa.py_buffer(words)])


def _usage_chunk(
    rng: np.random.Generator, ids: pa.Array, start: int, size: int, total: int
) -> pa.Table:
    """Lines ``start``…``start + size`` of ``total``, for the customers of that slice."""
    n_c = len(ids)
    low, high = start * n_c // total, max((start + size) * n_c // total, start * n_c // total + 1)
    customer = pa.array(np.sort(rng.integers(low, high, size)))
    service = rng.choice(len(SERVICES), size=size, p=SERVICE_WEIGHTS / SERVICE_WEIGHTS.sum())
    micros = np.array([int(Decimal(p) * 1_000_000) for p in SERVICE_PRICES])
    quantity = np.round(rng.lognormal(5.0, 1.3, size) * 10_000).astype(np.int64)
    flags = SERVICES[service]
    names = pa.array(SERVICES[:, 0].astype(str))
    categories = pa.array(SERVICES[:, 1].astype(str))
    labels = pa.array([m.label for m in MONTHS])
    service_index = pa.array(service)
    return pa.table(
        {
            "customer_id": ids.take(customer),
            "subscription_id": pc.binary_join_element_wise("sub_", ids.take(customer), ""),
            "service": names.take(service_index),
            "service_category": categories.take(service_index),
            "month": labels.take(pa.array(rng.integers(0, len(MONTHS), size))),
            "quantity": _decimals(quantity, QUANTITY),
            "unit_net_price": _decimals(micros[service], UNIT_NET_PRICE),
            "currency": pa.array(np.full(size, "USD")),
            "line_kind": pa.array(np.where(rng.random(size) < 0.05, "overage", "regular")),
            "third_party": flags[:, 2].astype(bool),
            "marketplace": flags[:, 3].astype(bool),
            "saas": flags[:, 4].astype(bool),
            "free_tier": rng.random(size) < 0.02,
            "rack_subscription": flags[:, 5].astype(bool),
            "byol": np.char.find(flags[:, 0].astype(str), "BYOL") >= 0,
        },
        schema=USAGE_SCHEMA,
    )


def _subscriptions(rng: np.random.Generator, ids: pa.Array) -> pa.Table:
    """One subscription per customer; 5 % bought by another customer (OSR-9)."""
    n = len(ids)
    buyer = np.where(rng.random(n) < 0.05, rng.integers(0, n, n), np.arange(n))
    first = MONTHS[0].start
    start = np.datetime64(first - timedelta(days=180)) + rng.integers(0, 780, n).astype(
        "timedelta64[D]"
    )
    end = start + rng.integers(365, 1096, n).astype("timedelta64[D]")
    opted = rng.random(n) < 0.03
    opt_day = np.datetime64(first) + rng.integers(0, 730, n).astype("timedelta64[D]")
    sector = np.where(rng.random(n) < 0.1, "public", "commercial")
    country = COUNTRIES[rng.choice(len(COUNTRIES), n, p=COUNTRY_WEIGHTS / COUNTRY_WEIGHTS.sum())]
    federal = (country == "US") & (rng.random(n) < 0.05)
    return pa.table(
        {
            "subscription_id": pc.binary_join_element_wise("sub_", ids, ""),
            "customer_id": ids,
            "buyer_id": ids.take(pa.array(buyer)),
            "order_type": ORDER_TYPES[
                rng.choice(len(ORDER_TYPES), n, p=ORDER_TYPE_WEIGHTS / ORDER_TYPE_WEIGHTS.sum())
            ],
            "service_start": pa.array(start, type=pa.date32()),
            "service_end": pa.array(end, type=pa.date32()),
            "country": country,
            "sector": np.where(federal, "us_federal_public_sector", sector),
            "enrolled": rng.random(n) < 0.97,
            "opted_out_on": pa.array(np.where(opted, opt_day, np.datetime64("NaT")), pa.date32()),
            "has_paas_conversion_right": rng.random(n) < 0.02,
        },
        schema=SUBSCRIPTIONS_SCHEMA,
    )


def _customer_rates(rng: np.random.Generator, ids: pa.Array) -> pa.Table:
    """Customers — 10 % subsidiaries, 4 % ULA holders (some covering another entity),
    8 % without on-premises support — and their rates, decided by the domain (OSR-11)."""
    n = len(ids)
    names = [OrganizationId(i) for i in ids.to_pylist()]
    # A parent always comes earlier in the list, so hierarchies have no cycle.
    earlier = (rng.random(n) * np.arange(n)).astype(np.int64)
    parent = np.where((rng.random(n) < 0.1) & (np.arange(n) > 0), earlier, -1)
    ula = rng.random(n) < 0.04
    covers = np.where(ula & (rng.random(n) < 0.25), rng.integers(0, n, n), -1)
    support = rng.random(n) >= 0.08
    customers = [
        Customer(
            names[i],
            parent_id=names[parent[i]] if parent[i] >= 0 else None,
            has_on_premises_support=bool(support[i]),
            has_ula=bool(ula[i]),
            ula_covers=frozenset({names[covers[i]]}) if covers[i] >= 0 else frozenset(),
        )
        for i in range(n)
    ]
    return customer_rates_table(customers, RewardTerms.default())

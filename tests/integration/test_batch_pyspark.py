"""The same Ibis expression on PySpark in local mode gives the same lots as DuckDB and
the reference (ARCHITECTURE: Batch engine; OSR-11…OSR-16, X-1).

PySpark needs a Java runtime (17 or later for PySpark 4). Without one the tests are
skipped locally, and fail when ``CI`` is set: CI must never skip them silently.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import ibis
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from batch_osr_builders import (
    DEC_2021,
    TERMS,
    batch,
    customer,
    line,
    problem_rules,
    reference,
    rows_of,
    subscription,
)
from ibis.backends import BaseBackend

from alliance.batch import exact_decimals as exact
from alliance.batch.backends import duckdb_backend, pyspark_backend
from alliance.batch.osr_accrual import accrue_months_batch
from alliance.batch.osr_facts import customer_rates_table, subscriptions_table, usage_table
from alliance.domain.calendar import DateRange, Month
from alliance.domain.rewards import (
    Customer,
    LineKind,
    OrderType,
    RewardTerms,
    Subscription,
    UsageLine,
)
from alliance.domain.rounding import round_half_up

NOV_2021 = Month(2021, 11)


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set: the PySpark tests must run there)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def spark() -> Iterator[BaseBackend]:
    """One local Spark session for the module (starting one takes ~15 s)."""
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        _unavailable("no Java runtime: PySpark needs Java 17 or later")
    pytest.importorskip("pyspark")
    backend = pyspark_backend(master="local[2]", shuffle_partitions=2)
    yield backend
    backend.disconnect()


def facts() -> tuple[list[UsageLine], list[Subscription], list[Customer]]:
    """Three buyers over two months: rates, exclusions, the buyer rule, three currencies."""
    customers = [
        customer("cus_a"),
        customer("cus_b", ula=True),
        customer("cus_c", parent="cus_b"),
        customer("cus_d", on_premises_support=False),
    ]
    subs = [
        subscription("sub_a", customer_id="cus_a"),
        subscription("sub_b", customer_id="cus_b", country="JP"),
        subscription("sub_c", customer_id="cus_c", buyer="cus_b"),
        subscription("sub_d", customer_id="cus_d"),
        subscription("sub_t", customer_id="cus_a", order_type=OrderType.TRIAL),
        subscription(
            "sub_x", customer_id="cus_c", period=DateRange(date(2021, 12, 1), date(2022, 6, 30))
        ),
    ]
    lines = [
        line("10.70", sub="sub_a", customer_id="cus_a", line_no=1),
        line("0.0255", quantity="1234.5678", sub="sub_a", customer_id="cus_a", line_no=2),
        line("1200", sub="sub_a", customer_id="cus_a", line_no=3, rack_subscription=True),
        line("2.5", sub="sub_a", customer_id="cus_a", line_no=4, kind=LineKind.OVERAGE),
        line("99", sub="sub_t", customer_id="cus_a", line_no=5),
        line("1002", sub="sub_b", customer_id="cus_b", currency="JPY", line_no=6),
        line("3", sub="sub_c", customer_id="cus_c", currency="JPY", line_no=7, byol=True),
        line("7.77", sub="sub_x", customer_id="cus_c", currency="KWD", line_no=8),
        line("7.77", sub="sub_x", customer_id="cus_c", currency="KWD", month=NOV_2021),
        line("500", sub="sub_d", customer_id="cus_d", line_no=10),
        line("10.70", sub="sub_a", customer_id="cus_a", month=NOV_2021, line_no=11),
        line("0.006", sub="sub_a", customer_id="cus_a", month=NOV_2021, line_no=12, saas=True),
    ]
    return lines, subs, customers


@pytest.mark.parametrize(
    "terms",
    [TERMS, replace(TERMS, standard_rate=Decimal("0.125"), ula_rate=Decimal("0.3333"))],
    ids=["default terms", "rates with 3 and 4 decimals"],
)
def test_pyspark_accrues_the_same_lots_as_duckdb_and_the_reference(
    spark: BaseBackend, tmp_path: Path, terms: RewardTerms
) -> None:
    """The expression reads the same small Parquet file on both backends."""
    lines, subs, customers = facts()
    path = tmp_path / "usage.parquet"
    pq.write_table(usage_table(lines), path)
    subscriptions, rates = subscriptions_table(subs), customer_rates_table(customers, terms)

    def accrue(backend: BaseBackend) -> pa.Table:
        return accrue_months_batch(None, path, subscriptions, rates, terms, backend=backend)

    on_spark = rows_of(accrue(spark))
    assert on_spark == rows_of(accrue(duckdb_backend()))
    assert on_spark == reference([NOV_2021, DEC_2021], lines, subs, customers, terms).rows
    assert len(on_spark) == 4  # cus_a twice, cus_b (JPY), cus_c (KWD) in December


def test_pyspark_refuses_two_currencies_in_one_buyer_month(spark: BaseBackend) -> None:
    """X-1, X-7: as the reference and DuckDB do."""
    lines = [line("1000"), line("1", line_no=2, currency="EUR")]
    outcome = batch([DEC_2021], lines, [subscription()], [customer()], backend=spark)
    assert problem_rules(outcome) == {("currency", "X-1")}


TIES = ["0.125", "-0.125", "0.135", "2.5", "-2.5", "0.004999999999", "0.005"]


def test_spark_rounds_decimal_ties_away_from_zero(spark: BaseBackend) -> None:
    """X-1: the batch rounds with the backend's ROUND of a DECIMAL; Spark's is half-up."""
    values = pa.array([Decimal(v) for v in TIES], pa.decimal128(38, 12))
    table = ibis.memtable(pa.table({"x": values, "currency": ["USD"] * len(TIES)}))
    expression = table.select(
        two=exact.round_half_up(table.x, 2),
        earns=exact.at_least_half_a_step(table.x, table.currency),
    )
    result = spark.to_pyarrow(expression)
    assert result.column("two").to_pylist() == [round_half_up(Decimal(v), 2) for v in TIES]
    assert result.column("earns").to_pylist() == [round_half_up(Decimal(v), 2) > 0 for v in TIES]

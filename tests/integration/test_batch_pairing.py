"""Ibis and DuckDB are pinned to a pairing known to work, and DuckDB computes what the
batch expressions assume (X-1).

Some pairings break ``con.sql()`` (DuckDB 2 with Ibis 12); the lock file pins one that
works, and these tests fail as soon as the installed versions drift from it.
"""

from __future__ import annotations

import re
from decimal import Decimal
from importlib.metadata import version
from pathlib import Path

import ibis
import ibis.expr.datatypes as dt
import pyarrow as pa
import pytest

from alliance.batch import exact_decimals as exact
from alliance.domain.rewards.exact import product
from alliance.domain.rounding import round_half_up

ROOT = Path(__file__).resolve().parents[2]
PINNED = ("ibis-framework", "duckdb", "pyarrow", "pyspark")


def locked_versions() -> dict[str, str]:
    """``name==version`` lines of requirements.lock."""
    text = (ROOT / "requirements.lock").read_text()
    return {m[1].lower(): m[2] for m in re.finditer(r"^([A-Za-z0-9_.\-]+)==(\S+)", text, re.M)}


def test_ibis_runs_raw_sql_on_duckdb() -> None:
    """The call that breaks with a wrong pairing: ``con.sql()`` executes."""
    connection = ibis.duckdb.connect()
    assert connection.sql("select 1 as a").to_pyarrow().to_pylist() == [{"a": 1}]


@pytest.mark.parametrize("package", PINNED)
def test_the_installed_version_is_the_locked_one(package: str) -> None:
    assert version(package) == locked_versions()[package]


def test_ibis_12_and_duckdb_1_are_the_pairing() -> None:
    """ibis 12.0.0 with duckdb < 2, as pyproject.toml and the lock say."""
    assert locked_versions()["ibis-framework"] == "12.0.0"
    assert int(locked_versions()["duckdb"].split(".")[0]) < 2
    assert '"duckdb>=1.4,<2"' in (ROOT / "pyproject.toml").read_text()


TIES = ["0.125", "-0.125", "0.135", "2.5", "-2.5", "0.004999999999", "0.005", "1E+3"]


def test_duckdb_rounds_decimal_ties_away_from_zero() -> None:
    """X-1: the batch rounds with the backend's ROUND of a DECIMAL; on DuckDB it is the
    domain's half-up."""
    values = pa.array([Decimal(v) for v in TIES], pa.decimal128(38, 12))
    table = ibis.memtable(pa.table({"x": values}))
    expression = table.select(
        two=exact.round_half_up(table.x, 2), none=exact.round_half_up(table.x, 0)
    )
    result = ibis.duckdb.connect().to_pyarrow(expression)
    assert result.column("two").to_pylist() == [round_half_up(Decimal(v), 2) for v in TIES]
    assert result.column("none").to_pylist() == [round_half_up(Decimal(v), 0) for v in TIES]


@pytest.mark.parametrize(
    ("value", "currency", "earns"),
    [
        ("0.004999999999", "USD", False),
        ("0.005", "USD", True),
        ("0.499999", "JPY", False),
        ("0.5", "JPY", True),
        ("0.000499", "KWD", False),
        ("0.0005", "KWD", True),
    ],
)
def test_half_a_minor_unit_is_the_threshold_of_a_lot(
    value: str, currency: str, earns: bool
) -> None:
    """X-1: the same as ``round_half_up(value) > 0``. A CASE of DECIMAL(38,1) and
    DECIMAL(38,3) is typed DECIMAL(38,1) by DuckDB (0.005 becomes 0.0), so every branch
    of the threshold has one explicit type."""
    table = ibis.memtable(
        pa.table({"x": pa.array([Decimal(value)], pa.decimal128(38, 12)), "currency": [currency]})
    )
    expression = table.select(earns=exact.at_least_half_a_step(table.x, table.currency))
    [row] = ibis.duckdb.connect().to_pyarrow(expression).to_pylist()
    assert row["earns"] is earns


def test_a_line_value_has_ten_exact_decimals() -> None:
    """X-1: quantity (18,4) × unit net price (18,6) is DECIMAL(38,10) with no rounding; the
    narrow product DuckDB would choose (18,10) could not hold 10⁸."""
    table = ibis.memtable(
        pa.table(
            {
                "q": pa.array([Decimal("99999999999999.9999")], pa.decimal128(18, 4)),
                "p": pa.array([Decimal("999999999999.999999")], pa.decimal128(18, 6)),
            }
        )
    )
    expression = table.select(v=exact.line_value(table.q, table.p))
    assert expression.schema()["v"] == dt.Decimal(38, 10)
    [row] = ibis.duckdb.connect().to_pyarrow(expression).to_pylist()
    assert row["v"] == product(Decimal("99999999999999.9999"), Decimal("999999999999.999999"))
    assert str(row["v"]) == "99999999999999999800000000.0000000001"

"""Connections of the batch engine: DuckDB embedded by default, PySpark to scale out.

The batch evaluations are Ibis expressions; a *backend* runs them. Nothing here is
created at import time: the composition root (or a test) calls :func:`duckdb_backend` or
:func:`pyspark_backend` and passes the connection on.

**Exact decimals (X-1).** DuckDB computes the expressions of
:mod:`alliance.batch.exact_decimals` exactly as they are written. Spark, by default, may
*lower the scale* of a decimal product that does not fit 38 digits — a silent rounding —
and, without ANSI mode, turns an overflow into NULL. :func:`exact_decimal_settings` turns
both off for a session; :func:`pyspark_backend` applies them, and the accruals re-apply
them to any PySpark backend they are given.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeAlias

import ibis
import ibis.expr.types as ir
import pyarrow as pa
from ibis.backends import BaseBackend

from alliance.batch.usage_schema import USAGE_SCHEMA, check_usage_schema, conform_usage

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

SPARK_EXACT_DECIMALS: Mapping[str, str] = MappingProxyType(
    {
        # Never round a product or quotient to fit 38 digits; overflow instead.
        "spark.sql.decimalOperations.allowPrecisionLoss": "false",
        # An overflow raises instead of becoming NULL.
        "spark.sql.ansi.enabled": "true",
        # Dates are days in the program's time zone.
        "spark.sql.session.timeZone": "UTC",
    }
)
"""The Spark session settings under which the batch expressions are exact."""

UsageSource: TypeAlias = pa.Table | str | Path | Sequence[str | Path]
"""Usage lines: an Arrow table, or one or more Parquet files (globs allowed on DuckDB)."""


def duckdb_backend(
    *,
    threads: int | None = None,
    memory_limit: str | None = None,
    temp_directory: str | Path | None = None,
) -> BaseBackend:
    """An in-memory DuckDB connection tuned for batch work: insertion order is not kept
    (results are sets), ``threads`` and ``memory_limit`` (``"2GB"``) are DuckDB's own."""
    config: dict[str, Any] = {"preserve_insertion_order": False}
    if threads is not None:
        config["threads"] = threads
    if memory_limit is not None:
        config["memory_limit"] = memory_limit
    if temp_directory is not None:
        config["temp_directory"] = str(temp_directory)
    return ibis.duckdb.connect(**config)


def pyspark_backend(
    session: SparkSession | None = None,
    *,
    master: str = "local[2]",
    shuffle_partitions: int = 4,
) -> BaseBackend:
    """A PySpark backend on ``session``, or on a new local session (``master``) sized for
    one machine; the session gets :data:`SPARK_EXACT_DECIMALS`. Needs Java 17 or later."""
    if session is None:
        from pyspark.sql import SparkSession

        builder = SparkSession.builder.master(master).appName("alliance-batch")
        settings = {
            **SPARK_EXACT_DECIMALS,
            "spark.ui.enabled": "false",
            "spark.ui.showConsoleProgress": "false",
            "spark.sql.shuffle.partitions": str(shuffle_partitions),
        }
        for key, value in settings.items():
            builder = builder.config(key, value)
        session = builder.getOrCreate()
        session.sparkContext.setLogLevel("ERROR")
    backend = ibis.pyspark.connect(session)
    exact_decimal_settings(backend)
    return backend


def exact_decimal_settings(backend: BaseBackend) -> None:
    """Put ``backend`` in the settings under which decimal arithmetic is exact (X-1):
    :data:`SPARK_EXACT_DECIMALS` on PySpark; nothing to do on DuckDB."""
    if backend.name == "pyspark":
        session: SparkSession = backend._session
        for key, value in SPARK_EXACT_DECIMALS.items():
            session.conf.set(key, value)


def usage_lines(backend: BaseBackend, source: UsageSource) -> ir.Table:
    """The usage lines of ``source`` as a table of ``backend``, checked to have the layout
    of :data:`USAGE_SCHEMA` (X-7); Parquet files are read where they are, not loaded."""
    if isinstance(source, pa.Table):
        return ibis.memtable(conform_usage(source))
    paths = [source] if isinstance(source, str | Path) else list(source)
    if not paths:
        raise ValueError("no usage files given")
    table = backend.read_parquet([str(p) for p in paths] if len(paths) > 1 else str(paths[0]))
    check_usage_schema(table.schema().to_pyarrow(), source=", ".join(str(p) for p in paths))
    return table.select(*USAGE_SCHEMA.names)

"""Benchmark: the OSR monthly accrual in the batch engine against hand-written DuckDB SQL.

    .venv/bin/python benchmarks/osr_accrual.py                       # 10 M lines, 5 runs
    .venv/bin/python benchmarks/osr_accrual.py --lines 100000000 --runs 1

Both sides compute the accruals of every buyer-month of one Parquet file of usage lines
(the demo layout, ``USAGE_SCHEMA``), with the same subscriptions and customer rates:

* **batch** — ``accrue_months_batch(None, …)``: the Ibis expression on DuckDB, its
  bad-input checks, the Arrow result;
* **sql** — :data:`HAND_WRITTEN_SQL`, what one would write straight against the files:
  the same joins, eligibility filters, exact sums, rate, half-up rounding, dates and keys,
  and the same cheap "earns at least a cent" filter (``≥ 0.005`` before rounding rather
  than rounding twice), without the bad-input checks: inner joins (a line of an unknown
  subscription or buyer silently drops out), ``any_value(currency)`` (mixed currencies
  are not seen), no check of negative lines, line kinds, overflow, duplicate ids, empty
  values or malformed months, and USD's two decimals written in (the data is USD only).

Each measurement runs in its own process (peak memory is that process's ``ru_maxrss``:
interpreter, imports, DuckDB and the result). The clock starts after a warm-up (imports
made on first use, a trivial query) and stops with the Arrow result in hand; both sides
read the same three Parquet files where they are. The batch side's time includes its
checks of the subscription and customer files (one small query each). Wall time and the
process's CPU time (all threads) of the timed part are both reported: on a shared
machine the CPU time is the steadier of the two. The two sides alternate, the medians
are reported, and every run's result is digested: the digests of both sides must agree.
Data sets are generated once into ``benchmarks/data/`` (git-ignored) by
:mod:`osr_usage_data`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

HAND_WRITTEN_SQL = """
WITH subscription AS (
    SELECT s.subscription_id, s.buyer_id, c.rate,
           s.order_type = 'committed_credits'
           AND s.country NOT IN ('CN', 'CO', 'MX', 'TW')
           AND s.sector <> 'us_federal_public_sector'
           AND s.enrolled AND NOT s.has_paas_conversion_right
           AND c.has_on_premises_support AS order_earns,
           strftime(s.service_start, '%Y-%m') AS first_month,
           strftime(s.service_end, '%Y-%m') AS last_month,
           strftime(s.opted_out_on, '%Y-%m') AS opted_out_month
    FROM read_parquet('{subscriptions}') s
    JOIN read_parquet('{customers}') c ON c.customer_id = s.buyer_id
),
per_line AS (
    SELECT s.buyer_id, u.month, u.currency, s.rate, u.quantity, u.unit_net_price,
           s.order_earns
           AND NOT (u.free_tier OR u.third_party OR u.marketplace OR u.saas
                    OR u.rack_subscription)
           AND u.month BETWEEN s.first_month AND s.last_month
           AND (s.opted_out_month IS NULL OR u.month <= s.opted_out_month) AS earns
    FROM read_parquet('{usage}') u
    JOIN subscription s USING (subscription_id)
),
per_month AS (
    SELECT buyer_id, month, any_value(currency) AS currency, any_value(rate) AS rate,
           sum(CAST(quantity AS DECIMAL(38, 4)) * unit_net_price) FILTER (earns)
               AS consumption,
           count(*) FILTER (earns) AS counted_lines,
           count(*) FILTER (NOT earns) AS excluded_lines
    FROM per_line
    GROUP BY buyer_id, month
)
SELECT buyer_id, month, currency,
       CAST(coalesce(consumption, 0) AS DECIMAL(38, 10)) AS eligible_consumption,
       rate,
       round(coalesce(consumption, 0) * rate, 2) AS amount,
       counted_lines, excluded_lines,
       CAST(CAST(month || '-01' AS DATE) + INTERVAL 1 MONTH - INTERVAL 1 DAY AS DATE)
           AS accrued_on,
       CAST(CAST(month || '-01' AS DATE) + INTERVAL 13 MONTH - INTERVAL 1 DAY AS DATE)
           AS expires_on,
       'osr:accrual:' || buyer_id || ':' || month AS idempotency_key
FROM per_month
WHERE coalesce(consumption, 0) * rate >= 0.005  -- rounds half-up to at least 0.01
"""
"""The accruals of every buyer-month under the default terms (25 %/33 %, USD cents)."""

DIGEST_SQL = """
SELECT count(*) AS rows, sum(amount) AS total,
       sum(hash(concat_ws('|', buyer_id, month, currency,
                          CAST(eligible_consumption AS DECIMAL(38, 10)),
                          CAST(rate AS DECIMAL(3, 2)), CAST(amount AS DECIMAL(38, 2)),
                          counted_lines, excluded_lines, accrued_on, expires_on,
                          idempotency_key))) AS digest
FROM result
"""
"""An order-independent digest of an accrual table, the same for equal row sets."""


@dataclass(frozen=True)
class Measurement:
    side: str
    seconds: float
    cpu_seconds: float
    peak_rss_mib: float
    rows: int
    total: str
    digest: str


def child(side: str, folder: Path, threads: int, memory_limit: str) -> dict[str, Any]:
    """One measurement, in this process: run ``side`` once and describe its result."""
    import duckdb
    from osr_usage_data import DataSet

    data = DataSet(folder)
    if side == "batch":
        from alliance.batch.backends import duckdb_backend
        from alliance.batch.osr_accrual import accrue_months_batch
        from alliance.domain.rewards import RewardTerms

        backend = duckdb_backend(threads=threads, memory_limit=memory_limit)
        warm_up(backend)
        started, cpu_started = time.perf_counter(), time.process_time()
        result = accrue_months_batch(
            None,
            data.usage,
            data.subscriptions,
            data.customers,
            RewardTerms.default(),
            backend=backend,
        )
    else:
        config: dict[str, str | bool | int | float | list[str]] = {
            "threads": threads,
            "memory_limit": memory_limit,
            "preserve_insertion_order": False,
        }
        connection = duckdb.connect(config=config)
        connection.sql("SELECT 1").fetchall()
        query = HAND_WRITTEN_SQL.format(
            usage=data.usage, subscriptions=data.subscriptions, customers=data.customers
        )
        started, cpu_started = time.perf_counter(), time.process_time()
        result = connection.sql(query).to_arrow_table()
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    digest = duckdb.connect()
    digest.register("result", result)
    rows, total, value = digest.sql(DIGEST_SQL).fetchone() or (0, 0, 0)
    return {
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "rows": rows,
        "total": str(total),
        "digest": str(value),
    }


def warm_up(backend: Any) -> None:
    """One accrual of one line, so that imports done on first use (pandas, by Ibis) and
    first compilations happen before the clock starts, as in a long-running service."""

    from alliance.batch.osr_accrual import accrue_months_batch
    from alliance.batch.osr_facts import customer_rates_table, subscriptions_table, usage_table
    from alliance.domain.calendar import DateRange, Month
    from alliance.domain.ids import OrganizationId
    from alliance.domain.rewards import (
        Customer,
        OrderType,
        RewardTerms,
        Subscription,
        SubscriptionId,
        UsageLine,
    )

    who, sub = OrganizationId("cus_warm"), SubscriptionId("sub_warm")
    terms = RewardTerms.default()
    month = Month(2024, 1)
    subscription = Subscription(
        sub, who, who, OrderType.COMMITTED_CREDITS, DateRange(month.start, month.end), "FR"
    )
    line = UsageLine(1, who, sub, "s", "c", month, Decimal(1), Decimal(1), "USD")
    accrue_months_batch(
        None,
        usage_table([line]),
        subscriptions_table([subscription]),
        customer_rates_table([Customer(who)], terms),
        terms,
        backend=backend,
    )


def measure(side: str, folder: Path, threads: int, memory_limit: str) -> Measurement:
    """Run one measurement of ``side`` in a child process; its peak memory from wait4."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child", side]
    command += ["--data", str(folder), "--threads", str(threads), "--memory-limit", memory_limit]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{side} failed with exit code {process.returncode}")
    report = json.loads(output.strip().splitlines()[-1])
    return Measurement(
        side,
        report["seconds"],
        report["cpu_seconds"],
        usage.ru_maxrss / 1024,
        report["rows"],
        report["total"],
        report["digest"],
    )


def machine() -> str:
    model = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    memory_kib = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    return (
        f"{model}, {os.cpu_count()} cores, {memory_kib / 1024**2:.0f} GiB RAM, "
        f"Python {platform.python_version()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=10_000_000)
    parser.add_argument("--customers", type=int, default=400_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--memory-limit",
        default="1700MB",
        help="DuckDB's memory limit, the same for both sides (the process needs ~300 MB more)",
    )
    parser.add_argument("--data", type=Path, help="an existing data set folder")
    parser.add_argument("--child", choices=["batch", "sql"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.data, args.threads, args.memory_limit)))
        return

    import duckdb
    import ibis
    from osr_usage_data import ensure

    folder = args.data or HERE / "data" / f"osr-{args.lines}-{args.customers}"
    started = time.perf_counter()
    ensure(folder, args.lines, args.customers)
    print(f"data: {folder} ({time.perf_counter() - started:.0f} s to ensure)")
    print(f"machine: {machine()}; ibis {ibis.__version__}, duckdb {duckdb.__version__}")
    runs: list[Measurement] = []
    for run in range(args.runs):
        order = ("batch", "sql") if run % 2 == 0 else ("sql", "batch")
        for side in order:
            runs.append(measure(side, folder, args.threads, args.memory_limit))
            last = runs[-1]
            print(
                f"run {run + 1} {side:5}: {last.seconds:7.2f} s (CPU {last.cpu_seconds:6.2f} s), "
                f"{last.peak_rss_mib:6.0f} MiB, "
                f"{last.rows} rows, total {last.total}",
                flush=True,
            )
    report(runs)


def report(runs: list[Measurement]) -> None:
    by_side = {side: [r for r in runs if r.side == side] for side in ("batch", "sql")}
    digests = {(r.rows, r.total, r.digest) for r in runs}
    if len(digests) != 1:
        raise SystemExit(f"the two sides disagree: {sorted(digests)}")
    median = {side: statistics.median(r.seconds for r in rs) for side, rs in by_side.items()}
    cpu = {side: statistics.median(r.cpu_seconds for r in rs) for side, rs in by_side.items()}
    peak = {side: max(r.peak_rss_mib for r in rs) for side, rs in by_side.items()}
    print()
    print("| side | median wall time | runs (wall) | median CPU time | runs (CPU) | peak memory |")
    print("|---|---|---|---|---|---|")
    for side, rs in by_side.items():
        times = ", ".join(f"{r.seconds:.2f}" for r in rs)
        cpus = ", ".join(f"{r.cpu_seconds:.2f}" for r in rs)
        print(
            f"| {side} | {median[side]:.2f} s | {times} | {cpu[side]:.2f} s | {cpus} "
            f"| {peak[side]:.0f} MiB |"
        )
    print()
    print(
        f"ratio batch / sql (medians): {median['batch'] / median['sql']:.2f} wall time, "
        f"{cpu['batch'] / cpu['sql']:.2f} CPU time"
    )
    print(f"results identical: {runs[0].rows} buyer-months, total {runs[0].total} USD")


if __name__ == "__main__":
    main()
